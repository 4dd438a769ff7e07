// The stand-in front's direct item calls (local/dynalite-direct.ts) run dynalite's own checks and
// actions on its store without its HTTP layer: each call must answer exactly as dynalite's handler does
// for the same input (status and body, errors included), and leave the caller's input untouched.
import type { Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dynaliteDirect, dynaliteWithStore } from '#local/dynalite-direct.ts';
import { dynaliteInProcess } from '#local/dynalite-in-process.ts';
import type { DynaliteCall } from '#local/dynamodb-transactions.ts';
import { createActiveTable } from '../support/dynalite-table.ts';

let server: Server;
let direct: DynaliteCall;
let handler: DynaliteCall;

beforeAll(async () => {
  const made = dynaliteWithStore({ createTableMs: 0, deleteTableMs: 0 });
  server = made.server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  direct = dynaliteDirect(made.store);
  const inProcess = dynaliteInProcess(server);
  // The same call through dynalite's request handler, as the front sends every other operation.
  handler = async (operation, input) => {
    const body = Buffer.from(JSON.stringify(input));
    const answer = await inProcess({
      method: 'POST', url: '/', body,
      headers: {
        'content-type': 'application/x-amz-json-1.0', 'content-length': String(body.length), 'x-amz-target': `DynamoDB_20120810.${operation}`,
        'x-amz-date': '20260101T000000Z', authorization: 'AWS4-HMAC-SHA256 Credential=l/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
    });
    const parsed = JSON.parse(answer.body || '{}') as Record<string, unknown>;
    return answer.status === 200 ? { ok: true, body: parsed } : { ok: false, status: answer.status, body: parsed };
  };
  await createActiveTable(handler, 'items');
});

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

/** The two ways' answers for one call on two keys that hold the same item (so their state matches). */
async function both(operation: string, input: (pk: string) => Record<string, unknown>): Promise<[unknown, unknown]> {
  const viaDirect = await direct(operation, input('direct'));
  const viaHandler = await handler(operation, input('handler'));
  // JSON shape only: the handler's answer went through JSON, the direct one did not.
  return [JSON.parse(JSON.stringify(viaDirect).replaceAll('direct', 'KEY')), JSON.parse(JSON.stringify(viaHandler).replaceAll('handler', 'KEY'))];
}

it('answers puts, conditional failures, updates and reads as dynalite\'s handler does', async () => {
  const item = (pk: string) => ({ pk: { S: pk }, n: { N: '1' }, tags: { SS: ['a', 'b'] } });
  const calls: Array<[string, (pk: string) => Record<string, unknown>]> = [
    ['PutItem', (pk) => ({ TableName: 'items', Item: item(pk), ConditionExpression: 'attribute_not_exists(pk)', ReturnValues: 'ALL_OLD' })],
    // The same put again: the condition fails, with dynalite's ConditionalCheckFailedException.
    ['PutItem', (pk) => ({ TableName: 'items', Item: item(pk), ConditionExpression: 'attribute_not_exists(pk)' })],
    ['UpdateItem', (pk) => ({ TableName: 'items', Key: { pk: { S: pk } }, UpdateExpression: 'ADD n :one SET #w = :w', ExpressionAttributeNames: { '#w': 'word' }, ExpressionAttributeValues: { ':one': { N: '2' }, ':w': { S: 'x' } }, ReturnValues: 'ALL_OLD' })],
    ['GetItem', (pk) => ({ TableName: 'items', Key: { pk: { S: pk } }, ConsistentRead: true })],
    // Refused before the action: a validation error and a missing table.
    ['PutItem', (pk) => ({ TableName: 'items', Item: { pk: { S: pk }, bad: { N: 'not a number' } } })],
    ['PutItem', (pk) => ({ TableName: 'nowhere', Item: { pk: { S: pk } } })],
    ['DeleteItem', (pk) => ({ TableName: 'items', Key: { pk: { S: pk } }, ConditionExpression: 'n = :n', ExpressionAttributeValues: { ':n': { N: '3' } }, ReturnValues: 'ALL_OLD' })],
  ];
  const outcomes: string[] = [];
  for (const [operation, input] of calls) {
    const [viaDirect, viaHandler] = await both(operation, input);
    expect(viaDirect).toEqual(viaHandler);
    const answer = viaDirect as { ok: boolean; body: { __type?: string } };
    outcomes.push(answer.ok ? 'ok' : String(answer.body.__type).split('#').pop()!);
  }
  // The calls did what they were meant to, so the comparison covered each kind of answer.
  expect(outcomes).toEqual(['ok', 'ConditionalCheckFailedException', 'ok', 'ok', 'ValidationException', 'ResourceNotFoundException', 'ok']);
});

it('leaves the caller\'s input as it was', async () => {
  const input = { TableName: 'items', Item: { pk: { S: 'untouched' } }, Unknown: 'dropped by dynalite', ReturnValues: 'ALL_OLD' };
  const before = JSON.stringify(input);
  expect((await direct('PutItem', input)).ok).toBe(true);
  expect(JSON.stringify(input)).toBe(before);
});
