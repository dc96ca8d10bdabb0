import type { BackfillSalesRollupsUseCase, RebuildSalesRollupsUseCase } from '@coffee/orders';
import type { DailyReportGenerator } from './daily-report.generator';
import { DailyReportHandler, RebuildRollupsHandler } from './report-jobs.handlers';

const RESTAURANT = '0b7c6f7e-2d1a-4c3b-9e8f-1a2b3c4d5e6f';

describe('report job handlers: payload checks', () => {
  it('reports.daily refuses a date that is not a calendar date, or no restaurant id, before generating anything', async () => {
    const generate = jest.fn().mockResolvedValue({ date: '2026-03-10', orders: 0, revenue: 0 });
    const handler = new DailyReportHandler({ generate } as unknown as DailyReportGenerator);
    const cases: [unknown, unknown, string][] = [
      [RESTAURANT, '2026-02-30', 'reports.daily: "date" is not a date written YYYY-MM-DD: 2026-02-30'],
      [RESTAURANT, '2026-03-10T00:00:00.000Z', '"date" is not a date written YYYY-MM-DD: 2026-03-10T00:00:00.000Z'],
      [RESTAURANT, undefined, '"date" is not a date written YYYY-MM-DD: undefined'],
      ['acme', '2026-03-10', 'reports.daily: "restaurantId" is not a restaurant id: acme'],
      [undefined, '2026-03-10', '"restaurantId" is not a restaurant id: undefined'],
    ];
    for (const [restaurantId, date, message] of cases) {
      await expect(handler.handle({ restaurantId, date } as never)).rejects.toThrow(message);
    }
    expect(generate).not.toHaveBeenCalled();
    await expect(handler.handle({ restaurantId: RESTAURANT, date: '2026-03-10' })).resolves.toMatchObject({
      date: '2026-03-10',
    });
    expect(generate).toHaveBeenCalledWith(RESTAURANT, '2026-03-10');
  });

  it('reports.rebuild-rollups refuses bad dates and a reversed range', async () => {
    const run = jest.fn().mockResolvedValue({ days: 1, orders: 0 });
    const backfill = jest.fn();
    const handler = new RebuildRollupsHandler(
      { run } as unknown as RebuildSalesRollupsUseCase,
      { run: backfill } as unknown as BackfillSalesRollupsUseCase,
    );
    await expect(handler.handle({ restaurantId: RESTAURANT, from: '2026-03-10', to: '10/03/2026' })).rejects.toThrow(
      'reports.rebuild-rollups: "to" is not a date written YYYY-MM-DD: 10/03/2026',
    );
    await expect(handler.handle({ restaurantId: RESTAURANT, from: '2026-03-11', to: '2026-03-10' })).rejects.toThrow(
      'reports.rebuild-rollups: "from" 2026-03-11 is after "to" 2026-03-10',
    );
    expect(run).not.toHaveBeenCalled();
    await handler.handle({ restaurantId: RESTAURANT, from: '2026-03-10', to: '2026-03-10' });
    expect(run).toHaveBeenCalledWith(RESTAURANT, '2026-03-10', '2026-03-10');
    expect(backfill).not.toHaveBeenCalled();
  });
});
