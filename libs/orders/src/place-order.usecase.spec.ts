import { EventEmitter2 } from '@nestjs/event-emitter';
import { AppError, SystemClock } from '@coffee/common';
import type { TransactionRunner } from '@coffee/database';
import type { IdempotencyKeyRepository } from '@coffee/idempotency';
import type { MenuItemsService } from '@coffee/menu';
import { MetricsService } from '@coffee/metrics';
import type { TablesService } from '@coffee/tables';
import type {
  IntegrationEvents,
  PlanLimits,
  RestaurantRepository,
  TenantPrincipal,
  UsageCounters,
} from '@coffee/tenancy';
import type { OrderRepository } from './order.repository';
import { PlaceOrderUseCase } from './place-order.usecase';

const principal = { restaurantId: 'r-1', userId: 'u-1', apiKeyId: null, role: 'staff' } as unknown as TenantPrincipal;
const dto = { type: 'takeaway' as const, items: [{ menuItemId: 'i-1', quantity: 1 }] };

function lockError(code: string): Error {
  return Object.assign(new Error(code), { driverError: { code } });
}

function useCase(run: jest.Mock) {
  const metrics = new MetricsService();
  const events = new EventEmitter2();
  const emitted: unknown[] = [];
  events.on('order.created', (event) => emitted.push(event));
  const placeOrder = new PlaceOrderUseCase(
    { run } as unknown as TransactionRunner,
    {} as OrderRepository,
    {} as IdempotencyKeyRepository,
    {} as MenuItemsService,
    {} as TablesService,
    { timeZoneOf: () => Promise.resolve('UTC') } as unknown as RestaurantRepository,
    events,
    {} as PlanLimits,
    {} as UsageCounters,
    {} as IntegrationEvents,
    new SystemClock(),
    metrics,
  );
  return { placeOrder, metrics, emitted };
}

async function counterValue(metrics: MetricsService, name: string): Promise<number> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  return (metric?.values ?? []).reduce((sum, value) => sum + value.value, 0);
}

describe('PlaceOrderUseCase lock conflicts', () => {
  it('retries a deadlock or lock wait timeout, then answers with the placed order', async () => {
    const order = { id: 'o-1', type: 'takeaway', status: 'pending' };
    const run = jest
      .fn()
      .mockRejectedValueOnce(lockError('ER_LOCK_DEADLOCK'))
      .mockRejectedValueOnce(lockError('ER_LOCK_WAIT_TIMEOUT'))
      .mockResolvedValueOnce({ order, replayed: false });
    const { placeOrder, metrics, emitted } = useCase(run);

    await expect(placeOrder.execute(principal, 'key-12345678', dto)).resolves.toEqual({ order, replayed: false });
    expect(run).toHaveBeenCalledTimes(3);
    expect(await counterValue(metrics, 'order_placement_retries_total')).toBe(2);
    expect(await counterValue(metrics, 'orders_created_total')).toBe(1);
    expect(emitted).toHaveLength(1);
  });

  it('gives up after a bounded number of attempts with 503, never 500, and reports no order', async () => {
    const run = jest.fn().mockRejectedValue(lockError('ER_LOCK_DEADLOCK'));
    const { placeOrder, metrics, emitted } = useCase(run);

    const failure = await placeOrder.execute(principal, 'key-12345678', dto).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).status).toBe(503);
    expect(run).toHaveBeenCalledTimes(4);
    expect(await counterValue(metrics, 'orders_created_total')).toBe(0);
    expect(emitted).toEqual([]);
  });

  it('does not retry other failures', async () => {
    const run = jest.fn().mockRejectedValue(lockError('ER_DUP_ENTRY'));
    const { placeOrder } = useCase(run);

    await expect(placeOrder.execute(principal, 'key-12345678', dto)).rejects.toThrow('ER_DUP_ENTRY');
    expect(run).toHaveBeenCalledTimes(1);
  });
});
