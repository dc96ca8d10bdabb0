import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import cookie from '@fastify/cookie';
import { RequestMethod, type INestApplication } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import fastify from 'fastify';
import type { HelmetOptions } from 'helmet';
import { Logger } from 'nestjs-pino';
import {
  createValidationPipe,
  installEarlyAnswers,
  installRequestDrain,
  installRequestParsing,
  sendProblem,
  staticSecurityHeaders,
} from '@coffee/common';
import type { AppConfig } from '@coffee/config';
import { ShutdownState } from '@coffee/health';
import { PublicMenuCache, PublicMenuRateLimit, registerPublicMenuRoute } from '@coffee/menu';
import { MetricsService } from '@coffee/metrics';
import { traceRoutes } from '@coffee/observability';
import { setupOpenApi } from './openapi';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * The response headers a browser app may read: exactly those the server sends
 * beyond the CORS-safelisted ones — the request id, the public menu's ETag,
 * and the throttler's `X-RateLimit-*` and `Retry-After` (which
 * @nestjs/throttler names with the `X-` prefix).
 */
const EXPOSED_HEADERS = [
  'x-request-id',
  'etag',
  'retry-after',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
];
export const API_PREFIX = 'api/v1';

/** Keeps a well-formed incoming `X-Request-Id`, else makes one. */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

const hsts = (config: AppConfig) => (config.isProduction ? { maxAge: 31_536_000, includeSubDomains: true } : false);

/** helmet's defaults (made for HTML documents: Swagger UI lives here too), with a CSP that allows Swagger UI. */
export function helmetOptions(config: AppConfig): HelmetOptions {
  return {
    hsts: hsts(config),
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Swagger UI styles itself inline; nothing else on this origin is HTML.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
      },
    },
  };
}

/**
 * The headers an early-answered JSON response needs (OWASP REST Security Cheat
 * Sheet): no sniffing, no framing, no rendering as a document, HSTS, no
 * referrer. helmet's document-only headers (DNS prefetch, download options,
 * origin agent cluster, opener policy, legacy XSS filter) mean nothing for JSON.
 */
export function jsonSecurityHeaders(config: AppConfig): Record<string, string> {
  return staticSecurityHeaders({
    hsts: hsts(config),
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    xFrameOptions: { action: 'deny' },
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  });
}

/**
 * The Fastify instance is made here rather than by the adapter so that the
 * early-answer hook is the very first request hook (see installEarlyAnswers):
 * Nest's adapter adds its own hooks (CORS, shutdown 503) in its constructor.
 */
export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  const instance = fastify({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: requestIdFor,
    logger: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Refusals made while routing (an undecodable path, an overlong parameter) answer problem+json too.
    frameworkErrors: (error, request, reply) => {
      void sendProblem(request, reply, error);
    },
  });
  installRequestDrain(instance);
  // Before the early answers, which skip the later request hooks; adds no hook when tracing is off.
  traceRoutes(instance);
  installEarlyAnswers(instance, jsonSecurityHeaders(config));
  installRequestParsing(instance, { authPath: `/${API_PREFIX}/auth` });
  return new FastifyAdapter(instance);
}

/** `/api/v1` on every route but the operational ones (probes, metrics). */
export function applyGlobalPrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health', method: RequestMethod.ALL },
      { path: 'health/*path', method: RequestMethod.ALL },
      { path: 'metrics', method: RequestMethod.ALL },
    ],
  });
}

/**
 * Everything between Fastify and the controllers, shared by `main.ts` and the
 * e2e tests so they exercise the same pipeline.
 */
export async function configureHttpServer(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();

  // JSON only: a text or form body is 415, not a string the validators never see.
  fastify.removeContentTypeParser(['text/plain']);

  await app.register(cookie);
  // helmet's headers do not depend on the request (no CSP nonces here): computed
  // once at boot instead of helmet building its middleware again for every request.
  const securityHeaders = staticSecurityHeaders(helmetOptions(config));
  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(securityHeaders);
    done();
  });

  app.enableCors({
    origin: (origin, callback) => callback(null, origin !== undefined && config.corsOrigins.includes(origin)),
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: [
      'content-type',
      'authorization',
      'x-csrf-token',
      'idempotency-key',
      'if-none-match',
      'x-request-id',
    ],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });

  // A request still running at SIGTERM answers with `Connection: close`, so its
  // keep-alive connection does not hold the server open past the grace period.
  const shutdown = app.get(ShutdownState);
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (shutdown.isShuttingDown) void reply.header('connection', 'close');
    done(null, payload);
  });
  app.get(MetricsService).instrument(fastify);
  registerPublicMenuRoute(fastify, app.get(PublicMenuCache), app.get(PublicMenuRateLimit));
  applyGlobalPrefix(app);
  app.useGlobalPipes(createValidationPipe());
  setupOpenApi(app, config);
}

/**
 * SIGTERM: readiness 503, SHUTDOWN_DELAY_MS, the server stops accepting, the
 * in-flight requests and handlers finish (installRequestDrain), then pools and
 * queues close. All within SHUTDOWN_GRACE_MS even if a request or a pool hangs.
 */
export function enableGracefulShutdown(app: INestApplication, config: AppConfig): void {
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  const force = (): void => {
    setTimeout(() => {
      app.get(Logger).error('Shutdown grace period over; exiting with requests still open');
      process.exit(1);
    }, config.shutdownGraceMs).unref();
  };
  process.once('SIGTERM', force);
  process.once('SIGINT', force);
}
