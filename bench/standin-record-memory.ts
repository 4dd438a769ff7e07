// What each stored record costs the in-memory DynamoDB stand-in (ROUTER_EPHEMERAL=1 keeps every table
// in the stand-ins' heap, by design). Two steps:
// 1. The real local runtime (in memory) answers a few requests of each kind; every item it stored is
//    read back and grouped by table and key shape: records per request, and one template per shape.
// 2. A fresh in-memory dynalite (in this process) takes RECORDS copies of each template with unique
//    keys; heap after GC and resident memory are read before and after: bytes per stored record.
// Run: npx node --expose-gc bench/standin-record-memory.ts   (RECORDS=5000 per shape, REQUESTS=30 per kind)
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { standInDocumentStore } from '#local/stand-in-documents.ts';
import { TenantRepository } from '#adapters/dynamodb/tenant-repository.ts';
import { allTables, tenantTable, usageTable } from '#contracts/tables.ts';
import { PLAN_PRESETS } from '#core/limits/plans.ts';
import { startDynamoStandIn } from '#local/dynamodb-standin.ts';
import { startLocalStack } from '#local/local-stack.ts';
import { LOCAL_TENANT_ID } from '#local/seed-local-tenant.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const records = Number(process.env['RECORDS'] ?? 5_000);
const perKind = Number(process.env['REQUESTS'] ?? 30);
process.env['POWERTOOLS_LOG_LEVEL'] = 'ERROR';
// Semantic cache entries besides the exact ones, whatever the deployment default.
process.env['ROUTER_SEMANTIC_CACHE'] = 'on';

const documentsAt = (endpoint: string): DynamoDBDocumentClient => DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } }),
  { marshallOptions: { removeUndefinedValues: true } },
);
/** `TENANT#local` -> `TENANT#`, `CALL#2026-…#id` -> `CALL#`, `1796…#hash` -> `<n>#`: the record's kind. */
const shape = (key: unknown): string => String(key).replace(/#.*$/, '#').replace(/^\d+/, '<n>');

// Step 1: what the router stores per request.
const stack = await startLocalStack({ port: 0, env: {}, simulated: { latencyMs: 1, tokensPerSecond: 20_000, errorRate: 0 } });
// A plan (token windows) and a budget (spend counters) for the local tenant, so their records show.
const tenants = new TenantRepository(standInDocumentStore(stack.dynamoEndpoint), stack.tableNames[tenantTable.name]!, stack.tableNames[usageTable.name]!);
const at = new Date().toISOString();
await tenants.putPlan(LOCAL_TENANT_ID, { name: 'pro', ...PLAN_PRESETS['pro']! }, at);
await tenants.setBudget(LOCAL_TENANT_ID, { monthlyUsd: 1_000 }, at);
const kinds = {
  'plain answer': { stream: false },
  'stream': { stream: true },
  // temperature 0 makes the answer cacheable: one cache entry per distinct prompt.
  'cacheable answer': { stream: false, temperature: 0 },
} as const;
for (const [kind, options] of Object.entries(kinds)) {
  for (let i = 0; i < perKind; i++) {
    const res = await fetch(`${stack.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'cheap', max_tokens: 32, ...options, messages: [{ role: 'user', content: `Record ${kind} ${i}: say something short.` }] }),
    });
    await res.arrayBuffer();
  }
}
const source = documentsAt(stack.dynamoEndpoint);
const templates = new Map<string, { table: string; count: number; item: Record<string, unknown> }>();
for (const table of allTables) {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await source.send(new ScanCommand({ TableName: stack.tableNames[table.name]!, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
    for (const item of page.Items ?? []) {
      const id = `${table.name} ${shape(item['pk'])} ${shape(item['sk'])}`;
      const seen = templates.get(id);
      if (seen) seen.count += 1;
      else templates.set(id, { table: table.name, count: 1, item });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}
source.destroy();
await stack.close();

// Step 2: bytes per record in a fresh in-memory stand-in.
const standIn = await startDynamoStandIn({ tablePrefix: 'records-' });
const target = documentsAt(standIn.endpoint);
// memory-level keeps keys and values in Buffers: off the JS heap, in `external`. Both count.
const memory = (): { heap: number; rss: number } => {
  gc();
  gc();
  const { heapUsed, external, rss } = process.memoryUsage();
  return { heap: heapUsed + external, rss };
};
async function store(tableName: string, item: Record<string, unknown>, copies: number, tag: string): Promise<void> {
  for (let i = 0; i < copies; i += 25) {
    const batch = Array.from({ length: Math.min(25, copies - i) }, (_, j) => ({
      PutRequest: { Item: { ...item, pk: `${String(item['pk'])}#${tag}${i + j}`, sk: `${String(item['sk'])}#${tag}${i + j}` } },
    }));
    await target.send(new BatchWriteCommand({ RequestItems: { [tableName]: batch } }));
  }
}
// Warm-up (clients, pools, first tree levels), so the first shape measured pays for none of it.
const [first] = templates.values();
if (first) await store(standIn.tableNames[first.table]!, first.item, 1_000, 'warm');
const start = memory();
let stored = 0;
const requests = perKind * Object.keys(kinds).length;
console.log(`in-memory DynamoDB stand-in (dynalite on memory-level), ${records} copies per record shape; shapes seen after ${requests} requests (${perKind} each: ${Object.keys(kinds).join(', ')})`);
console.log('| table | record (pk / sk) | stored per request | item JSON bytes | heap + external bytes per record |');
console.log('|---|---|--:|--:|--:|');
for (const [id, { table, count, item }] of templates) {
  const tableName = standIn.tableNames[table]!;
  const before = memory();
  await store(tableName, item, records, 'copy');
  stored += records;
  const after = memory();
  const [, pk, sk] = id.split(' ');
  console.log(`| ${table} | ${pk} / ${sk} | ${(count / requests).toFixed(2)} | ${JSON.stringify(item).length} | ${((after.heap - before.heap) / records).toFixed(0)} |`);
}
const end = memory();
console.log(`all ${stored} records: heap+external ${((end.heap - start.heap) / stored).toFixed(0)} bytes per record, resident ${((end.rss - start.rss) / stored).toFixed(0)} bytes per record`);
target.destroy();
await standIn.close();
