import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { AppError } from '../errors/app-error';
import { createValidationPipe } from './validation';

class Line {
  @IsString()
  menuItemId!: string;

  @IsInt()
  @Min(1)
  quantity!: number;
}

class Order {
  @ValidateNested({ each: true })
  @Type(() => Line)
  items!: Line[];

  @IsString()
  notes!: string;
}

describe('createValidationPipe', () => {
  const pipe = createValidationPipe();
  const metadata = { type: 'body' as const, metatype: Order };

  it('answers 422 naming nested fields with their array index', async () => {
    const error = (await pipe
      .transform(
        {
          items: [
            { menuItemId: 'a', quantity: 1 },
            { menuItemId: 'b', quantity: 0 },
          ],
          notes: 3,
        },
        metadata,
      )
      .catch((e: unknown) => e)) as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.status).toBe(422);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.errors).toEqual([
      { field: 'items[1].quantity', message: 'quantity must not be less than 1' },
      { field: 'notes', message: 'notes must be a string' },
    ]);
  });

  it('refuses properties the DTO does not declare, at any depth', async () => {
    const error = (await pipe
      .transform({ items: [{ menuItemId: 'a', quantity: 1, price: 1 }], notes: '', restaurantId: 'x' }, metadata)
      .catch((e: unknown) => e)) as AppError;
    expect(error.errors?.map((e) => e.field).sort()).toEqual(['items[0].price', 'restaurantId']);
  });

  it('returns an instance of the DTO when valid', async () => {
    const value = (await pipe.transform({ items: [{ menuItemId: 'a', quantity: 2 }], notes: '' }, metadata)) as Order;
    expect(value).toBeInstanceOf(Order);
    expect(value.items[0]).toBeInstanceOf(Line);
  });
});
