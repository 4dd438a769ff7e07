// No prompt, completion, API key or provider secret in any log line, on success and failure paths,
// with logging at its most verbose. Everything the process writes is captured and scanned.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#local/local-stack.ts';
import type { LocalStack } from '#local/local-stack.ts';
import { startSimulatedUpstream } from '#local/simulated/simulated-upstream.ts';
import type { SimulatedUpstream } from '#local/simulated/simulated-upstream.ts';
import { captureOutput } from '../support/output-capture.ts';
import { catalogModel, writeTempCatalog } from '../support/local-stack-fixture.ts';

const PROMPT_MARKER = 'zebra-quartz-prompt-7731';
const PROVIDER_SECRET = 'sk-provider-secret-do-not-log-4242';

let stack: LocalStack;
let client: OpenAI;
let good: SimulatedUpstream;
let broken: SimulatedUpstream;
const captured: string[] = [];
const restore: Array<() => void> = [];

beforeAll(async () => {
  good = await startSimulatedUpstream({ kind: 'openai-compatible', latencyMs: 1, tokensPerSecond: 5000 });
  broken = await startSimulatedUpstream({ kind: 'openai-compatible', latencyMs: 1, errorRate: 1 });
  const model = catalogModel;
  const catalogPath = writeTempCatalog('log-hygiene-', {
    version: 1,
    providers: [
      { id: 'good', kind: 'openai-compatible', baseUrl: good.url, apiKey: { env: 'GOOD_PROVIDER_KEY' } },
      { id: 'broken', kind: 'openai-compatible', baseUrl: broken.url, apiKey: { env: 'GOOD_PROVIDER_KEY' } },
    ],
    models: [model('flaky', 'broken', ['steady']), model('steady', 'good')],
  });
  restore.push(captureOutput(captured));
  stack = await startLocalStack({
    port: 0,
    catalogPath,
    env: { GOOD_PROVIDER_KEY: PROVIDER_SECRET, POWERTOOLS_LOG_LEVEL: 'DEBUG', ROUTER_METRICS: 'on' },
  });
  client = new OpenAI({ baseURL: stack.baseUrl, apiKey: stack.apiKey, maxRetries: 0 });
});

afterAll(async () => {
  for (const undo of restore.reverse()) undo();
  await stack?.close();
  await good?.close();
  await broken?.close();
});

describe('log hygiene', () => {
  it('logs no prompt, completion, key or secret on any path', async () => {
    const ask = [{ role: 'user' as const, content: `Please repeat ${PROMPT_MARKER} back to me` }];

    // Success after a failed attempt (the broken provider fails, the fallback answers), JSON and stream.
    const answered = await client.chat.completions.create({ model: 'flaky', messages: ask });
    const stream = await client.chat.completions.create({ model: 'flaky', messages: ask, stream: true });
    let streamed = '';
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
    // Rejections: a bad field carrying the marker, an unknown key, a bad routing header.
    await client.chat.completions.create({ model: 'flaky', messages: ask, temperature: PROMPT_MARKER as never }).catch(() => undefined);
    await new OpenAI({ baseURL: stack.baseUrl, apiKey: `sk-lr-${'q'.repeat(43)}`, maxRetries: 0 }).models.list().catch(() => undefined);
    await client.chat.completions.create({ model: 'flaky', messages: ask }, { headers: { 'x-router-task': PROMPT_MARKER } }).catch(() => undefined);

    const completion = answered.choices[0]?.message.content ?? '';
    expect(completion).toContain(PROMPT_MARKER); // the simulated model echoes the prompt: a real leak risk
    expect(streamed).toContain(PROMPT_MARKER);
    const log = captured.join('\n');
    // The capture works: the failed attempt and the per-call metrics were logged.
    expect(log).toContain('provider attempt failed');
    expect(log).toContain('"CostUsd"');
    expect(log).not.toContain(PROMPT_MARKER);
    expect(log).not.toContain(completion.slice(0, 40));
    expect(log).not.toContain(stack.apiKey);
    expect(log).not.toContain(PROVIDER_SECRET);
    expect(log).not.toContain('q'.repeat(43));
  });
});
