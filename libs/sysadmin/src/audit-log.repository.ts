import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AuditLogEntity, type AuditAction } from '@coffee/audit';

export interface AuditLogFilters {
  restaurantId?: string;
  actorId?: string;
  action?: AuditAction;
  from?: Date;
  to?: Date;
}

/**
 * Reads the audit log for the console. The log is append-only and written
 * only by AuditTrail; nothing here writes. Each filter has an index that
 * leads with it and ends with `at` (ix_audit_log_restaurant_at, _actor_at,
 * _action_at; ix_audit_log_at unfiltered), so a page is read in `at` order.
 */
@Injectable()
export class AuditLogRepository {
  constructor(@InjectRepository(AuditLogEntity) private readonly entries: Repository<AuditLogEntity>) {}

  page(
    filters: AuditLogFilters,
    direction: 'ASC' | 'DESC',
    page: { limit: number; offset: number },
  ): Promise<[AuditLogEntity[], number]> {
    const query = this.entries.createQueryBuilder('a');
    if (filters.restaurantId) query.andWhere('a.restaurant_id = :restaurantId', { restaurantId: filters.restaurantId });
    if (filters.actorId) query.andWhere('a.actor_id = :actorId', { actorId: filters.actorId });
    if (filters.action) query.andWhere('a.action = :action', { action: filters.action });
    if (filters.from) query.andWhere('a.at >= :from', { from: filters.from });
    if (filters.to) query.andWhere('a.at <= :to', { to: filters.to });
    return query
      .orderBy('a.at', direction)
      .addOrderBy('a.id', direction)
      .take(page.limit)
      .skip(page.offset)
      .getManyAndCount();
  }
}
