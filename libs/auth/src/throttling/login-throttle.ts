import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError } from '@coffee/common';
import { authConfig, type AuthConfig } from '@coffee/config';
import { HitCounter } from './hit-counter';

/**
 * Per-IP limit on failed sign-ins (credential stuffing). Each attempt takes its
 * place in the window before the password is checked (one atomic increment),
 * so parallel attempts cannot all pass a check made before any failure was
 * recorded: exactly `LOGIN_IP_MAX_FAILURES` attempts get a verdict, later ones 429.
 * A successful sign-in gives its place back, so the budget counts failures and
 * an office behind one address is not throttled by its own colleagues' logins.
 * Fails closed: if the shared counter is unreachable, sign-in answers 503
 * rather than run unthrottled.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger(LoginThrottle.name);

  constructor(
    private readonly counter: HitCounter,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  /** Reserves one attempt for `ip`, or throws 429 once its budget is spent. */
  async reserve(ip: string): Promise<void> {
    const { count, resetMs } = await this.guard(() => this.counter.hit(this.key(ip), this.config.loginIpWindowMs));
    if (count > this.config.loginIpMaxFailures) throw AppError.rateLimited(resetMs / 1000);
  }

  /** Gives back the attempt of a successful sign-in. Best effort: a failure only leaves the count one higher. */
  async release(ip: string): Promise<void> {
    await this.counter
      .release(this.key(ip))
      .catch((error: unknown) => this.logger.warn({ err: error }, 'Could not release a sign-in attempt'));
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
