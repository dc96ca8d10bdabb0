import { ApiProperty } from '@nestjs/swagger';

export class PlatformStatsResponse {
  @ApiProperty({ type: 'integer', description: 'Every restaurant, suspended ones included' }) restaurants!: number;
  @ApiProperty({ type: 'integer', description: 'Restaurants whose status is `active`' }) activeRestaurants!: number;
  @ApiProperty({
    type: 'integer',
    description: "Accounts of restaurants (owners, managers, staff; deactivated ones included); sysadmins don't count",
  })
  users!: number;
  @ApiProperty({ type: 'integer', description: "Orders placed today, each restaurant's today in its own time zone" })
  ordersToday!: number;
  @ApiProperty({
    type: 'integer',
    description:
      "Monthly recurring revenue: the sum of the plans' monthly prices over subscriptions whose status is `active` " +
      '(trials, past-due and canceled ones excluded), in minor units of USD, the currency of the plans',
  })
  mrr!: number;
}
