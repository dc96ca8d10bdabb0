import type { FieldError } from '../errors/app-error';

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/**
 * Finds the first string — value or property name — that is not well-formed
 * UTF-16 (a lone surrogate, e.g. from a `"\ud800"` escape in JSON). Such a
 * string cannot be stored in a utf8mb4 column or logged faithfully, and each
 * driver mangles it differently. Iterative, so nesting cannot exhaust the stack
 * (bodies are shape-checked first anyway); a body that is itself a string is
 * named `body`.
 */
export function findIllFormedString(value: unknown): FieldError | null {
  const pending: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (pending.length > 0) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === 'string') {
      if (!current.isWellFormed()) return illFormed(path === '' ? 'body' : path);
    } else if (Array.isArray(current)) {
      current.forEach((item: unknown, index) => pending.push({ value: item, path: childPath(path, index) }));
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) {
        const itemPath = childPath(path, key);
        if (!key.isWellFormed()) return illFormed(itemPath.toWellFormed());
        pending.push({ value: item, path: itemPath });
      }
    }
  }
  return null;
}

function illFormed(field: string): FieldError {
  return { field, message: `${field} contains a lone surrogate: text must be well-formed UTF-16 (valid Unicode)` };
}

function decodeQueryPart(part: string): string | null {
  try {
    return decodeURIComponent(part.replaceAll('+', ' '));
  } catch {
    return null;
  }
}

/**
 * Finds the first query parameter whose percent-encoding does not decode to
 * well-formed text: an encoded lone surrogate (`%ED%A0%80`), other invalid
 * UTF-8, or a stray `%`. Fastify's query parser keeps such a value verbatim, so
 * `?q=%ED%A0%80` would otherwise reach a filter as the literal text `%ED%A0%80`.
 */
export function findUndecodableQueryParam(url: string): FieldError | null {
  const start = url.indexOf('?');
  if (start === -1) return null;
  for (const pair of url.slice(start + 1).split('&')) {
    const equals = pair.indexOf('=');
    const rawKey = equals === -1 ? pair : pair.slice(0, equals);
    const key = decodeQueryPart(rawKey);
    if (key === null || (equals !== -1 && decodeQueryPart(pair.slice(equals + 1)) === null)) {
      const field = key ?? rawKey;
      return { field, message: `${field} must be percent-encoded UTF-8 (no lone surrogates, no stray %)` };
    }
  }
  return null;
}
