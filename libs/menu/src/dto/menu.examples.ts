/** Request examples for the OpenAPI document (ids are placeholders for the caller's own). */
export const CREATE_ITEM_EXAMPLES = {
  withModifiers: {
    summary: 'A latte with a milk choice and a size',
    value: {
      categoryId: '0195f0c2-6d1e-7a3b-9c4d-5e6f7a8b9c01',
      name: 'Latte',
      description: 'Double shot, steamed milk',
      price: 450,
      taxRateBps: 1900,
      sku: 'LAT-01',
      modifierGroups: [
        {
          name: 'Milk',
          minSelect: 0,
          maxSelect: 1,
          options: [
            { name: 'Oat', priceDelta: 60 },
            { name: 'Almond', priceDelta: 60 },
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
    },
  },
  plain: {
    summary: 'A plain item',
    value: { categoryId: '0195f0c2-6d1e-7a3b-9c4d-5e6f7a8b9c01', name: 'Croissant', price: 300 },
  },
};
