// The Anthropic Messages API, driven by the official @anthropic-ai/sdk through the local runtime:
// answers come from a model of another provider (gpt-5.4 on the simulated OpenAI-compatible upstream).
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import { costRecordsFor } from '../support/cost-records.ts';
import { startTestStack } from '../support/local-stack-fixture.ts';

let stack: LocalStack;
let anthropic: Anthropic;
/** The gateway root: the Anthropic SDK appends /v1/messages itself. */
let root: string;

beforeAll(async () => {
  ({ stack } = await startTestStack());
  root = stack.baseUrl.replace(/\/v1\/?$/, '');
  anthropic = new Anthropic({ baseURL: root, apiKey: stack.apiKey, maxRetries: 0, timeout: 20_000 });
});

afterAll(async () => {
  await stack?.close();
});

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};
// A 1x1 PNG.
const pixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

async function recordFor(requestId: string | null): Promise<Record<string, unknown>> {
  const records = (await costRecordsFor(stack, 'local')).filter((r) => r['requestId'] === requestId);
  expect(records).toHaveLength(1);
  return records[0]!;
}

describe('POST /v1/messages (JSON)', () => {
  it('answers through an OpenAI-compatible model, with usage, decision headers and one cost record', async () => {
    const { data, response } = await anthropic.messages.create({
      model: 'gpt-5.4', max_tokens: 200, system: 'You are terse.', messages: [{ role: 'user', content: 'Say hello to the Messages API test.' }],
    }, { headers: { 'x-router-cache': 'bypass' } }).withResponse();

    expect(response.headers.get('x-router-provider')).toBe('openai');
    expect(response.headers.get('x-router-model')).toBe('gpt-5.4');
    expect(data.type).toBe('message');
    expect(data.role).toBe('assistant');
    expect(data.model).toBe('gpt-5.4');
    expect(data.id).toMatch(/^msg_/);
    expect(data.stop_reason).toBe('end_turn');
    const text = data.content.find((b) => b.type === 'text');
    expect(text?.type === 'text' && text.text).toMatch(/simulated/i);
    expect(data.usage.input_tokens).toBeGreaterThan(0);
    expect(data.usage.output_tokens).toBeGreaterThan(0);

    const record = await recordFor(response.headers.get('x-request-id'));
    expect(record['modelId']).toBe('gpt-5.4');
    expect(record['inputTokens']).toBe(data.usage.input_tokens);
    expect(record['outputTokens']).toBe(data.usage.output_tokens);
    expect(record['costUsd']).toBeCloseTo(Number(response.headers.get('x-router-cost-usd')), 8);
    expect(Number(response.headers.get('x-router-cost-usd'))).toBeGreaterThan(0);
  });

  it('accepts Authorization: Bearer as well as x-api-key, and rejects a wrong key with 401', async () => {
    const bearer = new Anthropic({ baseURL: root, apiKey: null, authToken: stack.apiKey, maxRetries: 0 });
    const ok = await bearer.messages.create({ model: 'gpt-5.4', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    expect(ok.type).toBe('message');

    const wrong = new Anthropic({ baseURL: root, apiKey: 'sk-lr-' + 'x'.repeat(43), maxRetries: 0 });
    await expect(wrong.messages.create({ model: 'gpt-5.4', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }))
      .rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it('returns tool_use blocks and takes tool results back', async () => {
    const first = await anthropic.messages.create({
      model: 'gpt-5.4', max_tokens: 200, tools: [weatherTool],
      messages: [{ role: 'user', content: 'Use the get_weather tool for Paris.' }],
    });
    expect(first.stop_reason).toBe('tool_use');
    const call = first.content.find((b) => b.type === 'tool_use');
    expect(call?.type === 'tool_use' && call.name).toBe('get_weather');
    expect(call?.type === 'tool_use' && typeof call.input).toBe('object');

    const second = await anthropic.messages.create({
      model: 'gpt-5.4', max_tokens: 200, tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Use the get_weather tool for Paris.' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: call!.type === 'tool_use' ? call!.id : '', content: 'Sunny, 21 C' }, { type: 'text', text: 'Thanks, now summarise.' }] },
      ],
    });
    expect(second.stop_reason).toBe('end_turn');
    expect(second.content[0]?.type).toBe('text');
  });

  it('passes images on: vision routing applies, and the image counts in the token estimate', async () => {
    const image = { type: 'image' as const, source: { type: 'base64' as const, media_type: 'image/png' as const, data: pixel } };
    const { data, response } = await anthropic.messages.create({
      model: 'gpt-5.4', max_tokens: 100, messages: [{ role: 'user', content: [image, { type: 'text', text: 'What is this?' }] }],
    }).withResponse();
    expect(data.type).toBe('message');
    expect(response.headers.get('x-router-model')).toBe('gpt-5.4');

    // deepseek-v4-pro has no vision capability: the image reaches the routing constraints, so a
    // vision model along its fallbacks answers instead.
    const pinnedBlind = await anthropic.messages.create({
      model: 'deepseek-v4-pro', max_tokens: 100, messages: [{ role: 'user', content: [image, { type: 'text', text: 'What is this?' }] }],
    }).withResponse();
    expect(pinnedBlind.response.headers.get('x-router-model')).not.toBe('deepseek-v4-pro');
    expect(pinnedBlind.data.model).toBe(pinnedBlind.response.headers.get('x-router-model'));

    const withImage = await anthropic.messages.countTokens({ model: 'gpt-5.4', messages: [{ role: 'user', content: [image, { type: 'text', text: 'What is this?' }] }] });
    const textOnly = await anthropic.messages.countTokens({ model: 'gpt-5.4', messages: [{ role: 'user', content: 'What is this?' }] });
    expect(withImage.input_tokens).toBeGreaterThan(textOnly.input_tokens + 50);
  });

  it('routes by x-router-* hints on a route name', async () => {
    const { response } = await anthropic.messages.create(
      { model: 'auto', max_tokens: 50, messages: [{ role: 'user', content: 'hello' }] },
      { headers: { 'x-router-strategy': 'cost-first' } },
    ).withResponse();
    expect(response.headers.get('x-router-strategy')).toBe('cost-first');
    expect(response.headers.get('x-router-model')).toBeTruthy();
  });

  it('shares the response cache: a repeated deterministic request is a free hit, JSON and stream', async () => {
    const body = { model: 'gpt-5.4', max_tokens: 100, temperature: 0, messages: [{ role: 'user' as const, content: 'Cache me through the Messages API, please.' }] };
    const first = await anthropic.messages.create(body).withResponse();
    await stack.settled(); // the answer is cached after the response, in the same invocation
    const again = await anthropic.messages.create(body).withResponse();
    expect(first.response.headers.get('x-router-cache')).toBe('miss');
    expect(again.response.headers.get('x-router-cache')).toBe('hit');
    expect(again.response.headers.get('x-router-cost-usd')).toBe('0.00000000');
    expect(again.data.content).toEqual(first.data.content);

    const stream = anthropic.messages.stream(body);
    const streamed = await stream.finalMessage();
    expect((await stream.withResponse()).response.headers.get('x-router-cache')).toBe('hit');
    expect(streamed.content).toEqual(first.data.content);
  });

  it('answers bad input with a 400 in Anthropic error shape naming the field', async () => {
    const res = await fetch(`${root}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': stack.apiKey, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'gpt-5.4', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(400);
    const body = await res.json() as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toContain('max_tokens');

    const unknown = await anthropic.messages.create({ model: 'no-such-model', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(Anthropic.NotFoundError);
    expect((unknown as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });
});

describe('POST /v1/messages (stream)', () => {
  it('streams text events the SDK assembles into a final message with usage', async () => {
    const stream = anthropic.messages.stream({
      model: 'gpt-5.4', max_tokens: 200, messages: [{ role: 'user', content: 'Stream a hello for the Messages API.' }],
    }, { headers: { 'x-router-cache': 'bypass' } });
    const types: string[] = [];
    stream.on('streamEvent', (event) => types.push(event.type));
    let streamed = '';
    stream.on('text', (delta) => { streamed += delta; });
    const final = await stream.finalMessage();
    const { response } = await stream.withResponse();

    expect(types[0]).toBe('message_start');
    expect(types).toContain('content_block_start');
    expect(types).toContain('content_block_delta');
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(streamed).toMatch(/simulated/i);
    expect(final.content[0]?.type === 'text' && final.content[0].text).toBe(streamed);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.output_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-router-provider')).toBe('openai');

    // The cost record is written when the stream completes.
    await expect.poll(async () => (await costRecordsFor(stack, 'local')).filter((r) => r['requestId'] === response.headers.get('x-request-id')).length).toBe(1);
    const record = await recordFor(response.headers.get('x-request-id'));
    expect(record['outputTokens']).toBe(final.usage.output_tokens);
    expect(record['inputTokens']).toBe(final.usage.input_tokens);
  });

  it('streams a tool_use block with its input as JSON deltas', async () => {
    const stream = anthropic.messages.stream({
      model: 'gpt-5.4', max_tokens: 200, tools: [weatherTool],
      messages: [{ role: 'user', content: 'Call get_weather for Oslo.' }],
    });
    const final = await stream.finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    const call = final.content.find((b) => b.type === 'tool_use');
    expect(call?.type === 'tool_use' && call.name).toBe('get_weather');
    expect(call?.type === 'tool_use' && call.input).toEqual({});
  });
});

describe('POST /v1/messages/count_tokens', () => {
  it('returns the router estimate, larger for a longer prompt', async () => {
    const short = await anthropic.messages.countTokens({ model: 'gpt-5.4', messages: [{ role: 'user', content: 'hi' }] });
    const long = await anthropic.messages.countTokens({
      model: 'gpt-5.4', system: 'You are a careful assistant.', tools: [weatherTool],
      messages: [{ role: 'user', content: 'Tell me a long story about routers and the packets they forward. '.repeat(10) }],
    });
    expect(short.input_tokens).toBeGreaterThan(0);
    expect(long.input_tokens).toBeGreaterThan(short.input_tokens + 100);
  });
});
