import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { MIGRATIONS } from '@coffee/database';
import { localDateAndHour } from '@coffee/orders';
import { FULL_MODE } from '../support/env';
import { useScratchDatabase } from '../support/scratch-database';

const NAME = 'SalesRollupBackfillsAndTokenExpiryIndex1764600000000';

/**
 * An upgrade from before the sales reports: the migration queues, for each
 * restaurant with paid orders, a backfill over dates surely holding every one
 * of its payments' local dates, in any time zone and without the database's
 * time zone tables; and it indexes refresh tokens by expiry.
 */
describe('migration 1764600000000: rollup backfills queued from the paid orders, token expiry indexed', () => {
  const { dataSource } = useScratchDatabase('backfill');

  it('records each restaurant’s first and last UTC payment dates widened by a day, and nothing else', async () => {
    const migration = MIGRATIONS.find((candidate) => candidate.name === NAME);
    if (!migration) throw new Error(`${NAME} is not registered`);
    // The schema as it stood just before this migration: later ones are not run.
    const db = dataSource(MIGRATIONS.slice(0, MIGRATIONS.indexOf(migration)));
    await db.initialize();
    try {
      await db.runMigrations({ transaction: 'each' });
      // Ids in a known order: the rows come back sorted by restaurant.
      const [early, late, unpaid] = ['1', '2', '3'].map((n) => `${n}${randomUUID().slice(1)}`);
      const payments: Record<string, string[]> = {
        // Just after UTC midnight and just before it: the local dates run from the 9th to the 21st.
        [early]: ['2026-03-10 00:30:00.000', '2026-03-15 12:00:00.000', '2026-03-20 23:30:00.000'],
        // One payment, at the turn of a month.
        [late]: ['2026-02-28 12:00:00.000'],
      };
      const orders: [string, string, string | null][] = [
        ...Object.entries(payments).flatMap(([restaurant, at]) =>
          at.map((paidAt): [string, string, string | null] => [restaurant, 'paid', paidAt]),
        ),
        // Never paid, earlier and later than the payments: outside the ranges.
        [early, 'cancelled', null],
        [late, 'served', null],
        [unpaid, 'pending', null],
        [unpaid, 'cancelled', null],
      ];
      // Only the orders matter here: foreign keys off (SQLite: for its single connection, outside a transaction).
      if (!FULL_MODE) await db.query('PRAGMA foreign_keys = OFF');
      await db.transaction(async (manager) => {
        if (FULL_MODE) await manager.query('SET FOREIGN_KEY_CHECKS = 0');
        for (const [number, [restaurant, status, paidAt]] of orders.entries()) {
          await manager.query(
            'INSERT INTO orders (id, restaurant_id, number, business_date, type, status, subtotal, tax, discount, tip, total, version, paid_at) ' +
              "VALUES (?, ?, ?, ?, 'takeaway', ?, 1000, 80, 0, 0, 1080, 1, ?)",
            [randomUUID(), restaurant, number + 1, (paidAt ?? '2026-01-01').slice(0, 10), status, paidAt],
          );
        }
      });
      if (!FULL_MODE) await db.query('PRAGMA foreign_keys = ON');

      const runner = db.createQueryRunner();
      try {
        await new migration().up(runner);
        const queued = (
          await runner.query(
            'SELECT restaurant_id, from_date, to_date, restarts FROM sales_rollup_backfills ORDER BY restaurant_id',
          )
        ).map((row: Record<string, unknown>) => ({ ...row, restarts: Number(row.restarts) }));
        expect(queued).toEqual([
          { restaurant_id: early, from_date: '2026-03-09', to_date: '2026-03-21', restarts: 0 },
          { restaurant_id: late, from_date: '2026-02-27', to_date: '2026-03-01', restarts: 0 },
        ]);
        // The zones furthest from UTC (−12 h, +14 h) put every payment inside its range.
        for (const { restaurant_id: restaurant, from_date: from, to_date: to } of queued as Record<string, string>[]) {
          for (const at of payments[restaurant]) {
            for (const zone of ['Etc/GMT+12', 'Pacific/Kiritimati']) {
              const { businessDate } = localDateAndHour(new Date(`${at.replace(' ', 'T')}Z`), zone);
              expect([at, zone, businessDate >= from && businessDate <= to]).toEqual([at, zone, true]);
            }
          }
        }

        const tokens = await runner.getTable('refresh_tokens');
        expect(tokens?.indices.find((index) => index.name === 'ix_refresh_tokens_expires_at')?.columnNames).toEqual([
          'expires_at',
        ]);

        await new migration().down(runner);
        expect(await runner.hasTable('sales_rollup_backfills')).toBe(false);
        expect(
          (await runner.getTable('refresh_tokens'))?.indices.some(
            (index) => index.name === 'ix_refresh_tokens_expires_at',
          ),
        ).toBe(false);
      } finally {
        await runner.release();
      }
    } finally {
      await db.destroy();
    }
  });
});
