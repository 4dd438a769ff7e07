// The HTTP surface, driven by the official openai client through the local runtime (simulated providers).
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { costRecordsFor } from '../support/cost-records.ts';
import { useTestStack } from '../support/local-stack-fixture.ts';

const { stack, client } = useTestStack();

const hello = [{ role: 'user' as const, content: 'Say hello to the router test suite.' }];

describe('POST /v1/chat/completions (JSON)', () => {
  it('answers through a routed model and reports the decision in x-router-* headers', async () => {
    const { data, response } = await client.chat.completions.create({ model: 'auto', messages: hello }).withResponse();

    const modelHeader = response.headers.get('x-router-model');
    expect(modelHeader).toBeTruthy();
    expect(data.model).toBe(modelHeader);
    // `auto` is the learned router since issue 21 (was balanced).
    expect(response.headers.get('x-router-strategy')).toBe('learned');
    expect(response.headers.get('x-router-attempts')).toBe('1');
    expect(response.headers.get('x-router-cache')).toBe('miss');
    expect(response.headers.get('x-router-provider')).toBeTruthy();
    expect(Number(response.headers.get('x-router-cost-usd'))).toBeGreaterThan(0);
    expect(data.choices[0]?.message.content).toMatch(/simulated/i);
    expect(data.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(data.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('writes exactly one cost record for the call, with the header cost', async () => {
    const { data, response } = await client.chat.completions.create({ model: 'cheap', messages: hello }).withResponse();
    const requestId = response.headers.get('x-request-id');

    const records = (await costRecordsFor(stack, 'local')).filter((r) => r['requestId'] === requestId);

    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record?.['modelId']).toBe(data.model);
    expect(record?.['inputTokens']).toBe(data.usage?.prompt_tokens);
    expect(record?.['outputTokens']).toBe(data.usage?.completion_tokens);
    expect(record?.['costUsd']).toBeCloseTo(Number(response.headers.get('x-router-cost-usd')), 8);
    expect(record?.['cacheHit']).toBe(false);
    expect(record?.['keyId']).toMatch(/^key_[0-9a-f]{12}$/);
    expect(record?.['strategy']).toBe('cost-first');
  });

  it('honours a concrete model id, translating through the Anthropic wire format', async () => {
    const { data, response } = await client.chat.completions.create({ model: 'claude-sonnet-4.6', messages: hello }).withResponse();

    expect(response.headers.get('x-router-model')).toBe('claude-sonnet-4.6');
    expect(response.headers.get('x-router-provider')).toBe('anthropic');
    expect(response.headers.get('x-router-strategy')).toBe('pinned');
    expect(data.model).toBe('claude-sonnet-4.6');
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.choices[0]?.message.content).toMatch(/simulated/i);
  });

  it('routes by the x-router-strategy header', async () => {
    const cheapest = await client.chat.completions
      .create({ model: 'auto', messages: hello }, { headers: { 'x-router-strategy': 'cost-first' } })
      .withResponse();
    const best = await client.chat.completions
      .create({ model: 'auto', messages: hello }, { headers: { 'x-router-strategy': 'quality-first' } })
      .withResponse();

    expect(cheapest.response.headers.get('x-router-strategy')).toBe('cost-first');
    expect(best.response.headers.get('x-router-strategy')).toBe('quality-first');
    expect(cheapest.data.model).not.toBe(best.data.model);
  });
});

describe('POST /v1/chat/completions (stream)', () => {
  it('streams chat.completion.chunk events, then usage, then [DONE]', async () => {
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'auto', messages: hello, stream: true, stream_options: { include_usage: true } })
      .withResponse();

    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null | undefined;
    const models = new Set<string>();
    for await (const chunk of stream) {
      models.add(chunk.model);
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }

    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect([...models]).toEqual([response.headers.get('x-router-model')]);
    expect(text).toMatch(/simulated/i);
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    const records = (await costRecordsFor(stack, 'local')).filter((r) => r['requestId'] === response.headers.get('x-request-id'));
    expect(records).toHaveLength(1);
    expect(records[0]?.['stream']).toBe(true);
    expect(records[0]?.['costUsd']).toBeGreaterThan(0);
  });

  it('omits the usage chunk when the client did not ask for it', async () => {
    const stream = await client.chat.completions.create({ model: 'claude-sonnet-4.6', messages: hello, stream: true });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => !c.usage)).toBe(true);
    expect(chunks.every((c) => c.choices.length === 1)).toBe(true);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
  });

  it('ends the raw SSE body with data: [DONE]', async () => {
    const res = await fetch(`${stack.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'auto', messages: hello, stream: true }),
    });
    const body = await res.text();

    expect(res.status).toBe(200);
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(body.split('\n\n').filter((f) => f.startsWith('data: {')).length).toBeGreaterThan(1);
  });
});

describe('GET /v1/models', () => {
  it('lists the catalog models and the named routes', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);

    expect(ids).toEqual(expect.arrayContaining(['gpt-5.4', 'claude-sonnet-4.6', 'auto', 'cheap', 'best']));
  });

  it('retrieves one model and 404s an unknown one', async () => {
    const model = await client.models.retrieve('gpt-5.4');
    expect(model.id).toBe('gpt-5.4');

    await expect(client.models.retrieve('no-such-model')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});
