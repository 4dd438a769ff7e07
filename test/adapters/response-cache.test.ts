// DynamoResponseCache against both DynamoDB stand-ins: item layout, exact and verified semantic
// lookups, tenant partitioning, expiry on read, bounded key reads, route and tenant settings.
import { PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoResponseCache } from '#adapters/dynamodb/response-cache.ts';
import { readCacheConfig } from '#handlers/shared/config.ts';
import { responseCacheFor } from '#handlers/shared/router-stores.ts';
import { parseCatalog } from '#core/catalog/catalog.ts';
import type { LookupStats } from '#adapters/dynamodb/response-cache.ts';
import { cacheTable, tenantTable } from '#contracts/tables.ts';
import { cacheKeys, exactHash, tenantCacheKeys } from '#core/cache/keys.ts';
import { LocalEmbedder } from '#core/cache/local-embedder.ts';
import type { ChatCompletion, ChatRequest } from '#core/chat/openai-types.ts';
import type { CachedAnswer } from '#core/cache/ports.ts';
import { dynamoBackends } from '../support/dynamodb-backends.ts';
import { useDynamoBackend } from '../support/use-dynamo-backend.ts';
import type { DynamoBackendInUse } from '../support/use-dynamo-backend.ts';

const request = (content: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: 'cheap', temperature: 0, messages: [{ role: 'user', content }], ...extra });
const completion = (content: string): ChatCompletion => ({
  id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-5.4-mini',
  choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
});
const answer = (content: string, sourceRequestId?: string): CachedAnswer => ({ completion: completion(content), modelId: 'gpt-5.4-mini', providerId: 'openai', costUsd: 0.0042, match: 'exact', sourceRequestId });

describe.each(dynamoBackends)('DynamoResponseCache on $name', ({ start }) => {
  let tableName: string;
  const backend = useDynamoBackend(start, (b) => { tableName = b.tableNames[cacheTable.name]!; });
  let now = Date.UTC(2026, 10, 26, 10);
  const stats: LookupStats[] = [];
  const make = (extra: Partial<ConstructorParameters<typeof DynamoResponseCache>[0]> = {}) => new DynamoResponseCache({
    client: backend.store, tableName, tenantTableName: backend.tableNames[tenantTable.name]!, embedder: new LocalEmbedder(),
    clock: { now: () => now }, onLookup: (s) => stats.push(s), tenantSettingsTtlMs: 0, semanticByDefault: true, ...extra,
  });

  it('stores one exact item and one semantic item under the content signature, both with expiresAt', async () => {
    const cache = make();
    await cache.store(request('Layout probe: what is a monad?'), { tenantId: 'layout', route: 'cheap' }, answer('A monoid in the category of endofunctors.', 'req-layout'));

    const { Items = [] } = await backend.documents.send(new ScanCommand({ TableName: tableName }));
    const mine = Items.filter((i) => String(i['pk']).includes('#layout#'));
    const exact = mine.filter((i) => String(i['pk']).startsWith('EXACT#'));
    const semantic = mine.filter((i) => String(i['pk']).startsWith('SEM#'));
    expect(exact).toHaveLength(1);
    expect(exact[0]).toMatchObject({ sk: 'ANSWER', tenantId: 'layout', route: 'cheap', modelId: 'gpt-5.4-mini', providerId: 'openai', costUsd: 0.0042, requestId: 'req-layout', expiresAt: Math.floor(now / 1000) + 86_400 });
    expect(semantic).toHaveLength(1);
    expect(semantic[0]!['pk']).toMatch(/^SEM#layout#[0-9a-f]{32}#[0-9a-f]{32}$/);
    expect(String(semantic[0]!['sk']).endsWith(String(exact[0]!['pk']).split('#')[2]!)).toBe(true);
    expect(semantic[0]).toMatchObject({ text: 'Layout probe: what is a monad?', requestId: 'req-layout', expiresAt: exact[0]!['expiresAt'], completion: exact[0]!['completion'], embedderId: new LocalEmbedder().id });
    expect(semantic[0]!['vec']).toBeInstanceOf(Uint8Array);
  });

  it('finds the exact answer, a verified paraphrase, and nothing for another tenant, route or parameters', async () => {
    const cache = make();
    await cache.store(request('What is the boiling point of water at sea level?'), { tenantId: 'acme', route: 'cheap' }, answer('100 °C', 'req-boil'));

    const exact = await cache.lookup(request('What is the boiling point of water at sea level?'), { tenantId: 'acme', route: 'cheap' });
    const semantic = await cache.lookup(request("Please tell me the boiling point of water at sea level"), { tenantId: 'acme', route: 'cheap' });
    const otherTenant = await cache.lookup(request('What is the boiling point of water at sea level?'), { tenantId: 'globex', route: 'cheap' });
    const otherRoute = await cache.lookup(request('What is the boiling point of water at sea level?'), { tenantId: 'acme', route: 'best' });
    const otherParams = await cache.lookup(request("What's the boiling point of water at sea level?", { max_tokens: 5 }), { tenantId: 'acme', route: 'cheap' });

    expect(exact).toMatchObject({ match: 'exact', costUsd: 0.0042, modelId: 'gpt-5.4-mini', providerId: 'openai', sourceRequestId: 'req-boil' });
    expect(exact?.completion.choices[0]?.message.content).toBe('100 °C');
    expect(semantic).toMatchObject({ match: 'semantic', sourceRequestId: 'req-boil' });
    expect(semantic?.similarity).toBeGreaterThan(0);
    expect(semantic?.completion.choices[0]?.message.content).toBe('100 °C');
    expect(otherTenant).toBeUndefined();
    expect(otherRoute).toBeUndefined();
    expect(otherParams).toBeUndefined();
  });

  it('never serves a near-miss: another number, number word, direction, negation or entity', async () => {
    const cache = make();
    const scope = { tenantId: 'near', route: 'cheap' };
    await cache.store(request('Convert 100 Fahrenheit to Celsius.'), scope, answer('37.8 °C'));
    await cache.store(request('How many days are in three weeks?'), scope, answer('21'));
    await cache.store(request('Which fruits are high in vitamin C?'), scope, answer('Oranges'));
    stats.length = 0;

    expect(await cache.lookup(request('Convert 100 Celsius to Fahrenheit.'), scope)).toBeUndefined();
    expect(await cache.lookup(request('Convert 212 Fahrenheit to Celsius.'), scope)).toBeUndefined();
    expect(await cache.lookup(request('How many days are in four weeks?'), scope)).toBeUndefined();
    expect(await cache.lookup(request('Which fruits are not high in vitamin C?'), scope)).toBeUndefined();
    expect(await cache.lookup(request('Which vegetables are high in vitamin C?'), scope)).toBeUndefined();
    // The direction swap shares every word, so it is read as a candidate and refused by the check.
    expect(stats[0]).toMatchObject({ candidates: 1, refused: 1, match: undefined });
    expect(await cache.lookup(request('How many days are in 3 weeks?'), scope)).toMatchObject({ match: 'semantic' });
  });

  it('reads one key for an exact hit, a miss or a semantic hit, however many entries there are', async () => {
    const cache = make({ tenantTableName: undefined });
    const scope = { tenantId: 'bounded', route: 'cheap' };
    for (let i = 0; i < 30; i++) await cache.store(request(`Bounded prompt number ${i} about topic ${i * 7}`), scope, answer(`a${i}`));
    stats.length = 0;

    await cache.lookup(request('Bounded prompt number 3 about topic 21'), scope);
    await cache.lookup(request('Something else entirely, never stored'), scope);
    await cache.lookup(request('Please, bounded prompt number 3 about topic 21'), scope);

    expect(stats.map((s) => s.match)).toEqual(['exact', undefined, 'semantic']);
    expect(stats.map((s) => s.keyReads)).toEqual([1, 1, 1]);
    expect(stats[2]!.candidates).toBe(1);
  });

  it('pages through a crowded signature key with ExclusiveStartKey, three pages at most', async () => {
    const cache = make({ tenantTableName: undefined, candidatesPerLookup: 3 });
    const scope = { tenantId: 'crowded', route: 'cheap' };
    const items = ['apples', 'pears', 'plums', 'figs'];
    const orders = items.flatMap((a) => items.filter((b) => b !== a).map((b) => [a, b, ...items.filter((c) => c !== a && c !== b)])).slice(0, 12);
    const text = (o: string[]) => `Rank ${o.slice(0, 3).join(', ')} and ${o[3]} by price.`;
    for (const o of orders) {
      now += 1000;
      await cache.store(request(text(o)), scope, answer(text(o)));
    }
    stats.length = 0;

    const onThirdPage = await cache.lookup(request(`Please ${text(orders[4]!)}`), scope);
    const onFourthPage = await cache.lookup(request(`Please ${text(orders[0]!)}`), scope);

    expect(onThirdPage?.completion.choices[0]?.message.content).toBe(text(orders[4]!));
    expect(onFourthPage).toBeUndefined();
    expect(stats.map((s) => [s.keyReads, s.candidates])).toEqual([[3, 9], [3, 9]]);
  });

  it('filters expired items on read (exact and semantic), though they are still in the table', async () => {
    const cache = make({ routeSettings: () => ({ ttlSeconds: 60 }) });
    const scope = { tenantId: 'ttl', route: 'cheap' };
    await cache.store(request('How many legs does a spider have?'), scope, answer('Eight.'));
    now += 61_000;

    expect(await cache.lookup(request('How many legs does a spider have?'), scope)).toBeUndefined();
    expect(await cache.lookup(request('How many legs do spiders have?'), scope)).toBeUndefined();
    expect(await cache.lookup(request('Please tell me how many legs a spider has.'), scope)).toBeUndefined();
    const { Items = [] } = await backend.documents.send(new QueryCommand({
      TableName: tableName, KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': cacheKeys.exactPk('ttl', exactHash(request('How many legs does a spider have?'), 'cheap')) },
    }));
    expect(Items).toHaveLength(1);
  });

  it('stores nothing that is not reusable: temperature unset, tools, tool-call answers', async () => {
    const cache = make();
    const scope = { tenantId: 'policy', route: 'cheap' };
    const toolAnswer: CachedAnswer = { ...answer(''), completion: { ...completion(''), choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{}' } }] }, finish_reason: 'tool_calls' }] } };
    await cache.store({ model: 'cheap', messages: [{ role: 'user', content: 'no temperature' }] }, scope, answer('x'));
    await cache.store(request('with tools', { tools: [{ type: 'function', function: { name: 'f' } }] }), scope, answer('x'));
    await cache.store(request('tool answer'), scope, toolAnswer);

    const { Items = [] } = await backend.documents.send(new ScanCommand({ TableName: tableName }));
    expect(Items.filter((i) => String(i['pk']).includes('#policy#'))).toHaveLength(0);
  });

  it('serves verified semantic hits by default, unless the deployment or the route turns them off', async () => {
    const scope = { tenantId: 'default-on', route: 'cheap' };
    const byDefault = make({ semanticByDefault: undefined });
    const deploymentOff = make({ semanticByDefault: false });
    const routeOff = make({ semanticByDefault: undefined, routeSettings: (route) => (route === 'exact-only' ? { semantic: false } : undefined) });
    await byDefault.store(request('Which planet is the largest?'), scope, answer('Jupiter'));
    await routeOff.store(request('Which planet is the largest?'), { ...scope, route: 'exact-only' }, answer('Jupiter'));

    expect(await byDefault.lookup(request('Please tell me which planet is the largest'), scope)).toMatchObject({ match: 'semantic' });
    expect(await byDefault.lookup(request('Which planet is the smallest?'), scope)).toBeUndefined();
    expect(await deploymentOff.lookup(request('Which planet is the largest?'), scope)).toMatchObject({ match: 'exact' });
    expect(await deploymentOff.lookup(request('Please tell me which planet is the largest'), scope)).toBeUndefined();
    expect(await routeOff.lookup(request('Please tell me which planet is the largest'), { ...scope, route: 'exact-only' })).toBeUndefined();
  });

  it('follows route settings (off, semantic off, non-deterministic allowed) and tenant settings (off, threshold)', async () => {
    const exactOnly = make({ routeSettings: () => ({ semantic: false }) });
    await exactOnly.store(request('Who painted the Mona Lisa?'), { tenantId: 'settings', route: 'exact-only' }, answer('Leonardo'));
    expect(await exactOnly.lookup(request('Who painted the Mona Lisa?'), { tenantId: 'settings', route: 'exact-only' })).toMatchObject({ match: 'exact' });
    expect(await exactOnly.lookup(request('Please, who painted the Mona Lisa?'), { tenantId: 'settings', route: 'exact-only' })).toBeUndefined();

    const routeOff = make({ routeSettings: (route) => (route === 'nocache' ? { enabled: false } : { requireDeterministic: false }) });
    await routeOff.store(request('route off'), { tenantId: 'settings', route: 'nocache' }, answer('x'));
    expect(await routeOff.lookup(request('route off'), { tenantId: 'settings', route: 'nocache' })).toBeUndefined();
    await routeOff.store({ model: 'warm', messages: [{ role: 'user', content: 'warm request' }], temperature: 0.7 }, { tenantId: 'settings', route: 'warm' }, answer('w'));
    expect(await routeOff.lookup({ model: 'warm', messages: [{ role: 'user', content: 'warm request' }], temperature: 0.7 }, { tenantId: 'settings', route: 'warm' })).toMatchObject({ match: 'exact' });

    const tenants = backend.tableNames[tenantTable.name]!;
    await backend.documents.send(new PutCommand({ TableName: tenants, Item: { pk: tenantCacheKeys.pk('strict'), sk: tenantCacheKeys.sk, threshold: 0.999 } }));
    await backend.documents.send(new PutCommand({ TableName: tenants, Item: { pk: tenantCacheKeys.pk('off'), sk: tenantCacheKeys.sk, enabled: false } }));
    const cache = make();
    for (const tenantId of ['strict', 'off']) await cache.store(request('Who wrote Pride and Prejudice?'), { tenantId, route: 'cheap' }, answer('Austen'));

    expect(await cache.lookup(request('Who wrote Pride and Prejudice?'), { tenantId: 'strict', route: 'cheap' })).toMatchObject({ match: 'exact' });
    expect(await cache.lookup(request('Who is the author of Pride and Prejudice?'), { tenantId: 'strict', route: 'cheap' })).toBeUndefined();
    expect(await cache.lookup(request('Who wrote Pride and Prejudice?'), { tenantId: 'off', route: 'cheap' })).toBeUndefined();
  });
});

describe('response cache from the environment (parsed by the router\'s config root)', () => {
  const catalog = parseCatalog({
    version: 1,
    providers: [{ id: 'openai', kind: 'openai-compatible', baseUrl: 'https://api.openai.com/v1', apiKey: { env: 'OPENAI_API_KEY' } }],
    models: [{ id: 'm', provider: 'openai', upstreamId: 'm', pricing: { currency: 'USD', inputPerMTok: 1, outputPerMTok: 1 }, contextWindow: 1000, maxOutputTokens: 100, quality: { overall: 0.5 } }],
  });
  const client = {} as DynamoBackendInUse['store'];
  const responseCacheFromEnv = (env: Record<string, string>, ...rest: [typeof client, typeof catalog, Map<string, string>]) => responseCacheFor(readCacheConfig(env), ...rest);

  it('builds no cache without a table or with ROUTER_CACHE=off, and refuses an unknown ROUTER_SEMANTIC_CACHE', () => {
    expect(responseCacheFromEnv({}, client, catalog, new Map())).toBeUndefined();
    expect(responseCacheFromEnv({ [cacheTable.envVar]: 't', ROUTER_CACHE: 'off' }, client, catalog, new Map())).toBeUndefined();
    expect(responseCacheFromEnv({ [cacheTable.envVar]: 't', ROUTER_SEMANTIC_CACHE: 'ON' }, client, catalog, new Map())).toBeInstanceOf(DynamoResponseCache);
    expect(() => responseCacheFromEnv({ [cacheTable.envVar]: 't', ROUTER_SEMANTIC_CACHE: 'yes' }, client, catalog, new Map())).toThrow(/ROUTER_SEMANTIC_CACHE must be on or off/);
  });
});
