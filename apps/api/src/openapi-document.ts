import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { ApiModule } from './api.module';
import { applyGlobalPrefix } from './http-server';
import { buildOpenApiDocument } from './openapi';

/**
 * The OpenAPI document without a server, a database or Redis: Nest's preview
 * mode scans the real ApiModule (every controller, decorator and DTO) but
 * instantiates no provider, so nothing connects anywhere. `npm run openapi`
 * writes it to docs/openapi.json; `/openapi.json` serves the same document.
 */
export async function generateOpenApiDocument(version: string): Promise<OpenAPIObject> {
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule, new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    applyGlobalPrefix(app);
    return buildOpenApiDocument(app, version);
  } finally {
    await app.close();
  }
}
