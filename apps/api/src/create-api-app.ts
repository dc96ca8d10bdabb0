import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { appConfig, type AppConfig } from '@coffee/config';
import { ApiModule } from './api.module';
import { configureHttpServer, createFastifyAdapter } from './http-server';

/** Builds the API application, fully configured but not yet listening. */
export async function createApiApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule, createFastifyAdapter(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  await configureHttpServer(app, app.get<AppConfig>(appConfig.KEY));
  return app;
}
