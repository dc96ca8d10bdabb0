import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { ClsServiceManager } from 'nestjs-cls';
import type { RequestContextStore } from '@coffee/tenancy';

/**
 * Rate limits per caller: the user or API key when authenticated (runs after
 * the auth guard), else the client IP (from X-Forwarded-For only when TRUST_PROXY allows).
 */
@Injectable()
export class CallerThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const cls = ClsServiceManager.getClsService<RequestContextStore>();
    const principal = cls.isActive() ? cls.get('principal') : undefined;
    if (principal?.apiKeyId) return Promise.resolve(`key:${principal.apiKeyId}`);
    if (principal?.userId) return Promise.resolve(`user:${principal.userId}`);
    return Promise.resolve(`ip:${String(req.ip)}`);
  }
}
