// The router's side of bench/overhead.ts: the local runtime in its own process, with a catalog that
// routes every request to the mock upstream, a second tenant under a budget, and (STORE_PROXY=1) a
// pass-through proxy (in its own process) in front of the DynamoDB stand-in that notes every store call the router makes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { tenantTable } from '#contracts/tables.ts';
import { tenantTableKeys } from '#contracts/tenant-table.ts';
import { hashApiKey, keyIdFromHash } from '#core/auth/api-keys.ts';
import { startLocalStack } from '#local/local-stack.ts';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StoreCall } from './store-proxy.ts';

const mockUrl = process.env['MOCK_URL']!;
// The cost ledger's batch window (ROUTER_COST_BATCH_MS) as `npm start` sets it, unless the bench overrides it.
const costBatch = process.env['ROUTER_COST_BATCH_MS'] !== undefined ? { ROUTER_COST_BATCH_MS: process.env['ROUTER_COST_BATCH_MS'] } : {};
const dir = mkdtempSync(join(tmpdir(), 'llm-router-overhead-'));
const catalogPath = join(dir, 'catalog.json');
writeFileSync(catalogPath, JSON.stringify({
  version: 1,
  defaults: { strategy: 'balanced', weights: { quality: 0.5, cost: 0.3, latency: 0.2 }, assumedOutputTokens: 256, maxAttempts: 2 },
  providers: [{ id: 'mock', kind: 'openai-compatible', baseUrl: `${mockUrl}/v1`, apiKey: { env: 'MOCK_API_KEY' } }],
  models: [{
    id: 'mock-model', provider: 'mock', upstreamId: 'mock-model', displayName: 'Mock',
    pricing: { currency: 'USD', inputPerMTok: 1, cachedInputPerMTok: 0.1, outputPerMTok: 2 },
    contextWindow: 128000, maxOutputTokens: 4096, quality: { overall: 0.8 }, capabilities: ['streaming', 'tools', 'json'], latencyMs: 100,
  }],
}));

// When each response's last byte left the router (the access log line is written on 'finish').
const responsesEnded: number[] = [];
const stack = await startLocalStack({ port: 0, catalogPath, env: { MOCK_API_KEY: 'mock-key', ...costBatch }, accessLog: () => { responsesEnded.push(performance.timeOrigin + performance.now()); } });
// With STORE_PROXY=1 (the store round-trip table only): the router's store calls pass a proxy in its
// own process (its CPU is not the router's) that notes every call. The router builds its DynamoDB
// client at its first request, so the endpoint is set before that. The latency and throughput rows run
// without it: a proxy hop adds a process and a loopback round trip that no deployment has.
const proxyProcess = process.env['STORE_PROXY'] === '1'
  ? fork(fileURLToPath(new URL('./store-proxy-process.ts', import.meta.url)), [], {
    env: { ...process.env, STORE_TARGET: stack.dynamoEndpoint }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
  : undefined;
if (proxyProcess) {
  process.env['AWS_ENDPOINT_URL_DYNAMODB'] = await new Promise<string>((resolve) => proxyProcess.once('message', (m: { url: string }) => resolve(m.url)));
}
const proxy = {
  take: (): Promise<StoreCall[]> => new Promise((resolve) => {
    if (!proxyProcess) return resolve([]);
    proxyProcess.once('message', (m: { calls: StoreCall[] }) => resolve(m.calls));
    proxyProcess.send('calls');
  }),
  close: (): Promise<void> => new Promise((resolve) => {
    if (!proxyProcess) return resolve();
    proxyProcess.once('exit', () => resolve());
    proxyProcess.send('close');
  }),
};

// A second tenant with a monthly budget, for the `budgeted` request kind.
const budgetKey = `sk-lr-${'bench-budgeted-tenant-'.padEnd(43, '0')}`;
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.dynamoEndpoint }));
const table = stack.tableNames[tenantTable.name]!;
const hash = hashApiKey(budgetKey);
await documents.send(new PutCommand({ TableName: table, Item: { ...tenantTableKeys.apiKey(hash), tenantId: 'budgeted', keyId: keyIdFromHash(hash) } }));
await documents.send(new PutCommand({ TableName: table, Item: { ...tenantTableKeys.profile('budgeted'), tenantId: 'budgeted', name: 'Bench budgeted' } }));
await documents.send(new PutCommand({ TableName: table, Item: { ...tenantTableKeys.tenantBudget('budgeted'), monthlyUsd: 1_000_000 } }));

process.on('message', (message) => {
  if (message === 'calls') void proxy.take().then((calls) => process.send?.({ calls, responsesEnded: responsesEnded.splice(0) }));
  // Answers once every invocation in flight finished, bookkeeping after the response included.
  if (message === 'settled') void stack.settled().then(() => process.send?.({ settled: true }));
  if (message === 'close') void stack.settled().then(() => stack.close()).then(() => proxy.close()).finally(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: { baseUrl: stack.baseUrl, apiKey: stack.apiKey, budgetKey, standInsPid: stack.standInsPid } });
