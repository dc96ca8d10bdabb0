import { findJsonShapeViolation, type JsonShapeLimits } from './json-shape';

const small: JsonShapeLimits = { maxProperties: 3, maxItems: 2, maxDepth: 3, maxEntries: 100 };

function objectOf(count: number): Record<string, number> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, i]));
}

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

describe('findJsonShapeViolation', () => {
  it('accepts bodies at the default limits: 1,000 properties, 1,000 items, depth 10', () => {
    expect(findJsonShapeViolation(JSON.stringify(objectOf(1000)))).toBeNull();
    expect(findJsonShapeViolation(JSON.stringify({ items: Array.from({ length: 1000 }, () => ({})) }))).toBeNull();
    expect(findJsonShapeViolation(JSON.stringify(nested(10)))).toBeNull();
  });

  it('refuses one over each default limit', () => {
    expect(findJsonShapeViolation(JSON.stringify(objectOf(1001)))).toEqual({
      field: 'body',
      message: 'has more than 1000 properties',
    });
    expect(findJsonShapeViolation(JSON.stringify({ items: new Array(1001).fill(0) }))).toEqual({
      field: 'items',
      message: 'has more than 1000 items',
    });
    expect(findJsonShapeViolation(JSON.stringify(nested(11)))?.message).toBe(
      'nests objects and arrays deeper than 10 levels',
    );
  });

  it('names the offending field as validation errors do, decoding escaped keys', () => {
    const body = { a: { 'we\\"ird': [1, { b: [1, 2, 3] }] } };
    expect(findJsonShapeViolation(JSON.stringify(body), { ...small, maxDepth: 5 })).toEqual({
      field: 'a.we\\"ird[1].b',
      message: 'has more than 2 items',
    });
    expect(findJsonShapeViolation(JSON.stringify({ x: [[[1]]] }), small)).toEqual({
      field: 'x[0][0]',
      message: 'nests objects and arrays deeper than 3 levels',
    });
    expect(findJsonShapeViolation('[1,2,3]', small)).toEqual({ field: 'body', message: 'has more than 2 items' });
  });

  it('counts only structure: brackets, commas and quotes inside strings are text', () => {
    const body = { a: '{[,,,]}', b: 'say \\"hi\\", {{{{', c: ['[', ']'] };
    expect(findJsonShapeViolation(JSON.stringify(body), small)).toBeNull();
    expect(findJsonShapeViolation(' { "a" : [ 1 , 2 ] , "b" : { } } ', small)).toBeNull();
    expect(findJsonShapeViolation('{"a":[],"b":{},"c":null,"d":true}', small)?.message).toBe(
      'has more than 3 properties',
    );
  });

  it('counts every kind of item in arrays', () => {
    expect(findJsonShapeViolation('[true, null]', small)).toBeNull();
    expect(findJsonShapeViolation('[-1.5e3, "x", {}]', small)?.message).toBe('has more than 2 items');
    expect(findJsonShapeViolation('[[], []]', small)).toBeNull();
    expect(findJsonShapeViolation('[[], [], []]', small)?.field).toBe('body');
  });

  it('refuses more than 10,000 properties and items in all', () => {
    const body = (last: number) =>
      JSON.stringify(
        Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, new Array(i === 9 ? last : 1000).fill(0)])),
      );
    expect(findJsonShapeViolation(body(990))).toBeNull();
    expect(findJsonShapeViolation(body(991))).toEqual({
      field: 'body',
      message: 'has more than 10000 properties and items in all',
    });
  });

  it('stops at the first violation without reading the rest', () => {
    const text = `{${Array.from({ length: 1001 }, (_, i) => `"k${i}":1`).join(',')},"rest": this is not JSON`;
    expect(findJsonShapeViolation(text)?.field).toBe('body');
  });

  it('leaves invalid JSON within the limits to the parser', () => {
    expect(findJsonShapeViolation('{"a": [1, 2')).toBeNull();
    expect(findJsonShapeViolation('}}]]')).toBeNull();
    expect(findJsonShapeViolation('"unterminated')).toBeNull();
  });
});
