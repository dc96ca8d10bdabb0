import type { ErrorEvent, EventHint } from '@sentry/node';
import { isDatabaseError, withoutSqlLiterals } from '@coffee/common';

/** The request headers an error event keeps; every other one (authorization, cookie, x-csrf-token, …) is dropped. */
export const SAFE_REQUEST_HEADERS = ['host', 'user-agent', 'accept', 'content-type', 'content-length', 'x-request-id'];

/** Keys whose values never leave the process, wherever they appear in an event's extra data or contexts. */
const SECRET_KEY = /pass(word|wd)?|pwd|secret|token|auth|cookie|session|csrf|jwt|api[-_]?key|credential|dsn/i;

/** Credentials as they appear inside text (an error message): bearer values, JWTs, API keys. */
const SECRET_TEXT = [
  /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi,
  /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g,
  /\bck_live_[A-Za-z0-9_-]+/g,
];

export const REDACTED = '[redacted]';

export function redactText(text: string): string {
  return SECRET_TEXT.reduce((result, pattern) => result.replace(pattern, REDACTED), text);
}

function redactValues(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((item) => redactValues(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, SECRET_KEY.test(key) ? REDACTED : redactValues(item, depth + 1)]),
  );
}

/**
 * The last word on what an error event carries (`beforeSend`), whatever the
 * SDK collected: of the request only its method, path and a few harmless
 * headers (no cookies, authorization, body or query string); of the user only
 * the id; no breadcrumbs; secret-looking keys and credentials in text
 * redacted; a database error's message without its quoted literals (an error
 * reported by the problem filter or a job has lost them already). The SDK is
 * also configured to collect none of it; this holds even if a default changes.
 */
export function scrubEvent(event: ErrorEvent, hint?: EventHint): ErrorEvent {
  const fromDatabase = isDatabaseError(hint?.originalException);
  if (event.request) {
    const { method, url, headers } = event.request;
    event.request = {
      method,
      url: url?.split('?')[0],
      headers: Object.fromEntries(
        Object.entries(headers ?? {}).filter(([name]) => SAFE_REQUEST_HEADERS.includes(name.toLowerCase())),
      ),
    };
  }
  if (event.user) event.user = event.user.id === undefined ? undefined : { id: event.user.id };
  delete event.breadcrumbs;
  if (event.extra) event.extra = redactValues(event.extra) as ErrorEvent['extra'];
  if (event.contexts) event.contexts = redactValues(event.contexts) as ErrorEvent['contexts'];
  if (event.message) event.message = redactText(event.message);
  for (const exception of event.exception?.values ?? []) {
    if (exception.value)
      exception.value = redactText(fromDatabase ? withoutSqlLiterals(exception.value) : exception.value);
  }
  return event;
}
