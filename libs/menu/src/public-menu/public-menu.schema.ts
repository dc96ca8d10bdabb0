import { ApiProperty } from '@nestjs/swagger';
import { ModifierGroupResponse } from '../dto/menu.dto';

/** The public menu's shape for the OpenAPI document (the route is plain Fastify; see PublicMenu). */
export class PublicMenuRestaurant {
  @ApiProperty({ example: 'Café Central' }) name!: string;
  @ApiProperty({ example: 'cafe-central' }) slug!: string;
  @ApiProperty({ example: 'USD', description: 'ISO 4217' }) currency!: string;
  @ApiProperty({ example: 'America/Bogota', description: 'IANA time zone' }) timezone!: string;
}

export class PublicMenuItem {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: 'integer', description: 'Minor units of the restaurant currency' }) price!: number;
  @ApiProperty({ type: 'integer', description: 'Tax in basis points (1900 = 19%)' }) taxRateBps!: number;
  @ApiProperty({ type: 'integer' }) position!: number;
  @ApiProperty({ type: [ModifierGroupResponse], description: 'Available options only' })
  modifierGroups!: ModifierGroupResponse[];
}

export class PublicMenuCategory {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: 'integer' }) position!: number;
  @ApiProperty({ type: [PublicMenuItem], description: 'Available items, by position' }) items!: PublicMenuItem[];
}

export class PublicMenuResponse {
  @ApiProperty({ type: PublicMenuRestaurant }) restaurant!: PublicMenuRestaurant;
  @ApiProperty({ type: [PublicMenuCategory], description: 'Active categories, by position' })
  categories!: PublicMenuCategory[];
}
