// Reproduces the stand-ins' growth under the soak on its own: dynalite, through the real AWS SDK,
// answering Query with Limit (what the router's stores do per request) on one partition that holds
// more items than the limit. Prints, every SOAK_STEP queries, the iterators left open, heap after GC
// and resident memory (anonymous / file-backed), with and without local/level-iterator-return.ts.
// Run: npx node --expose-gc bench/dynalite-iterators.ts
//      (FIX=0 to see the leak, DATA_DIR=0 for dynalite in memory, QUERIES=40000, STEP=5000, PUTS=0|1)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { closeLevelIteratorsOnReturn, trackOpenLevelIterators } from '#local/level-iterator-return.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const fix = process.env['FIX'] !== '0';
const onDisk = process.env['DATA_DIR'] !== '0';
const queries = Number(process.env['QUERIES'] ?? 40_000);
const step = Number(process.env['STEP'] ?? 5_000);
// PUTS=1: each query is preceded by a put (a write-heavy mix like the router's cost records).
const puts = process.env['PUTS'] === '1';

if (fix) closeLevelIteratorsOnReturn();
const tracker = trackOpenLevelIterators();
const dir = onDisk ? mkdtempSync(join(tmpdir(), 'dynalite-iterators-')) : undefined;
const dynalite = createRequire(import.meta.url)('dynalite') as (options: object) => Server;
const server = dynalite({ createTableMs: 0, ...(dir ? { path: dir } : {}) });
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
const client = new DynamoDBClient({
  endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
});
await client.send(new CreateTableCommand({
  TableName: 'soak', BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
}));
for (let i = 0; i < 20; i++) {
  await client.send(new PutItemCommand({ TableName: 'soak', Item: { pk: { S: 'p' }, sk: { S: String(i).padStart(3, '0') }, v: { S: 'x'.repeat(200) } } }));
}

function resident(): string {
  const status = readFileSync('/proc/self/status', 'utf8');
  const mb = (name: string): string => (Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024).toFixed(1);
  return `${mb('VmRSS')} MB (anonymous ${mb('RssAnon')}, file ${mb('RssFile')})`;
}
const report = (done: number): void => {
  gc();
  gc();
  console.log(`| ${String(done).padStart(6)} | ${String(tracker.open()).padStart(6)} | ${(process.memoryUsage().heapUsed / 1048576).toFixed(1).padStart(6)} | ${resident()} |`);
};

console.log(`dynalite ${onDisk ? 'on disk (classic-level)' : 'in memory (memory-level)'}, iterator fix ${fix ? 'on' : 'off'}, Query Limit 1${puts ? ' + PutItem' : ''}, 10 at a time`);
console.log('| queries | open iterators | heap MB | resident |');
report(0);
let sent = 0;
while (sent < queries) {
  const end = Math.min(sent + step, queries);
  await Promise.all(Array.from({ length: 10 }, async () => {
    while (sent < end) {
      const n = sent++;
      if (puts) await client.send(new PutItemCommand({ TableName: 'soak', Item: { pk: { S: `w${n % 1000}` }, sk: { S: 'a' }, v: { S: 'x'.repeat(200) } } }));
      await client.send(new QueryCommand({
        TableName: 'soak', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, Limit: 1, ScanIndexForward: n % 2 === 0,
      }));
    }
  }));
  report(sent);
}
client.destroy();
await new Promise<void>((resolve) => server.close(() => resolve()));
if (dir) rmSync(dir, { recursive: true, force: true });
