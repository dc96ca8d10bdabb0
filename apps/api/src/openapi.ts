import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { AppConfig } from '@coffee/config';
import { PUBLIC_MENU_OPENAPI } from '@coffee/menu';

/**
 * `/openapi.json` for integrators and `/docs` (Swagger UI) for people. The
 * document is built on the first request for it, not at start: scanning every
 * route and DTO costs a start about a tenth of a second, and most instances
 * never serve it.
 */
export function setupOpenApi(app: NestFastifyApplication, config: AppConfig): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app, config), {
    useGlobalPrefix: false,
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
  });
}

/** The OpenAPI document of every route of `app` (with the public menu's, which Fastify serves directly). */
export function buildOpenApiDocument(app: NestFastifyApplication, config: AppConfig): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setOpenAPIVersion('3.1.0')
      .setTitle('Coffee Shop Admin API')
      .setDescription(
        'Multi-tenant backend for coffee shops. Errors are RFC 9457 problem details ' +
          '(`application/problem+json`) with a stable `code`.',
      )
      .setVersion(config.version)
      .addCookieAuth(
        'access_token',
        { type: 'apiKey', in: 'cookie', description: 'Browser session; writes also need the X-CSRF-Token header' },
        'cookie',
      )
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The access JWT' }, 'bearer')
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'ck_live_…',
          description: 'An API key created by the owner; acts for its restaurant with its scopes only',
        },
        'api-key',
      )
      .build(),
  );
  document.paths['/api/v1/public/restaurants/{slug}/menu'] = PUBLIC_MENU_OPENAPI as (typeof document.paths)[string];
  return document;
}
