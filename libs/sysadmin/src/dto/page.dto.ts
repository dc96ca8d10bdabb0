import { ApiProperty } from '@nestjs/swagger';

/** `meta` of an offset page, for the OpenAPI document (the values come from `offsetPage`). */
export class PageMetaResponse {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100 }) limit!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) offset!: number;
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty() hasMore!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Always null: these lists page by offset' })
  nextCursor!: string | null;
}
