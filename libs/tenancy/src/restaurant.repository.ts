import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { AppError, uniqueOr } from '@coffee/common';
import { RestaurantEntity } from './restaurant.entity';

export type NewRestaurant = Pick<RestaurantEntity, 'name' | 'slug' | 'currency' | 'timezone'>;

/**
 * Restaurants are the tenants themselves, so this repository is platform-wide
 * (a restaurant being created has no scope yet).
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

  /** `manager`: a transaction's or a read replica's; the primary without one. */
  findById(id: string, manager?: EntityManager): Promise<RestaurantEntity | null> {
    return this.repo(manager).findOneBy({ id });
  }

  findBySlug(slug: string): Promise<RestaurantEntity | null> {
    return this.restaurants.findOneBy({ slug });
  }
}
