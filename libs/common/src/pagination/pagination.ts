import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import { AppError } from '../errors/app-error';

export interface PageMeta {
  limit: number;
  offset: number;
  total: number | null;
  hasMore: boolean;
  nextCursor: string | null;
}

export interface Page<T> {
  items: T[];
  meta: PageMeta;
}

/** The deepest `offset` a list accepts; deeper pages cost the database a scan of every skipped row. */
export const MAX_OFFSET = 10_000;
export const MAX_LIMIT = 100;

/**
 * A query string holding a plain decimal integer becomes that number; anything
 * else (`1e21`, `1.5`, `0x10`, an empty value, a repeated parameter's array) is
 * left as it is for `@IsInt` to refuse, where `Number()` would accept most of it.
 */
export function toQueryInteger({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
}

const LIMIT_MESSAGE = `limit must be an integer from 1 to ${MAX_LIMIT}`;
const OFFSET_MESSAGE = `offset must be an integer from 0 to ${MAX_OFFSET}`;

/** `limit` (1–100, default 20), `offset` (0–10,000) and `sort` (`field` or `-field`) for every list endpoint. */
export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 20 })
  @IsOptional()
  @Transform(toQueryInteger)
  @IsInt({ message: LIMIT_MESSAGE })
  @Min(1, { message: LIMIT_MESSAGE })
  @Max(MAX_LIMIT, { message: LIMIT_MESSAGE })
  limit: number = 20;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_OFFSET,
    default: 0,
    description: 'Deeper pages: use `cursor` where the list offers it, or narrow the list with filters',
  })
  @IsOptional()
  @Transform(toQueryInteger)
  @IsInt({ message: OFFSET_MESSAGE })
  @Min(0, { message: OFFSET_MESSAGE })
  @Max(MAX_OFFSET, {
    message: `offset must not be greater than ${MAX_OFFSET}: to go deeper, page with cursor (meta.nextCursor) where the list offers it, or narrow the list with filters`,
  })
  offset: number = 0;

  @ApiPropertyOptional({ description: 'A documented field, `-field` for descending' })
  @IsOptional()
  @MaxLength(64)
  @Matches(/^-?[A-Za-z]+$/, { message: 'sort must be a field name, optionally prefixed with -' })
  sort?: string;
}

export interface SortSpec<F extends string> {
  field: F;
  direction: 'ASC' | 'DESC';
}

/** Resolves `sort` against the fields an endpoint documents; anything else is a 422. */
export function parseSort<F extends string>(
  sort: string | undefined,
  allowed: readonly F[],
  fallback: SortSpec<F>,
): SortSpec<F> {
  if (!sort) return fallback;
  const descending = sort.startsWith('-');
  const field = (descending ? sort.slice(1) : sort) as F;
  if (!allowed.includes(field)) {
    throw AppError.validation([
      { field: 'sort', message: `sort must be one of ${allowed.join(', ')} (prefix - to reverse)` },
    ]);
  }
  return { field, direction: descending ? 'DESC' : 'ASC' };
}

/** The contract's `{ items, meta }` envelope for an offset page. */
export function offsetPage<T>(items: T[], total: number, query: Pick<PageQueryDto, 'limit' | 'offset'>): Page<T> {
  return {
    items,
    meta: {
      limit: query.limit,
      offset: query.offset,
      total,
      hasMore: query.offset + items.length < total,
      nextCursor: null,
    },
  };
}
