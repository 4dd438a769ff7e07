// Fault injection through the real router over HTTP (JSON answers): each upstream is a scripted
// server; assertions are on attempts, the model that answered, usage, cost records and time bounds.
import { APIError } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { costRecordsFor } from '../support/cost-records.ts';
import { completionBody, expectScriptsUsed, startFaultStack, upstreamUsage } from '../support/fault-stack.ts';
import type { FaultStack } from '../support/fault-stack.ts';

let f: FaultStack;

beforeAll(async () => {
  f = await startFaultStack([
    { id: 'a-1', fallbacks: ['b-1', 'big-1'], provider: { timeoutMs: 1500 } },
    { id: 'b-1' },
    { id: 'big-1', contextWindow: 200_000 },
    { id: 'east', group: 'grp', weight: 1 },
    { id: 'west', group: 'grp', weight: 1 },
  ], {
    // Breakers out of the way here: failures of one test must not open a circuit for the next.
    circuitBreaker: { failureThreshold: 1000, minCalls: 1000 },
  });
});

afterAll(async () => {
  await f?.close();
});

afterEach(() => expectScriptsUsed(f));

const hello = [{ role: 'user' as const, content: 'Say hello.' }];
const calls = (id: string): number => f.upstreams[id]!.requests.length;

async function ask(model: string) {
  const before = Object.fromEntries(Object.keys(f.upstreams).map((id) => [id, calls(id)]));
  const started = Date.now();
  const { data, response } = await f.client.chat.completions.create({ model, messages: hello }).withResponse();
  const made = (id: string): number => calls(id) - before[id]!;
  const requestId = response.headers.get('x-request-id')!;
  const records = (await costRecordsFor(f.stack, 'local')).filter((r) => r['requestId'] === requestId)
    .sort((a, b) => Number(a['attempt']) - Number(b['attempt'])); // attempt order (the answered record sorts first by key)
  return { data, response, made, ms: Date.now() - started, records, attempts: Number(response.headers.get('x-router-attempts')) };
}

async function askFailing(model: string) {
  const before = Object.fromEntries(Object.keys(f.upstreams).map((id) => [id, calls(id)]));
  const error = await f.client.chat.completions.create({ model, messages: hello }).catch((e: unknown) => e);
  return { error: error as APIError, made: (id: string): number => calls(id) - before[id]! };
}

const ok = (text: string) => ({ body: completionBody(text) });

describe('429 rate limited', () => {
  it('with Retry-After: waits for it and retries the same deployment', async () => {
    f.upstreams['a-1']!.enqueue({ status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'slow down', type: 'rate_limit_error' } } }, ok('after the wait'));

    const r = await ask('a-1');

    expect(r.made('a-1')).toBe(2);
    expect(r.made('b-1')).toBe(0);
    expect(r.attempts).toBe(2);
    expect(r.response.headers.get('x-router-model')).toBe('a-1');
    expect(r.data.model).toBe('a-1');
    expect(r.data.choices[0]?.message.content).toBe('after the wait');
    expect(r.ms).toBeGreaterThanOrEqual(950); // the Retry-After was honoured
    expect(r.ms).toBeLessThan(10_000);
    expect(r.records.map((x) => [x['attempt'], x['ending'], x['costUsd']])).toEqual([[1, 'failed_over', 0], [2, 'complete', r.records[1]?.['costUsd']]]);
    expect(r.records[1]).toMatchObject({ modelId: 'a-1', attempts: 2, inputTokens: upstreamUsage.prompt_tokens });
  });

  it('without Retry-After: fails over to the next model at once', async () => {
    f.upstreams['a-1']!.enqueue({ status: 429, body: { error: { message: 'rate limit reached' } } });
    f.upstreams['b-1']!.enqueue(ok('from b'));

    const r = await ask('a-1');

    expect([r.made('a-1'), r.made('b-1')]).toEqual([1, 1]);
    expect(r.attempts).toBe(2);
    expect(r.data.model).toBe('b-1');
    expect(r.response.headers.get('x-router-model')).toBe('b-1');
    expect(r.ms).toBeLessThan(5000);
  });
});

describe('5xx and connection failures', () => {
  it('500 once: retried on the same deployment, which then answers', async () => {
    f.upstreams['a-1']!.enqueue({ status: 500, body: { error: { message: 'internal error' } } }, ok('second time lucky'));

    const r = await ask('a-1');

    expect(r.made('a-1')).toBe(2);
    expect(r.attempts).toBe(2);
    expect(r.data.model).toBe('a-1');
    expect(r.data.usage).toMatchObject(upstreamUsage);
    expect(r.records.map((x) => x['ending'])).toEqual(['failed_over', 'complete']);
  });

  it('503 always: one retry, then fail over; only the answer is billed', async () => {
    f.upstreams['a-1']!.enqueue({ status: 503, body: 'unavailable' }, { status: 503, body: 'unavailable' });
    f.upstreams['b-1']!.enqueue(ok('from b'));

    const r = await ask('a-1');

    expect([r.made('a-1'), r.made('b-1')]).toEqual([2, 1]);
    expect(r.attempts).toBe(3);
    expect(r.data.model).toBe('b-1');
    // Every attempt is on the ledger; the refused ones cost nothing.
    expect(r.records.map((x) => [x['modelId'], x['ending'], Number(x['costUsd']) > 0])).toEqual([
      ['a-1', 'failed_over', false], ['a-1', 'failed_over', false], ['b-1', 'complete', true],
    ]);
    expect(r.records[2]).toMatchObject({ modelId: 'b-1', providerId: 'p-b-1', attempts: 3, outputTokens: upstreamUsage.completion_tokens });
    expect(r.ms).toBeLessThan(5000);
  });

  it('connection reset before any header: one retry, then fail over', async () => {
    f.upstreams['a-1']!.enqueue({ resetBeforeHeaders: true }, { resetBeforeHeaders: true });
    f.upstreams['b-1']!.enqueue(ok('from b'));

    const r = await ask('a-1');

    expect([r.made('a-1'), r.made('b-1')]).toEqual([2, 1]);
    expect(r.attempts).toBe(3);
    expect(r.data.model).toBe('b-1');
  });

  it('no answer at all: times out and fails over without retrying the silent deployment', async () => {
    f.upstreams['a-1']!.enqueue({ hang: true });
    f.upstreams['b-1']!.enqueue(ok('from b'));

    const r = await ask('a-1');

    expect([r.made('a-1'), r.made('b-1')]).toEqual([1, 1]);
    expect(r.attempts).toBe(2);
    expect(r.data.model).toBe('b-1');
    expect(r.ms).toBeLessThan(10_000); // provider timeout 1.5 s
  });

  it('an error inside a 200 body is a failure, never an answer', async () => {
    const errorBody = { body: { error: { message: 'internal failure while generating', type: 'server_error' } } };
    f.upstreams['a-1']!.enqueue(errorBody, errorBody);
    f.upstreams['b-1']!.enqueue(ok('real answer'));

    const r = await ask('a-1');

    expect([r.made('a-1'), r.made('b-1')]).toEqual([2, 1]);
    expect(r.data.model).toBe('b-1');
    expect(r.data.choices[0]?.message.content).toBe('real answer');
  });
});

describe('request-level refusals', () => {
  it('context length exceeded: skips models with no larger window and answers from a larger one', async () => {
    f.upstreams['a-1']!.enqueue({ status: 400, body: { error: { message: "This model's maximum context length is 8000 tokens.", code: 'context_length_exceeded' } } });
    f.upstreams['big-1']!.enqueue(ok('plenty of room'));

    const r = await ask('a-1');

    expect([r.made('a-1'), r.made('b-1'), r.made('big-1')]).toEqual([1, 0, 1]);
    expect(r.attempts).toBe(2);
    expect(r.data.model).toBe('big-1');
    expect(r.response.headers.get('x-router-model')).toBe('big-1');
  });

  it("content policy: no retry, no failover, a 400 with the provider's code but never its text", async () => {
    f.upstreams['a-1']!.enqueue({ status: 400, body: { error: { message: 'Rejected by our safety system: violence', code: 'content_policy_violation' } } });

    const { error, made } = await askFailing('a-1');

    expect(error).toBeInstanceOf(APIError);
    expect(error.status).toBe(400);
    expect(error.code).toBe('content_policy_violation');
    expect(error.message).toContain('content policy');
    expect(error.message).toContain('content_policy_violation');
    expect(error.message).not.toContain('Rejected by our safety system');
    expect([made('a-1'), made('b-1'), made('big-1')]).toEqual([1, 0, 0]);
  });
});

describe('deployments of one group', () => {
  it('are addressable by the group name and share the load (weighted random)', async () => {
    const n = 16;
    f.upstreams['east']!.enqueue(...Array.from({ length: n }, () => ok('east')));
    f.upstreams['west']!.enqueue(...Array.from({ length: n }, () => ok('west')));
    const answered: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = await ask('grp');
      expect(r.attempts).toBe(1);
      expect(r.data.model).toBe(r.data.choices[0]?.message.content); // the deployment that answered
      answered.push(r.data.model);
    }
    expect(new Set(answered)).toEqual(new Set(['east', 'west']));
    f.upstreams['east']!.clear();
    f.upstreams['west']!.clear();
  });

  it('fail over to the other deployment when one is down', async () => {
    const down = { status: 503, body: 'down' };
    f.upstreams['east']!.enqueue(down, down);
    f.upstreams['west']!.enqueue(ok('west'));

    const r = await ask('grp');

    // Whichever order the balancer chose, west answers; east, when tried first, got its one retry.
    expect(r.data.model).toBe('west');
    expect(r.made('west')).toBe(1);
    expect([0, 2]).toContain(r.made('east'));
    expect(r.attempts).toBe(1 + r.made('east'));
    f.upstreams['east']!.clear();
  });
});
