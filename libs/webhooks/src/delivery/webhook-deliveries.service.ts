import { Injectable } from '@nestjs/common';
import { AppError, Clock, offsetPage, type Page } from '@coffee/common';
import { TransactionRunner, withManager } from '@coffee/database';
import { scopeOf, type TenantPrincipal } from '@coffee/tenancy';
import {
  toDeliveryAttemptResponse,
  type DeliveryAttemptResponse,
  type ListDeliveriesQueryDto,
  type RedeliveryResponse,
} from '../dto/webhook.dto';
import { WebhookEndpointRepository } from '../endpoints/webhook-endpoint.repository';
import { RelayOutboxUseCase } from './relay-outbox.usecase';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';

/** The delivery log of an endpoint, and manual redelivery. */
@Injectable()
export class WebhookDeliveriesService {
  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly relay: RelayOutboxUseCase,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async log(
    principal: TenantPrincipal,
    endpointId: string,
    query: ListDeliveriesQueryDto,
  ): Promise<Page<DeliveryAttemptResponse>> {
    const scope = scopeOf(principal);
    if (!(await this.endpoints.find(scope, endpointId))) throw AppError.notFound('Webhook endpoint');
    const [rows, total] = await this.deliveries.listAttempts(scope, endpointId, query);
    return offsetPage(rows.map(toDeliveryAttemptResponse), total, query);
  }

  /**
   * Sends a settled delivery (succeeded or failed) once more, now, with the
   * same event id and body. A delivery still being retried is a 409, as is
   * one of a disabled endpoint (enable it first).
   */
  async redeliver(principal: TenantPrincipal, endpointId: string, deliveryId: string): Promise<RedeliveryResponse> {
    const attempt = await this.transactions.run(async (manager) => {
      const tx = withManager(scopeOf(principal), manager);
      const endpoint = await this.endpoints.find(tx, endpointId);
      const delivery = await this.deliveries.find(tx, deliveryId);
      if (!endpoint || !delivery || delivery.endpointId !== endpointId) throw AppError.notFound('Delivery');
      if (!endpoint.isEnabled) throw AppError.conflict('The endpoint is disabled; enable it before redelivering');
      if (!(await this.deliveries.reopen(tx, deliveryId, this.clock.now()))) {
        throw AppError.conflict('The delivery is still being retried');
      }
      return delivery.attempts + 1;
    });
    await this.relay.enqueueAttempt(principal.restaurantId, deliveryId, attempt);
    return { deliveryId, attempt };
  }
}
