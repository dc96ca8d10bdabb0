import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsObject, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { IsStrongPassword, PASSWORD_MAX, PASSWORD_MIN, UserResponse } from '@coffee/users';
import type { RestaurantEntity, RestaurantStatus } from '@coffee/tenancy';
import { Trim, TrimLower } from '@coffee/common';
import { PLAN_CODES, type PlanCode } from '@coffee/subscriptions';

const CURRENCIES = Intl.supportedValuesOf('currency');
const TIME_ZONES = [...Intl.supportedValuesOf('timeZone'), 'UTC'];

export class NewOwnerDto {
  @ApiProperty({ example: 'owner@cafe.example' })
  @TrimLower()
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'Olivia Owner' })
  @Trim()
  @IsString()
  @Length(1, 120)
  name!: string;

  @ApiProperty({ writeOnly: true, minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX })
  @IsStrongPassword()
  password!: string;
}

export class CreateRestaurantDto {
  @ApiProperty({ example: 'Café Central' })
  @Trim()
  @IsString()
  @Length(1, 120)
  name!: string;

  @ApiProperty({ example: 'cafe-central', pattern: '^[a-z0-9-]{3,63}$' })
  @Matches(/^[a-z0-9-]{3,63}$/, { message: 'slug must be 3-63 characters of a-z, 0-9 and -' })
  slug!: string;

  @ApiProperty({ example: 'USD', description: 'ISO 4217' })
  @IsIn(CURRENCIES, { message: 'currency must be an ISO 4217 code' })
  currency!: string;

  @ApiProperty({ example: 'America/Bogota', description: 'IANA time zone' })
  @IsIn(TIME_ZONES, { message: 'timezone must be an IANA time zone' })
  timezone!: string;

  @ApiProperty({ enum: PLAN_CODES })
  @IsIn(PLAN_CODES)
  planCode!: PlanCode;

  @ApiProperty({ type: NewOwnerDto })
  @IsObject()
  @ValidateNested()
  @Type(() => NewOwnerDto)
  owner!: NewOwnerDto;
}

export class RestaurantResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() currency!: string;
  @ApiProperty() timezone!: string;
  @ApiProperty({ enum: ['active', 'suspended'] }) status!: RestaurantStatus;
  @ApiProperty({ enum: PLAN_CODES }) planCode!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class CreatedRestaurantResponse {
  @ApiProperty({ type: RestaurantResponse }) restaurant!: RestaurantResponse;
  @ApiProperty({ type: UserResponse }) owner!: UserResponse;
}

export function toRestaurantResponse(restaurant: RestaurantEntity, planCode: string): RestaurantResponse {
  return {
    id: restaurant.id,
    name: restaurant.name,
    slug: restaurant.slug,
    currency: restaurant.currency,
    timezone: restaurant.timezone,
    status: restaurant.status,
    planCode,
    createdAt: restaurant.createdAt.toISOString(),
  };
}
