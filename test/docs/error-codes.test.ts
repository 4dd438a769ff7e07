// The error tables of docs/api.md and the router's source agree both ways: every documented code is
// one the router (functions/) or its API Gateway (lib/) can return, and every code they can return is
// documented. Codes are read from the source with the TypeScript compiler (test/support/error-codes.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { documentedCodes, routerErrorCodes } from '../support/error-codes.ts';

const repo = process.cwd();
const returnable = routerErrorCodes(repo, ['functions', 'lib']);
const documented = documentedCodes(readFileSync('docs/api.md', 'utf8'), '## Errors');

describe('docs/api.md error tables', () => {
  it('finds codes on both sides (the readers are not vacuous)', () => {
    expect(returnable.size).toBeGreaterThan(20);
    expect(documented.size).toBeGreaterThan(20);
    expect(returnable.get('invalid_request')).toEqual(expect.arrayContaining(['functions/core/routing/hints.ts', 'lib/constructs/api.ts']));
  });

  it('documents only codes the router can return', () => {
    expect([...documented].filter((code) => !returnable.has(code))).toEqual([]);
  });

  it('documents every code the router can return', () => {
    const missing = [...returnable.entries()].filter(([code]) => !documented.has(code)).map(([code, from]) => `${code} (${[...new Set(from)].join(', ')})`);
    expect(missing).toEqual([]);
  });
});
