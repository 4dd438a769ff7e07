// Streaming faults through the real router over HTTP: held until the first content token (so
// early failures fail over), bounded time to first token and silences, and a stream that breaks
// after output began ends with an error event, no [DONE], and a cost record for what was produced.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { costRecordsFor } from '../support/cost-records.ts';
import { chunk, expectScriptsUsed, rawChat, sseAnswer, sseData, startFaultStack } from '../support/fault-stack.ts';
import type { FaultStack } from '../support/fault-stack.ts';

let f: FaultStack;

beforeAll(async () => {
  f = await startFaultStack([
    { id: 's-1', fallbacks: ['s-2'], provider: { firstTokenTimeoutMs: 800, streamIdleTimeoutMs: 500 } },
    { id: 's-2' },
  ], { circuitBreaker: { failureThreshold: 1000, minCalls: 1000 } });
});

afterAll(async () => {
  await f?.close();
});

afterEach(() => expectScriptsUsed(f));

const body = { model: 's-1', messages: [{ role: 'user', content: 'Stream please.' }], stream: true, stream_options: { include_usage: true } };
const calls = (id: string): number => f.upstreams[id]!.requests.length;

async function stream() {
  const before = { s1: calls('s-1'), s2: calls('s-2') };
  const res = await rawChat(f.stack, body);
  const frames = sseData(res.text);
  const payloads = frames.filter((d) => d !== '[DONE]').map((d) => JSON.parse(d) as Record<string, any>);
  const text = payloads.map((p) => p['choices']?.[0]?.delta?.content ?? '').join('');
  const requestId = res.headers.get('x-request-id');
  const records = (await costRecordsFor(f.stack, 'local')).filter((r) => r['requestId'] === requestId)
    .sort((a, b) => Number(a['attempt']) - Number(b['attempt'])); // attempt order (the answered record sorts first by key)
  return {
    ...res, frames, payloads, text, records,
    made: { s1: calls('s-1') - before.s1, s2: calls('s-2') - before.s2 },
    attempts: Number(res.headers.get('x-router-attempts')),
    done: frames.at(-1) === '[DONE]',
    error: payloads.at(-1)?.['error'] as Record<string, unknown> | undefined,
    usage: payloads.find((p) => p['usage'])?.['usage'] as Record<string, number> | undefined,
  };
}

describe('before the first content token (fails over)', () => {
  it('slow first token: the attempt is cut at firstTokenTimeoutMs and the next model answers', async () => {
    // Role-only chunks keep arriving (so the idle bound is not what fires), content never does.
    const keepAlive = Array.from({ length: 8 }, () => ({ data: chunk({ role: 'assistant', content: '' }), delayMs: 300 }));
    f.upstreams['s-1']!.enqueue({ sse: [{ data: chunk({ role: 'assistant', content: '' }) }, ...keepAlive] });
    f.upstreams['s-2']!.enqueue({ sse: sseAnswer(['Hello', ' there']) });

    const r = await stream();

    expect(r.status).toBe(200);
    expect(r.made).toEqual({ s1: 1, s2: 1 }); // the slow deployment is not retried
    expect(r.attempts).toBe(2);
    expect(r.headers.get('x-router-model')).toBe('s-2');
    expect(new Set(r.payloads.map((p) => p['model']))).toEqual(new Set(['s-2']));
    expect(r.text).toBe('Hello there');
    expect(r.done).toBe(true);
    expect(r.ms).toBeLessThan(10_000);
    // The timed-out attempt is billed its prompt (the provider may have worked on it), the answer in full.
    expect(r.records.map((x) => [x['modelId'], x['ending']])).toEqual([['s-1', 'timeout'], ['s-2', 'complete']]);
    expect(r.records[0]).toMatchObject({ outputTokens: 0, attempt: 1 });
    expect(Number(r.records[0]?.['inputTokens'])).toBeGreaterThan(0);
    expect(r.records[1]).toMatchObject({ attempts: 2, attempt: 2, stream: true });
  });

  it('malformed chunk before any content: fails over', async () => {
    f.upstreams['s-1']!.enqueue({ sse: [{ data: chunk({ role: 'assistant', content: '' }) }, { data: '{"choices": [oops' }] });
    f.upstreams['s-2']!.enqueue({ sse: sseAnswer(['fine']) });

    const r = await stream();

    expect(r.made).toEqual({ s1: 1, s2: 1 });
    expect(r.headers.get('x-router-model')).toBe('s-2');
    expect(r.text).toBe('fine');
    expect(r.done).toBe(true);
  });

  it('stalled before any content: the idle bound fires and the next model answers', async () => {
    f.upstreams['s-1']!.enqueue({ hang: true });
    f.upstreams['s-2']!.enqueue({ sse: sseAnswer(['late', ' but', ' whole']) });

    const r = await stream();

    expect(r.made).toEqual({ s1: 1, s2: 1 });
    expect(r.text).toBe('late but whole');
    expect(r.ms).toBeLessThan(10_000);
  });
});

describe('after output began (error event, never presented as complete)', () => {
  it('stream cut mid-answer: content, then an error event, no [DONE], the output produced billed', async () => {
    // The connection is reset 150 ms after the first words went out.
    f.upstreams['s-1']!.enqueue({
      sse: [{ data: chunk({ role: 'assistant', content: '' }) }, { data: chunk({ content: 'Hello' }) }, { data: chunk({ content: ' wor' }), delayMs: 150 }],
      destroy: true,
    });

    const r = await stream();

    expect(r.status).toBe(200);
    expect(r.made).toEqual({ s1: 1, s2: 0 });
    expect(r.text.startsWith('Hello')).toBe(true);
    expect(r.done).toBe(false);
    expect(r.error).toMatchObject({ code: 'stream_interrupted', type: 'upstream_error' });
    expect(r.records).toHaveLength(1);
    expect(r.records[0]).toMatchObject({ modelId: 's-1', ending: 'stream_broken', outputTokens: 2 }); // 'Hello', counted
    expect(Number(r.records[0]?.['costUsd'])).toBeGreaterThan(0);
  });

  it('stalled stream: ended by the idle bound with an error event, no [DONE], the output produced billed', async () => {
    f.upstreams['s-1']!.enqueue({ sse: [{ data: chunk({ role: 'assistant', content: '' }) }, { data: chunk({ content: 'Hello' }) }, { data: chunk({ content: ' never' }), delayMs: 5000 }] });

    const r = await stream();

    expect(r.text).toBe('Hello');
    expect(r.done).toBe(false);
    expect(r.error).toMatchObject({ code: 'stream_interrupted' });
    expect(String(r.error?.['message'])).toMatch(/stalled|no stream data/);
    expect(r.records.map((x) => x['ending'])).toEqual(['stream_broken']);
    expect(r.ms).toBeLessThan(4000); // idle bound 500 ms, far below the 5 s gap
  });

  it('missing [DONE] and no finish_reason: a truncated answer ends with the error event', async () => {
    f.upstreams['s-1']!.enqueue({ sse: sseAnswer(['Half', ' an'], { finish: false, usage: false, done: false }) });

    const r = await stream();

    expect(r.text).toBe('Half an');
    expect(r.done).toBe(false);
    expect(r.error).toMatchObject({ code: 'stream_interrupted' });
    expect(r.records.map((x) => [x['ending'], x['outputTokens']])).toEqual([['stream_broken', 2]]);
  });

  it('missing [DONE] with a finish_reason: finalised at once, with estimated usage, and billed', async () => {
    f.upstreams['s-1']!.enqueue({ sse: sseAnswer(['Complete', ' answer'], { usage: false, done: false }) });

    const r = await stream();

    expect(r.text).toBe('Complete answer');
    expect(r.done).toBe(true);
    expect(r.error).toBeUndefined();
    expect(r.usage?.['completion_tokens']).toBeGreaterThan(0);
    expect(r.records).toHaveLength(1);
    expect(r.records[0]).toMatchObject({ modelId: 's-1', outputTokens: r.usage?.['completion_tokens'], attempts: 1 });
  });

  it('a healthy stream reports the upstream usage under the model that answered', async () => {
    f.upstreams['s-1']!.enqueue({ sse: sseAnswer(['All', ' good']) });

    const r = await stream();

    expect(r.done).toBe(true);
    expect(r.attempts).toBe(1);
    expect(r.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 7 });
    expect(new Set(r.payloads.map((p) => p['model']))).toEqual(new Set(['s-1']));
    expect(r.records[0]).toMatchObject({ modelId: 's-1', inputTokens: 11, outputTokens: 7 });
  });
});
