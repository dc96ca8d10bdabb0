import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { databaseConfig, type DatabaseConfig } from '@coffee/config';
import { buildDataSourceOptions } from './data-source.options';
import { EmbeddedBackups } from './embedded/backups';
import { EmbeddedDatabaseRefusedError } from './embedded/database-file';
import { EmbeddedStorageState } from './embedded/storage-state';
import { TransactionRunner } from './transactions';

/** The database connection for both apps; features add entities with `TypeOrmModule.forFeature`. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (config: DatabaseConfig) => ({
        ...buildDataSourceOptions(config),
        autoLoadEntities: true,
        // Kubernetes restarts a pod that cannot connect; a long retry loop only hides the problem.
        retryAttempts: 3,
        retryDelay: 1000,
        // A refused embedded file (in use, empty, damaged) will not get better by retrying.
        toRetry: (error: unknown) => !(error instanceof EmbeddedDatabaseRefusedError),
      }),
    }),
  ],
  providers: [EmbeddedStorageState, EmbeddedBackups, TransactionRunner],
  exports: [EmbeddedStorageState, EmbeddedBackups, TransactionRunner],
})
export class DatabaseModule {}
