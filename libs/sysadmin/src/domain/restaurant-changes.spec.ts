import { restaurantChange } from './restaurant-changes';

describe('restaurant changes from a console PATCH', () => {
  const current = { name: 'Café Central', status: 'active' as const };

  it('audits a rename with the old and new name', () => {
    expect(restaurantChange(current, { name: 'Café Norte' })).toEqual({
      patch: { name: 'Café Norte' },
      audits: [{ action: 'restaurant.updated', before: { name: 'Café Central' }, after: { name: 'Café Norte' } }],
    });
  });

  it('names a suspension and a reactivation', () => {
    expect(restaurantChange(current, { status: 'suspended' }).audits).toEqual([
      { action: 'restaurant.suspended', before: { status: 'active' }, after: { status: 'suspended' } },
    ]);
    expect(restaurantChange({ ...current, status: 'suspended' }, { status: 'active' }).audits).toEqual([
      { action: 'restaurant.reactivated', before: { status: 'suspended' }, after: { status: 'active' } },
    ]);
  });

  it('writes both, rename first, when both change', () => {
    const change = restaurantChange(current, { name: 'Norte', status: 'suspended' });
    expect(change.patch).toEqual({ name: 'Norte', status: 'suspended' });
    expect(change.audits.map((a) => a.action)).toEqual(['restaurant.updated', 'restaurant.suspended']);
  });

  it('changes nothing for an empty body or the current values', () => {
    expect(restaurantChange(current, {})).toEqual({ patch: {}, audits: [] });
    expect(restaurantChange(current, { name: 'Café Central', status: 'active' })).toEqual({ patch: {}, audits: [] });
  });
});
