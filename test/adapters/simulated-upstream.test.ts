// The simulated providers must speak the real wire formats, or the local runtime would hide
// adapter bugs. These tests talk to them over HTTP with plain fetch, as a provider SDK would.
import { afterEach, describe, expect, it } from 'vitest';
import { AnthropicClient } from '#adapters/providers/anthropic.ts';
import { OpenAiCompatibleClient } from '#adapters/providers/openai-compatible.ts';
import { parseSse } from '#adapters/providers/sse.ts';
import { startSimulatedUpstream } from '#local/simulated/simulated-upstream.ts';
import type { SimulatedUpstream, SimulatedUpstreamOptions } from '#local/simulated/simulated-upstream.ts';

const running: SimulatedUpstream[] = [];
async function start(options: SimulatedUpstreamOptions): Promise<SimulatedUpstream> {
  const sim = await startSimulatedUpstream({ latencyMs: 5, tokensPerSecond: 5000, ...options });
  running.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

const openAiBody = { model: 'sim-small', messages: [{ role: 'user', content: 'Tell me about rivers' }] };
const anthropicHeaders = { 'x-api-key': 'k', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };
const anthropicBody = { model: 'sim-claude', max_tokens: 100, messages: [{ role: 'user', content: 'Tell me about rivers' }] };

describe('simulated OpenAI-compatible upstream', () => {
  it('answers errors in OpenAI shape: 401 without a key, 400 for bad JSON, 503 when failing', async () => {
    const sim = await start({ kind: 'openai-compatible', errorRate: 1 });
    const noKey = await fetch(`${sim.url}/chat/completions`, { method: 'POST', body: JSON.stringify(openAiBody) });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringContaining('API key') } });
    const badJson = await fetch(`${sim.url}/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer k' }, body: '{"model":' });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ error: { type: 'invalid_request_error', param: null, code: null } });
    const failing = await fetch(`${sim.url}/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer k' }, body: JSON.stringify(openAiBody) });
    expect(failing.status).toBe(503);
    expect(await failing.json()).toMatchObject({ error: { type: 'server_error' } });
    expect(sim.stats.requests).toBe(3);
  });

  it('streams SSE ending in [DONE], and sends a usage chunk only when asked', async () => {
    const sim = await start({ kind: 'openai-compatible' });
    const datas = async (body: object) => {
      const res = await fetch(`${sim.url}/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer k' }, body: JSON.stringify(body) });
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const out: string[] = [];
      for await (const e of parseSse(res.body!)) out.push(e.data);
      return out;
    };
    const plain = await datas({ ...openAiBody, stream: true });
    expect(plain.at(-1)).toBe('[DONE]');
    expect(plain.some((d) => d.includes('"usage"'))).toBe(false);
    const withUsage = await datas({ ...openAiBody, stream: true, stream_options: { include_usage: true } });
    expect(JSON.parse(withUsage.at(-2)!)).toMatchObject({ choices: [], usage: { prompt_tokens: expect.any(Number) } });
  });

  it('waits latencyMs before answering and truncates at max_tokens', async () => {
    const sim = await start({ kind: 'openai-compatible', latencyMs: 120 });
    const client = new OpenAiCompatibleClient({ providerId: 'sim', baseUrl: sim.url, apiKey: 'k' });
    const started = Date.now();
    const result = await client.chat({ model: 'sim-small', messages: [{ role: 'user', content: 'Tell me about rivers' }], max_tokens: 4 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    expect(result.choices[0]?.finish_reason).toBe('length');
    expect(result.choices[0]?.message.content?.split(' ')).toHaveLength(4);
  });

  it('returns a tool call when the user asks to call an offered tool', async () => {
    const sim = await start({ kind: 'openai-compatible' });
    const client = new OpenAiCompatibleClient({ providerId: 'sim', baseUrl: sim.url, apiKey: 'k' });
    const tools = [{ type: 'function' as const, function: { name: 'get_time', parameters: { type: 'object' } } }];
    const result = await client.chat({ model: 'sim-small', tools, messages: [{ role: 'user', content: 'Please call get_time' }] });
    expect(result.choices[0]?.finish_reason).toBe('tool_calls');
    expect(result.choices[0]?.message.tool_calls?.[0]?.function.name).toBe('get_time');
    const plain = await client.chat({ model: 'sim-small', tools, messages: [{ role: 'user', content: 'What time is it?' }] });
    expect(plain.choices[0]?.message.tool_calls).toBeUndefined();
  });

  it('fails the same calls for the same seed', async () => {
    const outcomes = async () => {
      const sim = await start({ kind: 'openai-compatible', errorRate: 0.5, seed: 42 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const res = await fetch(`${sim.url}/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer k' }, body: JSON.stringify(openAiBody) });
        statuses.push(res.status);
        await res.arrayBuffer();
      }
      return statuses;
    };
    const first = await outcomes();
    expect(first).toContain(503);
    expect(first).toContain(200);
    expect(await outcomes()).toEqual(first);
  });
});

describe('simulated Anthropic upstream', () => {
  it('answers errors in Anthropic shape', async () => {
    const sim = await start({ kind: 'anthropic', errorRate: 1 });
    const url = `${sim.url}/v1/messages`;
    const noKey = await fetch(url, { method: 'POST', body: JSON.stringify(anthropicBody) });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    const noVersion = await fetch(url, { method: 'POST', headers: { 'x-api-key': 'k' }, body: JSON.stringify(anthropicBody) });
    expect(noVersion.status).toBe(400);
    const badJson = await fetch(url, { method: 'POST', headers: anthropicHeaders, body: '{' });
    expect(await badJson.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    const noMax = await fetch(url, { method: 'POST', headers: anthropicHeaders, body: JSON.stringify({ ...anthropicBody, max_tokens: undefined }) });
    expect(((await noMax.json()) as { error: { message: string } }).error.message).toContain('max_tokens');
    const failing = await fetch(url, { method: 'POST', headers: anthropicHeaders, body: JSON.stringify(anthropicBody) });
    expect(failing.status).toBe(503);
    expect(await failing.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
  });

  it('streams the named events in order and lists models', async () => {
    const sim = await start({ kind: 'anthropic' });
    const res = await fetch(`${sim.url}/v1/messages`, { method: 'POST', headers: anthropicHeaders, body: JSON.stringify({ ...anthropicBody, stream: true }) });
    const names: string[] = [];
    for await (const e of parseSse(res.body!)) {
      names.push(e.event ?? '');
      expect(JSON.parse(e.data).type).toBe(e.event);
    }
    expect(names.slice(0, 3)).toEqual(['message_start', 'content_block_start', 'ping']);
    expect(names.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(names.filter((n) => n === 'content_block_delta').length).toBeGreaterThan(5);
    const models = await (await fetch(`${sim.url}/v1/models`, { headers: anthropicHeaders })).json();
    expect(models).toMatchObject({ has_more: false, data: expect.arrayContaining([expect.objectContaining({ type: 'model', id: 'sim-claude-haiku' })]) });
  });

  it('streams a tool_use block that the adapter turns into tool_calls', async () => {
    const sim = await start({ kind: 'anthropic' });
    const client = new AnthropicClient({ providerId: 'sim', baseUrl: sim.url, apiKey: 'k' });
    const chunks = [];
    for await (const c of client.stream({ model: 'sim-claude', tools: [{ type: 'function', function: { name: 'lookup' } }], messages: [{ role: 'user', content: 'use the lookup tool' }] })) chunks.push(c);
    expect(chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? [])[0]).toMatchObject({ index: 0, function: { name: 'lookup' } });
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('tool_calls');
  });
});
