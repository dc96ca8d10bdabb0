import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository } from 'typeorm';
import { repositoryIn, type TenantScope, type TransactionScope } from '@coffee/database';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';

export type EndpointData = Pick<WebhookEndpointEntity, 'url' | 'description' | 'events' | 'secret' | 'isEnabled'>;
export type EndpointPatch = Partial<
  Pick<WebhookEndpointEntity, 'url' | 'description' | 'events' | 'isEnabled' | 'disabledReason' | 'consecutiveFailures'>
>;

/** A restaurant's webhook endpoints; every method takes the tenant scope first, but the relay's platform-wide read. */
@Injectable()
export class WebhookEndpointRepository {
  constructor(@InjectRepository(WebhookEndpointEntity) private readonly endpoints: Repository<WebhookEndpointEntity>) {}

  private repo(scope: TenantScope): Repository<WebhookEndpointEntity> {
    return repositoryIn(scope, WebhookEndpointEntity, this.endpoints);
  }

  insert(tx: TransactionScope, data: EndpointData): Promise<WebhookEndpointEntity> {
    const repo = this.repo(tx);
    return repo.save(repo.create({ ...data, restaurantId: tx.restaurantId }));
  }

  list(scope: TenantScope, page: { limit: number; offset: number }): Promise<[WebhookEndpointEntity[], number]> {
    return this.repo(scope).findAndCount({
      where: { restaurantId: scope.restaurantId },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: page.limit,
      skip: page.offset,
    });
  }

  find(scope: TenantScope, id: string): Promise<WebhookEndpointEntity | null> {
    return this.repo(scope).findOneBy({ restaurantId: scope.restaurantId, id });
  }

  async update(tx: TransactionScope, id: string, patch: EndpointPatch): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    await this.repo(tx).update({ restaurantId: tx.restaurantId, id }, patch);
  }

  async delete(tx: TransactionScope, id: string): Promise<boolean> {
    const result = await this.repo(tx).delete({ restaurantId: tx.restaurantId, id });
    return (result.affected ?? 0) === 1;
  }

  /**
   * A delivery that failed for good: one more failure in a row. Atomic
   * (`n = n + 1`), so concurrent deliveries count exactly; answers the new count.
   */
  async countFailure(tx: TransactionScope, id: string): Promise<number> {
    await this.repo(tx)
      .createQueryBuilder()
      .update(WebhookEndpointEntity)
      .set({ consecutiveFailures: () => 'consecutive_failures + 1' })
      .where('id = :id AND restaurant_id = :restaurantId', { id, restaurantId: tx.restaurantId })
      .execute();
    return (await this.find(tx, id))?.consecutiveFailures ?? 0;
  }

  /** Disables the endpoint if it is still enabled; true when this call disabled it. */
  async disable(tx: TransactionScope, id: string, reason: string): Promise<boolean> {
    const result = await this.repo(tx).update(
      { restaurantId: tx.restaurantId, id, isEnabled: true },
      { isEnabled: false, disabledReason: reason },
    );
    return (result.affected ?? 0) === 1;
  }

  /**
   * Enabled endpoints of these restaurants, for the relay (a job over every
   * restaurant's events, so not one tenant's scope), on the relay's transaction.
   */
  enabledOf(manager: EntityManager, restaurantIds: string[]): Promise<WebhookEndpointEntity[]> {
    if (restaurantIds.length === 0) return Promise.resolve([]);
    return manager.getRepository(WebhookEndpointEntity).findBy({ restaurantId: In(restaurantIds), isEnabled: true });
  }
}
