import { IsBoolean, IsOptional, IsString } from 'class-validator';
import { AppError } from '../errors/app-error';
import { IsOmittable, ToBoolean, Trim, TrimLower } from './dto-decorators';
import { createValidationPipe } from './validation';

class Patch {
  @IsOmittable()
  @Trim()
  @IsString()
  name?: string;

  @IsOptional()
  @TrimLower()
  @IsString()
  email?: string | null;

  @IsOmittable()
  @ToBoolean()
  @IsBoolean()
  isActive?: boolean;
}

describe('DTO decorators', () => {
  const pipe = createValidationPipe();
  const metadata = { type: 'body' as const, metatype: Patch };
  const fields = async (body: object): Promise<string[]> => {
    const error = (await pipe.transform(body, metadata).catch((e: unknown) => e)) as AppError;
    return error instanceof AppError ? (error.errors ?? []).map((e) => e.field) : [];
  };

  it('trims, lower-cases and turns query booleans into booleans', async () => {
    const value = (await pipe.transform(
      { name: '  Ana ', email: ' A@B.Example ', isActive: 'false' },
      metadata,
    )) as Patch;
    expect(value).toMatchObject({ name: 'Ana', email: 'a@b.example', isActive: false });
  });

  it('refuses null for an omittable field but accepts its absence', async () => {
    await expect(fields({ name: null, isActive: null })).resolves.toEqual(['name', 'isActive']);
    await expect(fields({})).resolves.toEqual([]);
  });

  it('keeps null for an optional (clearable) field', async () => {
    await expect(fields({ email: null })).resolves.toEqual([]);
  });

  it('leaves other values to the type checks', async () => {
    await expect(fields({ name: 3, isActive: 'yes' })).resolves.toEqual(['name', 'isActive']);
  });
});
