import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { IsOmittable, PageMetaResponse, PageQueryDto, Trim } from '@coffee/common';
import {
  PLAN_CODES,
  SUBSCRIPTION_STATUSES,
  SubscriptionResponse,
  type PlanCode,
  type SubscriptionStatus,
} from '@coffee/subscriptions';
import { RESTAURANT_STATUSES, type RestaurantStatus } from '@coffee/tenancy';
import { RestaurantResponse } from './create-restaurant.dto';

export const RESTAURANT_SORT_FIELDS = ['createdAt', 'name', 'slug'] as const;
export type RestaurantSortField = (typeof RESTAURANT_SORT_FIELDS)[number];
const SORT_VALUES = RESTAURANT_SORT_FIELDS.flatMap((field) => [field, `-${field}`]);

export class ListRestaurantsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Part of the name or the slug, case-insensitive', minLength: 1, maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({ enum: RESTAURANT_STATUSES })
  @IsOptional()
  @IsIn(RESTAURANT_STATUSES, { message: `status must be one of ${RESTAURANT_STATUSES.join(', ')}` })
  status?: RestaurantStatus;

  @ApiPropertyOptional({ enum: PLAN_CODES, description: "The subscription's plan" })
  @IsOptional()
  @IsIn(PLAN_CODES, { message: `planCode must be one of ${PLAN_CODES.join(', ')}` })
  planCode?: PlanCode;

  @ApiPropertyOptional({
    enum: SORT_VALUES,
    default: '-createdAt',
    description: 'Newest first by default; ties broken by id',
  })
  @IsOptional()
  @IsIn(SORT_VALUES, { message: `sort must be one of ${SORT_VALUES.join(', ')}` })
  declare sort?: string;
}

export class UpdateRestaurantDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 120, example: 'Café Central' })
  @IsOmittable()
  @Trim()
  @IsString()
  @Length(1, 120)
  name?: string;

  @ApiPropertyOptional({
    enum: RESTAURANT_STATUSES,
    description:
      '`suspended`: its users get 403 `TENANT_SUSPENDED` on their next request and cannot sign in or refresh, ' +
      'its API keys stop working and its public menu answers 404 (within a second on every instance); ' +
      '`active` restores all of it',
  })
  @IsOmittable()
  @IsIn(RESTAURANT_STATUSES, { message: `status must be one of ${RESTAURANT_STATUSES.join(', ')}` })
  status?: RestaurantStatus;
}

/** A restaurant as the console lists it: the creation answer's fields plus where its subscription stands. */
export class AdminRestaurantResponse extends RestaurantResponse {
  @ApiProperty({ enum: SUBSCRIPTION_STATUSES }) subscriptionStatus!: SubscriptionStatus;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class RestaurantPageResponse {
  @ApiProperty({ type: [AdminRestaurantResponse] }) items!: AdminRestaurantResponse[];
  @ApiProperty({ type: PageMetaResponse }) meta!: PageMetaResponse;
}

export class RestaurantDetailResponse extends AdminRestaurantResponse {
  @ApiProperty({
    type: SubscriptionResponse,
    description: "As the restaurant's owner sees it at `GET /subscriptions/current`, with live usage",
  })
  subscription!: SubscriptionResponse;
}

/** One row of the console's restaurant reads (restaurant joined with its subscription). */
export interface AdminRestaurantRow {
  id: string;
  name: string;
  slug: string;
  currency: string;
  timezone: string;
  status: RestaurantStatus;
  planCode: string;
  subscriptionStatus: SubscriptionStatus;
  createdAt: Date;
  updatedAt: Date;
}

export function toAdminRestaurantResponse(row: AdminRestaurantRow): AdminRestaurantResponse {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    currency: row.currency,
    timezone: row.timezone,
    status: row.status,
    planCode: row.planCode,
    subscriptionStatus: row.subscriptionStatus,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
