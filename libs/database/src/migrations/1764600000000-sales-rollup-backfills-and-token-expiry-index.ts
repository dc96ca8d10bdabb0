import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { isMysql, timestampColumns } from './columns';

/** Pending backfills inserted per statement. */
const INSERT_BATCH = 500;

/**
 * - `sales_rollup_backfills`: the sales rollups of history paid before the
 *   rollups existed, for the application to rebuild on its own. Migration
 *   1764500000000 created the rollups empty and payments fill them only from
 *   then on, so an upgraded database showed no sales before it until an
 *   operator rebuilt each restaurant by hand. This records, per restaurant
 *   with paid orders, a range of local business dates holding all of them;
 *   the worker (the API in embedded mode) rebuilds each range through
 *   `reports.rebuild-rollups` and deletes the row once it is done (libs/orders
 *   `BackfillSalesRollupsUseCase`, libs/reports `BackfillRollupsHandler`). It
 *   is safe whether the rollups are empty, partly live or already rebuilt: a
 *   rebuild recomputes each day from the orders.
 * - `ix_refresh_tokens_expires_at`: the hourly purge deletes by expiry.
 */
export class SalesRollupBackfillsAndTokenExpiryIndex1764600000000 implements MigrationInterface {
  name = 'SalesRollupBackfillsAndTokenExpiryIndex1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'sales_rollup_backfills',
        columns: [
          { name: 'restaurant_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'from_date', type: 'varchar', length: '10' },
          { name: 'to_date', type: 'varchar', length: '10' },
          { name: 'restarts', type: 'int', default: 0 },
          timestampColumns(queryRunner)[0],
        ],
      }),
    );
    for (const rows of chunks(await paidDateRanges(queryRunner), INSERT_BATCH)) {
      await queryRunner.query(
        `INSERT INTO sales_rollup_backfills (restaurant_id, from_date, to_date) VALUES ${rows.map(() => '(?, ?, ?)').join(', ')}`,
        rows.flatMap((row) => [row.restaurant_id, row.from_date, row.to_date]),
      );
    }
    await queryRunner.createIndex(
      'refresh_tokens',
      new TableIndex({ name: 'ix_refresh_tokens_expires_at', columnNames: ['expires_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('refresh_tokens', 'ix_refresh_tokens_expires_at');
    await queryRunner.dropTable('sales_rollup_backfills');
  }
}

interface PaidDateRange {
  restaurant_id: string;
  from_date: string;
  to_date: string;
}

/**
 * Per restaurant, the UTC dates of its first and last payment widened by a day
 * each way: UTC offsets lie within −12 h…+14 h, so a payment's local business
 * date is its UTC date or a neighbour, whatever the restaurant's time zone
 * (CONVERT_TZ would need MariaDB's time zone tables, often not loaded). The
 * rebuild keeps only what falls on each local date; the two extra days cost
 * two empty day transactions. A plain SELECT, not INSERT … SELECT: under
 * REPEATABLE READ the latter takes shared locks on every paid order it reads,
 * stalling pods of the previous release that are still taking payments.
 */
async function paidDateRanges(queryRunner: QueryRunner): Promise<PaidDateRange[]> {
  const [from, to] = isMysql(queryRunner)
    ? [
        "DATE_FORMAT(MIN(paid_at) - INTERVAL 1 DAY, '%Y-%m-%d')",
        "DATE_FORMAT(MAX(paid_at) + INTERVAL 1 DAY, '%Y-%m-%d')",
      ]
    : ["date(MIN(paid_at), '-1 day')", "date(MAX(paid_at), '+1 day')"];
  return (await queryRunner.query(
    `SELECT restaurant_id, ${from} AS from_date, ${to} AS to_date FROM orders ` +
      "WHERE status = 'paid' AND paid_at IS NOT NULL GROUP BY restaurant_id ORDER BY restaurant_id",
  )) as PaidDateRange[];
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
