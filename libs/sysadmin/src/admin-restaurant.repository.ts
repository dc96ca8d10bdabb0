import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, type EntityManager, type Repository, type SelectQueryBuilder } from 'typeorm';
import type { SortSpec } from '@coffee/common';
import { isMysql, rawDate } from '@coffee/database';
import { SubscriptionEntity } from '@coffee/subscriptions';
import { RestaurantEntity, type RestaurantStatus } from '@coffee/tenancy';
import type { RestaurantPatch } from './domain/restaurant-changes';
import type { AdminRestaurantRow, RestaurantSortField } from './dto/restaurant-admin.dto';

export interface RestaurantFilters {
  q?: string;
  status?: RestaurantStatus;
  planCode?: string;
}

const SORT_COLUMNS: Record<RestaurantSortField, string> = {
  createdAt: 'r.created_at',
  name: 'r.name',
  slug: 'r.slug',
};

type RawRestaurantRow = Omit<AdminRestaurantRow, 'createdAt' | 'updatedAt'> & {
  createdAt: unknown;
  updatedAt: unknown;
};

/** `!` escapes LIKE wildcards on MariaDB and SQLite alike (SQLite has no default escape character). */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

function toRow(raw: RawRestaurantRow): AdminRestaurantRow {
  return { ...raw, createdAt: rawDate(raw.createdAt) ?? new Date(0), updatedAt: rawDate(raw.updatedAt) ?? new Date(0) };
}

/**
 * Restaurants as the platform console reads and changes them: every
 * restaurant, joined with its subscription (every restaurant has exactly one,
 * written in the transaction that creates it). Platform-wide by design: the
 * console acts on restaurants, not inside one.
 */
@Injectable()
export class AdminRestaurantRepository {
  constructor(@InjectRepository(RestaurantEntity) private readonly restaurants: Repository<RestaurantEntity>) {}

  async list(
    filters: RestaurantFilters,
    sort: SortSpec<RestaurantSortField>,
    page: { limit: number; offset: number },
  ): Promise<[AdminRestaurantRow[], number]> {
    const query = this.select(this.restaurants.manager);
    if (filters.status) query.andWhere('r.status = :status', { status: filters.status });
    if (filters.planCode) query.andWhere('s.plan_code = :planCode', { planCode: filters.planCode });
    if (filters.q) {
      const like = containsPattern(filters.q);
      query.andWhere(
        new Brackets((or) =>
          or.where("LOWER(r.name) LIKE :like ESCAPE '!'", { like }).orWhere("r.slug LIKE :like ESCAPE '!'", { like }),
        ),
      );
    }
    const total = await query.getCount();
    const rows = await query
      .orderBy(SORT_COLUMNS[sort.field], sort.direction)
      .addOrderBy('r.id', sort.direction)
      .limit(page.limit)
      .offset(page.offset)
      .getRawMany<RawRestaurantRow>();
    return [rows.map(toRow), total];
  }

  async find(id: string, manager: EntityManager = this.restaurants.manager): Promise<AdminRestaurantRow | null> {
    const raw = await this.select(manager).where('r.id = :id', { id }).getRawOne<RawRestaurantRow>();
    return raw ? toRow(raw) : null;
  }

  /**
   * The restaurant's name and status, its row locked until the transaction
   * ends: two console changes of one restaurant run one after the other, so
   * each audits what it really changed. (SQLite has a single writer already.)
   */
  async lock(manager: EntityManager, id: string): Promise<{ name: string; status: RestaurantStatus } | null> {
    const rows: { name: string; status: RestaurantStatus }[] = await manager.query(
      `SELECT name, status FROM restaurants WHERE id = ?${isMysql(manager) ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * `updatedAt` is given: left to TypeORM, `update()` would set it to
   * CURRENT_TIMESTAMP, whole seconds on MariaDB, before the row's `createdAt`
   * when both fall in the same second.
   */
  async update(manager: EntityManager, id: string, patch: RestaurantPatch, at: Date): Promise<void> {
    await manager.getRepository(RestaurantEntity).update({ id }, { ...patch, updatedAt: at });
  }

  private select(manager: EntityManager): SelectQueryBuilder<RestaurantEntity> {
    return manager
      .getRepository(RestaurantEntity)
      .createQueryBuilder('r')
      .innerJoin(SubscriptionEntity, 's', 's.restaurant_id = r.id')
      .select('r.id', 'id')
      .addSelect('r.name', 'name')
      .addSelect('r.slug', 'slug')
      .addSelect('r.currency', 'currency')
      .addSelect('r.timezone', 'timezone')
      .addSelect('r.status', 'status')
      .addSelect('s.plan_code', 'planCode')
      .addSelect('s.status', 'subscriptionStatus')
      .addSelect('r.created_at', 'createdAt')
      .addSelect('r.updated_at', 'updatedAt');
  }
}
