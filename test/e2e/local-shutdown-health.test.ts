// Stopping the local runtime writes what the router still holds back: a healthy model's successes are
// batched for the health table (one write per model every few seconds), and cost records wait in the
// ledger's batch window (ROUTER_COST_BATCH_MS); a runtime stopped within those windows must write them
// before its stand-ins go, not lose them (and warn) after.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, expect, it } from 'vitest';
import { GetCommand, ScanCommand } from '#adapters/aws/dynamodb-commands.ts';
import { healthKeys } from '#adapters/dynamodb/health-store.ts';
import { costTable, healthTable } from '#contracts/tables.ts';
import { startLocalStack } from '#local/local-stack.ts';
import { standInDocumentStore } from '#local/stand-in-documents.ts';
import { startStandInsProcess } from '#local/standins-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'shutdown-health-'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

it('writes the breaker outcomes and the cost records still held back when the runtime stops', async () => {
  const dataDir = join(dir, 'data');
  // A batch window no test waits out: the cost records can only reach the store through the shutdown.
  const stack = await startLocalStack({ port: 0, dataDir, env: { ROUTER_COST_BATCH_MS: '1000' }, simulated: { latencyMs: 1, tokensPerSecond: 5000, errorRate: 0 } });
  let modelId = '';
  try {
    const client = new OpenAI({ baseURL: stack.baseUrl, apiKey: stack.apiKey, maxRetries: 0 });
    for (let i = 0; i < 3; i++) {
      const completion = await client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: `Hello number ${i}` }] });
      modelId = completion.model;
    }
  } finally {
    // At once: the successes are still waiting for their batched write.
    await stack.close();
  }

  // The data folder read back by the stand-ins alone.
  const standIns = await startStandInsProcess({ dynamoPath: join(dataDir, 'dynamodb'), sqsDataDir: join(dataDir, 'sqs') });
  try {
    const documents = standInDocumentStore(standIns.dynamo.endpoint);
    const { Item } = await documents.send(new GetCommand({
      TableName: standIns.dynamo.tableNames[healthTable.name]!,
      Key: { pk: healthKeys.breakerPk(modelId), sk: healthKeys.breakerSk },
      ConsistentRead: true,
    }));
    expect(Item).toMatchObject({ modelId, status: 'closed', consecutiveSuccesses: 3 });
    const { Items = [] } = await documents.send(new ScanCommand({ TableName: standIns.dynamo.tableNames[costTable.name]!, ConsistentRead: true }));
    const calls = Items.filter((item) => String(item['sk']).startsWith('CALL#'));
    expect(calls.map((item) => item['modelId'])).toEqual([modelId, modelId, modelId]);
  } finally {
    await standIns.close();
  }
}, 90_000);
