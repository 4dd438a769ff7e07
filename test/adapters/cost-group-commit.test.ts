// The cost ledger's group commit (functions/adapters/dynamodb/cost-group-commit.ts) against both
// DynamoDB stand-ins and a backend without transactions: records handed over in one turn of the event
// loop share a transaction, the aggregate moves by their exact sum, and duplicates, oversized batches
// and failed batches never lose or double-count a record.
//
// Two faults are injected by wrapping the functions' wire client (no local server loses an answer on
// demand): a batch's answer lost after the store applied it, and a batch refused before it was sent.
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentCommand, DynamoDocuments } from '#adapters/aws/dynamodb-commands.ts';
import { aggregateKeys } from '#adapters/dynamodb/cost-aggregates.ts';
import { decimalSum, TRANSACTION_MAX_ITEMS } from '#adapters/dynamodb/cost-group-commit.ts';
import { DynamoCostLedger } from '#adapters/dynamodb/cost-ledger.ts';
import { NumberValue } from '#adapters/aws/dynamodb-commands.ts';
import { costKeys, costTable } from '#contracts/tables.ts';
import { createTables } from '#local/dynamodb-standin.ts';
import { standInDocumentStore } from '#local/stand-in-documents.ts';
import { sampleCostRecord } from '../support/cost-records.ts';
import { dynamoBackends } from '../support/dynamodb-backends.ts';
import { localDynamoClient } from '../support/dynamodb-local-process.ts';
import { useDynamoBackend } from '../support/use-dynamo-backend.ts';

const call = sampleCostRecord;

/** The exact decimal sum of costs, as text without trailing zeros (computed apart from the code under test). */
function exactUsd(costs: number[]): string {
  const units = costs.reduce((sum, c) => sum + BigInt(Math.round(c * 1e10)), 0n);
  return plain(`${units / 10_000_000_000n}.${(units % 10_000_000_000n).toString().padStart(10, '0')}`);
}
const plain = (text: string): string => (text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text);

interface Sent { operation: string; items: number; failed: boolean }

/** The functions' client with a record of every call, and optional faults on TransactWriteItems of several records. */
function watched(store: DynamoDocuments, fault?: { kind: 'answer-lost' | 'refused'; times: number }): { client: DynamoDocuments; sent: Sent[] } {
  const sent: Sent[] = [];
  let faults = fault?.times ?? 0;
  const client: DynamoDocuments = {
    async send<I, O>(command: DocumentCommand<I, O>): Promise<O> {
      const items = (command.input as { TransactItems?: unknown[] }).TransactItems?.length ?? 0;
      const entry = { operation: command.operation, items, failed: false };
      sent.push(entry);
      const faulty = command.operation === 'TransactWriteItems' && items > 2 && faults > 0;
      if (faulty) faults -= 1;
      if (faulty && fault?.kind === 'refused') {
        entry.failed = true;
        throw Object.assign(new Error('connect ECONNREFUSED (injected)'), { name: 'Error', code: 'ECONNREFUSED' });
      }
      try {
        const output = await store.send(command);
        if (faulty) throw Object.assign(new Error('socket hang up (injected after the store applied the call)'), { code: 'ECONNRESET' });
        return output;
      } catch (error) {
        entry.failed = true;
        throw error;
      }
    },
  };
  return { client, sent };
}

describe.each(dynamoBackends)('cost ledger group commit on $name', ({ start }) => {
  let table: string;
  let exact: DynamoDBDocumentClient;
  const backend = useDynamoBackend(start, (b) => {
    table = b.tableNames[costTable.name]!;
    // Numbers read back as their decimal text, so the test sees exactly what the store holds.
    exact = DynamoDBDocumentClient.from(localDynamoClient(b.endpoint), { unmarshallOptions: { wrapNumbers: true } });
  });

  afterAll(() => {
    exact?.destroy();
  });

  const aggregate = async (tenantId: string, modelId = 'gpt-5.4') => {
    const { Item } = await exact.send(new GetCommand({ TableName: table, Key: { pk: aggregateKeys.pk(tenantId), sk: aggregateKeys.sk('2026-11-26', modelId) } }));
    return Item && {
      calls: Number(String(Item['calls'])), cacheHits: Number(String(Item['cacheHits'])), inputTokens: Number(String(Item['inputTokens'])),
      costUsd: plain(String(Item['costUsd'])), savedUsd: plain(String(Item['savedUsd'])),
    };
  };
  const records = async (tenantId: string) => (await backend.documents.send(new QueryCommand({
    TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': costKeys.pk(tenantId) },
  }))).Items ?? [];
  const ledgerOn = (client: DynamoDocuments, batches: number[]) => new DynamoCostLedger(client, table, { onBatch: (n) => batches.push(n) });

  it('sends records of one turn in one transaction and adds their exact sum to the aggregate', async () => {
    const { client, sent } = watched(backend.store);
    const batches: number[] = [];
    const ledger = ledgerOn(client, batches);
    // Forty dimes and a few sub-cent amounts: summed as doubles they would not come to 4.0000000007.
    const costs = [...Array.from({ length: 40 }, () => 0.1), 0.0000000003, 0.0000000004];
    const calls = costs.map((costUsd, i) => call({ tenantId: 'sum', costUsd, cacheHit: i % 7 === 0, savedUsd: i % 7 === 0 ? 0.1 : undefined }));

    const written = await Promise.all(calls.map((c) => ledger.record(c)));

    expect(written.every((w) => w === true)).toBe(true);
    expect(batches).toEqual([42]);
    expect(sent.filter((s) => s.operation === 'TransactWriteItems')).toEqual([{ operation: 'TransactWriteItems', items: 43, failed: false }]);
    expect(await records('sum')).toHaveLength(42);
    expect(await aggregate('sum')).toEqual({
      calls: 42, cacheHits: 6, inputTokens: 42_000, costUsd: exactUsd(costs), savedUsd: exactUsd(Array.from({ length: 6 }, () => 0.1)),
    });
    expect(exactUsd(costs)).toBe('4.0000000007');
  });

  it('counts once a duplicate inside a batch and a duplicate of an earlier write', async () => {
    const { client, sent } = watched(backend.store);
    const ledger = ledgerOn(client, []);
    const earlier = call({ tenantId: 'dup', costUsd: 0.25 });
    expect(await ledger.record(earlier)).toBe(true);
    const fresh = call({ tenantId: 'dup', costUsd: 0.5 });
    const other = call({ tenantId: 'dup', costUsd: 0.125 });

    const written = await Promise.all([
      ledger.record(fresh), ledger.record({ ...fresh, costUsd: 99 }), ledger.record({ ...earlier, costUsd: 99 }), ledger.record(other),
    ]);

    expect(written).toEqual([true, false, false, true]);
    // The batch was cancelled (nothing applied): not sent again, rewritten record by record.
    const batches = sent.filter((s) => s.operation === 'TransactWriteItems' && s.items > 2);
    expect(batches.map((s) => s.failed)).toEqual([true]);
    const stored = await records('dup');
    expect(stored.map((r) => r['costUsd']).sort()).toEqual([0.125, 0.25, 0.5]);
    expect(await aggregate('dup')).toMatchObject({ calls: 3, costUsd: '0.875' });
  });

  it(`splits a batch above ${TRANSACTION_MAX_ITEMS} items into transactions within the limit`, async () => {
    const { client, sent } = watched(backend.store);
    const batches: number[] = [];
    const ledger = ledgerOn(client, batches);
    // 60 records of 60 models: 120 items (a put and an aggregate each); 130 of one model: 131 items.
    const spread = Array.from({ length: 60 }, (_, i) => call({ tenantId: 'split', modelId: `model-${i}`, costUsd: 0.01 }));
    const one = Array.from({ length: 130 }, () => call({ tenantId: 'split', costUsd: 0.01 }));

    const written = await Promise.all([...spread, ...one].map((c) => ledger.record(c)));

    expect(written.every((w) => w === true)).toBe(true);
    const transactions = sent.filter((s) => s.operation === 'TransactWriteItems');
    expect(transactions.length).toBeGreaterThan(2);
    expect(transactions.every((t) => t.items <= TRANSACTION_MAX_ITEMS && !t.failed)).toBe(true);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(190);
    expect(await records('split')).toHaveLength(190);
    expect(await aggregate('split', 'model-59')).toMatchObject({ calls: 1, costUsd: '0.01' });
    expect(await aggregate('split')).toMatchObject({ calls: 130, costUsd: '1.3' });
  });

  it('writes every record of a batch whose answer was lost exactly once (the batch had committed)', async () => {
    const { client, sent } = watched(backend.store, { kind: 'answer-lost', times: 1 });
    const ledger = ledgerOn(client, []);
    const calls = Array.from({ length: 5 }, (_, i) => call({ tenantId: 'lost', costUsd: 0.1 * (i + 1) }));

    const written = await Promise.all(calls.map((c) => ledger.record(c)));

    // The same transaction sent again (same token): the store answers success without applying it twice.
    expect(sent.filter((s) => s.operation === 'TransactWriteItems').map((s) => [s.items, s.failed])).toEqual([[6, true], [6, false]]);
    // Written, not duplicates: the caller adds a record's cost to the budget only when it is new.
    expect(written).toEqual([true, true, true, true, true]);
    expect(await records('lost')).toHaveLength(5);
    expect(await aggregate('lost')).toMatchObject({ calls: 5, costUsd: '1.5' });
  });

  it('keeps sending a batch whose answers are lost until one arrives, then reports every record as written', async () => {
    const { client, sent } = watched(backend.store, { kind: 'answer-lost', times: 3 });
    const ledger = ledgerOn(client, []);
    const calls = Array.from({ length: 4 }, () => call({ tenantId: 'lost-thrice', costUsd: 0.2 }));

    const written = await Promise.all(calls.map((c) => ledger.record(c)));

    expect(sent.filter((s) => s.operation === 'TransactWriteItems').map((s) => s.failed)).toEqual([true, true, true, false]);
    expect(written).toEqual([true, true, true, true]);
    expect(await records('lost-thrice')).toHaveLength(4);
    expect(await aggregate('lost-thrice')).toMatchObject({ calls: 4, costUsd: '0.8' });
  });

  it('past every resend, rewrites the records one by one: counted once, reported as duplicates (the residual case)', async () => {
    const { client } = watched(backend.store, { kind: 'answer-lost', times: 4 });
    const ledger = ledgerOn(client, []);
    const calls = Array.from({ length: 3 }, () => call({ tenantId: 'lost-always', costUsd: 0.1 }));

    const written = await Promise.all(calls.map((c) => ledger.record(c)));

    // The batch had committed on its first send: its records are found, not written again.
    expect(written).toEqual([false, false, false]);
    expect(await records('lost-always')).toHaveLength(3);
    expect(await aggregate('lost-always')).toMatchObject({ calls: 3, costUsd: '0.3' });
  });

  it('sends a batch refused before it reached the store again, and every record is written once', async () => {
    const { client, sent } = watched(backend.store, { kind: 'refused', times: 1 });
    const ledger = ledgerOn(client, []);
    const calls = Array.from({ length: 5 }, () => call({ tenantId: 'refused', costUsd: 0.3 }));

    const written = await Promise.all(calls.map((c) => ledger.record(c)));

    expect(sent.filter((s) => s.operation === 'TransactWriteItems').map((s) => s.failed)).toEqual([true, false]);
    expect(written).toEqual([true, true, true, true, true]);
    expect(await records('refused')).toHaveLength(5);
    expect(await aggregate('refused')).toMatchObject({ calls: 5, costUsd: '1.5' });
  });

  it('reports records as written when a transaction that committed is sent again (a retry after a lost answer)', async () => {
    // What the wire client does when an answer is lost: the same request again, token included.
    const twice: DynamoDocuments = {
      async send<I, O>(command: DocumentCommand<I, O>): Promise<O> {
        if (command.operation === 'TransactWriteItems') await backend.store.send(command);
        return backend.store.send(command);
      },
    };
    const ledger = ledgerOn(twice, []);
    const alone = call({ tenantId: 'resent', costUsd: 0.5 });
    const together = Array.from({ length: 3 }, () => call({ tenantId: 'resent', costUsd: 0.25 }));

    expect(await ledger.record(alone)).toBe(true);
    expect(await Promise.all(together.map((c) => ledger.record(c)))).toEqual([true, true, true]);

    expect(await records('resent')).toHaveLength(4);
    expect(await aggregate('resent')).toMatchObject({ calls: 4, costUsd: '1.25' });
  });

  it('with a linger, records of several turns share one transaction; flush sends them without waiting it out', async () => {
    const { client, sent } = watched(backend.store);
    const batches: number[] = [];
    // A linger no test would wait out: only flush (or a full batch) can send these records.
    const ledger = new DynamoCostLedger(client, table, { lingerMs: 600_000, onBatch: (n) => batches.push(n) });
    const pending: Promise<boolean>[] = [];
    for (const costUsd of [0.1, 0.2, 0.0000000003]) {
      pending.push(ledger.record(call({ tenantId: 'linger', costUsd })));
      // Each record in its own turn of the event loop (the same-turn rule alone would send three batches).
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(batches).toEqual([]);

    await ledger.flush();

    expect(await Promise.all(pending)).toEqual([true, true, true]);
    expect(batches).toEqual([3]);
    expect(sent.filter((s) => s.operation === 'TransactWriteItems')).toEqual([{ operation: 'TransactWriteItems', items: 4, failed: false }]);
    expect(await aggregate('linger')).toMatchObject({ calls: 3, costUsd: '0.3000000003' });
  });

  it('with a linger, a full batch is sent at once and the rest when the linger ends', async () => {
    const batches: number[] = [];
    const full = TRANSACTION_MAX_ITEMS / 2;
    const waiting = new DynamoCostLedger(backend.store, table, { lingerMs: 600_000, onBatch: (n) => batches.push(n) });
    const first = await Promise.all(Array.from({ length: full }, () => waiting.record(call({ tenantId: 'full', costUsd: 0.01 }))));
    expect(first.every((w) => w === true)).toBe(true);
    expect(batches).toEqual([full]);

    // A short linger ends by itself: the record is written without any flush.
    const short = new DynamoCostLedger(backend.store, table, { lingerMs: 5, onBatch: (n) => batches.push(n) });
    expect(await short.record(call({ tenantId: 'full', costUsd: 0.5 }))).toBe(true);
    expect(batches).toEqual([full, 1]);
    expect(await aggregate('full')).toMatchObject({ calls: full + 1, costUsd: '1' });
  });

  it('fails only the record the store refuses; the rest of its batch is written and summed once', async () => {
    const ledger = ledgerOn(backend.store, []);
    const good = Array.from({ length: 3 }, () => call({ tenantId: 'invalid', costUsd: 0.2 }));
    // Over DynamoDB's 400 KB item limit: the whole batch is refused, this record alone for good.
    const huge = call({ tenantId: 'invalid', costUsd: 7, decision: 'x'.repeat(420_000) });

    const outcomes = await Promise.allSettled([...good, huge].map((c) => ledger.record(c)));

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    expect(await records('invalid')).toHaveLength(3);
    expect(await aggregate('invalid')).toMatchObject({ calls: 3, costUsd: '0.6' });
  });
});

describe('cost ledger group commit on a backend without transactions (bare dynalite)', () => {
  let server: Server;
  let table: string;
  let store: DynamoDocuments;
  let documents: DynamoDBDocumentClient;

  beforeAll(async () => {
    const dynalite = createRequire(import.meta.url)('dynalite') as (options: { createTableMs?: number }) => Server;
    server = dynalite({ createTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    table = (await createTables(endpoint, 'bare-'))[costTable.name]!;
    store = standInDocumentStore(endpoint);
    documents = DynamoDBDocumentClient.from(localDynamoClient(endpoint));
  });

  afterAll(async () => {
    documents?.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('falls back to put-then-update for every record of a batch, each counted once', async () => {
    const ledger = new DynamoCostLedger(store, table);
    const first = [0.1, 0.2, 0.3].map((costUsd) => call({ tenantId: 'bare', costUsd }));
    const later = call({ tenantId: 'bare', costUsd: 0.4 });

    // The first batch finds out that the backend has no transactions; the second repeats a record.
    const written = await Promise.all(first.map((c) => ledger.record(c)));
    const again = await Promise.all([ledger.record({ ...first[0]!, costUsd: 99 }), ledger.record(later)]);

    expect([...written, ...again]).toEqual([true, true, true, false, true]);
    expect(ledger.transactional).toBe(false);
    const { Items } = await documents.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': costKeys.pk('bare') } }));
    expect(Items).toHaveLength(4);
    const { Item } = await documents.send(new GetCommand({ TableName: table, Key: { pk: aggregateKeys.pk('bare'), sk: aggregateKeys.sk('2026-11-26', 'gpt-5.4') } }));
    expect(Item).toMatchObject({ calls: 4, costUsd: 1 });
  });
});

describe('decimalSum', () => {
  it('adds fixed-point decimals exactly, signs and differing scales included', () => {
    const sum = (...values: string[]) => decimalSum(values.map((v) => NumberValue.from(v))).value;
    expect(sum('0.1000000000', '0.2000000000')).toBe('0.3000000000');
    expect(sum('0.0000000001', '-0.0000000003')).toBe('-0.0000000002');
    expect(sum('12', '0.5', '-0.25')).toBe('12.25');
    expect(sum('3')).toBe('3');
    expect(() => sum('1e-7', '1')).toThrow(/plain decimal/);
  });
});
