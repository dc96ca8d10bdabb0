import { CreateIdempotencyKeys1763800000000 } from './1763800000000-create-idempotency-keys';
import { CreateTenancyAndAuth1763900000000 } from './1763900000000-create-tenancy-and-auth';
import { CreateMenuAndTables1764000000000 } from './1764000000000-create-menu-and-tables';
import { CreateOrders1764100000000 } from './1764100000000-create-orders';
import { MoneyBigint1764200000000 } from './1764200000000-money-bigint';
import { CreatePlans1764300000000 } from './1764300000000-create-plans';
import { CreateSubscriptionsAndAuditLog1764400000000 } from './1764400000000-create-subscriptions-and-audit-log';
import { CreateSalesRollupsAndDailyReports1764500000000 } from './1764500000000-create-sales-rollups-and-daily-reports';
import { CreateMonthlySalesRollups1764550000000 } from './1764550000000-create-monthly-sales-rollups';
import { SalesRollupBackfillsAndTokenExpiryIndex1764600000000 } from './1764600000000-sales-rollup-backfills-and-token-expiry-index';
import { CreateWebhooks1764700000000 } from './1764700000000-create-webhooks';

/** Every migration, oldest first. Add new ones at the end. */
export const MIGRATIONS = [
  CreateIdempotencyKeys1763800000000,
  CreateTenancyAndAuth1763900000000,
  CreateMenuAndTables1764000000000,
  CreateOrders1764100000000,
  MoneyBigint1764200000000,
  CreatePlans1764300000000,
  CreateSubscriptionsAndAuditLog1764400000000,
  CreateSalesRollupsAndDailyReports1764500000000,
  CreateMonthlySalesRollups1764550000000,
  SalesRollupBackfillsAndTokenExpiryIndex1764600000000,
  CreateWebhooks1764700000000,
];
