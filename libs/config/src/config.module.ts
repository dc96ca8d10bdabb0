import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig, authConfig, currentEnvironment, databaseConfig, redisConfig, webhooksConfig } from './namespaces';

/**
 * Typed configuration namespaces, validated once at boot. Inject a namespace with
 * `@Inject(appConfig.KEY) config: AppConfig`.
 */
@Global()
@Module({
  imports: [
    ConfigModule.forRoot({
      // `.env` is loaded by Node (`--env-file-if-exists`) before anything runs.
      ignoreEnvFile: true,
      cache: true,
      load: [appConfig, databaseConfig, redisConfig, authConfig, webhooksConfig],
      validate: (raw) => {
        currentEnvironment();
        return raw;
      },
    }),
  ],
  exports: [ConfigModule],
})
export class CoffeeConfigModule {}
