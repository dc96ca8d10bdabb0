import { ApiProperty } from '@nestjs/swagger';
import { MAX_LIMIT, MAX_OFFSET } from './pagination';

/** `meta` of an offset page, for the OpenAPI document (the values come from `offsetPage`). */
export class PageMetaResponse {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_LIMIT, example: 20 }) limit!: number;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_OFFSET, example: 0 }) offset!: number;
  @ApiProperty({ type: 'integer', minimum: 0, example: 57 }) total!: number;
  @ApiProperty({ description: 'Whether a next page exists' }) hasMore!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Always null: these lists page by offset' })
  nextCursor!: string | null;
}

/** `meta` of a list that also pages by cursor (orders). */
export class CursorPageMetaResponse {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_LIMIT, example: 20 }) limit!: number;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_OFFSET, description: '0 when paging by cursor' })
  offset!: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'May be null when paging by cursor' })
  total!: number | null;
  @ApiProperty({ description: 'Whether a next page exists' }) hasMore!: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Opaque: pass it as `cursor` (with the same `sort`) for the next page; null on the last page',
  })
  nextCursor!: string | null;
}
