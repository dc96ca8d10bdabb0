import type { Connection } from 'mysql2/promise';

export interface OrderLineJson {
  id: string;
  unitPrice: number;
  quantity: number;
  lineTotal: number;
}
export interface OrderJson {
  id: string;
  number: number;
  items: OrderLineJson[];
  subtotal: number;
  tax: number;
  discount: number;
  tip: number;
  total: number;
}

/** What `takeaway(shop, cookies)` must cost: 2 large lattes (2 × 550, 19%) and `cookies` cookies (250 each, 5%). */
export function expectedTotals(cookies: number): { subtotal: number; tax: number; total: number } {
  const halfUp = (value: number): number => Math.floor(value + 0.5);
  const subtotal = 2 * 550 + 250 * cookies;
  const tax = halfUp((1100 * 1900) / 10_000) + halfUp((250 * cookies * 500) / 10_000);
  return { subtotal, tax, total: subtotal + tax };
}

/** One stored order with the sums of what hangs off it. */
export interface StoredOrder {
  number: number;
  subtotal: number;
  tax: number;
  discount: number;
  tip: number;
  total: number;
  lineCount: number;
  lineSum: number;
  lineTax: number;
  history: number;
}

export interface IdempotencyRow {
  idem_key: string;
  status: string;
  response_body: string | null;
}

/** A restaurant's orders, lines and idempotency keys, read in one consistent snapshot. */
export interface OrdersSnapshot {
  orders: Map<string, StoredOrder>;
  keys: Map<string, IdempotencyRow>;
  /** Order lines without their order (a half-written order). */
  orphanLines: number;
  linesOf(orderId: string): OrderLineJson[];
}

/**
 * Reads the database as it stands, in one REPEATABLE READ snapshot: a dead
 * connection's open transaction is rolled back and never visible; a COMMIT it
 * sent just before dying may still land, after the snapshot.
 */
export async function snapshotOrders(db: Connection, restaurantId: string): Promise<OrdersSnapshot> {
  await db.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
  await db.query('START TRANSACTION WITH CONSISTENT SNAPSHOT');
  try {
    const [orderRows] = await db.query(
      `SELECT o.id, o.number, o.subtotal, o.tax, o.discount, o.tip, o.total,
              (SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id) AS line_count,
              (SELECT COALESCE(SUM(l.line_total), 0) FROM order_lines l WHERE l.order_id = o.id) AS line_sum,
              (SELECT COALESCE(SUM(l.tax), 0) FROM order_lines l WHERE l.order_id = o.id) AS line_tax,
              (SELECT COUNT(*) FROM order_status_history h WHERE h.order_id = o.id) AS history
         FROM orders o WHERE o.restaurant_id = ?`,
      [restaurantId],
    );
    const orders = new Map(
      (orderRows as Record<string, string | number>[]).map((row) => [
        String(row.id),
        {
          number: Number(row.number),
          subtotal: Number(row.subtotal),
          tax: Number(row.tax),
          discount: Number(row.discount),
          tip: Number(row.tip),
          total: Number(row.total),
          lineCount: Number(row.line_count),
          lineSum: Number(row.line_sum),
          lineTax: Number(row.line_tax),
          history: Number(row.history),
        },
      ]),
    );
    const [orphanRows] = await db.query(
      `SELECT COUNT(*) AS n FROM order_lines l LEFT JOIN orders o ON o.id = l.order_id
        WHERE l.restaurant_id = ? AND o.id IS NULL`,
      [restaurantId],
    );
    const [keyRows] = await db.query(
      'SELECT idem_key, status, response_body FROM idempotency_keys WHERE restaurant_id = ?',
      [restaurantId],
    );
    const [lineRows] = await db.query(
      'SELECT id, order_id, unit_price, quantity, line_total FROM order_lines WHERE restaurant_id = ? ORDER BY position',
      [restaurantId],
    );
    const lines = lineRows as Record<string, string | number>[];
    return {
      orders,
      keys: new Map((keyRows as IdempotencyRow[]).map((row) => [row.idem_key, row])),
      orphanLines: Number((orphanRows as { n: number }[])[0]?.n),
      linesOf: (orderId) =>
        lines
          .filter((row) => row.order_id === orderId)
          .map((row) => ({
            id: String(row.id),
            unitPrice: Number(row.unit_price),
            quantity: Number(row.quantity),
            lineTotal: Number(row.line_total),
          })),
    };
  } finally {
    await db.query('COMMIT');
  }
}
