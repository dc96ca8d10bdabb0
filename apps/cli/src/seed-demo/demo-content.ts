import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { MenuCategoriesService, MenuItemsService, type ItemResponse } from '@coffee/menu';
import { ChangeOrderStatusUseCase, PlaceOrderUseCase, type ChangeStatusDto, type OrderStatus } from '@coffee/orders';
import { TablesService } from '@coffee/tables';
import type { TenantPrincipal } from '@coffee/tenancy';
import { DEMO_MENU, DEMO_ORDERS, DEMO_TABLES, DEMO_TAX_BPS, type DemoOrder } from './demo-cafe';

export interface DemoCounts {
  categories: number;
  items: number;
  tables: number;
  orders: Partial<Record<OrderStatus, number>>;
}

/** What the demo data names must exist: a typo there is a bug of demo-cafe.ts, not a user error. */
function named<T>(found: T | undefined, what: string): T {
  if (found === undefined) throw new Error(`demo data: no ${what}`);
  return found;
}

/**
 * The demo café's menu, tables and day of orders, written as its owner and
 * staff member through the services and use cases their requests reach.
 */
@Injectable()
export class DemoContent {
  constructor(
    private readonly categories: MenuCategoriesService,
    private readonly items: MenuItemsService,
    private readonly tables: TablesService,
    private readonly placeOrder: PlaceOrderUseCase,
    private readonly changeStatus: ChangeOrderStatusUseCase,
  ) {}

  async create(people: { owner: TenantPrincipal; staff: TenantPrincipal }): Promise<DemoCounts> {
    const menu = await this.createMenu(people.owner);
    const tables = await this.createTables(people.owner);
    const orders: Partial<Record<OrderStatus, number>> = {};
    for (const order of DEMO_ORDERS) {
      const status = await this.createOrder(people, order, menu, tables);
      orders[status] = (orders[status] ?? 0) + 1;
    }
    return { categories: DEMO_MENU.length, items: menu.size, tables: tables.size, orders };
  }

  private async createMenu(owner: TenantPrincipal): Promise<Map<string, ItemResponse>> {
    const items = new Map<string, ItemResponse>();
    for (const [position, section] of DEMO_MENU.entries()) {
      const category = await this.categories.create(owner, { name: section.category, position });
      for (const [itemPosition, item] of section.items.entries()) {
        const created = await this.items.create(owner, {
          ...item,
          categoryId: category.id,
          taxRateBps: DEMO_TAX_BPS,
          position: itemPosition,
        });
        items.set(item.name, created);
      }
    }
    return items;
  }

  private async createTables(owner: TenantPrincipal): Promise<Map<string, string>> {
    const tables = new Map<string, string>();
    for (const table of DEMO_TABLES) tables.set(table.label, (await this.tables.create(owner, table)).id);
    return tables;
  }

  /** Placed by the staff member and walked through its statuses; returns where it ends. */
  private async createOrder(
    people: { owner: TenantPrincipal; staff: TenantPrincipal },
    demo: DemoOrder,
    menu: Map<string, ItemResponse>,
    tables: Map<string, string>,
  ): Promise<OrderStatus> {
    const { order: placed } = await this.placeOrder.execute(people.staff, randomUUID(), {
      type: demo.type,
      ...(demo.table && { tableId: named(tables.get(demo.table), `table ${demo.table}`) }),
      ...(demo.customerName && { customerName: demo.customerName }),
      items: demo.lines.map((line) => {
        const item = named(menu.get(line.item), `item ${line.item}`);
        const options = item.modifierGroups.flatMap((group) => group.options);
        return {
          menuItemId: item.id,
          quantity: line.quantity,
          modifierOptionIds: (line.options ?? []).map((name) =>
            named(options.find((option) => option.name === name)?.id, `${name} option of ${item.name}`),
          ),
          ...(line.notes && { notes: line.notes }),
        };
      }),
    });
    let order = placed;
    for (const status of demo.then) {
      const change: ChangeStatusDto = { status, version: order.version };
      if (status === 'paid') {
        const payment = named(demo.payment, 'payment of a paid order');
        change.paymentMethod = payment.method;
        change.tip = payment.tip;
      }
      if (status === 'cancelled') change.reason = named(demo.reason, 'reason of a cancelled order');
      // Only owners and managers may cancel.
      order = await this.changeStatus.execute(status === 'cancelled' ? people.owner : people.staff, order.id, change);
    }
    return order.status;
  }
}
