import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { AppError, uniqueOr } from '@coffee/common';
import { RestaurantEntity, type RestaurantStatus } from './restaurant.entity';

export type NewRestaurant = Pick<RestaurantEntity, 'name' | 'slug' | 'currency' | 'timezone' | 'planCode'>;

/** Restaurants are the tenants themselves, so this repository is not tenant-scoped. */
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
  async lockForUpdate(manager: EntityManager, id: string): Promise<void> {
    if (manager.connection.options.type === 'sqljs') return; // one writer at a time already
    await manager
      .getRepository(RestaurantEntity)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .where('r.id = :id', { id })
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
