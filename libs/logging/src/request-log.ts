import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Level, Logger } from 'pino';

/** The caller fields a request's log lines carry once authentication names them. */
export interface RequestLogFields {
  restaurantId?: string | null;
  userId?: string | null;
  apiKeyId?: string | null;
}

/** What every log line of one request carries: the request (serialized by the `req` serializer) and its caller. */
interface RequestLogStore extends RequestLogFields {
  req: IncomingMessage;
}

const requestLogStorage = new AsyncLocalStorage<RequestLogStore>();

/**
 * pino's `mixin`: the fields of the request being served, if any. Every line
 * logged while serving a request (by any logger: Nest's, PinoLogger, the
 * request line itself) gets `req` and the caller's ids this way, with no child
 * logger made per request. A child logger per request (what pino-http does)
 * serializes and redacts its bindings when it is made and gives each request
 * a logger object with a prototype of its own; this copies four fields per line
 * (a copy: pino merges the line's own fields into what the mixin returns).
 */
export function requestLogMixin(): object {
  const store = requestLogStorage.getStore();
  return store ? { ...store } : {};
}

/**
 * Names the caller on every later log line of the current request, the
 * "request completed" line included. Outside a request it does nothing.
 */
export function assignRequestLogFields(fields: RequestLogFields): void {
  const store = requestLogStorage.getStore();
  if (store) Object.assign(store, fields);
}

/** The level of a request's completion line, from its URL, status and error (see buildPinoParams). */
export type RequestLogLevel = (req: IncomingMessage, res: ServerResponse, error?: Error) => Level;

/**
 * Logs each request once, when its response closes (sent or aborted), as
 * pino-http did: `req`, the caller's ids, `res`, `responseTime` and "request
 * completed" (or "request errored" with `err` from 500 on), at the level
 * `levelOf` gives. Lines logged while the request runs carry `req` and the
 * caller's ids through {@link requestLogMixin}.
 */
export function requestLogMiddleware(
  logger: () => Logger,
  levelOf: RequestLogLevel,
): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  return (req, res, next) => {
    const store: RequestLogStore = { req };
    const startedAt = Date.now();
    res.once('close', () => {
      const responseTime = Date.now() - startedAt;
      const failed = res.statusCode >= 500;
      const level = levelOf(req, res, undefined);
      const log = logger();
      if (!log.isLevelEnabled(level)) return;
      // Inside the request's own store, so the mixin adds its req and caller fields (and no other request's).
      requestLogStorage.run(store, () => {
        if (failed)
          log[level](
            { res, err: new Error(`failed with status code ${res.statusCode}`), responseTime },
            'request errored',
          );
        else log[level]({ res, responseTime }, 'request completed');
      });
    });
    requestLogStorage.run(store, next);
  };
}
