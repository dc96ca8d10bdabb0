import { Injectable } from '@nestjs/common';
import { AuditTrail } from '@coffee/audit';
import { AppError, offsetPage, type Page } from '@coffee/common';
import { TransactionRunner, withManager } from '@coffee/database';
import { scopeOf, type TenantPrincipal } from '@coffee/tenancy';
import { newSigningSecret } from '../delivery/signing';
import { RefusedWebhookTarget, WebhookTargetGuard } from '../delivery/webhook-target';
import {
  toWebhookResponse,
  type CreatedWebhookResponse,
  type CreateWebhookDto,
  type ListWebhooksQueryDto,
  type UpdateWebhookDto,
  type WebhookResponse,
} from '../dto/webhook.dto';
import type { WebhookEndpointEntity } from './webhook-endpoint.entity';
import { WebhookDeliveryRepository } from '../delivery/webhook-delivery.repository';
import { WebhookEndpointRepository, type EndpointPatch } from './webhook-endpoint.repository';

/** What the audit log keeps of an endpoint: never its secret. */
function audited(endpoint: Pick<WebhookEndpointEntity, 'url' | 'events' | 'isEnabled' | 'description'>) {
  return {
    url: endpoint.url,
    events: endpoint.events.split(' '),
    isEnabled: endpoint.isEnabled,
    description: endpoint.description,
  };
}

/** Owners' webhook endpoints: create (secret shown once), list, read, change, enable/disable, delete. */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly guard: WebhookTargetGuard,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditTrail,
  ) {}

  async create(principal: TenantPrincipal, dto: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    await this.assertTarget(dto.url);
    const secret = newSigningSecret();
    const saved = await this.transactions.run(async (manager) => {
      const tx = withManager(scopeOf(principal), manager);
      const inserted = await this.endpoints.insert(tx, {
        url: dto.url,
        description: dto.description ?? '',
        events: [...new Set(dto.events)].join(' '),
        secret,
        isEnabled: dto.isEnabled ?? true,
      });
      await this.audit.record(manager, {
        action: 'webhook.created',
        restaurantId: tx.restaurantId,
        targetType: 'webhook_endpoint',
        targetId: inserted.id,
        after: audited(inserted),
      });
      return inserted;
    });
    return { ...toWebhookResponse(saved), secret };
  }

  async list(principal: TenantPrincipal, query: ListWebhooksQueryDto): Promise<Page<WebhookResponse>> {
    const [rows, total] = await this.endpoints.list(scopeOf(principal), query);
    return offsetPage(rows.map(toWebhookResponse), total, query);
  }

  async get(principal: TenantPrincipal, id: string): Promise<WebhookResponse> {
    const endpoint = await this.endpoints.find(scopeOf(principal), id);
    if (!endpoint) throw AppError.notFound('Webhook endpoint');
    return toWebhookResponse(endpoint);
  }

  async update(principal: TenantPrincipal, id: string, dto: UpdateWebhookDto): Promise<WebhookResponse> {
    if (dto.url !== undefined) await this.assertTarget(dto.url);
    return this.transactions.run(async (manager) => {
      const tx = withManager(scopeOf(principal), manager);
      const before = await this.endpoints.find(tx, id);
      if (!before) throw AppError.notFound('Webhook endpoint');
      const patch: EndpointPatch = {
        ...(dto.url !== undefined && { url: dto.url }),
        ...(dto.description !== undefined && { description: dto.description }),
        ...(dto.events !== undefined && { events: [...new Set(dto.events)].join(' ') }),
      };
      if (dto.isEnabled !== undefined) {
        patch.isEnabled = dto.isEnabled;
        // Enabling starts afresh; disabling by hand is not the server's doing.
        patch.disabledReason = null;
        if (dto.isEnabled) patch.consecutiveFailures = 0;
      }
      await this.endpoints.update(tx, id, patch);
      const after = await this.endpoints.find(tx, id);
      if (!after) throw AppError.notFound('Webhook endpoint');
      await this.audit.record(manager, {
        action: 'webhook.updated',
        restaurantId: tx.restaurantId,
        targetType: 'webhook_endpoint',
        targetId: id,
        before: audited(before),
        after: audited(after),
      });
      return toWebhookResponse(after);
    });
  }

  /** Deletes the endpoint with its deliveries and log; pending attempts find nothing and stop. */
  async remove(principal: TenantPrincipal, id: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const tx = withManager(scopeOf(principal), manager);
      const endpoint = await this.endpoints.find(tx, id);
      if (!endpoint) throw AppError.notFound('Webhook endpoint');
      await this.deliveries.deleteForEndpoint(tx, id);
      await this.endpoints.delete(tx, id);
      await this.audit.record(manager, {
        action: 'webhook.deleted',
        restaurantId: tx.restaurantId,
        targetType: 'webhook_endpoint',
        targetId: id,
        before: audited(endpoint),
      });
    });
  }

  /** The SSRF guard at save time (it runs again before every attempt, against DNS rebinding). */
  private async assertTarget(url: string): Promise<void> {
    try {
      await this.guard.check(url);
    } catch (error) {
      if (error instanceof RefusedWebhookTarget) throw AppError.validation([{ field: 'url', message: error.reason }]);
      throw error;
    }
  }
}
