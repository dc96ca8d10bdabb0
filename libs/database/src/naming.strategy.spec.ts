import { SnakeNamingStrategy } from './naming.strategy';

describe('SnakeNamingStrategy', () => {
  const naming = new SnakeNamingStrategy();

  it('maps camelCase names to snake_case', () => {
    expect(naming.tableName('IdempotencyKey', undefined)).toBe('idempotency_key');
    expect(naming.tableName('IdempotencyKey', 'idempotency_keys')).toBe('idempotency_keys');
    expect(naming.columnName('restaurantId', undefined, [])).toBe('restaurant_id');
    expect(naming.columnName('taxRateBps', undefined, [])).toBe('tax_rate_bps');
    expect(naming.columnName('key', 'idem_key', [])).toBe('idem_key');
    expect(naming.columnName('amount', undefined, ['totalMoney'])).toBe('total_money_amount');
    expect(naming.relationName('menuItem')).toBe('menu_item');
    expect(naming.joinColumnName('menuItem', 'id')).toBe('menu_item_id');
    expect(naming.joinTableColumnName('orderLines', 'id')).toBe('order_lines_id');
  });
});
