// TransactWriteItems, one contract for both stand-ins: DynamoDB Local has transactions of its own,
// dynalite gets them from the stand-in's front (local/dynamodb-front.ts). Same assertions on both,
// sent through the functions' own wire client, as the adapters send them.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GetCommand, PutCommand, TransactWriteCommand } from '#adapters/aws/dynamodb-commands.ts';
import { DynamoCostLedger } from '#adapters/dynamodb/cost-ledger.ts';
import { costTable } from '#contracts/tables.ts';
import type { CostRecord } from '#core/pricing/ports.ts';
import { dynamoBackends } from '../support/dynamodb-backends.ts';
import { useDynamoBackend } from '../support/use-dynamo-backend.ts';

type Failure = Error & { CancellationReasons?: Array<{ Code?: string; Item?: Record<string, unknown> }> };

async function failureOf(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (error) {
    return error as Failure;
  }
  throw new Error('expected the transaction to fail');
}

describe.each(dynamoBackends)('TransactWriteItems on $name', ({ start }) => {
  let table: string;
  const backend = useDynamoBackend(start, (b) => { table = b.tableNames[costTable.name]!; });
  // Each test its own partition, so tests never see each other's items.
  let pk: string;
  const key = (sk: string) => ({ pk, sk });
  const read = async (sk: string) => (await backend.store.send(new GetCommand({ TableName: table, Key: key(sk), ConsistentRead: true }))).Item;
  const seed = (sk: string, fields: Record<string, unknown>) => backend.store.send(new PutCommand({ TableName: table, Item: { ...key(sk), ...fields } }));
  const fresh = () => { pk = `TX#${randomUUID()}`; };

  it('commits a put, an update, a delete and a passing check together', async () => {
    fresh();
    await seed('gone', { v: 1 });
    await seed('checked', { v: 7 });

    await backend.store.send(new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: table, Item: { ...key('new'), v: 1 }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Update: { TableName: table, Key: key('counter'), UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } },
        { Delete: { TableName: table, Key: key('gone'), ConditionExpression: 'attribute_exists(pk)' } },
        { ConditionCheck: { TableName: table, Key: key('checked'), ConditionExpression: 'v = :seven', ExpressionAttributeValues: { ':seven': 7 } } },
      ],
    }));

    expect(await read('new')).toEqual({ ...key('new'), v: 1 });
    expect(await read('counter')).toEqual({ ...key('counter'), n: 1 });
    expect(await read('gone')).toBeUndefined();
    expect(await read('checked')).toEqual({ ...key('checked'), v: 7 });
  });

  it('writes nothing when one condition fails, and names the reason per item with the old item', async () => {
    fresh();
    await seed('taken', { v: 1, note: 'first' });
    await seed('updated', { v: 1 });
    await seed('deleted', { v: 1 });

    const failure = await failureOf(backend.store.send(new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: table, Item: { ...key('new'), v: 1 }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Update: { TableName: table, Key: key('updated'), UpdateExpression: 'SET v = :two', ExpressionAttributeValues: { ':two': 2 } } },
        { Put: { TableName: table, Item: { ...key('taken'), v: 2 }, ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
        { Delete: { TableName: table, Key: key('deleted') } },
      ],
    })));

    expect(failure.name).toBe('TransactionCanceledException');
    expect(failure.message).toContain('[None, None, ConditionalCheckFailed, None]');
    expect(failure.CancellationReasons?.map((reason) => reason.Code)).toEqual(['None', 'None', 'ConditionalCheckFailed', 'None']);
    // The old item in DynamoDB's attribute-value form, as the service sends it.
    expect(failure.CancellationReasons?.[2]?.Item).toEqual({ pk: { S: pk }, sk: { S: 'taken' }, v: { N: '1' }, note: { S: 'first' } });
    expect(await read('new')).toBeUndefined();
    expect(await read('updated')).toEqual({ ...key('updated'), v: 1 });
    expect(await read('taken')).toEqual({ ...key('taken'), v: 1, note: 'first' });
    expect(await read('deleted')).toEqual({ ...key('deleted'), v: 1 });
  });

  it('cancels on a failing condition check, without the item unless asked', async () => {
    fresh();
    await seed('present', { v: 1 });

    const failure = await failureOf(backend.store.send(new TransactWriteCommand({
      TransactItems: [
        { Update: { TableName: table, Key: key('counter'), UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } },
        { ConditionCheck: { TableName: table, Key: key('present'), ConditionExpression: 'v = :two', ExpressionAttributeValues: { ':two': 2 } } },
      ],
    })));

    expect(failure.name).toBe('TransactionCanceledException');
    expect(failure.CancellationReasons?.map((reason) => reason.Code)).toEqual(['None', 'ConditionalCheckFailed']);
    expect(failure.CancellationReasons?.[1]?.Item).toBeUndefined();
    expect(await read('counter')).toBeUndefined();
    expect(await read('present')).toEqual({ ...key('present'), v: 1 });
  });

  it('undoes earlier items when a later one is invalid', async () => {
    fresh();
    await seed('kept', { v: 1 });

    const failure = await failureOf(backend.store.send(new TransactWriteCommand({
      TransactItems: [
        { Update: { TableName: table, Key: key('kept'), UpdateExpression: 'SET v = :two', ExpressionAttributeValues: { ':two': 2 } } },
        { Update: { TableName: table, Key: key('bad'), UpdateExpression: 'SET v = :missing' } },
      ],
    })));

    expect(failure.name).toBe('ValidationException');
    expect(await read('kept')).toEqual({ ...key('kept'), v: 1 });
    expect(await read('bad')).toBeUndefined();
  });

  it('refuses two operations on one item and more than 100 items as DynamoDB does', async () => {
    fresh();
    const twice = await failureOf(backend.store.send(new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: table, Item: { ...key('same'), v: 1 } } },
        { Update: { TableName: table, Key: key('same'), UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } },
      ],
    })));
    expect(twice.name).toBe('ValidationException');
    expect(twice.message).toMatch(/multiple operations on one item/);

    const tooMany = await failureOf(backend.store.send(new TransactWriteCommand({
      TransactItems: Array.from({ length: 101 }, (_, i) => ({ Put: { TableName: table, Item: { ...key(`item-${i}`), v: i } } })),
    })));
    expect(tooMany.name).toBe('ValidationException');
    expect(tooMany.message).toMatch(/100/);
    expect(await read('same')).toBeUndefined();
    expect(await read('item-0')).toBeUndefined();
  });

  it('lets exactly one of racing put-if-absent transactions commit', async () => {
    fresh();
    const racers = Array.from({ length: 8 }, (_, i) => backend.store.send(new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: table, Item: { ...key('once'), writer: i }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Update: { TableName: table, Key: key('count'), UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } },
      ],
    })));

    const settled = await Promise.allSettled(racers);
    const committed = settled.filter((outcome) => outcome.status === 'fulfilled');
    expect(committed).toHaveLength(1);
    for (const outcome of settled) {
      if (outcome.status === 'rejected') expect((outcome.reason as Error).name).toBe('TransactionCanceledException');
    }
    expect(await read('count')).toEqual({ ...key('count'), n: 1 });
    expect(await read('once')).toEqual({ ...key('once'), writer: settled.findIndex((outcome) => outcome.status === 'fulfilled') });
  });

  it('runs a committed ClientRequestToken once and refuses it with other items', async () => {
    fresh();
    const token = randomUUID();
    const add = (amount: number) => backend.store.send(new TransactWriteCommand({
      ClientRequestToken: token,
      TransactItems: [{ Update: { TableName: table, Key: key('counter'), UpdateExpression: 'ADD n :amount', ExpressionAttributeValues: { ':amount': amount } } }],
    }));

    await add(1);
    await add(1);
    const other = await failureOf(add(5));

    expect(other.name).toBe('IdempotentParameterMismatchException');
    expect(await read('counter')).toEqual({ ...key('counter'), n: 1 });
  });

  it('carries the cost ledger: one transaction per record, a duplicate recognised from the cancellation', async () => {
    const ledger = new DynamoCostLedger(backend.store, table);
    const record: CostRecord = {
      tenantId: `tx-${randomUUID().slice(0, 8)}`, keyId: 'key_0123456789ab', requestId: 'req-tx', modelId: 'gpt-5.4', providerId: 'openai',
      inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, reasoningTokens: 0, costUsd: 0.001, latencyMs: 5, attempts: 1,
      cacheHit: false, stream: false, strategy: 'balanced', timestamp: '2026-11-30T10:00:00.000Z',
    };

    expect(await ledger.record(record)).toBe(true);
    expect(await ledger.record(record)).toBe(false);
    expect(ledger.transactional).toBe(true);
  });
});
