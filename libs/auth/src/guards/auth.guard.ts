import '@fastify/cookie';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ACCESS_METADATA, AppError, Clock, WRITABLE_WHEN_INACTIVE, type AccessRule } from '@coffee/common';
import { appConfig, type AppConfig } from '@coffee/config';
import { assignRequestLogFields } from '@coffee/logging';
import { tagRequest } from '@coffee/observability';
import { RequestContext, writesAllowed, type Principal, type TenantStanding } from '@coffee/tenancy';
import { CSRF_COOKIE, CSRF_HEADER } from '../auth.constants';
import { CsrfTokens } from '../sessions/csrf-tokens';
import { AuthFailureLimit } from '../throttling/auth-failure-limit';
import { Authenticator } from './authenticator';
import { CSRF_EXEMPT } from './csrf-exempt.decorator';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const csrfFailed = (detail: string): AppError => new AppError('CSRF_FAILED', detail);

/**
 * The one global guard for who may call what: authenticates (cookie JWT,
 * bearer JWT or API key, each checked against the database), checks CSRF for
 * cookie-authenticated writes, puts the principal in the request context,
 * refuses suspended restaurants, applies the route's
 * `@Public`/`@Authenticated`/`@Access` rule, then refuses tenant writes while
 * the subscription is inactive (the one place that rule lives; the standing
 * comes with the credential check, in the same query). Authentication and CSRF
 * failures count against the caller's IP.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly csrf: CsrfTokens,
    private readonly failures: AuthFailureLimit,
    private readonly context: RequestContext,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_METADATA, targets);
    // A route without a declaration is a bug; refuse rather than guess (a test walks every route).
    if (!rule) throw AppError.forbidden('This route declares no access rule');
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    this.context.setIp(request.ip);
    if (rule.kind !== 'public') this.failures.assertNotBlocked(request.ip);
    try {
      return await this.check(context, request, rule);
    } catch (error) {
      throw await this.failures.charge(request.ip, error);
    }
  }

  private async check(context: ExecutionContext, request: FastifyRequest, rule: AccessRule): Promise<boolean> {
    const csrfExempt = this.reflector.get<boolean | undefined>(CSRF_EXEMPT, context.getHandler()) === true;
    if (csrfExempt) this.assertTrustedOrigin(request);
    const found = await this.authenticator.authenticate(request, rule.kind !== 'public');
    if (!found) {
      if (rule.kind === 'public') return true;
      throw AppError.unauthenticated();
    }
    const { principal, standing } = found;
    if (principal.via === 'cookie' && !SAFE_METHODS.has(request.method) && !csrfExempt) {
      const header = request.headers[CSRF_HEADER];
      if (
        !this.csrf.verify(
          principal.sessionId ?? '',
          request.cookies[CSRF_COOKIE],
          typeof header === 'string' ? header : undefined,
        )
      ) {
        throw csrfFailed('Send the csrf_token cookie value in the X-CSRF-Token header');
      }
    }
    this.context.setPrincipal(principal);
    this.tagCaller(principal);
    if (rule.kind === 'public') return true;
    if (principal.restaurantId && standing.restaurantStatus !== 'active') {
      throw new AppError('TENANT_SUSPENDED', 'This restaurant is suspended');
    }
    this.authorize(rule, principal);
    if (rule.kind === 'roles' && principal.restaurantId && !SAFE_METHODS.has(request.method)) {
      this.assertSubscriptionWritable(context, standing);
    }
    return true;
  }

  /** Canceled, or past due beyond the grace period: reads, sign-in and `change-plan` only. */
  private assertSubscriptionWritable(context: ExecutionContext, standing: TenantStanding): void {
    if (this.reflector.get<boolean | undefined>(WRITABLE_WHEN_INACTIVE, context.getHandler()) === true) return;
    const subscription = standing.subscription;
    // No subscription row: fail closed, like an unknown status.
    if (subscription && writesAllowed(subscription.status, subscription.pastDueSince, this.clock.now())) return;
    throw new AppError(
      'SUBSCRIPTION_INACTIVE',
      subscription?.status === 'canceled'
        ? 'The subscription is canceled; the owner can reactivate it with POST /api/v1/subscriptions/change-plan'
        : 'The subscription is past due for more than 7 days; the owner can reactivate it with POST /api/v1/subscriptions/change-plan',
    );
  }
  private authorize(rule: AccessRule, principal: Principal): void {
    if (rule.kind === 'authenticated') {
      if (!principal.userId) throw AppError.forbidden('API keys cannot use this route');
      return;
    }
    if (rule.kind !== 'roles') return;
    if (principal.via === 'api-key') {
      if (!rule.scopes.some((scope) => principal.scopes.includes(scope))) {
        throw AppError.forbidden(
          rule.scopes.length > 0
            ? `This key needs one of the scopes: ${rule.scopes.join(', ')}`
            : 'API keys cannot use this route',
        );
      }
      return;
    }
    if (principal.role === 'integration' || !rule.roles.includes(principal.role)) {
      throw AppError.forbidden('Your role may not do this');
    }
  }

  /** Every later log line of this request names the restaurant and the caller; so do its error events and trace span. */
  private tagCaller(principal: Principal): void {
    tagRequest({ restaurantId: principal.restaurantId, userId: principal.userId, apiKeyId: principal.apiKeyId });
    assignRequestLogFields({
      restaurantId: principal.restaurantId,
      userId: principal.userId,
      apiKeyId: principal.apiKeyId,
    });
  }

  /** Sign-in and refresh from a browser must come from the SPA's origin (or this API's own). */
  private assertTrustedOrigin(request: FastifyRequest): void {
    const origin = request.headers.origin;
    if (!origin) return;
    if (this.config.corsOrigins.includes(origin)) return;
    try {
      if (new URL(origin).host === request.headers.host) return;
    } catch {
      // not a URL: refused below
    }
    throw csrfFailed('Requests from this origin are not accepted');
  }
}
