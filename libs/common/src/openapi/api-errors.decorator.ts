import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiResponse,
  DECORATORS,
  getSchemaPath,
  type HeadersObject,
  type ResponseObject,
} from '@nestjs/swagger';
import { ERROR_STATUS, ERROR_TITLES, problemType, type ErrorCode } from '../errors/error-codes';
import { ProblemDetailsResponse } from './problem.schema';

/** Every route can answer these: an unexpected failure, and the throttler (every route is rate-limited). */
const ALWAYS: readonly ErrorCode[] = ['RATE_LIMITED', 'INTERNAL'];

const RETRY_AFTER: HeadersObject = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 0 } },
};

const RATE_LIMIT_HEADERS: HeadersObject = {
  ...RETRY_AFTER,
  'X-RateLimit-Limit': { description: 'Requests allowed in the window', schema: { type: 'integer' } },
  'X-RateLimit-Remaining': { description: 'Requests left in the window', schema: { type: 'integer' } },
  'X-RateLimit-Reset': { description: 'Seconds until the window resets', schema: { type: 'integer' } },
};

/** A realistic body for `code`, shown as a named example of the response. */
function exampleOf(code: ErrorCode): ProblemDetailsResponse {
  const status = ERROR_STATUS[code];
  const validation = code === 'VALIDATION_FAILED';
  return {
    type: problemType(code),
    title: ERROR_TITLES[code],
    status,
    detail: validation ? '1 field is invalid' : ERROR_TITLES[code],
    instance: '/api/v1/orders',
    code,
    requestId: '5f0c6f7e-3b1a-4c8e-9d2f-1a2b3c4d5e6f',
    ...(validation
      ? { errors: [{ field: 'items[0].quantity', message: 'quantity must not be greater than 99' }] }
      : {}),
  };
}

function headersFor(codes: readonly ErrorCode[]): HeadersObject | undefined {
  if (codes.includes('RATE_LIMITED')) return RATE_LIMIT_HEADERS;
  if (codes.includes('IDEMPOTENCY_KEY_IN_USE')) return RETRY_AFTER;
  return undefined;
}

const METHOD_CODES = 'coffee:api-errors';

/** Where the example body of each code lives in the document (`components.examples`, see problemExamples). */
export const problemExampleRef = (code: ErrorCode): string => `#/components/examples/${code}`;

/** `components.examples` for the codes the document refers to: one problem body per code. */
export function problemExamples(codes: Iterable<ErrorCode>): Record<string, { summary: string; value: unknown }> {
  return Object.fromEntries(
    [...new Set(codes)].sort().map((code) => [code, { summary: ERROR_TITLES[code], value: exampleOf(code) }]),
  );
}

/** The response object for one status and its codes (problem+json, each code's example by reference). */
export function problemResponse(codes: readonly ErrorCode[]): ResponseObject {
  const headers = headersFor(codes);
  return {
    description: codes.map((code) => `\`${code}\` — ${ERROR_TITLES[code]} (${problemType(code)})`).join('; '),
    ...(headers ? { headers } : {}),
    content: {
      'application/problem+json': {
        schema: { $ref: getSchemaPath(ProblemDetailsResponse) },
        examples: Object.fromEntries(codes.map((code) => [code, { $ref: problemExampleRef(code) }])),
      },
    },
  };
}

function responsesFor(codes: Iterable<ErrorCode>): MethodDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set<ErrorCode>([...codes, ...ALWAYS])) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ApiExtraModels(ProblemDetailsResponse),
    ...[...byStatus].map(([status, list]) => ApiResponse({ status, ...problemResponse(list) })),
  );
}

/**
 * Documents the problem+json answers a route can give, grouped by status, so
 * integrators see every `code` they must handle: in the description, and as
 * one named example per code (the schema is the shared `ProblemDetailsResponse`).
 * `RATE_LIMITED` and `INTERNAL` are always added.
 *
 * On a class, the codes are added to every method's own (a class decorator
 * runs after the method decorators): a method listing `PLAN_LIMIT_REACHED`
 * keeps the class's `FORBIDDEN` in the same 403 entry.
 */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  return (target: object, key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    if (descriptor !== undefined && key !== undefined) {
      Reflect.defineMetadata(METHOD_CODES, codes, descriptor.value as object);
      responsesFor(codes)(target, key, descriptor);
      return;
    }
    const prototype = (target as { prototype: object }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const method = Object.getOwnPropertyDescriptor(prototype, name);
      if (name === 'constructor' || typeof method?.value !== 'function') continue;
      const own = (Reflect.getMetadata(METHOD_CODES, method.value as object) ?? []) as ErrorCode[];
      // ApiResponse merges a second entry for a status into the first: drop the method's own problem
      // entries, which the merged list below writes again.
      const responses = { ...((Reflect.getMetadata(DECORATORS.API_RESPONSE, method.value as object) ?? {}) as object) };
      for (const code of [...own, ...ALWAYS]) delete (responses as Record<string, unknown>)[ERROR_STATUS[code]];
      Reflect.defineMetadata(DECORATORS.API_RESPONSE, responses, method.value as object);
      responsesFor([...codes, ...own])(prototype, name, method);
    }
  };
}
