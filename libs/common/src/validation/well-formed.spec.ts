import { findIllFormedString, findUndecodableQueryParam } from './well-formed';

describe('findIllFormedString', () => {
  it('accepts well-formed text, surrogate pairs (emoji) included', () => {
    expect(findIllFormedString({ name: 'Café ☕ 🥐', items: [{ notes: '\ud83e\udd50' }], n: 1, x: null })).toBeNull();
    expect(findIllFormedString(undefined)).toBeNull();
  });

  it('names a value holding a lone surrogate, at any depth', () => {
    expect(findIllFormedString({ name: 'a\ud800b' })?.field).toBe('name');
    expect(findIllFormedString({ items: [{ notes: 'ok' }, { notes: '\udc00' }] })?.field).toBe('items[1].notes');
    expect(findIllFormedString({ tags: ['x', 'y\ud83e'] })).toEqual({
      field: 'tags[1]',
      message: 'tags[1] contains a lone surrogate: text must be well-formed UTF-16 (valid Unicode)',
    });
  });

  it('checks property names too', () => {
    expect(findIllFormedString({ a: { ['k\ud800']: 1 } })?.field).toBe('a.k\ufffd');
  });

  it('names the body when it is itself a string', () => {
    expect(findIllFormedString('\ud800')?.field).toBe('body');
  });
});

describe('findUndecodableQueryParam', () => {
  it('accepts plain, encoded and empty values', () => {
    expect(findUndecodableQueryParam('/x')).toBeNull();
    expect(findUndecodableQueryParam('/x?')).toBeNull();
    expect(findUndecodableQueryParam('/x?q=caf%C3%A9+latte&q=%F0%9F%A5%90&flag&empty=&a%20b=1')).toBeNull();
  });

  it('names a value that is an encoded lone surrogate, other invalid UTF-8 or a stray %', () => {
    expect(findUndecodableQueryParam('/x?limit=5&q=%ED%A0%80')).toEqual({
      field: 'q',
      message: 'q must be percent-encoded UTF-8 (no lone surrogates, no stray %)',
    });
    expect(findUndecodableQueryParam('/x?q=%80')?.field).toBe('q');
    expect(findUndecodableQueryParam('/x?q=100%')?.field).toBe('q');
    expect(findUndecodableQueryParam('/x?sort%ED%A0%80=1')?.field).toBe('sort%ED%A0%80');
  });
});
