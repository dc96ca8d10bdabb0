import fc from 'fast-check';

/** The part of an OpenAPI 3.1 document the fuzzer reads. */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface OperationRef {
  method: string;
  path: string;
  operation: Operation;
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

export function listOperations(doc: OpenApiDocument): OperationRef[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => METHODS.has(method))
      .map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );
}

/** Follows `$ref`s into `components.schemas` (the only place Nest's swagger module puts them). */
export function resolve(doc: OpenApiDocument, schema: Schema): Schema {
  let current = schema;
  for (let hops = 0; current.$ref !== undefined; hops++) {
    const name = current.$ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    if (target === undefined || hops > 20) throw new Error(`unresolvable $ref ${current.$ref}`);
    current = target;
  }
  return current;
}

/**
 * What the fuzzer knows about the world: ids that exist in the fuzzing
 * restaurant ("own") or in another one ("other"), by the name of the field or
 * path collection they fit, so valid-shaped values sometimes reach real rows.
 */
export interface FuzzWorld {
  /** e.g. `{ items: [...], menuItemId: [...] }`; keys are collection segments and property names. */
  ids: Record<string, string[]>;
  slugs: string[];
  emails: string[];
  /** Values the single-mutation base request uses by property name, so that it passes the business rules. */
  baseValues: Record<string, unknown>;
}

// ---------------------------------------------------------------- hostile values

export const HUGE_STRING = 'x'.repeat(10_000);

/** Numbers that break naive integer handling: beyond 2^53, beyond INT/BIGINT columns, fractions, negatives. */
export const hostileNumber = fc.constantFrom(
  1e21,
  -1e21,
  2 ** 31,
  2 ** 53,
  2 ** 53 + 2,
  2 ** 63,
  1e12 + 1,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  -1,
  0,
  1.5,
  -0.5,
);

/** Strings that break naive text handling: empty, 10,000 chars, lone surrogates, numbers-as-strings, NUL. */
export const hostileString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    HUGE_STRING,
    '\uD800',
    'a\uDC00b',
    '\uDBFF',
    'NaN',
    'Infinity',
    '1e21',
    '-1',
    '1.5',
    'null',
    'true',
    '0x10',
    'a\u0000b',
    "' OR 1=1 --",
    '../../etc/passwd',
    '\u202Eevil',
    '🙂'.repeat(500),
  ),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

function nested(depth: number, leaf: unknown, wrap: (inner: unknown) => unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = wrap(value);
  return value;
}

function wideObject(keys: number): Record<string, number> {
  return Object.fromEntries(Array.from({ length: keys }, (_, i) => [`k${i}`, i]));
}

/** Structures beyond the documented shape limits (1,000 keys, 1,000 items, depth 10) and prototype keys. */
export const hostileStructure = fc.constantFrom<unknown>(
  [],
  {},
  null,
  nested(12, 1, (inner) => [inner]),
  nested(60, 'deep', (inner) => ({ a: inner })),
  Array.from({ length: 1_500 }, (_, i) => i),
  wideObject(1_500),
  JSON.parse('{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"polluted":true}}}'),
);

/** Hostile values aimed at a schema's type (a number field mostly gets hostile numbers), then anything hostile. */
export function hostileFor(schema: Schema): fc.Arbitrary<unknown> {
  const numeric = types(schema).some((t) => t === 'number' || t === 'integer');
  return fc.oneof(
    { arbitrary: numeric ? hostileNumber : hostileString, weight: 3 },
    { arbitrary: hostileValue, weight: 1 },
  );
}

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileNumber, weight: 3 },
  { arbitrary: hostileString, weight: 3 },
  { arbitrary: hostileStructure, weight: 2 },
  { arbitrary: fc.constantFrom<unknown>(true, false, null), weight: 1 },
);

/** Keys a client must not be able to set (mass assignment) and plain unknown ones. */
export const unknownKey = fc.oneof(
  fc.constantFrom('restaurantId', 'id', 'role', 'createdAt', 'total', 'isAdmin', 'passwordHash', 'version'),
  fc.string({ minLength: 1, maxLength: 12 }),
);

// ---------------------------------------------------------------- valid-shaped values

const FIELD_HINTS: Record<string, fc.Arbitrary<string>> = {
  currency: fc.constantFrom('USD', 'COP', 'EUR', 'JPY', 'usd', 'XXX'),
  timezone: fc.constantFrom('UTC', 'America/Bogota', 'Europe/Berlin', 'Asia/Kolkata', 'Mars/Olympus'),
  password: fc.string({ minLength: 10, maxLength: 24 }),
  currentPassword: fc.string({ minLength: 10, maxLength: 24 }),
  newPassword: fc.string({ minLength: 10, maxLength: 24 }),
};

function knownOr(world: FuzzWorld, key: string, fallback: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const known = world.ids[key] ?? [];
  return known.length === 0 ? fallback : fc.oneof(fc.constantFrom(...known), fallback);
}

function validString(schema: Schema, name: string, world: FuzzWorld, filled = false): fc.Arbitrary<string> {
  const own = world.ids[name]?.[0];
  if (schema.format === 'uuid') return filled && own !== undefined ? fc.constant(own) : knownOr(world, name, fc.uuid());
  if (schema.format === 'date-time')
    return fc
      .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString());
  if (name === 'email')
    return world.emails.length > 0 ? fc.oneof(fc.constantFrom(...world.emails), fc.emailAddress()) : fc.emailAddress();
  if (name === 'slug' && world.slugs.length > 0)
    return fc.oneof(fc.constantFrom(...world.slugs), fc.stringMatching(/^[a-z0-9-]{3,20}$/));
  if (schema.pattern !== undefined) return fc.stringMatching(new RegExp(schema.pattern));
  const hint = FIELD_HINTS[name];
  if (hint !== undefined) return hint;
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 40, 40));
  return fc.oneof(
    { arbitrary: fc.string({ minLength, maxLength }), weight: 3 },
    { arbitrary: fc.string({ unit: 'grapheme', minLength, maxLength }), weight: 1 },
    // The documented bounds themselves: valid, and where off-by-one bugs live.
    { arbitrary: fc.constant('y'.repeat(schema.maxLength ?? minLength)), weight: 1 },
  );
}

function validNumber(schema: Schema, name: string): fc.Arbitrary<number> {
  // Optimistic-locking versions start at 1: small ones sometimes match and let the write through.
  if (name === 'version') return fc.oneof(fc.constantFrom(1, 2, 3), fc.nat(1_000));
  const min = schema.minimum ?? 0;
  const max = schema.maximum ?? Math.max(min, 10_000);
  return fc.oneof(
    { arbitrary: fc.integer({ min, max }), weight: 4 },
    { arbitrary: fc.constantFrom(min, max), weight: 1 },
  );
}

function types(schema: Schema): string[] {
  if (schema.type === undefined) return schema.properties ? ['object'] : [];
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

export interface ValueOptions {
  /** Relative weight of a hostile value against 4 for a valid-shaped one, at every node; 0 for all-valid. */
  hostility: number;
  /** Every optional property present and every array non-empty: the base that single mutations start from. */
  filled?: boolean;
}

/**
 * Values for a schema. With `hostility` 0 they are valid-shaped (what a correct
 * client would send, except for ids and cross-field rules); otherwise every
 * node may be swapped for a hostile value, an array of valid values where a
 * scalar belongs, and objects may gain unknown keys or lose required ones.
 */
export function valueFor(
  doc: OpenApiDocument,
  raw: Schema,
  world: FuzzWorld,
  options: ValueOptions,
  name = '',
  depth = 0,
): fc.Arbitrary<unknown> {
  const schema = resolve(doc, raw);
  const valid = validValueFor(doc, schema, world, options, name, depth);
  if (options.hostility === 0) return valid;
  const asArray = types(schema).some((t) => t !== 'array' && t !== 'object')
    ? [{ arbitrary: fc.array(valid, { minLength: 1, maxLength: 3 }) as fc.Arbitrary<unknown>, weight: 1 }]
    : [];
  return fc.oneof(
    { arbitrary: valid, weight: 4 },
    { arbitrary: hostileFor(schema), weight: options.hostility },
    ...asArray,
  );
}

function validValueFor(
  doc: OpenApiDocument,
  schema: Schema,
  world: FuzzWorld,
  options: ValueOptions,
  name: string,
  depth: number,
): fc.Arbitrary<unknown> {
  if (schema.enum !== undefined && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const alternatives = types(schema).map((type): fc.Arbitrary<unknown> => {
    switch (type) {
      case 'string':
        return validString(schema, name, world, options.filled);
      case 'number':
      case 'integer':
        return validNumber(schema, name);
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array': {
        const maxLength = Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3));
        const itemName = name.endsWith('Ids') ? name.slice(0, -1) : name;
        return depth > 4
          ? fc.constant([])
          : fc.array(valueFor(doc, schema.items ?? {}, world, options, itemName, depth + 1), {
              minLength: Math.max(schema.minItems ?? 0, options.filled ? 1 : 0),
              maxLength,
            });
      }
      case 'object':
        return objectFor(doc, schema, world, options, depth);
      default:
        return hostileValue;
    }
  });
  if (alternatives.length === 0) return fc.anything();
  return alternatives.length === 1 ? alternatives[0] : fc.oneof(...alternatives);
}

function objectFor(
  doc: OpenApiDocument,
  schema: Schema,
  world: FuzzWorld,
  options: ValueOptions,
  depth: number,
): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const model = Object.fromEntries(
    Object.entries(properties).map(([key, property]) => [
      key,
      options.filled && key in world.baseValues
        ? fc.constant(world.baseValues[key])
        : depth > 4
          ? fc.constant(null)
          : valueFor(doc, property, world, options, key, depth + 1),
    ]),
  );
  const record = fc.record(model, {
    requiredKeys: Object.keys(properties).filter((key) => options.filled || required.has(key)),
  });
  if (options.hostility === 0) return record;
  return fc
    .tuple(
      record,
      fc.oneof(
        { arbitrary: fc.constant([] as [string, unknown][]), weight: 4 },
        {
          arbitrary: fc.array(fc.tuple(unknownKey, hostileValue), { minLength: 1, maxLength: 2 }),
          weight: 1,
        },
      ),
      fc.oneof(
        { arbitrary: fc.constant<string | null>(null), weight: 4 },
        {
          arbitrary: required.size > 0 ? fc.constantFrom<string | null>(...required) : fc.constant(null),
          weight: 1,
        },
      ),
    )
    .map(([value, extra, dropped]) => {
      const result: Record<string, unknown> = { ...value };
      if (dropped !== null) delete result[dropped];
      for (const [key, v] of extra) Object.defineProperty(result, key, { value: v, enumerable: true, writable: true });
      return result;
    });
}

// ---------------------------------------------------------------- whole requests

export type BodyPlan =
  | { kind: 'none' }
  | { kind: 'json'; contentType: string; value: unknown }
  | { kind: 'raw'; contentType: string | null; text: string | Buffer };

export interface FuzzRequest {
  method: string;
  /** The documented template, e.g. `/api/v1/menu/items/{id}`. */
  operation: string;
  /** Path and query, percent-encoded as sent. */
  url: string;
  headers: Record<string, string>;
  body: BodyPlan;
}

/**
 * `encodeURIComponent` throws on a lone surrogate; a client can still send
 * the bytes, so encode it as the three bytes WTF-8 would use. Dots are encoded
 * too so that `..` stays a value instead of being resolved by the client.
 */
export function encodeUrlValue(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (char.length === 1 && code >= 0xd800 && code <= 0xdfff)
      out +=
        `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
    else out += encodeURIComponent(char).replace(/\./g, '%2E');
  }
  return out;
}

const hostileIdString = fc.oneof(
  hostileString,
  fc.constantFrom(
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '0193f5c2-1d2e-7a8b-9c0d-1e2f3a4b5c6d-extra',
    '..',
    '%',
    'null',
    'undefined',
  ),
  fc.uuid().map((id) => id.toUpperCase()),
);

function pathValue(path: string, param: Parameter, world: FuzzWorld): fc.Arbitrary<string> {
  const before =
    path
      .split('/{' + param.name + '}')[0]
      .split('/')
      .pop() ?? '';
  const known = param.name === 'slug' ? world.slugs : (world.ids[before] ?? []);
  return fc.oneof(
    ...(known.length > 0 ? [{ arbitrary: fc.constantFrom(...known), weight: 4 }] : []),
    { arbitrary: param.name === 'slug' ? fc.stringMatching(/^[a-z0-9-]{3,20}$/) : fc.uuid(), weight: 1 },
    { arbitrary: hostileIdString, weight: 2 },
  );
}

/** Query values are text: valid-shaped ones printed as a client would, hostile ones as any text, or repeated keys. */
function queryValues(doc: OpenApiDocument, param: Parameter, world: FuzzWorld): fc.Arbitrary<string[]> {
  const valid = valueFor(doc, param.schema ?? {}, world, { hostility: 0 }, param.name).map((v) => String(v));
  const hostile = fc.oneof(hostileFor(param.schema ?? {}).map(String), fc.constant('9'.repeat(400)));
  return fc.oneof(
    { arbitrary: valid.map((v) => [v]), weight: 3 },
    { arbitrary: hostile.map((v) => [v]), weight: 2 },
    { arbitrary: fc.array(valid, { minLength: 2, maxLength: 3 }), weight: 1 },
  );
}

const idempotencyKey = fc.oneof(
  { arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{8,128}$/), weight: 4 },
  {
    arbitrary: fc.constantFrom('', 'short', 'has space in it', 'k'.repeat(129), 'ünïcödé-key', '../../../../'),
    weight: 1,
  },
);

/** Header values must be Latin-1 without CR/LF for Node to send them at all. */
function headerValue(param: Parameter): fc.Arbitrary<string | undefined> {
  const value =
    param.name.toLowerCase() === 'idempotency-key'
      ? idempotencyKey
      : fc.oneof(fc.string({ maxLength: 40 }), fc.constant('h'.repeat(4_000)));
  return param.required
    ? fc.oneof({ arbitrary: value, weight: 6 }, { arbitrary: fc.constant(undefined), weight: 1 })
    : fc.option(value, { nil: undefined });
}

const extraHeaders = fc.oneof(
  { arbitrary: fc.constant<Record<string, string>>({}), weight: 6 },
  {
    arbitrary: fc.constantFrom<Record<string, string>>(
      { 'x-request-id': 'r'.repeat(200) },
      { 'x-request-id': '<script>alert(1)</script>' },
      { accept: 'application/xml' },
      { 'if-none-match': '"' + 'e'.repeat(2_000) + '"' },
      { 'x-csrf-token': 'forged' },
      { 'content-encoding': 'gzip' },
    ),
    weight: 1,
  },
);

/** Just over the 1 MiB body limit. */
export const OVERSIZED_BODY = JSON.stringify({ blob: 'b'.repeat(1024 * 1024 + 16) });

const malformedJson = fc.constantFrom<string | Buffer>(
  '',
  '{',
  '{"a":1,}',
  "{'a':1}",
  'nul',
  '[',
  '{"a":1}{"b":2}',
  '1e999',
  '{"n":1e999}',
  'NaN',
  '"\\ud800"',
  '{"__proto__":{"polluted":true}}',
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), // {"a":"<invalid UTF-8>"}
  Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), // a UTF-8 BOM before {}
);

const wrongContentType = fc.constantFrom(
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'application/xml',
  'application/json; charset=utf-16le',
  'application/octet-stream',
);

function bodyPlan(doc: OpenApiDocument, operation: Operation, world: FuzzWorld): fc.Arbitrary<BodyPlan> {
  const schema = operation.requestBody?.content['application/json']?.schema;
  const json = (value: fc.Arbitrary<unknown>): fc.Arbitrary<BodyPlan> =>
    fc.record({
      kind: fc.constant('json' as const),
      contentType: fc.oneof(
        { arbitrary: fc.constant('application/json'), weight: 6 },
        { arbitrary: fc.constantFrom('application/json; charset=utf-8', 'Application/JSON'), weight: 1 },
      ),
      value,
    });
  const raw = (contentType: fc.Arbitrary<string | null>, text: fc.Arbitrary<string | Buffer>): fc.Arbitrary<BodyPlan> =>
    fc.record({ kind: fc.constant('raw' as const), contentType, text });
  const invalidJson = raw(fc.constant('application/json'), malformedJson);
  if (schema === undefined)
    return fc.oneof(
      { arbitrary: fc.constant<BodyPlan>({ kind: 'none' }), weight: 8 },
      { arbitrary: json(hostileValue), weight: 1 },
      { arbitrary: invalidJson, weight: 1 },
    );
  const validShaped = valueFor(doc, schema, world, { hostility: 0 });
  return fc.oneof(
    { arbitrary: json(validShaped), weight: 30 },
    { arbitrary: json(valueFor(doc, schema, world, { hostility: 1 })), weight: 50 },
    { arbitrary: json(hostileValue), weight: 10 },
    {
      arbitrary: raw(
        fc.oneof(wrongContentType, fc.constant(null)),
        validShaped.map((v) => JSON.stringify(v) ?? ''),
      ),
      weight: 1,
    },
    { arbitrary: invalidJson, weight: 10 },
    { arbitrary: raw(fc.constant('application/json'), fc.constant(OVERSIZED_BODY)), weight: 3 },
    { arbitrary: fc.constant<BodyPlan>({ kind: 'none' }), weight: 5 },
  );
}

/** A whole request for one operation: path values, query, headers and body, each valid-shaped or hostile. */
export function requestFor(doc: OpenApiDocument, ref: OperationRef, world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  const parameters = ref.operation.parameters ?? [];
  const pathParams = parameters.filter((p) => p.in === 'path');
  const queryParams = parameters.filter((p) => p.in === 'query');
  const headerParams = parameters.filter((p) => p.in === 'header');

  const path = fc
    .tuple(...pathParams.map((p) => pathValue(ref.path, p, world)))
    .map((values) => pathParams.reduce((url, p, i) => url.replace(`{${p.name}}`, encodeUrlValue(values[i])), ref.path));
  const query = fc
    .tuple(
      fc.tuple(...queryParams.map((p) => fc.option(queryValues(doc, p, world), { nil: undefined, freq: 2 }))),
      fc.option(fc.tuple(unknownKey, hostileString), { nil: undefined, freq: 6 }),
    )
    .map(([values, unknown]) => {
      const pairs: [string, string][] = [];
      queryParams.forEach((p, i) => values[i]?.forEach((v) => pairs.push([p.name, v])));
      if (unknown !== undefined) pairs.push(unknown);
      return pairs.map(([k, v]) => `${encodeUrlValue(k)}=${encodeUrlValue(v)}`).join('&');
    });
  const headers = fc.tuple(fc.tuple(...headerParams.map(headerValue)), extraHeaders).map(([values, extra]) => {
    const result: Record<string, string> = { ...extra };
    headerParams.forEach((p, i) => {
      const value = values[i];
      if (value !== undefined) result[p.name.toLowerCase()] = value;
    });
    return result;
  });

  return fc
    .record({ path, query, headers, body: bodyPlan(doc, ref.operation, world) })
    .map(({ path, query, headers, body }) => ({
      method: ref.method,
      operation: ref.path,
      url: query === '' ? path : `${path}?${query}`,
      headers,
      body,
    }))
    .filter(fitsNodeHeaderLimit);
}

/**
 * Node's HTTP parser refuses a request line plus headers over 16 KiB (431)
 * before Fastify routes it; the fuzz stays under that so every request reaches
 * the application (credentials and fixed headers take the remaining room).
 */
function fitsNodeHeaderLimit(req: FuzzRequest): boolean {
  const headerBytes = Object.entries(req.headers).reduce((sum, [k, v]) => sum + k.length + v.length + 4, 0);
  return req.url.length + headerBytes <= 14 * 1024;
}

// ---------------------------------------------------------------- printing

/** Long strings and collections shortened so a counterexample stays readable; lone surrogates stay visible as `\ud800`. */
export function abbreviate(value: unknown): unknown {
  if (typeof value === 'string')
    return value.length > 60 ? `${value.slice(0, 20)}…(${value.length} chars of ${JSON.stringify(value[0])})` : value;
  if (Array.isArray(value))
    return value.length > 12
      ? [...value.slice(0, 3).map(abbreviate), `…(${value.length} items)`]
      : value.map(abbreviate);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    const shown = entries.length > 12 ? [...entries.slice(0, 3), ['…', `(${entries.length} keys)`]] : entries;
    return Object.fromEntries(shown.map(([k, v]) => [k, abbreviate(v)]));
  }
  if (typeof value === 'number' && !Number.isSafeInteger(value)) return `${value} (number)`;
  return value;
}

export function describeRequest(req: FuzzRequest): string {
  const url = req.url.length > 300 ? `${req.url.slice(0, 200)}…(${req.url.length} chars)` : req.url;
  const lines = [`${req.method} ${url}`];
  for (const [name, value] of Object.entries(req.headers)) lines.push(`${name}: ${JSON.stringify(abbreviate(value))}`);
  const body = req.body;
  if (body.kind === 'json')
    lines.push(`content-type: ${body.contentType}`, `body: ${JSON.stringify(abbreviate(body.value))}`);
  if (body.kind === 'raw') {
    const text = Buffer.isBuffer(body.text)
      ? `<bytes ${body.text.toString('hex')}>`
      : JSON.stringify(abbreviate(body.text));
    lines.push(`content-type: ${body.contentType ?? '(none)'}`, `raw body: ${text}`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- systematic single mutations

/** The hostile values every query parameter and every body field is tried with, one at a time. */
export const CORE_HOSTILE: unknown[] = [1e21, 2 ** 53, -1, 1.5, '', HUGE_STRING, '\uD800', '1e21', [], {}, null];

type PathKey = string | number;

function leafPaths(value: unknown, prefix: PathKey[] = []): PathKey[][] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => leafPaths(v, [...prefix, i]))];
  if (value !== null && typeof value === 'object')
    return [prefix, ...Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...prefix, k]))];
  return [prefix];
}

function replaceAt(value: unknown, path: PathKey[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<PathKey, unknown>;
  copy[head] = replaceAt(copy[head], rest, replacement);
  return copy;
}

/**
 * A valid-shaped request with every field present, then that request with one
 * query parameter or one body field (at any depth: `items[0].quantity`,
 * `modifierGroups[0].options[0].priceDelta`) swapped for each CORE_HOSTILE
 * value. Random runs rarely hit one exact value in one exact field; these do,
 * deterministically, and the random runs cover the combinations.
 */
export function singleMutations(
  doc: OpenApiDocument,
  ref: OperationRef,
  world: FuzzWorld,
  seed: number,
): FuzzRequest[] {
  const parameters = ref.operation.parameters ?? [];
  const path = parameters
    .filter((p) => p.in === 'path')
    .reduce((url, p) => {
      const collection = ref.path.split(`/{${p.name}}`)[0].split('/').pop() ?? '';
      const own =
        (p.name === 'slug' ? world.slugs : world.ids[collection])?.[0] ?? '00000000-0000-4000-8000-000000000000';
      return url.replace(`{${p.name}}`, own);
    }, ref.path);
  const schema = ref.operation.requestBody?.content['application/json']?.schema;
  const value =
    schema === undefined
      ? undefined
      : fc.sample(valueFor(doc, schema, world, { hostility: 0, filled: true }), { seed, numRuns: 1 })[0];
  const variants: { query?: string; value?: unknown }[] = [];
  for (const param of parameters.filter((p) => p.in === 'query'))
    for (const hostile of CORE_HOSTILE.filter((v) => typeof v !== 'object' || v === null))
      variants.push({ query: `${encodeUrlValue(param.name)}=${encodeUrlValue(String(hostile))}`, value });
  if (value !== undefined)
    for (const at of leafPaths(value))
      for (const hostile of CORE_HOSTILE) variants.push({ value: replaceAt(value, at, hostile) });
  // Each mutation its own Idempotency-Key, so a placement is never answered from an earlier mutation's replay.
  const idempotent = parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key');
  return variants
    .map(({ query, value: v }, i): FuzzRequest => ({
      method: ref.method,
      operation: ref.path,
      url: query === undefined ? path : `${path}?${query}`,
      headers: idempotent ? { 'idempotency-key': `mutation-${seed >>> 0}-${i}` } : {},
      body: v === undefined ? { kind: 'none' } : { kind: 'json', contentType: 'application/json', value: v },
    }))
    .filter(fitsNodeHeaderLimit);
}
