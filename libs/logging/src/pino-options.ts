import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { stdSerializers, type Level } from 'pino';
import { databaseErrorForLog, isDatabaseError, withoutSqlLiterals } from '@coffee/common';
import type { AppConfig } from '@coffee/config';
import { requestLogMixin } from './request-log';

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

/** The level of a request's log line: failures raised, probes and scrapes quiet. */
export function requestLogLevel(req: IncomingMessage, res: ServerResponse, error?: Error): Level {
  if (error || res.statusCode >= 500) return 'error';
  if (res.statusCode >= 400) return 'warn';
  return QUIET_PATHS.test(req.url ?? '') ? 'debug' : 'info';
}

/**
 * The one pino options factory for both apps: JSON to stdout, pretty only in
 * development, secrets redacted, and on every line logged while serving a
 * request its `req` and caller (requestLogMixin). nestjs-pino's own request
 * middleware is not mounted (`forRoutes: []`): LoggingModule mounts
 * requestLogMiddleware, which logs each request once without a child logger.
 */
export function buildPinoParams(app: AppConfig): Params {
  return {
    forRoutes: [],
    pinoHttp: {
      level: app.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      transport: app.prettyLogs ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
      mixin: requestLogMixin,
      customLogLevel: requestLogLevel,
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
