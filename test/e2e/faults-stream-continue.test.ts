// Streams continued after a provider breaks mid-answer, through the real router over HTTP with the
// official `openai` client: the next candidate that can continue from a prefill (catalog `prefill`)
// gets the conversation plus the delivered text as a trailing assistant message, and the caller
// reads one uninterrupted answer. Each test asserts the exact text the caller received.
import { APIError } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { costRecordsFor } from '../support/cost-records.ts';
import { chunk, expectScriptsUsed, sseAnswer, startFaultStack, upstreamUsage } from '../support/fault-stack.ts';
import type { FaultStack } from '../support/fault-stack.ts';
import { sseFrame } from '../support/scripted-upstream.ts';
import type { ScriptedResponse, ScriptedSseEvent } from '../support/scripted-upstream.ts';

let f: FaultStack;

beforeAll(async () => {
  f = await startFaultStack([
    // c-1 breaks; c-0 cannot continue (no prefill) and is never asked to; c-2 speaks DeepSeek's prefix form, c-3 DashScope's partial form.
    { id: 'c-1', fallbacks: ['c-0', 'c-2', 'c-3'], provider: { streamIdleTimeoutMs: 500 } },
    { id: 'c-0' },
    { id: 'c-2', prefill: 'prefix' },
    { id: 'c-3', prefill: 'partial' },
  ], { maxAttempts: 4, circuitBreaker: { failureThreshold: 1000, minCalls: 1000 } });
});

afterAll(async () => {
  await f?.close();
});

afterEach(() => expectScriptsUsed(f));

const question = [{ role: 'user' as const, content: 'Tell me a story.' }];
const made = (id: string): number => f.upstreams[id]!.requests.length;
const lastBody = (id: string): Record<string, any> => f.upstreams[id]!.requests.at(-1)!.json as Record<string, any>;

/** Streams through the openai client; collects what the caller read, and the error if the stream ended with one. */
async function read(extra: Record<string, unknown> = {}) {
  const before = Object.fromEntries(Object.keys(f.upstreams).map((id) => [id, made(id)]));
  const { data: stream, response } = await f.client.chat.completions.create({
    model: 'c-1', messages: question, stream: true, stream_options: { include_usage: true }, ...extra,
  }).withResponse();
  let text = '';
  const models: string[] = [];
  const ids = new Set<string>();
  let usage: Record<string, number> | undefined;
  let finish: string | null | undefined;
  let error: APIError | undefined;
  const toolArgs: string[] = [];
  try {
    for await (const c of stream) {
      ids.add(c.id);
      if (c.usage) usage = c.usage as unknown as Record<string, number>;
      for (const choice of c.choices) {
        models.push(c.model);
        text += choice.delta.content ?? '';
        toolArgs.push(...(choice.delta.tool_calls ?? []).map((t) => t.function?.arguments ?? ''));
        finish = choice.finish_reason ?? finish;
      }
    }
  } catch (caught) {
    if (!(caught instanceof APIError)) throw caught;
    error = caught;
  }
  const requestId = response.headers.get('x-request-id');
  const records = (await costRecordsFor(f.stack, 'local')).filter((r) => r['requestId'] === requestId)
    .sort((a, b) => Number(a['attempt']) - Number(b['attempt']));
  const calls = Object.fromEntries(Object.keys(f.upstreams).map((id) => [id, made(id) - before[id]!]));
  return { text, models: [...new Set(models)], ids, usage, finish, error, records, calls, toolArgs: toolArgs.join('') };
}

const start = (...words: string[]): ScriptedSseEvent[] => [{ data: chunk({ role: 'assistant', content: '' }) }, ...words.map((w) => ({ data: chunk({ content: w }) }))];
/** SSE events, then (after a pause that lets them reach the router) a reset connection. */
const cutAfter = (events: ScriptedSseEvent[]): ScriptedResponse => ({
  chunks: [...events.map((e) => ({ data: sseFrame(e) })), { data: '', delayMs: 150 }], headers: { 'content-type': 'text/event-stream' }, destroy: true,
});
const refuse: ScriptedResponse = { status: 400, body: { error: { message: 'prefix completion is not supported', type: 'invalid_request_error' } } };

/** The trailing assistant message the continuation was asked to go on from. */
function prefillOf(id: string): Record<string, unknown> {
  const messages = lastBody(id)['messages'] as Array<Record<string, unknown>>;
  expect(messages.slice(0, -1)).toEqual(question);
  return messages.at(-1)!;
}

describe('a stream broken after output began is continued on the next candidate that can', () => {
  it('socket cut: continued on c-2 (prefix form); one stream, new model on its chunks, usage summed, a cost record per attempt', async () => {
    f.upstreams['c-1']!.enqueue(cutAfter(start('Once', ' upon')));
    f.upstreams['c-2']!.enqueue({ sse: sseAnswer([' a', ' time.'], { finish: true }) });

    const r = await read();

    expect(r.error).toBeUndefined();
    expect(r.text).toBe('Once upon a time.');
    expect(r.finish).toBe('stop');
    expect(r.calls).toEqual({ 'c-1': 1, 'c-0': 0, 'c-2': 1, 'c-3': 0 });
    expect(prefillOf('c-2')).toEqual({ role: 'assistant', content: 'Once upon', prefix: true });
    expect(lastBody('c-2')['model']).toBe('c-2-upstream');
    expect(r.models).toEqual(['c-1', 'c-2']);
    expect(r.ids.size).toBe(1); // one stream, one id
    expect(r.records.map((x) => [x['modelId'], x['ending'], x['attempt']])).toEqual([['c-1', 'stream_broken', 1], ['c-2', 'complete', 2]]);
    expect(Number(r.records[0]!['costUsd'])).toBeGreaterThan(0);
    // The final usage chunk sums both attempts: the broken one's counted output plus the continuation's reported usage.
    expect(r.usage).toMatchObject({
      prompt_tokens: Number(r.records[0]!['inputTokens']) + upstreamUsage.prompt_tokens,
      completion_tokens: Number(r.records[0]!['outputTokens']) + upstreamUsage.completion_tokens,
    });
    expect(r.records[1]).toMatchObject({ inputTokens: upstreamUsage.prompt_tokens, outputTokens: upstreamUsage.completion_tokens });
  });

  it('clean close without a finish_reason: continued', async () => {
    f.upstreams['c-1']!.enqueue({ sse: sseAnswer(['Half', ' an'], { finish: false, usage: false, done: false }) });
    f.upstreams['c-2']!.enqueue({ sse: sseAnswer([' answer', ', whole.']) });

    const r = await read();

    expect(r.error).toBeUndefined();
    expect(r.text).toBe('Half an answer, whole.');
    expect(prefillOf('c-2')).toEqual({ role: 'assistant', content: 'Half an', prefix: true });
    expect(r.records.map((x) => [x['modelId'], x['ending']])).toEqual([['c-1', 'stream_broken'], ['c-2', 'complete']]);
  });

  it('stall past the idle timeout: continued', async () => {
    f.upstreams['c-1']!.enqueue({ sse: [...start('Slow', ' and'), { data: chunk({ content: ' never' }), delayMs: 5000 }] });
    f.upstreams['c-2']!.enqueue({ sse: sseAnswer([' steady', '.']) });

    const r = await read();

    expect(r.error).toBeUndefined();
    expect(r.text).toBe('Slow and steady.');
    expect(prefillOf('c-2')).toMatchObject({ content: 'Slow and' });
    expect(r.records.map((x) => x['ending'])).toEqual(['stream_broken', 'complete']);
  });

  it('an event that does not parse: continued', async () => {
    f.upstreams['c-1']!.enqueue({ sse: [...start('Good', ' so'), { data: '{"choices": [oops' }, { data: chunk({ content: ' lost' }) }] });
    f.upstreams['c-2']!.enqueue({ sse: sseAnswer([' far', '.']) });

    const r = await read();

    expect(r.error).toBeUndefined();
    expect(r.text).toBe('Good so far.');
    expect(prefillOf('c-2')).toMatchObject({ content: 'Good so' });
  });

  it('continuation refused by c-2, accepted by c-3 in its own (partial) form', async () => {
    f.upstreams['c-1']!.enqueue(cutAfter(start('First', ' part')));
    f.upstreams['c-2']!.enqueue(refuse);
    f.upstreams['c-3']!.enqueue({ sse: sseAnswer([', second', ' part.']) });

    const r = await read();

    expect(r.error).toBeUndefined();
    expect(r.text).toBe('First part, second part.');
    expect(r.calls).toEqual({ 'c-1': 1, 'c-0': 0, 'c-2': 1, 'c-3': 1 });
    expect(prefillOf('c-2')).toEqual({ role: 'assistant', content: 'First part', prefix: true });
    expect(prefillOf('c-3')).toEqual({ role: 'assistant', content: 'First part', partial: true });
    expect(r.models).toEqual(['c-1', 'c-3']);
    // The refusal costs nothing; the broken attempt and the continuation are each billed.
    expect(r.records.map((x) => [x['modelId'], x['ending'], x['attempt']])).toEqual([
      ['c-1', 'stream_broken', 1], ['c-2', 'failed_over', 2], ['c-3', 'complete', 3],
    ]);
    expect(Number(r.records[1]!['costUsd'])).toBe(0);
  });

  it('continuation refused by every candidate: the original break, cleanly, after exactly the text delivered', async () => {
    f.upstreams['c-1']!.enqueue(cutAfter(start('Only', ' this')));
    f.upstreams['c-2']!.enqueue(refuse);
    f.upstreams['c-3']!.enqueue(refuse);

    const r = await read();

    expect(r.text).toBe('Only this');
    expect(r.finish).toBeUndefined();
    expect(r.error?.code).toBe('stream_interrupted');
    expect(r.error?.message).toContain('c-1');
    expect(r.error?.message).not.toMatch(/prefix completion/);
    expect(r.records.map((x) => [x['modelId'], x['ending']])).toEqual([['c-1', 'stream_broken'], ['c-2', 'failed_over'], ['c-3', 'failed']]);
  });

  it('a continuation that breaks too is continued in turn, from everything delivered', async () => {
    f.upstreams['c-1']!.enqueue(cutAfter(start('One,')));
    f.upstreams['c-2']!.enqueue(cutAfter(start(' two,')));
    f.upstreams['c-3']!.enqueue({ sse: sseAnswer([' three.']) });

    const r = await read();

    expect(r.error).toBeUndefined();
    expect(r.text).toBe('One, two, three.');
    expect(prefillOf('c-3')).toEqual({ role: 'assistant', content: 'One, two,', partial: true });
    expect(r.records.map((x) => [x['modelId'], x['ending']])).toEqual([['c-1', 'stream_broken'], ['c-2', 'stream_broken'], ['c-3', 'complete']]);
  });

  it('tool-call arguments broken mid-way: the break is reported, nothing is spliced', async () => {
    const call = (args: string, first = false) => chunk({ tool_calls: [{ index: 0, ...(first ? { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: args } } : { function: { arguments: args } }) }] });
    f.upstreams['c-1']!.enqueue(cutAfter([{ data: chunk({ role: 'assistant', content: null }) }, { data: call('{"city":', true) }, { data: call(' "Par') }]));

    const r = await read({ tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }] });

    expect(r.toolArgs).toBe('{"city": "Par');
    expect(r.text).toBe('');
    expect(r.error?.code).toBe('stream_interrupted');
    expect(r.calls).toEqual({ 'c-1': 1, 'c-0': 0, 'c-2': 0, 'c-3': 0 });
    expect(r.records.map((x) => [x['modelId'], x['ending']])).toEqual([['c-1', 'stream_broken']]);
  });

  it('a continuation is asked for what is left of max_tokens', async () => {
    f.upstreams['c-1']!.enqueue(cutAfter(start('Short', ' one')));
    f.upstreams['c-2']!.enqueue({ sse: sseAnswer(['.']) });

    const r = await read({ max_tokens: 50 });

    expect(r.text).toBe('Short one.');
    expect(lastBody('c-1')['max_tokens']).toBe(50);
    expect(lastBody('c-2')['max_tokens']).toBeLessThan(50);
    expect(lastBody('c-2')['max_tokens']).toBeGreaterThan(0);
  });
});
