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
  /**
   * Time zones by restaurant id. A restaurant's time zone is set when it is
   * created and nothing changes it (the contract's updates take name and
   * status only), and ids are never reused, so a per-process copy cannot go
   * stale and needs no invalidation across instances. It grows by one short
   * string per restaurant this process has served.
   */
  private readonly timeZones = new Map<string, string>();

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

  /**
   * The restaurant's IANA time zone (UTC for an unknown id, not remembered),
   * read once per process: placing and paying orders need it every time.
   * Inside a transaction pass its manager: a second pooled connection per
   * request can starve the pool.
   */
  async timeZoneOf(id: string, manager?: EntityManager): Promise<string> {
    const known = this.timeZones.get(id);
    if (known) return known;
    const rows: { timeZone: string }[] = await this.repo(manager).query(
      'SELECT timezone AS timeZone FROM restaurants WHERE id = ?',
      [id],
    );
    const timeZone = rows[0]?.timeZone;
    if (!timeZone) return 'UTC';
    this.timeZones.set(id, timeZone);
    return timeZone;
  }

  findBySlug(slug: string): Promise<RestaurantEntity | null> {
    return this.restaurants.findOneBy({ slug });
  }
}
