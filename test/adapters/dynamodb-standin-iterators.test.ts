// The local DynamoDB stand-in (dynalite) closes the LevelDB / memory-level iterator behind every read,
// also when a Query or Scan stops at its Limit: left open, each one pinned memory for the life of the
// process (the stand-ins' growth under bench/soak.ts; see local/level-iterator-return.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand, PutItemCommand, QueryCommand, ScanCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startDynamoStandIn } from '#local/dynamodb-standin.ts';
import { trackOpenLevelIterators } from '#local/level-iterator-return.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.each([
  { mode: 'in memory', dataDir: false },
  { mode: 'with a data directory (LevelDB)', dataDir: true },
])('dynalite stand-in $mode', ({ dataDir }) => {
  it('leaves no iterator open after queries and scans cut short by Limit', async () => {
    const tracker = trackOpenLevelIterators();
    cleanups.push(() => tracker.stop());
    const path = dataDir ? mkdtempSync(join(tmpdir(), 'standin-iterators-')) : undefined;
    if (path) cleanups.push(() => rmSync(path, { recursive: true, force: true }));
    const standIn = await startDynamoStandIn(path ? { path, tablePrefix: 'it-' } : { tablePrefix: 'it-' });
    cleanups.push(() => standIn.close());
    const client = new DynamoDBClient({ endpoint: standIn.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    cleanups.push(() => client.destroy());

    await client.send(new CreateTableCommand({
      TableName: 'iterators', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    }));
    // On disk, dynalite marks a new table ACTIVE a moment after answering.
    await waitUntilTableExists({ client, maxWaitTime: 10, minDelay: 1 }, { TableName: 'iterators' });
    for (let i = 0; i < 6; i++) {
      await client.send(new PutItemCommand({ TableName: 'iterators', Item: { pk: { S: 'p' }, sk: { S: `s${i}` } } }));
    }
    const reads: Array<Promise<unknown>> = [];
    for (let i = 0; i < 40; i++) {
      reads.push(client.send(new QueryCommand({
        TableName: 'iterators', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, Limit: 1 + (i % 3),
      })));
      if (i % 10 === 0) reads.push(client.send(new ScanCommand({ TableName: 'iterators', Limit: 2 })), client.send(new ListTablesCommand({ Limit: 1 })));
    }
    const answers = await Promise.all(reads);
    // The reads were answered (and cut short): the limit held and a next page exists.
    expect(answers.filter((a) => (a as { LastEvaluatedKey?: object }).LastEvaluatedKey).length).toBeGreaterThan(40);

    // Closing is asynchronous (after the answer is written): wait for it, not for a fixed time.
    await vi.waitFor(() => expect(tracker.open()).toBe(0), { timeout: 5_000, interval: 20 });
  });
});
