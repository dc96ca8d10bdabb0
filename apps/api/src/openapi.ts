import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '@coffee/config';
import { PUBLIC_MENU_OPENAPI } from '@coffee/menu';

/** `/openapi.json` for integrators and `/docs` (Swagger UI) for people. */
export function setupOpenApi(app: NestFastifyApplication, config: AppConfig): void {
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
  SwaggerModule.setup('docs', app, document, {
    useGlobalPrefix: false,
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
  });
}
