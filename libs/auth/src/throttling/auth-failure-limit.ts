import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { AppError } from '@coffee/common';
import { authConfig, type AuthConfig } from '@coffee/config';
import { MetricsService } from '@coffee/metrics';
import { HitCounter } from './hit-counter';

/**
 * Per-IP budget for requests that fail authentication (401) or CSRF (403),
 * so a flood of made-up tokens or API keys costs its sender, not the database:
 * `AUTH_FAILURE_IP_LIMIT` per `LOGIN_IP_WINDOW_SECONDS`, on a counter of its
 * own shared by every instance through Redis. Far larger than the sign-in
 * limit: a guessed JWT or key never succeeds (HMAC, 256 random bits), and an
 * office behind one NAT address legitimately produces many expired sessions.
 *
 * Past the budget the failure answers 429, and this instance remembers the IP
 * until the window ends so its later requests to protected routes are refused
 * before any credential is looked up (no database work for the guesser). Other
 * instances learn it from the shared counter on that IP's next failure there.
 *
 * A Redis outage fails open (the normal 401/403, logged and counted): these are
 * general routes (the throttler's policy), and credentials are still checked.
 */
@Injectable()
export class AuthFailureLimit {
  private readonly logger = new Logger(AuthFailureLimit.name);
  private readonly blockedUntil = new Map<string, number>();
  private readonly failOpen: Counter;

  constructor(
    private readonly counter: HitCounter,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
    metrics: MetricsService,
  ) {
    this.failOpen = metrics.counter(
      'auth_failure_limit_fail_open_total',
      'Failed authentications not counted against their IP because the rate-limit store failed',
    );
  }

  /** Refuses (429) an IP this instance already saw go over its budget in the current window. */
  assertNotBlocked(ip: string): void {
    const until = this.blockedUntil.get(ip);
    if (until === undefined) return;
    const remainingMs = until - Date.now();
    if (remainingMs > 0) throw AppError.rateLimited(remainingMs / 1000);
    this.blockedUntil.delete(ip);
  }

  /**
   * What to answer for `error` from `ip`: a 401 or CSRF 403 counts against
   * the IP and becomes 429 once over the budget; anything else passes unchanged.
   */
  async charge(ip: string, error: unknown): Promise<unknown> {
    if (!(error instanceof AppError) || (error.code !== 'UNAUTHENTICATED' && error.code !== 'CSRF_FAILED'))
      return error;
    return this.record(ip, error);
  }

  private async record(ip: string, failure: AppError): Promise<AppError> {
    try {
      const { count, resetMs } = await this.counter.hit(`auth-failures:${ip}`, this.config.loginIpWindowMs);
      if (count <= this.config.authFailureIpLimit) return failure;
      this.block(ip, resetMs);
      return AppError.rateLimited(resetMs / 1000);
    } catch (error) {
      this.failOpen.inc();
      this.logger.warn({ err: error }, 'Rate-limit store unavailable; failed authentication not counted');
      return failure;
    }
  }

  private block(ip: string, resetMs: number): void {
    // Bounded like the memory hit counter: a flood of distinct IPs only loses early refusals.
    if (this.blockedUntil.size >= 10_000) this.blockedUntil.clear();
    this.blockedUntil.set(ip, Date.now() + resetMs);
  }
}
