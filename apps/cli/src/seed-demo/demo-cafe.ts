import type { ModifierGroupDto } from '@coffee/menu';
import type { OrderStatus, OrderType, PaymentMethod } from '@coffee/orders';

/** The demo café's slug; `--slug` picks another (tests use it so runs never share one). */
export const DEMO_SLUG = 'demo-cafe';

export const DEMO_RESTAURANT = {
  name: 'Demo Café',
  currency: 'USD',
  timezone: 'America/New_York',
  planCode: 'pro',
} as const;

/**
 * The demo accounts' emails: fixed and documented for the default slug
 * (owner@demo.coffee, staff@demo.coffee); another slug gets its own
 * (`owner+<slug>@demo.coffee`), since an email is unique across restaurants.
 */
export function demoEmails(slug: string): { owner: string; staff: string } {
  const tag = slug === DEMO_SLUG ? '' : `+${slug}`;
  return { owner: `owner${tag}@demo.coffee`, staff: `staff${tag}@demo.coffee` };
}

export const DEMO_PEOPLE = { owner: 'Olivia Owner', staff: 'Sam Staff' } as const;

const MILK: ModifierGroupDto = {
  name: 'Milk',
  minSelect: 0,
  maxSelect: 1,
  options: [
    { name: 'Oat', priceDelta: 60 },
    { name: 'Almond', priceDelta: 60 },
  ],
};

const SIZE: ModifierGroupDto = {
  name: 'Size',
  minSelect: 1,
  maxSelect: 1,
  options: [
    { name: 'Small', priceDelta: 0 },
    { name: 'Large', priceDelta: 100 },
  ],
};

/** New York City sales tax, in basis points, on every item. */
export const DEMO_TAX_BPS = 888;

export interface DemoItem {
  name: string;
  description: string;
  price: number;
  modifierGroups: ModifierGroupDto[];
}

export const DEMO_MENU: { category: string; items: DemoItem[] }[] = [
  {
    category: 'Coffee',
    items: [
      { name: 'Espresso', description: 'A double shot', price: 300, modifierGroups: [] },
      { name: 'Americano', description: 'Espresso and hot water', price: 350, modifierGroups: [SIZE] },
      { name: 'Flat white', description: 'Espresso, thin steamed milk', price: 450, modifierGroups: [MILK, SIZE] },
      { name: 'Cappuccino', description: 'Espresso, milk foam', price: 450, modifierGroups: [MILK, SIZE] },
      { name: 'Latte', description: 'Espresso, lots of steamed milk', price: 480, modifierGroups: [MILK, SIZE] },
    ],
  },
  {
    category: 'Tea & chocolate',
    items: [
      { name: 'Chai latte', description: 'Spiced black tea and milk', price: 480, modifierGroups: [MILK, SIZE] },
      { name: 'Hot chocolate', description: 'Dark chocolate and milk', price: 420, modifierGroups: [MILK, SIZE] },
      { name: 'English breakfast tea', description: 'A pot for one', price: 300, modifierGroups: [SIZE] },
    ],
  },
  {
    category: 'Bakery',
    items: [
      { name: 'Croissant', description: 'Butter croissant, baked this morning', price: 350, modifierGroups: [] },
      { name: 'Banana bread', description: 'A thick slice, toasted', price: 400, modifierGroups: [] },
      { name: 'Avocado toast', description: 'Sourdough, avocado, chili flakes', price: 950, modifierGroups: [] },
    ],
  },
];

export const DEMO_TABLES: { label: string; seats: number }[] = [
  { label: 'T1', seats: 2 },
  { label: 'T2', seats: 2 },
  { label: 'T3', seats: 4 },
  { label: 'T4', seats: 6 },
];

export interface DemoOrder {
  type: OrderType;
  /** A table label, for dine-in orders. */
  table?: string;
  customerName?: string;
  lines: { item: string; quantity: number; options?: string[]; notes?: string }[];
  /** The statuses it moves through after `pending`, in order. */
  then: OrderStatus[];
  payment?: { method: PaymentMethod; tip: number };
  /** Why it was cancelled (only an owner or manager cancels). */
  reason?: string;
}

/**
 * A day of trade, in the order it happened: the finished orders first, then
 * the ones still on the floor, so a sales dashboard and a kitchen screen
 * both have something to show.
 */
export const DEMO_ORDERS: DemoOrder[] = [
  {
    type: 'dine_in',
    table: 'T1',
    lines: [
      { item: 'Espresso', quantity: 2 },
      { item: 'Croissant', quantity: 1 },
    ],
    then: ['preparing', 'ready', 'served', 'paid'],
    payment: { method: 'cash', tip: 100 },
  },
  {
    type: 'dine_in',
    table: 'T2',
    lines: [
      { item: 'Latte', quantity: 2, options: ['Large'] },
      { item: 'Avocado toast', quantity: 1 },
    ],
    then: ['preparing', 'ready', 'served', 'paid'],
    payment: { method: 'card', tip: 300 },
  },
  {
    type: 'takeaway',
    customerName: 'Priya',
    lines: [
      { item: 'Flat white', quantity: 1, options: ['Small'] },
      { item: 'Banana bread', quantity: 1 },
    ],
    then: ['preparing', 'ready', 'paid'],
    payment: { method: 'card', tip: 150 },
  },
  {
    type: 'takeaway',
    customerName: 'Tom',
    lines: [{ item: 'Cappuccino', quantity: 1, options: ['Small'] }],
    then: ['preparing', 'cancelled'],
    reason: 'Customer left before it was ready',
  },
  {
    type: 'dine_in',
    table: 'T4',
    lines: [
      { item: 'Chai latte', quantity: 1, options: ['Small'] },
      { item: 'Hot chocolate', quantity: 1, options: ['Oat', 'Large'] },
    ],
    then: ['preparing', 'ready', 'served'],
  },
  {
    type: 'dine_in',
    table: 'T3',
    lines: [
      { item: 'Avocado toast', quantity: 2 },
      { item: 'Latte', quantity: 2, options: ['Oat', 'Large'] },
    ],
    then: ['preparing', 'ready'],
  },
  {
    type: 'dine_in',
    table: 'T2',
    lines: [
      { item: 'Cappuccino', quantity: 1, options: ['Large'], notes: 'Extra hot' },
      { item: 'Banana bread', quantity: 1 },
    ],
    then: ['preparing'],
  },
  {
    type: 'takeaway',
    customerName: 'Leo',
    lines: [{ item: 'Americano', quantity: 2, options: ['Small'] }],
    then: ['preparing'],
  },
  {
    type: 'dine_in',
    table: 'T1',
    lines: [{ item: 'Flat white', quantity: 2, options: ['Oat', 'Large'] }],
    then: [],
  },
  {
    type: 'takeaway',
    customerName: 'Maya',
    lines: [
      { item: 'Latte', quantity: 1, options: ['Almond', 'Small'] },
      { item: 'Croissant', quantity: 1 },
    ],
    then: [],
  },
];
