import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { currentEnvironment, databaseConfigFrom } from '@coffee/config';
import { buildDataSourceOptions } from '@coffee/database';
import { ApiKeyEntity, RefreshTokenEntity } from '@coffee/auth';
import { IdempotencyKeyEntity } from '@coffee/idempotency';
import { MenuCategoryEntity, MenuItemEntity, ModifierGroupEntity, ModifierOptionEntity } from '@coffee/menu';
import {
  OrderCounterEntity,
  OrderEntity,
  OrderLineEntity,
  OrderStatusChangeEntity,
  SalesDailyItemEntity,
  SalesHourlyEntity,
  SalesMonthlyHourlyEntity,
  SalesMonthlyItemEntity,
  SalesRollupBackfillEntity,
} from '@coffee/orders';
import { DailyReportEntity } from '@coffee/reports';
import { PlanEntity, SubscriptionEntity } from '@coffee/subscriptions';
import { AuditLogEntity } from '@coffee/audit';
import { TableEntity } from '@coffee/tables';
import { RestaurantEntity } from '@coffee/tenancy';
import { UserEntity } from '@coffee/users';
import {
  OutboxEventEntity,
  WebhookDeliveryAttemptEntity,
  WebhookDeliveryEntity,
  WebhookEndpointEntity,
} from '@coffee/webhooks';

/** Every entity of every feature, for the TypeORM CLI and the schema-drift check. */
export const ENTITIES = [
  RestaurantEntity,
  UserEntity,
  RefreshTokenEntity,
  ApiKeyEntity,
  IdempotencyKeyEntity,
  MenuCategoryEntity,
  MenuItemEntity,
  ModifierGroupEntity,
  ModifierOptionEntity,
  TableEntity,
  OrderEntity,
  OrderLineEntity,
  OrderStatusChangeEntity,
  OrderCounterEntity,
  PlanEntity,
  SubscriptionEntity,
  AuditLogEntity,
  SalesHourlyEntity,
  SalesDailyItemEntity,
  SalesMonthlyHourlyEntity,
  SalesMonthlyItemEntity,
  SalesRollupBackfillEntity,
  DailyReportEntity,
  WebhookEndpointEntity,
  OutboxEventEntity,
  WebhookDeliveryEntity,
  WebhookDeliveryAttemptEntity,
];

/** The DataSource the TypeORM CLI uses (`npm run migration:*`): the same options as the apps. */
export default new DataSource(
  buildDataSourceOptions({ ...databaseConfigFrom(currentEnvironment()), migrateOnStart: false }, ENTITIES),
);
