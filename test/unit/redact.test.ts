// The shared redaction step: key-shaped values and registered secrets never survive it.
import { afterEach, describe, expect, it } from 'vitest';
import { clearRegisteredSecrets, redact, redactDeep, registerSecrets } from '#core/shared/redact.ts';

afterEach(() => clearRegisteredSecrets());

describe('redact', () => {
  it.each([
    ['Incorrect API key provided: sk-proj-abcdefghijklmnop1234. You can find your key at ...', 'sk-proj-abcdefghijklmnop1234'],
    ['{"headers":{"Authorization":"Bearer abc.def-123456789"}}', 'abc.def-123456789'],
    ['x-api-key: sk-ant-api03-0123456789abcdef', 'sk-ant-api03-0123456789abcdef'],
    ['"x-api-key":"plainsecretvalue99"', 'plainsecretvalue99'],
    ['GET https://generativelanguage.googleapis.com/v1/models?key=AIzaSyA1234567890abcdefghijklmnopqrstu', 'AIzaSyA1234567890abcdefghijklmnopqrstu'],
    ['credentials AKIAIOSFODNN7EXAMPLE and aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['credentials AKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLE'],
    ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N'],
  ])('removes the credential from %s', (text, secret) => {
    const out = redact(text);
    expect(out).not.toContain(secret);
    expect(out).toContain('[REDACTED]');
  });

  it('removes registered secrets of any shape, and leaves ordinary text alone', () => {
    registerSecrets(['plain-provider-token-without-a-prefix']);
    expect(redact('echo: plain-provider-token-without-a-prefix!')).toBe('echo: [REDACTED]!');
    expect(redact('rate limit reached for gpt-5.4; retry in 2 s')).toBe('rate limit reached for gpt-5.4; retry in 2 s');
  });

  it('redacts every string of a nested value, errors included', () => {
    const out = JSON.stringify(redactDeep({ a: ['Bearer sk-lr-aaaaaaaaaaaaaaaaaaaa'], e: new Error('key sk-abcdefghijkl') }));
    expect(out).not.toMatch(/sk-[a-z]{8}/);
  });
});
