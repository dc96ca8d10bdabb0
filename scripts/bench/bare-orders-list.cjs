// The baseline for orders-list: a bare Fastify route that checks an HS256 JWT
// (issuer, audience, expiry) and runs the same three queries as the API's first
// page of GET /orders (page, its lines, the total from the daily counters) with
// mysql2: no framework, guards, validation, session check or response mapping.
const fastify = require('fastify')();
const jwt = require('jsonwebtoken');
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
const verifyOptions = { algorithms: ['HS256'], issuer: 'coffee-admin', audience: 'coffee-admin-api' };

fastify.get('/ready', async () => ({ ok: true }));
fastify.get('/orders', async (request, reply) => {
  let claims;
  try {
    claims = jwt.verify(
      (request.headers.authorization ?? '').slice('Bearer '.length),
      process.env.JWT_SECRET,
      verifyOptions,
    );
  } catch {
    return reply.code(401).send({ code: 'UNAUTHENTICATED' });
  }
  const restaurantId = claims.rid;
  const limit = Math.min(Number(request.query.limit ?? 20), 100);
  const [orders] = await pool.query(
    'SELECT * FROM orders WHERE restaurant_id = ? ORDER BY created_at DESC, id DESC LIMIT ?',
    [restaurantId, limit + 1],
  );
  const page = orders.slice(0, limit);
  const [lines] = page.length
    ? await pool.query(
        'SELECT * FROM order_lines WHERE restaurant_id = ? AND order_id IN (?) ORDER BY order_id, position',
        [restaurantId, page.map((order) => order.id)],
      )
    : [[]];
  const [[{ total }]] = await pool.query(
    'SELECT COALESCE(SUM(last_number), 0) AS total FROM order_counters WHERE restaurant_id = ?',
    [restaurantId],
  );
  const byOrder = new Map(page.map((order) => [order.id, []]));
  for (const line of lines) byOrder.get(line.order_id)?.push(line);
  return {
    items: page.map((order) => ({ ...order, items: byOrder.get(order.id) })),
    meta: { limit, offset: 0, total: Number(total), hasMore: orders.length > limit, nextCursor: null },
  };
});

fastify.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
process.on(
  'SIGTERM',
  () =>
    void fastify
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0)),
);
