import type { FieldError } from '../errors/app-error';

export interface JsonShapeLimits {
  /** Members of one object. */
  maxProperties: number;
  /** Items of one array. */
  maxItems: number;
  /** Nested objects/arrays, the body itself being depth 1. */
  maxDepth: number;
  /** Properties and items of the whole body: bounds what class-transformer and class-validator walk. */
  maxEntries: number;
}

/**
 * The contract's body shape limits (docs/security.md, "Request parsing limits").
 * The largest legitimate bodies (an order of 100 lines, a menu item with 20
 * modifier groups of 50 options) have about 5,000 entries.
 */
export const BODY_SHAPE_LIMITS: JsonShapeLimits = {
  maxProperties: 1000,
  maxItems: 1000,
  maxDepth: 10,
  maxEntries: 10_000,
};

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** One open object or array while scanning. */
interface Frame {
  isObject: boolean;
  count: number;
  /** Where the raw text of the object's current key starts and ends (inside the quotes). */
  keyStart: number;
  keyEnd: number;
}

function keyText(text: string, frame: Frame): string {
  const raw = text.slice(frame.keyStart, frame.keyEnd);
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/** `modifierGroups[3].options`, as the validation errors name fields; the body itself is `body` (`body[0]` when an array). */
function pathOf(text: string, frames: Frame[], levels: number): string {
  let path = '';
  for (const frame of frames.slice(0, levels)) {
    if (frame.isObject) {
      const key = keyText(text, frame);
      path = path === '' ? key : `${path}.${key}`;
    } else {
      path = `${path === '' ? 'body' : path}[${frame.count - 1}]`;
    }
  }
  return path === '' ? 'body' : path;
}

/**
 * Checks the shape of a JSON text before it is parsed: members per object,
 * items per array and nesting depth. One pass over the characters with a
 * stack no deeper than the limit, stopping at the first violation, so a body
 * of 75,000 keys costs a scan of its first thousand, not a parse of all of
 * them (nor class-transformer's and class-validator's recursion over them).
 *
 * Only the structure is read; whether the text is valid JSON is left to the
 * parser that runs afterwards. Returns the offending field, or null.
 */
export function findJsonShapeViolation(text: string, limits: JsonShapeLimits = BODY_SHAPE_LIMITS): FieldError | null {
  const frames: Frame[] = [];
  let entries = 0;
  // True right after `{`, `[` or `,`: the next token starts a new member or item.
  let expectingEntry = false;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (isWhitespace(code)) continue;
    const top = frames.at(-1);

    if (code === QUOTE) {
      const start = i + 1;
      i = closingQuote(text, start);
      if (top && expectingEntry) {
        expectingEntry = false;
        top.count++;
        if (top.isObject) {
          top.keyStart = start;
          top.keyEnd = i;
        }
        const violation = countViolation(text, frames, limits, ++entries);
        if (violation) return violation;
      }
      continue;
    }

    if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      frames.pop();
      expectingEntry = false;
      continue;
    }
    if (code === COMMA) {
      expectingEntry = top !== undefined;
      continue;
    }
    if (code === COLON) continue;

    // Any other token starts a value: in an array, that is a new item.
    if (top && !top.isObject && expectingEntry) {
      expectingEntry = false;
      top.count++;
      const violation = countViolation(text, frames, limits, ++entries);
      if (violation) return violation;
    }
    if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      if (frames.length === limits.maxDepth) {
        return {
          field: pathOf(text, frames, frames.length),
          message: `nests objects and arrays deeper than ${limits.maxDepth} levels`,
        };
      }
      frames.push({ isObject: code === OPEN_OBJECT, count: 0, keyStart: 0, keyEnd: 0 });
      expectingEntry = true;
    }
  }
  return null;
}

/** The index of the quote that ends the string starting at `start` (the text's length if none does). */
function closingQuote(text: string, start: number): number {
  let quote = text.indexOf('"', start);
  while (quote !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return text.length;
}

function countViolation(text: string, frames: Frame[], limits: JsonShapeLimits, entries: number): FieldError | null {
  if (entries > limits.maxEntries)
    return { field: 'body', message: `has more than ${limits.maxEntries} properties and items in all` };
  const top = frames.at(-1)!;
  const max = top.isObject ? limits.maxProperties : limits.maxItems;
  if (top.count <= max) return null;
  const what = top.isObject ? 'properties' : 'items';
  return {
    field: pathOf(text, frames, frames.length - 1),
    message: `has more than ${max} ${what}`,
  };
}
