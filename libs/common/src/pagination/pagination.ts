import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
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

/** `limit` (1–100, default 20), `offset` and `sort` (`field` or `-field`) for every list endpoint. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset: number = 0;

  @ApiPropertyOptional({ description: 'A documented field, `-field` for descending' })
  @IsOptional()
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
