import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { databaseConfig, type DatabaseConfig } from '@coffee/config';
import { buildDataSourceOptions } from './data-source.options';
import { EmbeddedDatabasePersistence } from './embedded-persistence';
import { initializeDataSource, MigrationsFailedError } from './migrations-runner';
import { TransactionRunner } from './transactions';

/** The database connection for both apps; features add entities with `TypeOrmModule.forFeature`. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (config: DatabaseConfig) => ({
        ...buildDataSourceOptions(config),
        // Read by initializeDataSource, which migrates under a database lock before the app starts.
        migrationsRun: config.migrateOnStart,
        autoLoadEntities: true,
        // Kubernetes restarts a pod that cannot connect; a long retry loop only hides the problem.
        retryAttempts: 3,
        retryDelay: 1000,
        // A failed migration would fail again; waiting for the lock has already taken its time.
        toRetry: (error: unknown) => !(error instanceof MigrationsFailedError),
      }),
      dataSourceFactory: (options) => initializeDataSource(options!),
    }),
  ],
  providers: [EmbeddedDatabasePersistence, TransactionRunner],
  exports: [EmbeddedDatabasePersistence, TransactionRunner],
})
export class DatabaseModule {}
