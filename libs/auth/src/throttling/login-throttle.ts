import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError } from '@coffee/common';
import { authConfig, type AuthConfig } from '@coffee/config';
import { HitCounter } from './hit-counter';

/**
 * Per-IP limit on failed sign-ins (credential stuffing). Fails closed: if the
 * shared counter is unreachable, sign-in answers 503 rather than run unthrottled.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger(LoginThrottle.name);

  constructor(
    private readonly counter: HitCounter,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  async assertAllowed(ip: string): Promise<void> {
    const { count, resetMs } = await this.guard(() => this.counter.peek(this.key(ip)));
    if (count >= this.config.loginIpMaxFailures) throw AppError.rateLimited(resetMs / 1000);
  }

  async recordFailure(ip: string): Promise<void> {
    await this.guard(() => this.counter.hit(this.key(ip), this.config.loginIpWindowMs));
  }

  private key(ip: string): string {
    return `login-failures:${ip}`;
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.logger.error({ err: error }, 'Login throttle store unavailable; refusing sign-in');
      throw AppError.serviceUnavailable('Sign-in is temporarily unavailable', error);
    }
  }
}
