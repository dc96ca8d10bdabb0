import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, type EntityManager, type Repository } from 'typeorm';
import { repositoryIn, type TenantScope, type TransactionScope } from '@coffee/database';
import { WebhookDeliveryAttemptEntity, WebhookDeliveryEntity, type DeliveryStatus } from './webhook-delivery.entities';

export type NewDelivery = Pick<
  WebhookDeliveryEntity,
  'id' | 'restaurantId' | 'endpointId' | 'eventId' | 'eventType' | 'body' | 'nextAttemptAt'
>;
export type NewAttempt = Omit<WebhookDeliveryAttemptEntity, 'id' | 'restaurantId' | 'createdAt' | 'updatedAt'>;

/** Deliveries (one event for one endpoint) and their attempts, the delivery log. */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(
    @InjectRepository(WebhookDeliveryEntity) private readonly deliveries: Repository<WebhookDeliveryEntity>,
    @InjectRepository(WebhookDeliveryAttemptEntity) private readonly attempts: Repository<WebhookDeliveryAttemptEntity>,
  ) {}

  /**
   * The relay's inserts, for several restaurants at once (it works through
   * every restaurant's events). A pair (endpoint, event) that exists already is
   * skipped, so relaying an event again creates nothing; answers the ids created.
   */
  async insertNew(manager: EntityManager, rows: NewDelivery[]): Promise<string[]> {
    if (rows.length === 0) return [];
    const repo = manager.getRepository(WebhookDeliveryEntity);
    await repo
      .createQueryBuilder()
      .insert()
      .into(WebhookDeliveryEntity)
      .values(rows.map((row) => ({ ...row, status: 'pending' as const, attempts: 0 })))
      .orIgnore()
      .updateEntity(false)
      .execute();
    const created = await repo.find({
      select: { id: true },
      where: rows.map((row) => ({ id: row.id })),
    });
    return created.map((row) => row.id);
  }

  find(scope: TenantScope, id: string): Promise<WebhookDeliveryEntity | null> {
    return repositoryIn(scope, WebhookDeliveryEntity, this.deliveries).findOneBy({
      restaurantId: scope.restaurantId,
      id,
    });
  }

  async recordAttempt(tx: TransactionScope, attempt: NewAttempt): Promise<void> {
    const repo = tx.manager.getRepository(WebhookDeliveryAttemptEntity);
    await repo.save(repo.create({ ...attempt, restaurantId: tx.restaurantId }));
  }

  /** Moves a delivery on after attempt `attempt`, only if no other run recorded that attempt first. */
  async settle(
    tx: TransactionScope,
    id: string,
    attempt: number,
    next: { status: DeliveryStatus; nextAttemptAt: Date | null },
  ): Promise<boolean> {
    const result = await tx.manager
      .getRepository(WebhookDeliveryEntity)
      .update({ restaurantId: tx.restaurantId, id, attempts: attempt - 1 }, { attempts: attempt, ...next });
    return (result.affected ?? 0) === 1;
  }

  /** A settled delivery back to pending for one more attempt (manual redelivery); false if it was not settled. */
  async reopen(tx: TransactionScope, id: string, at: Date): Promise<boolean> {
    const repo = tx.manager.getRepository(WebhookDeliveryEntity);
    const succeeded = await repo.update(
      { restaurantId: tx.restaurantId, id, status: 'succeeded' },
      { status: 'pending', nextAttemptAt: at },
    );
    if ((succeeded.affected ?? 0) === 1) return true;
    const failed = await repo.update(
      { restaurantId: tx.restaurantId, id, status: 'failed' },
      { status: 'pending', nextAttemptAt: at },
    );
    return (failed.affected ?? 0) === 1;
  }

  /** Pending deliveries whose next attempt was due before `before`: their job may be lost (relay re-enqueues them). */
  overdue(before: Date, limit: number): Promise<WebhookDeliveryEntity[]> {
    return this.deliveries.find({
      select: { id: true, restaurantId: true, attempts: true },
      where: { status: 'pending', nextAttemptAt: LessThan(before) },
      order: { nextAttemptAt: 'ASC' },
      take: limit,
    });
  }

  /** The endpoint's delivery log, newest attempt first. */
  listAttempts(
    scope: TenantScope,
    endpointId: string,
    page: { limit: number; offset: number },
  ): Promise<[WebhookDeliveryAttemptEntity[], number]> {
    return repositoryIn(scope, WebhookDeliveryAttemptEntity, this.attempts).findAndCount({
      where: { restaurantId: scope.restaurantId, endpointId },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: page.limit,
      skip: page.offset,
    });
  }

  /** An endpoint's deliveries and log go with it. */
  async deleteForEndpoint(tx: TransactionScope, endpointId: string): Promise<void> {
    await tx.manager.getRepository(WebhookDeliveryAttemptEntity).delete({ restaurantId: tx.restaurantId, endpointId });
    await tx.manager.getRepository(WebhookDeliveryEntity).delete({ restaurantId: tx.restaurantId, endpointId });
  }
}
