// BedrockClient against a local server speaking the Bedrock runtime REST protocol: JSON for
// /converse, binary AWS event-stream frames for /converse-stream, `x-amzn-errortype` for errors.
import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/core/serde';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BedrockClient } from '#adapters/providers/bedrock.ts';
import { createProviderClient } from '#adapters/providers/create-provider-client.ts';
import type { ChatCompletionChunk, ChatRequest } from '#core/chat/openai-types.ts';
import { useScriptedUpstream } from '../support/scripted-upstream.ts';
import type { ScriptedChunk, ScriptedResponse } from '../support/scripted-upstream.ts';
import { collect, failure } from '../support/provider-calls.ts';

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const modelId = 'anthropic.claude-3-haiku-20240307-v1:0';
const request: ChatRequest = { model: modelId, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi there' }], max_tokens: 100, temperature: 0.3, stop: ['###'] };

const str = (value: string) => ({ type: 'string' as const, value });
function frame(eventType: string, body: object): ScriptedChunk {
  return { data: codec.encode({ headers: { ':event-type': str(eventType), ':content-type': str('application/json'), ':message-type': str('event') }, body: fromUtf8(JSON.stringify(body)) }) };
}
function exceptionFrame(exceptionType: string, message: string): ScriptedChunk {
  return { data: codec.encode({ headers: { ':exception-type': str(exceptionType), ':content-type': str('application/json'), ':message-type': str('exception') }, body: fromUtf8(JSON.stringify({ message })) }) };
}
const eventStream = (chunks: ScriptedChunk[]): ScriptedResponse => ({ headers: { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'req-1' }, chunks });
const awsError = (status: number, type: string, message: string): ScriptedResponse => ({
  status, headers: { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`, 'x-amzn-requestid': 'req-e' }, body: { message },
});

describe('BedrockClient', () => {
  const up = useScriptedUpstream({ http2: true });
  let client: BedrockClient;
  beforeAll(() => {
    client = new BedrockClient({ providerId: 'bedrock', region: 'us-east-1', endpoint: up.url, credentials });
  });
  afterEach(() => {
    up.requests.length = 0;
  });

  it('sends a signed Converse request and translates the answer', async () => {
    up.enqueue({ headers: { 'x-amzn-requestid': 'req-1' }, body: {
      output: { message: { role: 'assistant', content: [{ text: 'Hello!' }] } },
      stopReason: 'end_turn',
      usage: { inputTokens: 12, outputTokens: 3, totalTokens: 15, cacheReadInputTokens: 100 },
      metrics: { latencyMs: 120 },
    } });
    const result = await client.chat({
      ...request,
      messages: [...request.messages, { role: 'user', content: [{ type: 'text', text: 'See' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAEC' } }] }],
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }],
      tool_choice: { type: 'function', function: { name: 'lookup' } },
    });
    const sent = up.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(decodeURIComponent(sent.path)).toBe(`/model/${modelId}/converse`);
    expect(sent.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
    expect(sent.json).toEqual({
      system: [{ text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ text: 'Hi there' }, { text: 'See' }, { image: { format: 'png', source: { bytes: 'AAEC' } } }] }],
      inferenceConfig: { maxTokens: 100, temperature: 0.3, stopSequences: ['###'] },
      toolConfig: { tools: [{ toolSpec: { name: 'lookup', inputSchema: { json: { type: 'object', properties: { q: { type: 'string' } } } } } }], toolChoice: { tool: { name: 'lookup' } } },
    });
    expect(result.choices[0]?.message.content).toBe('Hello!');
    expect(result.choices[0]?.finish_reason).toBe('stop');
    expect(result.usage).toEqual({ prompt_tokens: 112, completion_tokens: 3, total_tokens: 115, prompt_tokens_details: { cached_tokens: 100 } });
  });

  it('translates tool use in both directions', async () => {
    up.enqueue({ body: {
      output: { message: { role: 'assistant', content: [{ toolUse: { toolUseId: 'tu1', name: 'lookup', input: { q: 'x' } } }] } },
      stopReason: 'tool_use', usage: { inputTokens: 5, outputTokens: 7, totalTokens: 12 }, metrics: { latencyMs: 1 },
    } });
    const result = await client.chat({ model: modelId, messages: [
      { role: 'user', content: 'find x' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'tu0', type: 'function', function: { name: 'lookup', arguments: '{"q":"w"}' } }] },
      { role: 'tool', tool_call_id: 'tu0', content: 'nothing' },
    ], tools: [{ type: 'function', function: { name: 'lookup' } }] });
    expect((up.requests[0]?.json as { messages: unknown }).messages).toEqual([
      { role: 'user', content: [{ text: 'find x' }] },
      { role: 'assistant', content: [{ toolUse: { toolUseId: 'tu0', name: 'lookup', input: { q: 'w' } } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: 'tu0', content: [{ text: 'nothing' }] } }] },
    ]);
    expect(result.choices[0]?.finish_reason).toBe('tool_calls');
    expect(result.choices[0]?.message.tool_calls).toEqual([{ id: 'tu1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }]);
  });

  it('streams ConverseStream events as OpenAI chunks with a final usage chunk', async () => {
    up.enqueue(eventStream([
      frame('messageStart', { role: 'assistant' }),
      frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hel' } }),
      { ...frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'lo' } }), delayMs: 10 },
      frame('contentBlockStop', { contentBlockIndex: 0 }),
      frame('contentBlockStart', { contentBlockIndex: 1, start: { toolUse: { toolUseId: 'tu2', name: 'lookup' } } }),
      frame('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '{"q":' } } }),
      frame('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '"y"}' } } }),
      frame('contentBlockStop', { contentBlockIndex: 1 }),
      frame('messageStop', { stopReason: 'tool_use' }),
      frame('metadata', { usage: { inputTokens: 20, outputTokens: 9, totalTokens: 29 }, metrics: { latencyMs: 50 } }),
    ]));
    const chunks = await collect(client.stream(request));
    expect(decodeURIComponent(up.requests[0]!.path)).toBe(`/model/${modelId}/converse-stream`);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello');
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toMatchObject({ index: 0, id: 'tu2', function: { name: 'lookup' } });
    expect(calls.map((c) => c.function?.arguments ?? '').join('')).toBe('{"q":"y"}');
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 20, completion_tokens: 9, total_tokens: 29 } });
  });

  it('maps a throttling response and a throttling event mid-stream to rate_limited', async () => {
    up.enqueue(awsError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.'));
    const e1 = await failure(client.chat(request));
    expect(e1).toMatchObject({ kind: 'rate_limited', upstreamStatus: 429 });
    expect(e1.detail).toContain('Too many requests');
    up.enqueue(eventStream([frame('messageStart', { role: 'assistant' }), frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'x' } }), exceptionFrame('throttlingException', 'Slow down mid-stream')]));
    const seen: ChatCompletionChunk[] = [];
    const e2 = await failure((async () => {
      for await (const c of client.stream(request)) seen.push(c);
    })());
    expect(e2.kind).toBe('rate_limited');
    expect(e2.detail).toContain('Slow down mid-stream');
    expect(seen.length).toBe(2);
  });

  it('maps validation, access and availability errors', async () => {
    up.enqueue(awsError(400, 'ValidationException', 'Input is too long for requested model.'));
    expect((await failure(client.chat(request))).kind).toBe('context_length');
    up.enqueue(awsError(400, 'ValidationException', 'Malformed input request: temperature must be <= 1'));
    expect((await failure(client.chat(request))).kind).toBe('bad_request');
    up.enqueue(awsError(403, 'AccessDeniedException', "You don't have access to the model with the specified model ID."));
    expect((await failure(client.chat(request))).kind).toBe('authentication');
    up.enqueue(awsError(503, 'ServiceUnavailableException', 'Bedrock is unable to process your request.'));
    expect((await failure(client.stream(request)[Symbol.asyncIterator]().next())).kind).toBe('server_error');
    up.enqueue(awsError(408, 'ModelTimeoutException', 'Model has timed out in processing the request.'));
    expect((await failure(client.chat(request))).kind).toBe('timeout');
  });

  it('times out, refuses HTTP image URLs, and is built by createProviderClient', async () => {
    up.enqueue({ delayMs: 400, body: {} });
    expect((await failure(client.chat(request, { timeoutMs: 100 }))).kind).toBe('timeout');
    const withUrl: ChatRequest = { model: modelId, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }] };
    expect((await failure(client.chat(withUrl))).kind).toBe('bad_request');
    const built = createProviderClient({ id: 'br', kind: 'bedrock', region: 'eu-west-1' }, undefined, { bedrockEndpoint: up.url, bedrockCredentials: credentials });
    expect(built.providerId).toBe('br'); // a BedrockClient in its tracing wrapper: the call below speaks Bedrock
    up.enqueue({ body: { output: { message: { role: 'assistant', content: [{ text: 'ok' }] } }, stopReason: 'max_tokens', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, metrics: { latencyMs: 1 } } });
    const result = await built.chat(request);
    expect(result.choices[0]?.finish_reason).toBe('length');
    expect(up.requests.at(-1)?.headers.authorization).toContain('/eu-west-1/bedrock/');
  });
});
