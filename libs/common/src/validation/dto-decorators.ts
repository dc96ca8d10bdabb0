import { applyDecorators } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { IsObject, ValidateIf, ValidateNested } from 'class-validator';

/** Trims a string; other types pass through untouched, for the type check to refuse. */
export function Trim(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
}

/** Trims and lower-cases a string (emails, slugs). */
export function TrimLower(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value));
}

/** A query-string boolean: `true`/`false` become booleans; anything else is left for `@IsBoolean()` to refuse. */
export function ToBoolean(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));
}

/**
 * An optional field that may not be null: it is validated whenever it is
 * present, so `null` is refused (422) instead of reaching a NOT NULL column.
 * `@IsOptional()` skips `null` as well as `undefined`; keep it for fields whose
 * null means "clear".
 */
export function IsOmittable(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}

/**
 * A list of nested objects validated as `type`. Each entry must be an object:
 * `ValidateNested` alone lets a nested array (`[[]]`) through, empty and unchecked.
 */
export function EachNested(type: () => new () => object): PropertyDecorator {
  return applyDecorators(
    IsObject({ each: true, message: '$property must contain only objects' }),
    ValidateNested({ each: true }),
    Type(type),
  );
}
