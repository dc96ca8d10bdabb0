// npm run seed:load -- --orders 1000000 [--days 365] [--items 60]
// Fills MariaDB (DATABASE_URL) with one restaurant and many paid orders, with
// multi-row INSERTs, for the benchmarks, and the sales rollups those payments
// would have maintained (the restaurant is in UTC: business date and hour are
// the UTC ones). Prints the restaurant's slug and the owner's credentials.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { hash } from '@node-rs/argon2';
import { v7 as uuidv7 } from 'uuid';
import { fillMonthlyRollupsSql } from '../dist/libs/database/src/migrations/1764550000000-create-monthly-sales-rollups.js';
import { connectMysql } from './bench/lib.mjs';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '100000' },
    days: { type: 'string', default: '365' },
    // A café's menu: 60 items in 6 categories by default.
    items: { type: 'string', default: '60' },
  },
});
const ORDERS = Number(values.orders);
const DAYS = Number(values.days);
const ITEMS = Number(values.items);
const BATCH = 2000;

const db = await connectMysql('seed:load');

const slug = `load-${randomBytes(4).toString('hex')}`;
const owner = { email: `${slug}@load.test`, password: 'load-Owner-password-1' };
const restaurantId = uuidv7();
await db.query('INSERT INTO restaurants (id, name, slug, currency, timezone, status) VALUES (?,?,?,?,?,?)', [
  restaurantId,
  'Load Café',
  slug,
  'USD',
  'UTC',
  'active',
]);
await db.query(
  "INSERT INTO subscriptions (id, restaurant_id, plan_code, status, current_period_start, current_period_end) VALUES (?,?,'enterprise','active',?,?)",
  [uuidv7(), restaurantId, new Date(), new Date(Date.now() + 30 * 86_400_000)],
);
await db.query(
  'INSERT INTO users (id, restaurant_id, email, name, role, password_hash, is_active) VALUES (?,?,?,?,?,?,1)',
  [
    uuidv7(),
    restaurantId,
    owner.email,
    'Load Owner',
    'owner',
    await hash(owner.password, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 }),
  ],
);
const categories = Array.from({ length: Math.max(1, Math.ceil(ITEMS / 10)) }, (_, i) => ({
  id: uuidv7(),
  name: `Category ${i}`,
}));
await db.query(
  'INSERT INTO menu_categories (id, restaurant_id, name, description, position, is_active, alive) VALUES ?',
  [categories.map((category, i) => [category.id, restaurantId, category.name, '', i, 1, 1])],
);
const items = Array.from({ length: ITEMS }, (_, i) => ({
  id: uuidv7(),
  categoryId: categories[i % categories.length].id,
  name: `Item ${i}`,
  price: 200 + (i % 20) * 50,
}));
await db.query(
  'INSERT INTO menu_items (id, restaurant_id, category_id, name, description, price, tax_rate_bps, is_available, position, version, alive) VALUES ?',
  [items.map((item, i) => [item.id, restaurantId, item.categoryId, item.name, '', item.price, 1000, 1, i, 1, 1])],
);

const start = Date.now() - DAYS * 86_400_000;
const step = (DAYS * 86_400_000) / ORDERS;
const perDay = new Map();
// Rollups as the payments would have left them: `day|hour` and `day|item` sums.
const hourly = new Map();
const dailyItems = new Map();
const began = Date.now();
for (let done = 0; done < ORDERS; done += BATCH) {
  const orders = [];
  const lines = [];
  for (let i = done; i < Math.min(done + BATCH, ORDERS); i++) {
    const at = new Date(start + i * step);
    const day = at.toISOString().slice(0, 10);
    const number = (perDay.get(day) ?? 0) + 1;
    perDay.set(day, number);
    const item = items[i % items.length];
    const quantity = (i % 3) + 1;
    const lineTotal = item.price * quantity;
    const tax = Math.floor((lineTotal * 1000 + 5000) / 10000);
    const id = uuidv7();
    orders.push([
      id,
      restaurantId,
      number,
      day,
      'takeaway',
      'paid',
      lineTotal,
      tax,
      0,
      0,
      lineTotal + tax,
      'card',
      2,
      at,
      at,
      at,
    ]);
    lines.push([
      uuidv7(),
      restaurantId,
      id,
      item.id,
      item.categoryId,
      item.name,
      item.price,
      quantity,
      lineTotal,
      tax,
      '[]',
      0,
      at,
      at,
    ]);
    const hourKey = `${day}|${at.getUTCHours()}`;
    const hour = hourly.get(hourKey) ?? { orders: 0, revenue: 0, tax: 0 };
    hour.orders += 1;
    hour.revenue += lineTotal;
    hour.tax += tax;
    hourly.set(hourKey, hour);
    const itemKey = `${day}|${item.id}`;
    const sold = dailyItems.get(itemKey) ?? { item, quantity: 0, revenue: 0 };
    sold.quantity += quantity;
    sold.revenue += lineTotal;
    dailyItems.set(itemKey, sold);
  }
  await db.query(
    'INSERT INTO orders (id, restaurant_id, number, business_date, type, status, subtotal, tax, discount, tip, total, payment_method, version, paid_at, created_at, updated_at) VALUES ?',
    [orders],
  );
  await db.query(
    'INSERT INTO order_lines (id, restaurant_id, order_id, menu_item_id, category_id, name, unit_price, quantity, line_total, tax, modifiers, position, created_at, updated_at) VALUES ?',
    [lines],
  );
  if ((done / BATCH) % 50 === 0) process.stderr.write(`\r${done + orders.length} orders`);
}
await db.query('INSERT INTO order_counters (restaurant_id, business_date, last_number) VALUES ?', [
  [...perDay].map(([day, n]) => [restaurantId, day, n]),
]);
const hourRows = [...hourly].map(([key, sum]) => {
  const [day, hour] = key.split('|');
  return [restaurantId, day, Number(hour), sum.orders, sum.revenue, sum.tax, 0];
});
for (let i = 0; i < hourRows.length; i += BATCH) {
  await db.query(
    'INSERT INTO sales_hourly (restaurant_id, business_date, hour, order_count, revenue, tax, tips) VALUES ?',
    [hourRows.slice(i, i + BATCH)],
  );
}
const itemRows = [...dailyItems].map(([key, sum]) => [
  restaurantId,
  key.split('|')[0],
  sum.item.id,
  sum.item.categoryId,
  sum.item.name,
  sum.quantity,
  sum.revenue,
]);
for (let i = 0; i < itemRows.length; i += BATCH) {
  await db.query(
    'INSERT INTO sales_daily_items (restaurant_id, business_date, menu_item_id, category_id, name, quantity, revenue) VALUES ?',
    [itemRows.slice(i, i + BATCH)],
  );
}
// The monthly rows, summed from the daily ones as the migration that created them does.
for (const sql of fillMonthlyRollupsSql('WHERE restaurant_id = ?')) await db.query(sql, [restaurantId]);
await db.end();
const seconds = (Date.now() - began) / 1000;
console.error(`\r${ORDERS} orders in ${seconds.toFixed(1)} s (${Math.round(ORDERS / seconds)}/s)`);
console.log(JSON.stringify({ restaurantId, slug, email: owner.email, password: owner.password }));
