// The dead-letter path and `redrive-dlq` end to end on the local runtime with a data directory: items
// whose provider keeps failing end `failed` with their messages on the DLQ (one each); once the
// provider is back, the redrive command (a child process, as a user runs it) moves each dead letter
// back once and the items are answered.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { jobTable } from '#contracts/tables.ts';
import type { BatchObject, OutputLine } from '#core/batch/batch-object.ts';
import { startLocalStack } from '#local/local-stack.ts';
import type { LocalStack } from '#local/local-stack.ts';
import { completionBody } from '../support/fault-stack.ts';
import { callApi } from '../support/batch-api.ts';

const dir = mkdtempSync(join(tmpdir(), 'batch-dlq-'));
let stack: LocalStack;
let upstream: Server;
let failing = true;
let sqs: SQSClient;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  // The provider: 503 while `failing`, a completion otherwise.
  upstream = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'GET') return json(200, { object: 'list', data: [] });
      if (failing) return json(503, { error: { message: 'overloaded', type: 'server_error' } });
      return json(200, completionBody('back again'));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
  writeFileSync(join(dir, 'catalog.json'), JSON.stringify({
    version: 1,
    defaults: { circuitBreaker: { cooldownMs: 500 } },
    providers: [{ id: 'p', kind: 'openai-compatible', baseUrl: url, apiKey: { env: 'DLQ_TEST_KEY' }, timeoutMs: 5000 }],
    models: [{ id: 'm', provider: 'p', upstreamId: 'm', pricing: { currency: 'USD', inputPerMTok: 1, outputPerMTok: 2 }, contextWindow: 8000, maxOutputTokens: 1024, quality: { overall: 0.5 } }],
  }));
  // Retries come back after the 1 s floor instead of 10 s, 20 s, ...; read at the worker's first call.
  process.env['BATCH_RETRY_BASE_SECONDS'] = '0';
  stack = await startLocalStack({ port: 0, env: { DLQ_TEST_KEY: 'x' }, catalogPath: join(dir, 'catalog.json'), dataDir: join(dir, 'data') });
  sqs = new SQSClient({ endpoint: stack.sqsEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' }, useQueueUrlAsEndpoint: false });
}, 60_000);

afterAll(async () => {
  sqs?.destroy();
  await stack?.close();
  await new Promise((resolve) => upstream?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const api = (method: string, path: string, body?: unknown) => callApi(stack, method, path, body);

async function waitForJob(id: string, done: (b: BatchObject) => boolean): Promise<BatchObject> {
  for (;;) {
    const batch = (await api('GET', `/batches/${id}`)).json as BatchObject;
    if (done(batch)) return batch;
    await sleep(250);
  }
}

async function depth(url: string): Promise<number> {
  const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(a.Attributes?.['ApproximateNumberOfMessages']) + Number(a.Attributes?.['ApproximateNumberOfMessagesNotVisible']);
}

function runRedrive(): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, ['cli/redrive-dlq.ts', '--queue-url', stack.queueUrl, '--dlq-url', stack.dlqUrl, '--jobs-table', stack.tableNames[jobTable.name]!], {
    env: {
      PATH: process.env['PATH'] ?? '', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_SQS: stack.sqsEndpoint, AWS_ENDPOINT_URL_DYNAMODB: stack.dynamoEndpoint,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout!.on('data', (chunk) => { stdout += String(chunk); });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout })));
}

it('dead-letters items whose provider keeps failing, and redrive-dlq brings each back once', async () => {
  const items = Array.from({ length: 4 }, (_, i) => ({ custom_id: `d-${i}`, body: { model: 'm', messages: [{ role: 'user', content: `dead ${i}` }] } }));
  const created = await api('POST', '/batches', { items });
  expect(created.status).toBe(200);
  const failed = await waitForJob(created.json.id, (b) => b.request_counts.failed === 4);
  expect(failed.status).toBe('failed');
  // The last delivery's message reaches the DLQ on its next receive.
  for (let i = 0; i < 40 && await depth(stack.dlqUrl) < 4; i++) await sleep(250);
  expect(await depth(stack.dlqUrl)).toBe(4);
  const failedLines = (await api('GET', `/batches/${failed.id}/results`)).text.trim().split('\n').map((l) => JSON.parse(l) as OutputLine);
  expect(failedLines.map((l) => l.error?.message)).toEqual(Array(4).fill(expect.stringMatching(/^Failed after 5 deliveries/)));

  failing = false;
  const run = await runRedrive();
  expect(run.code).toBe(0);
  const moved = run.stdout.split('\n').filter((l) => l.startsWith('moved'));
  expect(moved).toHaveLength(4);
  const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  expect(summary).toMatchObject({ moved: 4, reset: 4, failed: 0, skipped: 0, stopped: 'empty' });

  const done = await waitForJob(failed.id, (b) => b.request_counts.completed === 4);
  expect(done).toMatchObject({ status: 'completed', request_counts: { total: 4, completed: 4, failed: 0 } });
  const lines = (await api('GET', `/batches/${done.id}/results`)).text.trim().split('\n').map((l) => JSON.parse(l) as OutputLine);
  expect(lines.map((l) => l.response?.status_code)).toEqual([200, 200, 200, 200]);
  expect(await depth(stack.dlqUrl)).toBe(0);
  // A second run finds nothing to move.
  const again = await runRedrive();
  expect(JSON.parse(again.stdout.trim().split('\n').at(-1)!)).toMatchObject({ moved: 0, inspected: 0 });
}, 90_000);
