import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { AppError, uniqueOr } from '@coffee/common';
import { isEmbedded, type TransactionScope } from '@coffee/database';
import { RestaurantEntity, type RestaurantStatus } from './restaurant.entity';

export type NewRestaurant = Pick<RestaurantEntity, 'name' | 'slug' | 'currency' | 'timezone' | 'planCode'>;

/**
 * Restaurants are the tenants themselves, so this repository is platform-wide
 * (a restaurant being created has no scope yet); locking a tenant's own row
 * takes its transaction scope like every tenant repository.
 */
@Injectable()
export class RestaurantRepository {
  constructor(@InjectRepository(RestaurantEntity) private readonly restaurants: Repository<RestaurantEntity>) {}

  private repo(manager?: EntityManager): Repository<RestaurantEntity> {
    return manager ? manager.getRepository(RestaurantEntity) : this.restaurants;
  }

  async insert(data: NewRestaurant, manager?: EntityManager): Promise<RestaurantEntity> {
    const restaurant = this.repo(manager).create({ ...data, status: 'active' });
    return uniqueOr(
      () => this.repo(manager).save(restaurant),
      () => AppError.conflict(`The slug "${data.slug}" is taken`),
    );
  }

  /**
   * Locks the restaurant row until the transaction ends, so per-restaurant
   * checks (plan limits) and the writes they guard run one at a time.
   */
  async lockForUpdate({ manager, restaurantId }: TransactionScope): Promise<void> {
    if (isEmbedded(manager.connection)) return; // one writer at a time already
    await manager
      .getRepository(RestaurantEntity)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .where('r.id = :id', { id: restaurantId })
      .getOne();
  }

  findById(id: string): Promise<RestaurantEntity | null> {
    return this.restaurants.findOneBy({ id });
  }

  findBySlug(slug: string): Promise<RestaurantEntity | null> {
    return this.restaurants.findOneBy({ slug });
  }

  async statusOf(id: string): Promise<RestaurantStatus | null> {
    const row = await this.restaurants.findOne({ select: { id: true, status: true }, where: { id } });
    return row?.status ?? null;
  }
}
