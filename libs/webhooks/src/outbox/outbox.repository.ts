import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, LessThan, type EntityManager, type Repository } from 'typeorm';
import { insertRows, isMysql, type TransactionScope } from '@coffee/database';
import { OutboxEventEntity } from './outbox-event.entity';

/** The outbox table: written by the features' transactions, read and stamped by the relay. */
@Injectable()
export class OutboxRepository {
  constructor(@InjectRepository(OutboxEventEntity) private readonly events: Repository<OutboxEventEntity>) {}

  /** Written with insertRows: every placement and status change records one. */
  async insert(tx: TransactionScope, event: Omit<OutboxEventEntity, 'restaurantId' | 'relayedAt'>): Promise<void> {
    await insertRows(tx.manager, OutboxEventEntity, [{ ...event, restaurantId: tx.restaurantId, relayedAt: null }]);
  }

  /**
   * The oldest events not relayed yet, locked for this relay run. On
   * MySQL/MariaDB, SKIP LOCKED lets two relay runs (two workers) take
   * different batches instead of waiting on each other; the embedded
   * database runs one transaction at a time anyway.
   */
  nextBatch(manager: EntityManager, limit: number): Promise<OutboxEventEntity[]> {
    const query = manager
      .getRepository(OutboxEventEntity)
      .createQueryBuilder('e')
      .where('e.relayed_at IS NULL')
      .orderBy('e.id', 'ASC')
      .limit(limit);
    if (isMysql(manager)) query.setLock('pessimistic_write').setOnLocked('skip_locked');
    return query.getMany();
  }

  async markRelayed(manager: EntityManager, ids: string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await manager.getRepository(OutboxEventEntity).update({ id: In(ids), relayedAt: IsNull() }, { relayedAt: at });
  }

  /** Deletes relayed events older than `before`, at most `limit` per call; answers how many went. */
  async purgeRelayed(before: Date, limit: number): Promise<number> {
    const old = await this.events.find({ select: { id: true }, where: { relayedAt: LessThan(before) }, take: limit });
    if (old.length === 0) return 0;
    await this.events.delete({ id: In(old.map((event) => event.id)) });
    return old.length;
  }
}
