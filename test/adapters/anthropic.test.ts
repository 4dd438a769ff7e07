import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AnthropicClient } from '#adapters/providers/anthropic.ts';
import type { ChatRequest } from '#core/chat/openai-types.ts';
import { startSimulatedUpstream } from '#local/simulated/anthropic-upstream.ts';
import { useScriptedUpstream } from '../support/scripted-upstream.ts';
import type { ScriptedSseEvent } from '../support/scripted-upstream.ts';
import { collect, failure } from '../support/provider-calls.ts';
import { useForSuite } from '../support/use-for-suite.ts';

const request: ChatRequest = {
  model: 'claude-test',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Name the largest planet in the solar system' },
  ],
};

const ev = (type: string, payload: object = {}): ScriptedSseEvent => ({ event: type, data: { type, ...payload } });
const messageStart = (usage: object = { input_tokens: 10, output_tokens: 1 }) =>
  ev('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-test-20250101', content: [], stop_reason: null, usage } });

describe('AnthropicClient against the simulated upstream', () => {
  const sim = useForSuite(() => startSimulatedUpstream({ kind: 'anthropic', latencyMs: 5, tokensPerSecond: 2000 }), (s) => s.close());

  it('answers JSON and streams the same text, ending with a usage chunk', async () => {
    const client = new AnthropicClient({ providerId: 'anthropic', baseUrl: sim.url, apiKey: 'k' });
    const result = await client.chat(request);
    const answer = result.choices[0]?.message.content ?? '';
    expect(answer).toContain('Simulated answer from claude-test to: Name the largest planet');
    expect(result.choices[0]?.finish_reason).toBe('stop');
    expect(result.usage?.prompt_tokens).toBeGreaterThan(0);
    const chunks = await collect(client.stream(request));
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(answer);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toEqual(result.usage);
  });

  it('reports max_tokens truncation as finish_reason length', async () => {
    const client = new AnthropicClient({ providerId: 'anthropic', baseUrl: `${sim.url}/v1`, apiKey: 'k' });
    const result = await client.chat({ ...request, max_tokens: 3 });
    expect(result.choices[0]?.finish_reason).toBe('length');
    expect(result.choices[0]?.message.content?.split(' ')).toHaveLength(3);
  });

  it('maps the 401 for a missing key', async () => {
    const client = new AnthropicClient({ providerId: 'anthropic', baseUrl: sim.url });
    const error = await failure(client.chat(request));
    expect(error).toMatchObject({ kind: 'authentication', upstreamStatus: 401 });
    expect(error.detail).toContain('x-api-key header is required');
  });
});

describe('AnthropicClient against scripted responses', () => {
  const up = useScriptedUpstream();
  let client: AnthropicClient;
  beforeAll(() => {
    client = new AnthropicClient({ providerId: 'anthropic', baseUrl: up.url, apiKey: 'sk-ant', headers: { 'anthropic-beta': 'x' } });
  });
  afterEach(() => {
    up.requests.length = 0;
  });

  it('translates the request: system, images, tools, tool history, stop, max_tokens', async () => {
    up.enqueue({ body: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-test', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', usage: { input_tokens: 5, output_tokens: 1 } } });
    await client.chat({
      model: 'claude-test',
      stop: 'END',
      temperature: 1.5,
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      tool_choice: 'required',
      messages: [
        { role: 'developer', content: 'Rule one.' },
        { role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }, { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'toolu_1', content: '21C' },
        { role: 'user', content: 'And tomorrow?' },
      ],
    });
    const sent = up.requests[0]!;
    expect(sent.path).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe('sk-ant');
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent.headers['anthropic-beta']).toBe('x');
    expect(sent.json).toEqual({
      model: 'claude-test',
      max_tokens: 4096,
      system: [{ type: 'text', text: 'Rule one.' }],
      stop_sequences: ['END'],
      temperature: 1,
      tools: [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
      tool_choice: { type: 'any' },
      messages: [
        { role: 'user', content: [
          { type: 'text', text: 'Look' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
        ] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '21C' }, { type: 'text', text: 'And tomorrow?' }] },
      ],
    });
  });

  it('translates a tool_use answer with cache usage', async () => {
    up.enqueue({ body: {
      id: 'msg_2', type: 'message', role: 'assistant', model: 'claude-test',
      content: [{ type: 'text', text: 'Checking.' }, { type: 'tool_use', id: 'toolu_9', name: 'get_weather', input: { city: 'Oslo' } }],
      stop_reason: 'tool_use',
      usage: { input_tokens: 20, cache_read_input_tokens: 1000, cache_creation_input_tokens: 30, output_tokens: 40 },
    } });
    const result = await client.chat(request);
    const choice = result.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBe('Checking.');
    expect(choice.message.tool_calls).toEqual([{ id: 'toolu_9', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }]);
    expect(result.usage).toEqual({ prompt_tokens: 1050, completion_tokens: 40, total_tokens: 1090, prompt_tokens_details: { cached_tokens: 1000 } });
  });

  it('streams tool calls from input_json_delta with OpenAI indexes', async () => {
    up.enqueue({ sse: [
      messageStart({ input_tokens: 12, cache_read_input_tokens: 100, output_tokens: 1 }),
      ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      ev('ping'),
      ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Let me check.' } }),
      ev('content_block_stop', { index: 0 }),
      ev('content_block_start', { index: 1, content_block: { type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: {} } }),
      ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '' } }),
      ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '{"city": ' } }),
      ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '"Rome"}' } }),
      ev('content_block_stop', { index: 1 }),
      ev('message_delta', { delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 33 } }),
      ev('message_stop'),
    ] });
    const chunks = await collect(client.stream(request));
    expect(up.requests[0]?.json).toMatchObject({ stream: true });
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks[0]?.id).toBe('msg_1');
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toEqual({ index: 0, id: 'toolu_a', type: 'function', function: { name: 'get_weather', arguments: '' } });
    expect(calls.slice(1).map((c) => c.function?.arguments).join('')).toBe('{"city": "Rome"}');
    expect(calls.every((c) => c.index === 0)).toBe(true);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(chunks.at(-1)?.usage).toEqual({ prompt_tokens: 112, completion_tokens: 33, total_tokens: 145, prompt_tokens_details: { cached_tokens: 100 } });
  });

  it('throws a server_error when an overloaded error event arrives mid-stream', async () => {
    up.enqueue({ sse: [
      messageStart(),
      ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hal' } }),
      ev('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }),
    ] });
    const seen: string[] = [];
    const error = await failure((async () => {
      for await (const c of client.stream(request)) seen.push(c.choices[0]?.delta.content ?? '');
    })());
    expect(error.kind).toBe('server_error');
    expect(error.detail).toContain('Overloaded');
    expect(seen.join('')).toBe('Hal');
  });

  it('maps HTTP errors in Anthropic shape', async () => {
    up.enqueue({ status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' } } });
    expect((await failure(client.chat(request))).kind).toBe('context_length');
    up.enqueue({ status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } });
    expect((await failure(client.chat(request))).kind).toBe('server_error');
    up.enqueue({ status: 429, headers: { 'retry-after': '3' }, body: { type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } } });
    expect(await failure(client.stream(request)[Symbol.asyncIterator]().next())).toMatchObject({ kind: 'rate_limited', retryAfterMs: 3000 });
  });

  it('maps a refusal to content_filter', async () => {
    up.enqueue({ body: { id: 'msg_3', type: 'message', role: 'assistant', content: [], stop_reason: 'refusal', usage: { input_tokens: 5, output_tokens: 0 } } });
    const result = await client.chat(request);
    expect(result.choices[0]?.finish_reason).toBe('content_filter');
    expect(result.choices[0]?.message.content).toBeNull();
  });

  it('rejects an untranslatable request as bad_request without calling upstream', async () => {
    const bad: ChatRequest = { model: 'claude-test', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] }] };
    expect((await failure(client.chat(bad))).kind).toBe('bad_request');
    expect(up.requests).toHaveLength(0);
  });
});
