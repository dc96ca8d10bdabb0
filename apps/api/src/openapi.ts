import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject, type ResponseObject } from '@nestjs/swagger';
import {
  ACCESS_EXTENSION,
  ERROR_STATUS,
  ProblemDetailsResponse,
  problemExampleRef,
  problemExamples,
  problemResponse,
  SECURITY_SCHEMES,
  type AccessRule,
  type ErrorCode,
} from '@coffee/common';
import type { AppConfig } from '@coffee/config';
import { PUBLIC_MENU_OPENAPI, PublicMenuResponse } from '@coffee/menu';

const TAGS: [name: string, description: string][] = [
  ['auth', 'Sign-in, sessions (cookies + CSRF token) and the current user'],
  ['users', "The restaurant's staff accounts (owner, manager)"],
  ['api-keys', 'Scoped keys for integrators (owner)'],
  ['menu', 'Categories, items and their modifier groups'],
  ['public', 'No authentication: the QR menu'],
  ['tables', 'Tables and their QR tokens'],
  ['orders', 'Placing orders (idempotent), their status and history, the kitchen view'],
  ['reports', 'Sales dashboard and daily reports'],
  ['subscriptions', 'Plans, limits and the restaurant’s subscription'],
  ['webhooks', 'Signed event deliveries to your endpoints, their log and redelivery (owner)'],
  ['sysadmin', 'Platform staff: restaurants, plans, stats, audit log, failed jobs'],
];

const UNSAFE_METHODS = new Set(['post', 'put', 'patch', 'delete']);

const CSRF_HEADER = {
  name: 'X-CSRF-Token',
  in: 'header' as const,
  required: false,
  description:
    'With the cookie session: the `csrf_token` cookie’s value, else 403 `CSRF_FAILED`. Not needed with a bearer token.',
  schema: { type: 'string' as const },
};

/**
 * The OpenAPI 3.1 document of the API: the same for `/openapi.json`, `/docs`
 * and the committed `docs/openapi.json` (`npm run openapi`). Operation ids
 * are set on each handler (`@ApiOperation({ operationId })`), never derived
 * from class and method names, so a refactor cannot rename a client's method.
 */
export function buildOpenApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Coffee Shop Admin API')
    .setDescription(
      'Multi-tenant backend for coffee shops. Errors are RFC 9457 problem details ' +
        '(`application/problem+json`) with a stable `code`. Money is an integer number of minor units of the ' +
        "restaurant's currency. Lists answer `{ items, meta }`.",
    )
    .setVersion(version)
    .setContact('Coffee Shop Admin', 'https://docs.coffee-admin.dev', 'api@coffee-admin.dev')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('http://localhost:3000', 'A local server (`npm start`)')
    .addCookieAuth(
      'access_token',
      { type: 'apiKey', in: 'cookie', description: 'Browser session; writes also need the X-CSRF-Token header' },
      SECURITY_SCHEMES.cookie,
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The access JWT' },
      SECURITY_SCHEMES.bearer,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'ck_live_…',
        description: 'An API key created by the owner; acts for its restaurant with its scopes only',
      },
      SECURITY_SCHEMES.apiKey,
    );
  for (const [name, description] of TAGS) builder.addTag(name, description);

  const document = SwaggerModule.createDocument(app, builder.build(), {
    extraModels: [ProblemDetailsResponse, PublicMenuResponse],
  });
  document.paths['/api/v1/public/restaurants/{slug}/menu'] = PUBLIC_MENU_OPENAPI as (typeof document.paths)[string];
  for (const item of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(item) as [string, OperationLike][]) {
      if (!UNSAFE_METHODS.has(method) && method !== 'get') continue;
      // The access decorators declare the schemes of every guarded route; the rest are public.
      operation.security ??= [];
      if (
        UNSAFE_METHODS.has(method) &&
        operation.security.some((requirement) => SECURITY_SCHEMES.cookie in requirement)
      ) {
        operation.parameters = [...(operation.parameters ?? []), CSRF_HEADER];
      }
      if (operation.requestBody !== undefined) addErrors(operation, BODY_ERRORS);
      const access = operation[ACCESS_EXTENSION];
      if (access !== undefined) {
        operation.description = [operation.description, accessLine(access)].filter(Boolean).join('\n\n');
      }
    }
  }
  document.components = { ...document.components, examples: problemExamples(referencedCodes(document)) };
  return document;
}

interface OperationLike {
  description?: string;
  [ACCESS_EXTENSION]?: AccessRule;
  security?: Record<string, string[]>[];
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, ResponseObject>;
}

/** The operation's "Access" line: who may call it, with which credentials. */
function accessLine(rule: AccessRule): string {
  switch (rule.kind) {
    case 'public':
      return '**Access:** public, no credentials.';
    case 'authenticated':
      return '**Access:** any signed-in user (cookie session or bearer JWT); not API keys.';
    case 'roles': {
      const roles = rule.roles.map((role) => `\`${role}\``).join(', ');
      const keys =
        rule.scopes.length > 0
          ? `; API keys with ${rule.scopes.map((scope) => `\`${scope}\``).join(' or ')}`
          : '; not API keys';
      return `**Access:** ${roles} (cookie session or bearer JWT)${keys}.`;
    }
  }
}

/** What any route with a JSON body can answer before its handler runs (the parser and the body checks). */
const BODY_ERRORS: readonly ErrorCode[] = ['BAD_REQUEST', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'];

/** Adds codes to an operation's problem responses, beside the codes its decorators already list. */
function addErrors(operation: OperationLike, codes: readonly ErrorCode[]): void {
  for (const code of codes) {
    const status = String(ERROR_STATUS[code]);
    const listed = operation.responses[status];
    const examples = listed?.content?.['application/problem+json']?.examples ?? {};
    const current = Object.keys(examples) as ErrorCode[];
    if (current.includes(code)) continue;
    operation.responses[status] = problemResponse([...current, code]);
  }
}

/** Every code whose example an operation refers to. */
function referencedCodes(document: OpenAPIObject): ErrorCode[] {
  const prefix = problemExampleRef('' as ErrorCode);
  const found = JSON.stringify(document.paths).matchAll(/"\$ref":"([^"]+)"/g);
  return [...found]
    .map(([, ref]) => ref)
    .filter((ref) => ref.startsWith(prefix))
    .map((ref) => ref.slice(prefix.length) as ErrorCode);
}

/**
 * `/openapi.json` for integrators and `/docs` (Swagger UI) for people. The
 * document is built on the first request for it, not at start: scanning every
 * route and DTO costs a start about a tenth of a second, and most instances
 * never serve it.
 */
export function setupOpenApi(app: NestFastifyApplication, config: AppConfig): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app, config.version), {
    useGlobalPrefix: false,
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
  });
}
