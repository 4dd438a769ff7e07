// The response cache through the HTTP surface: exact and verified semantic hits (JSON and stream),
// zero-cost records with the saving and the source, near-misses refused, bypass and refresh, tenant
// isolation and settings, TTL honoured on read.
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoResponseCache } from '#adapters/dynamodb/response-cache.ts';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheTable, tenantTable } from '#contracts/tables.ts';
import { tenantTableKeys } from '#contracts/tenant-table.ts';
import { generateApiKey, hashApiKey, keyIdFromHash } from '#core/auth/api-keys.ts';
import { cacheKeys, exactHash, tenantCacheKeys } from '#core/cache/keys.ts';
import type { ChatCompletion, ChatRequest } from '#core/chat/openai-types.ts';
import type { LocalStack } from '#local/local-stack.ts';
import { costRecordsFor } from '../support/cost-records.ts';
import { localDocuments, standInDocuments, startTestStack } from '../support/local-stack-fixture.ts';

let stack: LocalStack;
let client: OpenAI;
let documents: DynamoDBDocumentClient;

const semanticSwitch = process.env['ROUTER_SEMANTIC_CACHE'];

beforeAll(async () => {
  // The semantic side is on by default (docs/caching.md); this file tests the default.
  delete process.env['ROUTER_SEMANTIC_CACHE'];
  ({ stack, client } = await startTestStack());
  documents = localDocuments(stack);
});

afterAll(async () => {
  documents?.destroy();
  await stack?.close();
  if (semanticSwitch === undefined) delete process.env['ROUTER_SEMANTIC_CACHE'];
  else process.env['ROUTER_SEMANTIC_CACHE'] = semanticSwitch;
});

let counter = 0;
/** A prompt no other test uses, so every test starts from an empty cache. */
const unique = (text: string) => `${text} (case ${++counter} ${Math.random().toString(36).slice(2, 8)})`;

async function tenantClient(tenantId: string, cache?: { enabled?: boolean; threshold?: number }): Promise<OpenAI> {
  const apiKey = generateApiKey();
  const hash = hashApiKey(apiKey);
  const table = stack.tableNames[tenantTable.name]!;
  await documents.send(new PutCommand({ TableName: table, Item: { pk: tenantTableKeys.apiKeyPk(hash), sk: tenantTableKeys.apiKeySk, tenantId, keyId: keyIdFromHash(hash) } }));
  if (cache) await documents.send(new PutCommand({ TableName: table, Item: { pk: tenantCacheKeys.pk(tenantId), sk: tenantCacheKeys.sk, ...cache } }));
  return new OpenAI({ baseURL: stack.baseUrl, apiKey, maxRetries: 0, timeout: 20_000 });
}

/** One call, and its invocation's end: the answer is cached after the response, in the same invocation. */
async function ask(c: OpenAI, content: string, headers: Record<string, string> = {}, extra: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming> = {}) {
  const answer = await c.chat.completions.create({ model: 'cheap', temperature: 0, messages: [{ role: 'user', content }], ...extra }, { headers }).withResponse();
  await stack.settled();
  return answer;
}

async function recordOf(tenantId: string, requestId: string | null): Promise<Record<string, unknown> | undefined> {
  return (await costRecordsFor(stack, tenantId)).find((r) => r['requestId'] === requestId);
}

describe('exact cache', () => {
  it('answers a repeated temperature-0 request from the cache with a zero-cost record of the saving', async () => {
    const prompt = unique('Name three primary colours.');
    const first = await ask(client, prompt);
    const second = await ask(client, prompt);

    expect(first.response.headers.get('x-router-cache')).toBe('miss');
    expect(second.response.headers.get('x-router-cache')).toBe('hit');
    expect(second.response.headers.get('x-router-attempts')).toBe('0');
    expect(Number(second.response.headers.get('x-router-cost-usd'))).toBe(0);
    expect(second.data.choices[0]?.message.content).toBe(first.data.choices[0]?.message.content);
    expect(second.data.model).toBe(first.data.model);
    const paid = await recordOf('local', first.response.headers.get('x-request-id'));
    const hit = await recordOf('local', second.response.headers.get('x-request-id'));
    expect(second.response.headers.get('x-router-cache-source')).toBe(first.response.headers.get('x-request-id'));
    expect(second.response.headers.get('x-router-cache-similarity')).toBeNull();
    expect(hit).toMatchObject({ cacheHit: true, cacheMatch: 'exact', cacheSourceRequestId: first.response.headers.get('x-request-id'), costUsd: 0, modelId: first.data.model });
    expect(hit?.['savedUsd']).toBeGreaterThan(0);
    expect(hit?.['savedUsd']).toBeCloseTo(paid?.['costUsd'] as number, 10);
  });

  it('replays a cached answer as SSE for a stream request, and stores streamed answers', async () => {
    const prompt = unique('Describe a sunset in one sentence.');
    const stream1 = await client.chat.completions.create({ model: 'cheap', temperature: 0, stream: true, messages: [{ role: 'user', content: prompt }] }).withResponse();
    let text1 = '';
    for await (const chunk of stream1.data) text1 += chunk.choices[0]?.delta.content ?? '';
    await stack.settled();
    const { data: stream2, response } = await client.chat.completions
      .create({ model: 'cheap', temperature: 0, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: prompt }] })
      .withResponse();
    let text2 = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream2) {
      text2 += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    const json = await ask(client, prompt);

    expect(stream1.response.headers.get('x-router-cache')).toBe('miss');
    expect(response.headers.get('x-router-cache')).toBe('hit');
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(text2).toBe(text1);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    expect(json.response.headers.get('x-router-cache')).toBe('hit');
    expect(json.data.choices[0]?.message.content).toBe(text1);
    expect(await recordOf('local', response.headers.get('x-request-id'))).toMatchObject({ cacheHit: true, costUsd: 0, stream: true });
  });

  it('does not cache requests without an explicit temperature 0, or with another parameter', async () => {
    const prompt = unique('Suggest a name for a boat.');
    await client.chat.completions.create({ model: 'cheap', messages: [{ role: 'user', content: prompt }] });
    await stack.settled();
    const again = await client.chat.completions.create({ model: 'cheap', messages: [{ role: 'user', content: prompt }] }).withResponse();
    await ask(client, prompt);
    const otherLimit = await ask(client, prompt, {}, { max_tokens: 7 });
    const otherRoute = await client.chat.completions.create({ model: 'auto', temperature: 0, messages: [{ role: 'user', content: prompt }] }).withResponse();

    expect(again.response.headers.get('x-router-cache')).toBe('miss');
    expect(otherLimit.response.headers.get('x-router-cache')).toBe('miss');
    expect(otherRoute.response.headers.get('x-router-cache')).toBe('miss');
  });
});

describe('semantic cache', () => {
  it('answers a paraphrase with a verified semantic hit, but not a question about another entity or number', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const first = await ask(client, `What is the capital of France? Tag${tag}`);
    const paraphrase = await ask(client, `What's the capital of France? Tag${tag}`);
    const entity = await ask(client, `What is the capital of Germany? Tag${tag}`);
    const number = await ask(client, `What is 17 times 23? Tag${tag}`);
    const otherNumber = await ask(client, `What is 17 times 24? Tag${tag}`);

    expect(first.response.headers.get('x-router-cache')).toBe('miss');
    expect(paraphrase.response.headers.get('x-router-cache')).toBe('semantic-hit');
    expect(paraphrase.response.headers.get('x-router-cache-source')).toBe(first.response.headers.get('x-request-id'));
    expect(Number(paraphrase.response.headers.get('x-router-cache-similarity'))).toBeGreaterThan(0);
    // The answer to the stored wording, not a fresh one.
    expect(paraphrase.data.choices[0]?.message.content).toBe(first.data.choices[0]?.message.content);
    expect(entity.response.headers.get('x-router-cache')).toBe('miss');
    expect(number.response.headers.get('x-router-cache')).toBe('miss');
    expect(otherNumber.response.headers.get('x-router-cache')).toBe('miss');
    const record = await recordOf('local', paraphrase.response.headers.get('x-request-id'));
    expect(record).toMatchObject({ cacheHit: true, cacheMatch: 'semantic', cacheSourceRequestId: first.response.headers.get('x-request-id'), costUsd: 0 });
    expect(record?.['cacheSimilarity']).toBeCloseTo(Number(paraphrase.response.headers.get('x-router-cache-similarity')), 3);
  });

  it('refuses near-misses that share every word but one meaning: direction, number word, negation, Chinese numerals', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const pairs = [
      [`Convert 100 Fahrenheit to Celsius. Ref ${tag}`, `Convert 100 Celsius to Fahrenheit. Ref ${tag}`],
      [`How many days are in three weeks? Ref ${tag}`, `How many days are in four weeks? Ref ${tag}`],
      [`How do I enable two-factor authentication? Ref ${tag}`, `How do I disable two-factor authentication? Ref ${tag}`],
      [`Is it safe to take 2 tablets at once? Ref ${tag}`, `Is it not safe to take 2 tablets at once? Ref ${tag}`],
      [`三个星期有多少天？编号${tag}`, `四个星期有多少天？编号${tag}`],
    ];
    for (const [stored, asked] of pairs) {
      await ask(client, stored!);
      const near = await ask(client, asked!);
      expect(near.response.headers.get('x-router-cache'), asked).toBe('miss');
    }
    const chinese = await ask(client, `请问三个星期有多少天？编号${tag}`);
    expect(chinese.response.headers.get('x-router-cache')).toBe('semantic-hit');
  });

  it('serves a semantic hit as a stream too', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const first = await ask(client, `How do I reverse a list in Python? Tag${tag}`);
    const { data, response } = await client.chat.completions
      .create({ model: 'cheap', temperature: 0, stream: true, messages: [{ role: 'user', content: `How can I reverse a list in Python? Tag${tag}` }] })
      .withResponse();
    let text = '';
    for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? '';

    expect(response.headers.get('x-router-cache')).toBe('semantic-hit');
    expect(text).toBe(first.data.choices[0]?.message.content);
  });
});

describe('controls', () => {
  it('bypass skips the lookup and the store; refresh skips the lookup and stores the fresh answer', async () => {
    const prompt = unique('Give a one-line definition of entropy.');
    const bypassed = await ask(client, prompt, { 'x-router-cache': 'bypass' });
    const afterBypass = await ask(client, prompt);
    const cached = await ask(client, prompt, { 'x-router-cache': 'bypass' });
    const fresh = unique('List two prime numbers.');
    const refreshed = await ask(client, fresh, { 'x-router-cache': 'refresh' });
    const afterRefresh = await ask(client, fresh);

    expect(bypassed.response.headers.get('x-router-cache')).toBe('bypass');
    expect(afterBypass.response.headers.get('x-router-cache')).toBe('miss');
    expect(cached.response.headers.get('x-router-cache')).toBe('bypass');
    expect(Number(cached.response.headers.get('x-router-cost-usd'))).toBeGreaterThan(0);
    expect(refreshed.response.headers.get('x-router-cache')).toBe('refresh');
    expect(Number(refreshed.response.headers.get('x-router-cost-usd'))).toBeGreaterThan(0);
    expect(afterRefresh.response.headers.get('x-router-cache')).toBe('hit');
  });

  it('never gives one tenant another tenant\'s answer', async () => {
    const other = await tenantClient('tenant-b');
    const prompt = unique('What is the capital of Italy?');
    await ask(client, prompt);
    const otherFirst = await ask(other, prompt);
    const otherParaphrase = await ask(other, prompt.replace('What is', "What's"));
    const otherSecond = await ask(other, prompt);

    expect(otherFirst.response.headers.get('x-router-cache')).toBe('miss');
    expect(otherParaphrase.response.headers.get('x-router-cache')).toBe('semantic-hit');
    expect(otherParaphrase.response.headers.get('x-router-cache-source')).toBe(otherFirst.response.headers.get('x-request-id'));
    expect(otherSecond.response.headers.get('x-router-cache')).toBe('hit');
    expect(await recordOf('tenant-b', otherSecond.response.headers.get('x-request-id'))).toMatchObject({ cacheHit: true });
  });

  it('honours a tenant that switched the cache off', async () => {
    const off = await tenantClient('tenant-off', { enabled: false });
    const prompt = unique('Name a large mammal.');
    await ask(off, prompt);
    const again = await ask(off, prompt);

    expect(again.response.headers.get('x-router-cache')).toBe('miss');
  });
});

describe('expiry', () => {
  it('ignores an entry whose expiresAt has passed, even though the item is still in the table', async () => {
    const table = stack.tableNames[cacheTable.name]!;
    // Planted as the router files an answer (the exact item and its entry under the content
    // signature, which a lookup with semantic hits on reads), stored an hour before `expiresAt`.
    const put = async (prompt: string, expiresAt: number, content: string) => {
      const request: ChatRequest = { model: 'cheap', temperature: 0, messages: [{ role: 'user', content: prompt }] };
      const writer = new DynamoResponseCache({
        client: standInDocuments(stack.dynamoEndpoint), tableName: table, clock: { now: () => (expiresAt - 3600) * 1000 }, routeSettings: () => ({ ttlSeconds: 3600 }),
      });
      const completion = { id: 'chatcmpl-planted', object: 'chat.completion', created: 1, model: 'gpt-5.4-mini', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] } as ChatCompletion;
      await writer.store(request, { tenantId: 'local', route: 'cheap' }, { completion, modelId: 'gpt-5.4-mini', providerId: 'openai', costUsd: 0.001, match: 'exact' });
      const exact = await documents.send(new GetCommand({ TableName: table, Key: { pk: cacheKeys.exactPk('local', exactHash(request, 'cheap')), sk: cacheKeys.exactSk } }));
      expect(exact.Item?.['expiresAt']).toBe(expiresAt);
    };
    const live = unique('Planted live entry.');
    const expired = unique('Planted expired entry.');
    await put(live, Math.floor(Date.now() / 1000) + 3600, 'planted live answer');
    await put(expired, Math.floor(Date.now() / 1000) - 60, 'planted expired answer');

    const liveAnswer = await ask(client, live);
    const expiredAnswer = await ask(client, expired);

    expect(liveAnswer.response.headers.get('x-router-cache')).toBe('hit');
    expect(liveAnswer.data.choices[0]?.message.content).toBe('planted live answer');
    expect(expiredAnswer.response.headers.get('x-router-cache')).toBe('miss');
    expect(expiredAnswer.data.choices[0]?.message.content).not.toBe('planted expired answer');
  });
});
