import type { FieldError } from '@coffee/common';
import {
  orderTotals,
  orderTotalsError,
  lineTotalError,
  priceLine,
  type LineAmounts,
  type OrderTotals,
} from './pricing';

/** What a client asks for in one line. */
export interface LineRequest {
  menuItemId: string;
  quantity: number;
  modifierOptionIds?: string[];
}

/** The current menu entry a line refers to, as far as pricing needs it. */
export interface MenuEntry {
  /** `categoryId` is copied onto the line, so sales reports can group by category without joining the menu. */
  item: {
    id: string;
    name: string;
    price: number;
    taxRateBps: number;
    isAvailable: boolean;
    categoryId?: string | null;
  };
  groups: {
    group: { name: string; minSelect: number; maxSelect: number };
    options: { id: string; name: string; priceDelta: number; isAvailable: boolean }[];
  }[];
}

export interface ModifierSnapshot {
  optionId: string;
  name: string;
  priceDelta: number;
}

/** A line as ordered: the item's name and price and the chosen options, snapshotted, with its amounts. */
export interface PricedOrderLine extends LineAmounts {
  menuItemId: string;
  categoryId: string | null;
  name: string;
  unitPrice: number;
  quantity: number;
  modifiers: ModifierSnapshot[];
}

export type Priced<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/**
 * Prices one line from the menu and checks it: the item exists and is
 * available, every option belongs to the item and is available, each group's
 * min/max holds, and the line total is within 0…10^12. Errors name the field
 * (`items[2].menuItemId`, `items[2].modifierOptionIds`).
 */
export function priceOrderLine(
  index: number,
  line: LineRequest,
  entry: MenuEntry | undefined,
): Priced<PricedOrderLine> {
  const field = `items[${index}]`;
  if (!entry)
    return {
      ok: false,
      errors: [{ field: `${field}.menuItemId`, message: 'menuItemId does not name an item of this menu' }],
    };
  const errors: FieldError[] = [];
  const { item } = entry;
  if (!item.isAvailable) errors.push({ field: `${field}.menuItemId`, message: `${item.name} is not available` });
  const chosen = new Set(line.modifierOptionIds ?? []);
  const modifiers: ModifierSnapshot[] = [];
  for (const { group, options } of entry.groups) {
    const picked = options.filter((option) => chosen.has(option.id));
    for (const option of picked) {
      chosen.delete(option.id);
      if (!option.isAvailable)
        errors.push({ field: `${field}.modifierOptionIds`, message: `${option.name} is not available` });
      modifiers.push({ optionId: option.id, name: option.name, priceDelta: option.priceDelta });
    }
    if (picked.length < group.minSelect || picked.length > group.maxSelect) {
      const count = group.minSelect === group.maxSelect ? group.minSelect : `${group.minSelect} to ${group.maxSelect}`;
      errors.push({ field: `${field}.modifierOptionIds`, message: `${group.name}: choose ${count} option(s)` });
    }
  }
  if (chosen.size > 0)
    errors.push({
      field: `${field}.modifierOptionIds`,
      message: 'modifierOptionIds contains options that do not belong to this item',
    });
  const amounts = priceLine({ unitPrice: item.price, quantity: line.quantity, modifiers, taxRateBps: item.taxRateBps });
  const rangeError = lineTotalError(field, amounts.lineTotal);
  if (rangeError) errors.push(rangeError);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      menuItemId: item.id,
      categoryId: item.categoryId ?? null,
      name: item.name,
      unitPrice: item.price,
      quantity: line.quantity,
      modifiers,
      ...amounts,
    },
  };
}

/**
 * Prices a whole order: every line (all errors at once), then the totals,
 * which must stay within 0…10^12 too (the error names `items`).
 */
export function priceOrder(
  lines: readonly LineRequest[],
  menu: ReadonlyMap<string, MenuEntry>,
): Priced<{ lines: PricedOrderLine[]; totals: OrderTotals }> {
  const errors: FieldError[] = [];
  const priced: PricedOrderLine[] = [];
  lines.forEach((line, index) => {
    const result = priceOrderLine(index, line, menu.get(line.menuItemId));
    if (result.ok) priced.push(result.value);
    else errors.push(...result.errors);
  });
  if (errors.length > 0) return { ok: false, errors };
  const totals = orderTotals(priced);
  const totalsError = orderTotalsError(totals, 'items');
  if (totalsError) return { ok: false, errors: [totalsError] };
  return { ok: true, value: { lines: priced, totals } };
}
