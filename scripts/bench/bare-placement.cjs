// The baseline for orders-placement: a bare Fastify route that inserts the same
// rows as a placed order (idempotency key, counter, order, lines, history) in
// one transaction with mysql2, with no framework, validation or pricing rules.
const { randomUUID } = require('node:crypto');
const fastify = require('fastify')();
const mysql = require('mysql2/promise');

const url = new URL(process.env.DATABASE_URL);
const pool = mysql.createPool({
  host: url.hostname,
  port: Number(url.port || 3306),
  user: decodeURIComponent(url.username),
  password: decodeURIComponent(url.password),
  database: url.pathname.slice(1),
  connectionLimit: 10,
  timezone: 'Z',
});
// One or more restaurants: `[{ restaurantId, items }]`; a request names its own with `x-shop: <index>`.
const shops = JSON.parse(process.env.SHOPS);

fastify.get('/ready', async () => ({ ok: true }));
// Deadlocks (the day's first orders racing on the counter's insert) are retried as the API retries them.
fastify.post('/orders', async (request, reply) => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await place(request, reply);
    } catch (error) {
      if (error.code !== 'ER_LOCK_DEADLOCK' || attempt >= 4) throw error;
      // The API's pause between attempts (libs/database retryLockConflicts).
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
    }
  }
});

async function place(request, reply) {
  const { restaurantId, items } = shops[Number(request.headers['x-shop'] ?? 0)];
  const conn = await pool.getConnection();
  try {
    await conn.beginTransaction();
    const key = request.headers['idempotency-key'];
    const orderId = randomUUID();
    const now = new Date();
    const day = now.toISOString().slice(0, 10);
    await conn.query(
      'INSERT INTO idempotency_keys (id, restaurant_id, idem_key, request_hash, status, expires_at) VALUES (?,?,?,?,?,?)',
      [randomUUID(), restaurantId, key, 'x'.repeat(64), 'in_progress', new Date(Date.now() + 86400000)],
    );
    const [bumped] = await conn.query(
      'UPDATE order_counters SET last_number = last_number + 1 WHERE restaurant_id = ? AND business_date = ?',
      [restaurantId, day],
    );
    // The day's first order: an upsert, so a concurrent first order bumps instead of failing.
    if (bumped.affectedRows === 0)
      await conn.query(
        'INSERT INTO order_counters VALUES (?,?,1) ON DUPLICATE KEY UPDATE last_number = last_number + 1',
        [restaurantId, day],
      );
    const [[counter]] = await conn.query(
      'SELECT last_number FROM order_counters WHERE restaurant_id = ? AND business_date = ?',
      [restaurantId, day],
    );
    const lines = request.body.items.map((line, position) => {
      const item = items.find((candidate) => candidate.id === line.menuItemId);
      const lineTotal = item.price * line.quantity;
      return [
        randomUUID(),
        restaurantId,
        orderId,
        item.id,
        item.name,
        item.price,
        line.quantity,
        lineTotal,
        Math.floor((lineTotal * 1000 + 5000) / 10000),
        '[]',
        position,
      ];
    });
    const subtotal = lines.reduce((sum, line) => sum + line[7], 0);
    const tax = lines.reduce((sum, line) => sum + line[8], 0);
    await conn.query(
      'INSERT INTO orders (id, restaurant_id, number, business_date, type, status, subtotal, tax, discount, tip, total, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,0,0,?,1,?,?)',
      [orderId, restaurantId, counter.last_number, day, 'takeaway', 'pending', subtotal, tax, subtotal + tax, now, now],
    );
    await conn.query(
      'INSERT INTO order_lines (id, restaurant_id, order_id, menu_item_id, name, unit_price, quantity, line_total, tax, modifiers, position) VALUES ?',
      [lines],
    );
    await conn.query('INSERT INTO order_status_history (id, restaurant_id, order_id, to_status) VALUES (?,?,?,?)', [
      randomUUID(),
      restaurantId,
      orderId,
      'pending',
    ]);
    await conn.commit();
    reply.code(201);
    return { id: orderId, number: counter.last_number, subtotal, tax };
  } catch (error) {
    await conn.rollback();
    throw error;
  } finally {
    conn.release();
  }
}

fastify.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () =>
  fastify
    .close()
    .then(() => pool.end())
    .then(() => process.exit(0)),
);
