import { Transform } from 'class-transformer';
import { IsBooleanString, IsInt, Matches, Max, Min } from 'class-validator';
import { toInt } from './parsing';

/** Outgoing webhooks: address policy, timeout, retry schedule, auto-disable threshold. */
export class WebhookVariables {
  /** `true` lets endpoints resolve to private, loopback and link-local addresses (development and tests only). */
  @IsBooleanString()
  WEBHOOK_ALLOW_PRIVATE = 'false';

  /** How long one delivery attempt may take, connection included. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS = 5000;

  /**
   * The wait before each retry of a failed delivery, in milliseconds, comma-separated; one retry per
   * entry. Default: 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, 8 h (10 attempts over about 24 h).
   */
  @Matches(/^\d{1,9}(,\d{1,9}){0,29}$/, {
    message: 'WEBHOOK_RETRY_DELAYS_MS must be 1-30 comma-separated integers (ms)',
  })
  WEBHOOK_RETRY_DELAYS_MS = '30000,120000,600000,1800000,3600000,7200000,14400000,28800000,28800000';

  /** An endpoint is disabled after this many deliveries in a row failed (every attempt used). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  WEBHOOK_DISABLE_AFTER_FAILURES = 10;
}

export function webhooksConfigFrom(env: WebhookVariables) {
  return {
    allowPrivateAddresses: env.WEBHOOK_ALLOW_PRIVATE === 'true',
    timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    /** Delay before retry n (n = 1…): one entry per retry, so attempts = retryDelaysMs.length + 1. */
    retryDelaysMs: env.WEBHOOK_RETRY_DELAYS_MS.split(',').map(Number),
    disableAfterFailures: env.WEBHOOK_DISABLE_AFTER_FAILURES,
  };
}
