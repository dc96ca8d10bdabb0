import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getSchemaPath } from '@nestjs/swagger';
import { AppError, ProblemDetailsResponse, sendProblem } from '@coffee/common';
import type { PublicMenuCache, RenderedMenu } from './public-menu.cache';
import type { PublicMenuRateLimit } from './public-menu.rate-limit';
import { PublicMenuResponse } from './public-menu.schema';

/** Mounted on Fastify directly; the Nest middlewares (request logs, CLS) skip it, see FASTIFY_ONLY_ROUTES. */
export const PUBLIC_MENU_ROUTE = '/api/v1/public/restaurants/:slug/menu';
const CACHE_CONTROL = 'public, max-age=5';
const SLUG = /^[a-z0-9-]{3,63}$/;

/**
 * The QR-code menu: no auth, pre-rendered bytes and ETag from the cache.
 * It is the hottest read (every guest's phone) and needs none of the Nest
 * pipeline (guards, pipes, per-request logger, cookies), so it is a plain
 * Fastify route answered from the first request hook (`answerEarly`, see
 * installEarlyAnswers): CORS, request ids, security headers and metrics still apply.
 */
export function registerPublicMenuRoute(
  fastify: FastifyInstance,
  cache: PublicMenuCache,
  rateLimit: PublicMenuRateLimit,
): void {
  fastify.get<{ Params: { slug: string } }>(
    PUBLIC_MENU_ROUTE,
    { config: { answerEarly: true } },
    // Not an async function: a local copy revalidated in the last REVALIDATE_MS
    // answers synchronously, with no promise, microtask or in-flight hold per
    // request; only a copy that needs revalidating waits.
    (request, reply) => {
      const { slug } = request.params;
      try {
        const retryAfterSeconds = rateLimit.hit(request.ip, reply);
        if (retryAfterSeconds > 0) return sendProblem(request, reply, AppError.rateLimited(retryAfterSeconds));
        if (!SLUG.test(slug)) return sendProblem(request, reply, AppError.notFound('Restaurant'));
        const fresh = cache.fresh(slug);
        if (fresh) return sendMenu(request, reply, fresh);
      } catch (error) {
        return sendProblem(request, reply, error);
      }
      return cache.get(slug).then(
        (menu) => sendMenu(request, reply, menu),
        (error: unknown) => sendProblem(request, reply, error),
      );
    },
  );
}

function sendMenu(request: FastifyRequest, reply: FastifyReply, menu: RenderedMenu): FastifyReply {
  if (menu.body === null) return sendProblem(request, reply, AppError.notFound('Restaurant'));
  void reply.header('etag', menu.etag).header('cache-control', CACHE_CONTROL);
  if (request.headers['if-none-match'] === menu.etag) return reply.status(304).send();
  return reply.header('content-type', 'application/json; charset=utf-8').send(menu.body);
}

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetailsResponse) } } },
});

/**
 * The route's entry in the OpenAPI document (it is not a Nest controller);
 * the document builder registers PublicMenuResponse and ProblemDetailsResponse.
 */
export const PUBLIC_MENU_OPENAPI = {
  get: {
    operationId: 'getPublicMenu',
    tags: ['public'],
    summary: 'The public (QR) menu of a restaurant',
    description:
      'No auth. Active categories with their available items and options, ordered by position. ' +
      'Served from a cache: a menu change is visible within one second. Sends `ETag` and ' +
      '`Cache-Control: public, max-age=5`; `If-None-Match` with the current ETag answers 304.\n\n' +
      '**Access:** public, no credentials.',
    security: [],
    parameters: [
      {
        name: 'slug',
        in: 'path',
        required: true,
        schema: { type: 'string', pattern: '^[a-z0-9-]{3,63}$' },
        example: 'cafe-central',
      },
      {
        name: 'If-None-Match',
        in: 'header',
        required: false,
        description: 'The ETag of a copy you hold: 304 while it is current',
        schema: { type: 'string' },
      },
    ],
    responses: {
      '200': {
        description: 'The menu',
        headers: {
          ETag: { description: 'Changes with the menu', schema: { type: 'string' } },
          'Cache-Control': { description: '`public, max-age=5`', schema: { type: 'string' } },
        },
        content: { 'application/json': { schema: { $ref: getSchemaPath(PublicMenuResponse) } } },
      },
      '304': { description: 'Not modified (If-None-Match matched)' },
      '404': problem('`NOT_FOUND` — unknown or suspended restaurant'),
      '429': {
        ...problem('`RATE_LIMITED` — more than PUBLIC_MENU_RATE_LIMIT requests from this IP this minute'),
        headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer', minimum: 0 } } },
      },
      '500': problem('`INTERNAL` — Internal server error'),
    },
  },
};
