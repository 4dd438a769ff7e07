// The stand-in remembers dynalite's parse of a condition expression that names no attribute names or
// values (local/dynalite-condition-memo.ts): conditions must still decide each write by its own item,
// errors must stay dynalite's, and an expression with names or values must be parsed per call.
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { memoizeConstantConditions } from '#local/dynalite-condition-memo.ts';
import { dynaliteDirect, dynaliteWithStore } from '#local/dynalite-direct.ts';
import type { DynaliteCall } from '#local/dynamodb-transactions.ts';
import { createActiveTable } from '../support/dynalite-table.ts';

const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
const parser = fromDynalite('./db/conditionParser') as { parse(input: string, options: { context: object }): unknown };
const context = (extra: object = {}): { context: object } => ({ context: { unusedAttrNames: {}, unusedAttrVals: {}, isReserved: () => false, ...extra } });

let server: Server;
let call: DynaliteCall;

beforeAll(async () => {
  memoizeConstantConditions();
  memoizeConstantConditions(); // idempotent: a second install must not wrap the wrapper
  const made = dynaliteWithStore({ createTableMs: 0, deleteTableMs: 0 });
  server = made.server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  call = dynaliteDirect(made.store);
  await createActiveTable(call, 'items');
});

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

it('reuses one frozen tree for an expression without names or values', () => {
  const first = parser.parse('attribute_not_exists(pk)', context());
  const second = parser.parse('attribute_not_exists(pk)', context());
  expect(second).toBe(first);
  expect(Object.isFrozen(first)).toBe(true);
});

it('parses per call when the call carries attribute names or values (they are resolved into the tree)', () => {
  const withNames = (name: string): unknown => parser.parse('attribute_not_exists(#k)', context({ attrNames: { '#k': name } }));
  const a = withNames('pk');
  const b = withNames('other');
  expect(a).not.toBe(b);
  expect(JSON.stringify(a)).toContain('pk');
  expect(JSON.stringify(b)).toContain('other');
  const withValues = (value: string): unknown => parser.parse('pk = :v', context({ attrVals: { ':v': { S: value } }, compare: () => false }));
  expect(JSON.stringify(withValues('x'))).toContain('"x"');
  expect(JSON.stringify(withValues('y'))).toContain('"y"');
});

it('still decides each conditional write by its own item', async () => {
  const put = (pk: string, condition: string) => call('PutItem', { TableName: 'items', Item: { pk: { S: pk }, n: { N: '1' } }, ConditionExpression: condition });
  expect((await put('a', 'attribute_not_exists(pk)')).ok).toBe(true);
  expect((await put('b', 'attribute_not_exists(pk)')).ok).toBe(true);
  const again = await put('a', 'attribute_not_exists(pk)');
  expect(again.ok).toBe(false);
  expect(String(!again.ok && again.body['__type'])).toContain('ConditionalCheckFailedException');
  // The opposite condition on the same items, remembered the same way.
  expect((await put('a', 'attribute_exists(pk)')).ok).toBe(true);
  expect((await put('c', 'attribute_exists(pk)')).ok).toBe(false);
});

it('answers an invalid expression with dynalite\'s own error every time', async () => {
  for (let i = 0; i < 2; i++) {
    const bad = await call('PutItem', { TableName: 'items', Item: { pk: { S: 'z' } }, ConditionExpression: 'attribute_not_exists(pk' });
    expect(bad.ok).toBe(false);
    expect(String(!bad.ok && bad.body['message'])).toMatch(/^Invalid ConditionExpression: Syntax error/);
    const unknown = await call('PutItem', { TableName: 'items', Item: { pk: { S: 'z' } }, ConditionExpression: 'no_such_function(pk)' });
    expect(String(!unknown.ok && unknown.body['message'])).toMatch(/Invalid function name; function: no_such_function/);
  }
});
