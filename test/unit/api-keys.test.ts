import { describe, expect, it } from 'vitest';
import {
  apiKeyPattern,
  constantTimeEqual,
  generateApiKey,
  hashApiKey,
  isApiKeyFormat,
  keyIdFromHash,
  bearerPattern,
  parseBearer,
} from '#core/auth/api-keys.ts';

describe('generateApiKey', () => {
  it('makes sk-lr- plus 43 base64url characters', () => {
    const key = generateApiKey();
    expect(key).toMatch(/^sk-lr-[A-Za-z0-9_-]{43}$/);
    expect(apiKeyPattern.test(key)).toBe(true);
    expect(Buffer.from(key.slice(6), 'base64url')).toHaveLength(32);
  });

  it('never repeats', () => {
    const keys = new Set(Array.from({ length: 200 }, generateApiKey));
    expect(keys.size).toBe(200);
  });
});

describe('hashApiKey / keyIdFromHash', () => {
  it('is SHA-256 hex', () => {
    // sha256("abc")
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashApiKey(generateApiKey())).toMatch(/^[0-9a-f]{64}$/);
  });

  it('derives key_ + first 12 hex chars', () => {
    const hash = hashApiKey('abc');
    expect(keyIdFromHash(hash)).toBe('key_ba7816bf8f01');
  });
});

describe('isApiKeyFormat', () => {
  it.each([
    ['sk-lr-' + 'a'.repeat(43), true],
    ['sk-lr-' + 'a'.repeat(42), false],
    ['sk-lr-' + 'a'.repeat(44), false],
    ['sk-' + 'a'.repeat(46), false],
    ['sk-lr-' + 'a'.repeat(42) + '=', false],
    ['', false],
  ])('%s -> %s', (key, ok) => {
    expect(isApiKeyFormat(key)).toBe(ok);
  });
});

describe('parseBearer', () => {
  const key = `sk-lr-${'a'.repeat(43)}`;
  it.each([
    [`Bearer ${key}`, key],
    [`bearer ${key}`, key],
  ])('%j -> %j', (header, token) => {
    expect(parseBearer(header)).toBe(token);
  });

  // Exactly what API Gateway's validationRegex (bearerPattern) refuses: the local runtime must refuse it too.
  it.each([undefined, null, '', key, 'Basic dXNlcjpwdw==', 'Bearer', 'Bearer a b', `BEARER ${key}`, `Bearer\t${key}`,
    `Bearer  ${key}`, ` Bearer ${key}`, `Bearer ${key} `, `Bearer ${key}x`, 'Bearer sk-lr-abc'])('%j -> undefined', (header) => {
    expect(parseBearer(header)).toBeUndefined();
  });

  it('is the pattern API Gateway validates the header with', () => {
    expect(bearerPattern.test(`Bearer ${key}`)).toBe(true);
    expect(bearerPattern.source.startsWith('^[Bb]earer ')).toBe(true);
  });
});

describe('constantTimeEqual', () => {
  it('compares strings', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});
