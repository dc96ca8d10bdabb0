import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { stdSerializers } from 'pino';
import { databaseErrorForLog, FASTIFY_ONLY_ROUTES, isDatabaseError, withoutSqlLiterals } from '@coffee/common';
import type { AppConfig } from '@coffee/config';

/** Paths never written to a log: credentials, cookies, secrets. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.csrfToken',
  '*.apiKey',
  '*.key',
  '*.secret',
];

/**
 * pino's error serializer, except that a database error loses its bound
 * parameters and quoted literals, wherever it is logged (the problem filter,
 * TypeORM's logger, a job's failure); so does the text pino appends for a
 * cause ("caused by: QueryFailedError: Duplicate entry '…'"). pino-http hands
 * this pino's serialized copy of the error; a bare pino logger, the error.
 */
export function serializeError(error: unknown): unknown {
  const serialized: unknown = error instanceof Error ? stdSerializers.err(error) : error;
  if (isDatabaseError(serialized)) return databaseErrorForLog(serialized);
  const { message, stack } = (serialized ?? {}) as { message?: unknown; stack?: unknown };
  if (typeof stack !== 'string' || !stack.includes('\ncaused by: ')) return serialized;
  return {
    ...(serialized as object),
    message: typeof message === 'string' ? withoutSqlLiterals(message) : message,
    stack: withoutSqlLiterals(stack),
  };
}

/** Probes and scrapes are frequent and boring: logged only when they fail. */
const QUIET_PATHS = /^\/(health(\/live|\/ready)?|metrics)(\?|$)/;

/** Extra fields for every request log line (tenant and user ids, once auth fills them). */
export type RequestLogProps = () => Record<string, unknown>;

/**
 * The one pino options factory for both apps: JSON to stdout, pretty only in
 * development, request id on every line, secrets redacted.
 */
export function buildPinoParams(app: AppConfig, requestProps?: RequestLogProps): Params {
  return {
    // Fields assigned during the request (restaurant, user) also reach its "request completed" line.
    assignResponse: true,
    exclude: FASTIFY_ONLY_ROUTES,
    pinoHttp: {
      level: app.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      transport: app.prettyLogs ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
      // Fastify has already chosen the id (kept from X-Request-Id or generated).
      genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? '',
      customAttributeKeys: { reqId: 'requestId' },
      customProps: () => requestProps?.() ?? {},
      customLogLevel: (req: IncomingMessage, res: ServerResponse, error?: Error) => {
        if (error || res.statusCode >= 500) return 'error';
        if (res.statusCode >= 400) return 'warn';
        return QUIET_PATHS.test(req.url ?? '') ? 'debug' : 'info';
      },
      serializers: {
        req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
          remoteAddress: req.remoteAddress,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: serializeError,
      },
    },
  };
}
