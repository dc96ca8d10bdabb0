import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { BrowserSession } from '../support/session';
import { seedRestaurant, TEST_PASSWORD, uniqueEmail, type SeededRestaurant } from './restaurant.factory';

export interface Shop {
  cafe: SeededRestaurant;
  owner: BrowserSession;
  staff: BrowserSession;
  latte: { id: string; groups: { id: string; options: { id: string; name: string }[] }[] };
  cookie: { id: string };
  tableId: string;
}

export const idempotencyKey = (): string => `key-${randomBytes(8).toString('hex')}`;

/** A restaurant with a latte (milk: optional one of two; size: exactly one), a cookie and a table. */
export async function seedShop(
  app: INestApplication,
  server: Server,
  overrides: Parameters<typeof seedRestaurant>[1] = {},
): Promise<Shop> {
  const cafe = await seedRestaurant(app, overrides);
  const owner = await BrowserSession.login(server, cafe.owner.email, TEST_PASSWORD);
  const staffEmail = uniqueEmail('staff');
  await owner
    .post('/api/v1/users', { email: staffEmail, name: 'Sam', role: 'staff', password: TEST_PASSWORD })
    .expect(201);
  const staff = await BrowserSession.login(server, staffEmail, TEST_PASSWORD);
  const categoryId = (await owner.post('/api/v1/menu/categories', { name: 'All' }).expect(201)).body.id as string;
  const latte = await owner
    .post('/api/v1/menu/items', {
      categoryId,
      name: 'Latte',
      price: 450,
      taxRateBps: 1900,
      modifierGroups: [
        {
          name: 'Milk',
          minSelect: 0,
          maxSelect: 1,
          options: [
            { name: 'Oat', priceDelta: 60 },
            { name: 'Almond', priceDelta: 70 },
          ],
        },
        {
          name: 'Size',
          minSelect: 1,
          maxSelect: 1,
          options: [
            { name: 'Small', priceDelta: 0 },
            { name: 'Large', priceDelta: 100 },
          ],
        },
      ],
    })
    .expect(201);
  const cookie = await owner
    .post('/api/v1/menu/items', { categoryId, name: 'Cookie', price: 250, taxRateBps: 500 })
    .expect(201);
  const table = await owner.post('/api/v1/tables', { label: 'T1' }).expect(201);
  return {
    cafe,
    owner,
    staff,
    latte: { id: latte.body.id, groups: latte.body.modifierGroups },
    cookie: { id: cookie.body.id },
    tableId: table.body.id,
  };
}

/** POST /orders from a browser session, with a fresh Idempotency-Key unless one (or null: none) is given. */
export const place = (session: BrowserSession, body: object, withKey: string | null = idempotencyKey()) => {
  const req = session.write('post', '/api/v1/orders');
  return (withKey === null ? req : req.set('Idempotency-Key', withKey)).send(body);
};

export function takeaway(s: Shop, extra: object = {}) {
  const [milk, size] = s.latte.groups;
  return {
    type: 'takeaway',
    customerName: 'Ana',
    items: [
      {
        menuItemId: s.latte.id,
        quantity: 2,
        modifierOptionIds: [milk.options[0].id, size.options[1].id],
        notes: 'extra hot',
      },
      { menuItemId: s.cookie.id, quantity: 1 },
    ],
    ...extra,
  };
}
