import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error';
import { findIllFormedString, findUndecodableQueryParam } from '../validation/well-formed';
import { BODY_SHAPE_LIMITS, findJsonShapeViolation } from './json-shape';

/** Sign-in, refresh and password bodies are a few hundred bytes; 16 KiB leaves room and refuses floods early. */
export const AUTH_BODY_LIMIT_BYTES = 16 * 1024;

export interface RequestParsingOptions {
  /** Routes under this path accept at most AUTH_BODY_LIMIT_BYTES, e.g. `/api/v1/auth`. */
  authPath: string;
}

const SHAPE_DETAIL =
  `The body is too large in shape: at most ${BODY_SHAPE_LIMITS.maxProperties} properties per object, ` +
  `${BODY_SHAPE_LIMITS.maxItems} items per array, ${BODY_SHAPE_LIMITS.maxDepth} levels of nesting ` +
  `and ${BODY_SHAPE_LIMITS.maxEntries} properties and items in all`;

/**
 * Bounds what a request may make the server parse and validate, before any
 * DTO, class-transformer or class-validator sees it (docs/security.md,
 * "Request parsing limits"):
 * - the auth routes' body limit (the server's bodyLimit covers the rest);
 * - the JSON parser scans the body's shape before parsing it (422);
 * - a body holding a lone surrogate, or a query value that does not decode to
 *   well-formed text, is a 422 naming the field.
 *
 * Call it on the Fastify instance before the routes are registered.
 */
export function installRequestParsing(fastify: FastifyInstance, options: RequestParsingOptions): void {
  const authPrefix = `${options.authPath}/`;
  fastify.addHook('onRoute', (route) => {
    if (route.url === options.authPath || route.url.startsWith(authPrefix)) route.bodyLimit = AUTH_BODY_LIMIT_BYTES;
  });

  // Fastify's own parser (prototype-poisoning protection included) runs once the shape is known to be bounded.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const violation = findJsonShapeViolation(body as string);
    if (violation) {
      done(new AppError('VALIDATION_FAILED', SHAPE_DETAIL, { errors: [violation] }), undefined);
      return;
    }
    // Fastify's parser answers through `done`; its declared type also allows a promise.
    void parseJson(request, body as string, done);
  });

  fastify.addHook('preValidation', (request, _reply, done) => {
    const illFormed = findUndecodableQueryParam(request.url) ?? findIllFormedString(request.body);
    done(illFormed ? AppError.validation([illFormed]) : undefined);
  });
}
