import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditTrail } from '@coffee/audit';
import { Clock } from '@coffee/common';
import { webhooksConfig, type WebhooksConfig } from '@coffee/config';
import { TransactionRunner, trustedTenantScope, withManager, type TransactionScope } from '@coffee/database';
import type { WebhookEndpointEntity } from '../endpoints/webhook-endpoint.entity';
import { WebhookEndpointRepository } from '../endpoints/webhook-endpoint.repository';
import { RelayOutboxUseCase } from './relay-outbox.usecase';
import { retryDelayAfter } from './retry-schedule';
import { webhookHeaders } from './signing';
import type { WebhookDeliveryEntity } from './webhook-delivery.entities';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { RefusedWebhookTarget, WebhookTargetGuard } from './webhook-target';
import { WebhookTransport } from './webhook-transport';

/** The transport's timeout: an AbortError caused by AbortSignal.timeout's TimeoutError. */
function isTimeout(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const cause = (error as Error & { cause?: unknown }).cause;
  return error.name === 'TimeoutError' || (cause instanceof Error && cause.name === 'TimeoutError');
}

export type AttemptOutcome = 'succeeded' | 'retrying' | 'failed' | 'skipped';

interface AttemptResult {
  succeeded: boolean;
  statusCode: number | null;
  responseBody: string | null;
  error: string | null;
  durationMs: number;
}

/**
 * One attempt of one delivery: check the target (SSRF guard, against the
 * address about to be used), sign, POST, and record the attempt in the
 * delivery log. A 2xx settles the delivery; anything else schedules the next
 * attempt by the retry schedule, or settles it as failed when none is left —
 * and an endpoint whose deliveries failed that many times in a row is
 * disabled (audit log entry `webhook.disabled`). Idempotent: an attempt
 * already recorded (a job run twice) is skipped.
 */
@Injectable()
export class DeliverWebhookUseCase {
  private readonly logger = new Logger(DeliverWebhookUseCase.name);

  constructor(
    @Inject(webhooksConfig.KEY) private readonly config: WebhooksConfig,
    private readonly transactions: TransactionRunner,
    private readonly endpoints: WebhookEndpointRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly guard: WebhookTargetGuard,
    private readonly transport: WebhookTransport,
    private readonly relay: RelayOutboxUseCase,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async execute(restaurantId: string, deliveryId: string, attempt: number): Promise<AttemptOutcome> {
    // A job names its restaurant; the delivery row must belong to it.
    const scope = trustedTenantScope(restaurantId);
    const delivery = await this.deliveries.find(scope, deliveryId);
    if (!delivery || delivery.status !== 'pending' || delivery.attempts !== attempt - 1) return 'skipped';
    const endpoint = await this.endpoints.find(scope, delivery.endpointId);
    const result: AttemptResult = endpoint?.isEnabled
      ? await this.send(endpoint, delivery)
      : { succeeded: false, statusCode: null, responseBody: null, error: 'the endpoint is disabled', durationMs: 0 };
    const delay = result.succeeded || !endpoint?.isEnabled ? null : retryDelayAfter(attempt, this.config.retryDelaysMs);
    const outcome: AttemptOutcome = result.succeeded ? 'succeeded' : delay === null ? 'failed' : 'retrying';
    const recorded = await this.transactions.run(async (manager) => {
      const tx = withManager(scope, manager);
      const now = this.clock.now();
      const moved = await this.deliveries.settle(tx, deliveryId, attempt, {
        status: outcome === 'retrying' ? 'pending' : outcome === 'succeeded' ? 'succeeded' : 'failed',
        nextAttemptAt: delay === null ? null : new Date(now.getTime() + delay),
      });
      if (!moved) return false;
      await this.deliveries.recordAttempt(tx, {
        endpointId: delivery.endpointId,
        deliveryId,
        eventId: delivery.eventId,
        eventType: delivery.eventType,
        attempt,
        ...result,
      });
      if (endpoint?.isEnabled && outcome === 'succeeded' && endpoint.consecutiveFailures > 0) {
        await this.endpoints.update(tx, endpoint.id, { consecutiveFailures: 0 });
      }
      if (endpoint?.isEnabled && outcome === 'failed') await this.countFailure(tx, endpoint);
      return true;
    });
    if (!recorded) return 'skipped';
    if (delay !== null) await this.relay.enqueueAttempt(restaurantId, deliveryId, attempt + 1, delay);
    return outcome;
  }

  private async send(endpoint: WebhookEndpointEntity, delivery: WebhookDeliveryEntity): Promise<AttemptResult> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    try {
      const target = await this.guard.check(endpoint.url);
      const timestamp = Math.floor(this.clock.now().getTime() / 1000);
      const answer = await this.transport.post({
        url: target.url,
        address: target.address,
        headers: webhookHeaders(endpoint.secret, delivery.eventId, timestamp, delivery.body),
        body: delivery.body,
        timeoutMs: this.config.timeoutMs,
      });
      const succeeded = answer.statusCode >= 200 && answer.statusCode < 300;
      return {
        succeeded,
        statusCode: answer.statusCode,
        responseBody: answer.body,
        error: succeeded ? null : `the receiver answered ${answer.statusCode}`,
        durationMs: elapsed(),
      };
    } catch (error) {
      const message =
        error instanceof RefusedWebhookTarget
          ? `refused: ${error.reason}`
          : isTimeout(error)
            ? `no answer within ${this.config.timeoutMs} ms`
            : `request failed: ${error instanceof Error ? error.message : String(error)}`;
      return {
        succeeded: false,
        statusCode: null,
        responseBody: null,
        error: message.slice(0, 500),
        durationMs: elapsed(),
      };
    }
  }

  private async countFailure(tx: TransactionScope, endpoint: WebhookEndpointEntity): Promise<void> {
    const failures = await this.endpoints.countFailure(tx, endpoint.id);
    if (failures < this.config.disableAfterFailures) return;
    const reason = `${failures} deliveries in a row failed`;
    if (!(await this.endpoints.disable(tx, endpoint.id, reason))) return;
    await this.audit.record(tx.manager, {
      action: 'webhook.disabled',
      restaurantId: tx.restaurantId,
      targetType: 'webhook_endpoint',
      targetId: endpoint.id,
      before: { isEnabled: true },
      after: { isEnabled: false, disabledReason: reason },
      actor: { id: null, role: 'system' },
    });
    this.logger.warn({ restaurantId: tx.restaurantId, endpointId: endpoint.id, failures }, 'Webhook endpoint disabled');
  }
}
