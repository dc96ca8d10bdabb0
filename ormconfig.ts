import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { currentEnvironment, databaseConfigFrom } from '@coffee/config';
import { buildDataSourceOptions } from '@coffee/database';
import { IdempotencyKeyEntity } from '@coffee/idempotency';

/** Every entity of every feature, for the TypeORM CLI and the schema-drift check. */
export const ENTITIES = [IdempotencyKeyEntity];

/** The DataSource the TypeORM CLI uses (`npm run migration:*`): the same options as the apps. */
export default new DataSource(
  buildDataSourceOptions({ ...databaseConfigFrom(currentEnvironment()), migrateOnStart: false }, ENTITIES),
);
