import { Global, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { databaseConfig, type DatabaseConfig } from '@coffee/config';
import { DatabaseCircuitBreaker } from './circuit-breaker';
import { buildDataSourceOptions } from './data-source.options';
import { EmbeddedBackups } from './embedded/backups';
import { EmbeddedDatabaseRefusedError } from './embedded/database-file';
import { EmbeddedStorageState } from './embedded/storage-state';
import { initializeDataSource, MigrationsFailedError } from './migrations-runner';
import { ReadReplica } from './read-replica';
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
        // A refused embedded file (in use, empty, damaged) or a failed migration would fail again;
        // waiting for the migrations lock has already taken its time.
        toRetry: (error: unknown) =>
          !(error instanceof EmbeddedDatabaseRefusedError || error instanceof MigrationsFailedError),
      }),
      dataSourceFactory: (options) => initializeDataSource(options!),
    }),
  ],
  providers: [
    EmbeddedStorageState,
    EmbeddedBackups,
    TransactionRunner,
    ReadReplica,
    {
      // Wraps the pool as soon as the DataSource exists, before any lifecycle hook can query through it.
      provide: DatabaseCircuitBreaker,
      inject: [getDataSourceToken(), databaseConfig.KEY],
      useFactory: (dataSource: DataSource, config: DatabaseConfig) =>
        DatabaseCircuitBreaker.forDataSource(dataSource, {
          ...config.breaker,
          acquireTimeoutMs: config.acquireTimeoutMs,
        }),
    },
  ],
  exports: [EmbeddedStorageState, EmbeddedBackups, TransactionRunner, ReadReplica, DatabaseCircuitBreaker],
})
export class DatabaseModule {}
