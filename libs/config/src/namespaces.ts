import { existsSync } from 'node:fs';
import { registerAs, type ConfigType } from '@nestjs/config';
import { appConfigFrom } from './app.env';
import { authConfigFrom } from './auth.env';
import { databaseConfigFrom } from './database.env';
import { validateEnvironment, type EnvironmentVariables } from './environment';
import { redisConfigFrom } from './redis.env';
import { webhooksConfigFrom } from './webhooks.env';

export { appConfigFrom } from './app.env';
export { authConfigFrom } from './auth.env';
export { databaseConfigFrom, type MysqlConnection } from './database.env';
export { observabilityConfigFrom, type ErrorTrackingConfig, type TracingConfig } from './observability.env';
export { redisConfigFrom, type RedisNodeAuth, type RedisTopology } from './redis.env';
export { webhooksConfigFrom } from './webhooks.env';

/**
 * Loads `./.env` into the environment if the file exists (variables already
 * set win). Entry points call it once, first.
 */
export function loadDotEnvFile(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** The one place that reads `process.env`. */
export function currentEnvironment(): EnvironmentVariables {
  return validateEnvironment(process.env);
}

/**
 * NODE_ENV alone, unvalidated (unset or empty: `development`), for commands
 * that refuse some environments before anything else is checked.
 */
export function currentNodeEnv(): string {
  return process.env.NODE_ENV || 'development';
}

export const appConfig = registerAs('app', () => appConfigFrom(currentEnvironment()));
export const databaseConfig = registerAs('database', () => databaseConfigFrom(currentEnvironment()));
export const redisConfig = registerAs('redis', () => redisConfigFrom(currentEnvironment()));
export const authConfig = registerAs('auth', () => authConfigFrom(currentEnvironment()));
export const webhooksConfig = registerAs('webhooks', () => webhooksConfigFrom(currentEnvironment()));

export type AppConfig = ConfigType<typeof appConfig>;
export type DatabaseConfig = ConfigType<typeof databaseConfig>;
export type RedisConfig = ConfigType<typeof redisConfig>;
export type AuthConfig = ConfigType<typeof authConfig>;
export type WebhooksConfig = ConfigType<typeof webhooksConfig>;
