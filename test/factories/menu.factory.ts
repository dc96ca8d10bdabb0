import { randomUUID } from 'node:crypto';
import type { BrowserSession } from '../support/session';

export const MILK = {
  name: 'Milk',
  minSelect: 0,
  maxSelect: 1,
  options: [
    { name: 'Oat', priceDelta: 60 },
    { name: 'Almond', priceDelta: 60, isAvailable: false },
  ],
};
export const SIZE = {
  name: 'Size',
  minSelect: 1,
  maxSelect: 1,
  options: [
    { name: 'Small', priceDelta: 0 },
    { name: 'Large', priceDelta: 100 },
  ],
};

/** Creates a category through the API; returns its id. */
export async function category(session: BrowserSession, body: Record<string, unknown> = {}): Promise<string> {
  const res = await session
    .post('/api/v1/menu/categories', { name: `Cat ${randomUUID().slice(0, 8)}`, ...body })
    .expect(201);
  return res.body.id as string;
}

/** Creates an item through the API; returns the item as the API answers it. */
export async function item(session: BrowserSession, categoryId: string, body: Record<string, unknown> = {}) {
  const res = await session
    .post('/api/v1/menu/items', { categoryId, name: `Item ${randomUUID().slice(0, 8)}`, price: 450, ...body })
    .expect(201);
  return res.body as { id: string; version: number; modifierGroups: { id: string; options: { id: string }[] }[] };
}
