/** Request examples for the OpenAPI document (ids are placeholders for the caller's own). */
export const PLACE_ORDER_EXAMPLES = {
  takeaway: {
    summary: 'A takeaway order: a large oat latte and a croissant',
    value: {
      type: 'takeaway',
      customerName: 'Ana',
      items: [
        {
          menuItemId: '0195f0c2-6d1e-7a3b-9c4d-5e6f7a8b9c0d',
          quantity: 1,
          modifierOptionIds: ['0195f0c2-6d1e-7a3b-9c4d-5e6f7a8b9c11', '0195f0c2-6d1e-7a3b-9c4d-5e6f7a8b9c12'],
        },
        { menuItemId: '0195f0c2-6d1e-7a3b-9c4d-5e6f7a8b9c20', quantity: 2, notes: 'warmed' },
      ],
    },
  },
  dineIn: {
    summary: 'A dine-in order at a table',
    value: {
      type: 'dine_in',
      tableId: '0195f0c2-6d1e-7a3b-9c4d-5e6f7a8b9c30',
      items: [{ menuItemId: '0195f0c2-6d1e-7a3b-9c4d-5e6f7a8b9c0d', quantity: 2 }],
    },
  },
};

export const CHANGE_STATUS_EXAMPLES = {
  advance: { summary: 'Start preparing', value: { status: 'preparing', version: 1 } },
  pay: { summary: 'Paid by card with a tip', value: { status: 'paid', paymentMethod: 'card', tip: 100, version: 3 } },
  cancel: { summary: 'Cancel (manager or owner)', value: { status: 'cancelled', reason: 'Customer left' } },
};
