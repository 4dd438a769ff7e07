import { afterEach, describe, expect, it } from 'vitest';
import { OpenAiCompatibleClient } from '#adapters/providers/openai-compatible.ts';
import type { ChatRequest } from '#core/chat/openai-types.ts';
import { startSimulatedUpstream } from '#local/simulated/openai-upstream.ts';
import { useScriptedUpstream } from '../support/scripted-upstream.ts';
import { collect, failure } from '../support/provider-calls.ts';
import { useForSuite } from '../support/use-for-suite.ts';

const request: ChatRequest = { model: 'gpt-test', messages: [{ role: 'user', content: 'What is the capital of France?' }] };

const completion = (usage: object) => ({
  id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-test',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Paris.' }, finish_reason: 'stop' }], usage,
});
const chunk = (delta: object, finish: string | null = null) => ({
  id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-test', choices: [{ index: 0, delta, finish_reason: finish }],
});

describe('OpenAiCompatibleClient against the simulated upstream', () => {
  const sim = useForSuite(() => startSimulatedUpstream({ kind: 'openai-compatible', latencyMs: 5, tokensPerSecond: 2000 }), (s) => s.close());

  it('answers a JSON chat call with a deterministic answer and non-zero usage', async () => {
    const client = new OpenAiCompatibleClient({ providerId: 'sim', baseUrl: sim.url, apiKey: 'k' });
    const result = await client.chat(request);
    expect(result.object).toBe('chat.completion');
    expect(result.choices[0]?.message.content).toContain('Simulated answer from gpt-test to: What is the capital of France?');
    expect(result.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(result.usage?.completion_tokens).toBeGreaterThan(0);
    expect((await client.chat(request)).choices[0]?.message.content).toBe(result.choices[0]?.message.content);
  });

  it('streams chunks whose text equals the JSON answer, with a final usage chunk and no [DONE] leak', async () => {
    const client = new OpenAiCompatibleClient({ providerId: 'sim', baseUrl: sim.url, apiKey: 'k' });
    const chunks = await collect(client.stream(request));
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe((await client.chat(request)).choices[0]?.message.content);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('maps the simulator 401 for a missing key to an authentication failure', async () => {
    const client = new OpenAiCompatibleClient({ providerId: 'sim', baseUrl: sim.url });
    const error = await failure(client.chat(request));
    expect(error.kind).toBe('authentication');
    expect(error.upstreamStatus).toBe(401);
    expect(error.detail).toContain("You didn't provide an API key");
  });

  it('lists models', async () => {
    const client = new OpenAiCompatibleClient({ providerId: 'sim', baseUrl: sim.url, apiKey: 'k' });
    const models = await client.listModels();
    expect(models.map((m) => m.id)).toContain('sim-small');
  });
});

describe('OpenAiCompatibleClient against scripted faults', () => {
  const up = useScriptedUpstream();
  let client: OpenAiCompatibleClient;
  afterEach(() => {
    up.requests.length = 0;
  });
  const make = (extra: object = {}) =>
    new OpenAiCompatibleClient({ providerId: 'deepseek', baseUrl: `${up.url}/v1/`, apiKey: 'sk-1', headers: { 'x-extra': 'yes' }, ...extra });

  it('sends the request with bearer auth and extra headers, and drops stream_options on JSON calls', async () => {
    client = make();
    up.enqueue({ body: completion({ prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 }) });
    const result = await client.chat({ ...request, stream_options: { include_usage: true }, temperature: 0.2 });
    const sent = up.requests[0]!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe('Bearer sk-1');
    expect(sent.headers['x-extra']).toBe('yes');
    expect(sent.json).toMatchObject({ model: 'gpt-test', stream: false, temperature: 0.2 });
    expect(sent.json).not.toHaveProperty('stream_options');
    expect(result.usage).toEqual({ prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 });
  });

  it("maps DeepSeek's prompt_cache_hit_tokens to cached_tokens and keeps reasoning tokens", async () => {
    client = make();
    up.enqueue({ body: completion({ prompt_tokens: 100, completion_tokens: 50, total_tokens: 150, prompt_cache_hit_tokens: 64, prompt_cache_miss_tokens: 36, completion_tokens_details: { reasoning_tokens: 30 } }) });
    const result = await client.chat(request);
    expect(result.usage?.prompt_tokens_details?.cached_tokens).toBe(64);
    expect(result.usage?.completion_tokens_details?.reasoning_tokens).toBe(30);
  });

  it('asks for usage when streaming and normalises the usage chunk', async () => {
    client = make();
    up.enqueue({ sse: [
      { data: chunk({ role: 'assistant', content: '' }) },
      { data: chunk({ content: 'Pa' }), delayMs: 5 },
      { data: chunk({ content: 'ris' }) },
      { data: chunk({}, 'stop') },
      { data: { ...chunk({}), choices: [], usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12, prompt_cache_hit_tokens: 8 } } },
      { data: '[DONE]' },
      { data: chunk({ content: 'after done must be ignored' }) },
    ] });
    const chunks = await collect(client.stream(request));
    expect(up.requests[0]?.json).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Paris');
    expect(chunks.at(-1)?.usage).toEqual({ prompt_tokens: 9, completion_tokens: 3, total_tokens: 12, prompt_tokens_details: { cached_tokens: 8 } });
  });

  it('ends without error when the upstream closes without [DONE]', async () => {
    client = make();
    up.enqueue({ sse: [{ data: chunk({ content: 'partial' }) }] });
    const chunks = await collect(client.stream(request));
    expect(chunks).toHaveLength(1);
  });

  it('throws malformed_response for a chunk that is not JSON or has no choices', async () => {
    client = make();
    up.enqueue({ sse: [{ data: chunk({ content: 'ok' }) }, { data: '{"id": "x", "choi' }] });
    const seen: string[] = [];
    const error = await failure((async () => {
      for await (const c of client.stream(request)) seen.push(c.choices[0]?.delta.content ?? '');
    })());
    expect(error.kind).toBe('malformed_response');
    expect(seen).toEqual(['ok']);
    up.enqueue({ sse: [{ data: { id: 'x', object: 'chat.completion.chunk' } }] });
    expect((await failure(collect(client.stream(request)))).kind).toBe('malformed_response');
  });

  it('throws when an error object arrives mid-stream', async () => {
    client = make();
    up.enqueue({ sse: [{ data: chunk({ content: 'a' }) }, { data: { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } } }] });
    const error = await failure(collect(client.stream(request)));
    expect(error.kind).toBe('rate_limited');
    expect(error.detail).toContain('Rate limit reached');
  });

  it('maps 429 with Retry-After seconds and an HTTP-date', async () => {
    client = make();
    up.enqueue({ status: 429, headers: { 'retry-after': '7' }, body: { error: { message: 'Rate limit reached for gpt-test', type: 'requests', code: 'rate_limit_exceeded' } } });
    const e1 = await failure(client.chat(request));
    expect(e1).toMatchObject({ kind: 'rate_limited', upstreamStatus: 429, retryAfterMs: 7000 });
    expect(e1.detail).toContain('Rate limit reached for gpt-test');
    up.enqueue({ status: 429, headers: { 'retry-after': new Date(Date.now() + 30_000).toUTCString() }, body: { error: { message: 'slow down' } } });
    const e2 = await failure(client.chat(request));
    expect(e2.retryAfterMs).toBeGreaterThan(25_000);
    expect(e2.retryAfterMs).toBeLessThanOrEqual(30_000);
    up.enqueue({ status: 429, headers: { 'retry-after-ms': '250', 'retry-after': '9' }, body: 'Too Many Requests' });
    expect((await failure(client.chat(request))).retryAfterMs).toBe(250);
  });

  it('maps 500 and 503 to server_error with the provider reason', async () => {
    client = make();
    up.enqueue({ status: 500, body: { error: { message: 'The server had an error while processing your request.', type: 'server_error' } } });
    const error = await failure(client.chat(request));
    expect(error).toMatchObject({ kind: 'server_error', upstreamStatus: 500 });
    expect(error.detail).toContain('The server had an error');
    expect(error.message).not.toMatch(/\bat \S+ \(/); // no stack frames
    up.enqueue({ status: 503, body: '<html>Service Unavailable</html>' });
    expect(await failure(client.stream(request)[Symbol.asyncIterator]().next())).toMatchObject({ kind: 'server_error', upstreamStatus: 503 });
  });

  it('recognises context-length errors from several providers', async () => {
    client = make();
    const bodies = [
      { error: { message: "This model's maximum context length is 128000 tokens.", type: 'invalid_request_error', code: 'context_length_exceeded' } },
      [{ error: { code: 400, message: 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).', status: 'INVALID_ARGUMENT' } }],
      { error: { code: 'InvalidParameter', message: 'Range of input length should be [1, 30720]; maximum context length exceeded', type: 'invalid_request_error' } },
    ];
    for (const body of bodies) {
      up.enqueue({ status: 400, body });
      expect((await failure(client.chat(request))).kind).toBe('context_length');
    }
  });

  it('recognises content-policy refusals and treats other 4xx as bad_request', async () => {
    client = make();
    up.enqueue({ status: 400, body: { error: { message: 'Your request was rejected as a result of our safety system.', type: 'invalid_request_error', code: 'content_policy_violation' } } });
    expect((await failure(client.chat(request))).kind).toBe('content_policy');
    up.enqueue({ status: 400, body: { error: { code: 'data_inspection_failed', message: 'Input data may contain inappropriate content.', type: 'data_inspection_failed' } } });
    expect((await failure(client.chat(request))).kind).toBe('content_policy');
    up.enqueue({ status: 404, body: { error: { message: 'The model `nope` does not exist', type: 'invalid_request_error', code: 'model_not_found' } } });
    const e = await failure(client.chat(request));
    expect(e.kind).toBe('bad_request');
    expect(e.detail).toContain('does not exist');
  });

  it('treats an error object inside a 200 body as a failure', async () => {
    client = make();
    up.enqueue({ body: { error: { message: 'internal error, please retry', code: '1234' } } });
    const error = await failure(client.chat(request));
    expect(error.kind).toBe('server_error');
    expect(error.detail).toContain('internal error, please retry');
    up.enqueue({ body: { error: { message: 'Prompt exceeds max length', code: '1261' } } });
    expect((await failure(client.chat(request))).kind).toBe('context_length');
  });

  it('throws malformed_response for a 200 that is not a completion', async () => {
    client = make();
    up.enqueue({ body: 'not json at all', headers: { 'content-type': 'application/json' } });
    expect((await failure(client.chat(request))).kind).toBe('malformed_response');
    up.enqueue({ body: { id: 'x', choices: [] } });
    expect((await failure(client.chat(request))).kind).toBe('malformed_response');
  });

  it('times out a chat call that is slower than timeoutMs', async () => {
    client = make();
    up.enqueue({ delayMs: 400, body: completion({ prompt_tokens: 1, completion_tokens: 1 }) });
    const started = Date.now();
    expect((await failure(client.chat(request, { timeoutMs: 100 }))).kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(350);
  });

  it('bounds only the time to headers when streaming', async () => {
    client = make();
    up.enqueue({ sse: [{ data: chunk({ content: 'a' }) }, { data: chunk({ content: 'b' }), delayMs: 250 }, { data: '[DONE]' }] });
    const chunks = await collect(client.stream(request, { timeoutMs: 150 }));
    expect(chunks).toHaveLength(2);
    up.enqueue({ delayMs: 400, sse: [{ data: '[DONE]' }] });
    expect((await failure(collect(client.stream(request, { timeoutMs: 100 })))).kind).toBe('timeout');
  });

  it('reports a connection refused and a stream cut mid-way', async () => {
    const dead = new OpenAiCompatibleClient({ providerId: 'x', baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'k' });
    expect((await failure(dead.chat(request))).kind).toBe('connection');
    client = make();
    up.enqueue({ sse: [{ data: chunk({ content: 'a' }) }], destroy: true });
    expect((await failure(collect(client.stream(request)))).kind).toBe('stream_interrupted');
  });

  it('releases the upstream stream when the consumer stops early', async () => {
    client = make();
    up.enqueue({ sse: [{ data: chunk({ content: 'first' }) }, { data: chunk({ content: 'late' }), delayMs: 2000 }, { data: '[DONE]' }] });
    const abortsBefore = up.clientAborts;
    const started = Date.now();
    for await (const c of client.stream(request)) {
      expect(c.choices[0]?.delta.content).toBe('first');
      break;
    }
    expect(Date.now() - started).toBeLessThan(1000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(up.clientAborts - abortsBefore).toBe(1); // the connection was cancelled, not left to drain
    up.enqueue({ body: completion({ prompt_tokens: 1, completion_tokens: 1 }) });
    expect((await client.chat(request)).choices[0]?.message.content).toBe('Paris.');
  });

  it('stops when the caller aborts', async () => {
    client = make();
    up.enqueue({ delayMs: 300, body: completion({ prompt_tokens: 1, completion_tokens: 1 }) });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('client went away')), 50);
    const error = await failure(client.chat(request, { signal: controller.signal }));
    expect(error.kind).toBe('connection');
    expect(error.detail).toContain('client went away');
  });
});
