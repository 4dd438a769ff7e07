// ResponseCache on DynamoDB: exact answers by GetItem, semantic answers through LSH band buckets
// (one bounded Query per band, in parallel), so a lookup costs the same number of key reads whatever
// the cache holds. Item layout in core/cache/keys.ts; expired items are filtered on read, because
// DynamoDB's TTL deletion is lazy.
import { BatchWriteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { createEmbedder } from '#adapters/embeddings/create-embedder.ts';
import { cacheTable, tenantTable } from '#contracts/tables.ts';
import type { Catalog } from '#core/catalog/catalog.ts';
import type { Embedder } from '#core/cache/embedder.ts';
import { cacheKeys, exactHash, scopeHash, tenantCacheKeys } from '#core/cache/keys.ts';
import { bandValues, DEFAULT_LSH } from '#core/cache/lsh.ts';
import type { LshConfig } from '#core/cache/lsh.ts';
import { semanticParts } from '#core/cache/normalise.ts';
import type { SemanticParts } from '#core/cache/normalise.ts';
import { isCacheable, resolvePolicy } from '#core/cache/policy.ts';
import type { CachePolicy, RouteCacheSettings, TenantCacheSettings } from '#core/cache/policy.ts';
import { cosine, dequantise, quantise } from '#core/cache/vector.ts';
import type { ChatCompletion, ChatRequest } from '#core/chat/openai-types.ts';
import { systemClock } from '#core/shared/clock.ts';
import type { CachedAnswer, CacheScope, ResponseCache } from '#core/cache/ports.ts';
import type { Clock } from '#core/shared/clock.ts';

export interface LookupStats {
  /** Key reads this lookup made (GetItem and Query calls, the tenant settings read included). */
  keyReads: number;
  /** Distinct semantic candidates the band queries returned. */
  candidates: number;
  match: 'exact' | 'semantic' | undefined;
  /** Similarity of the best semantic candidate, when there was one. */
  bestSimilarity?: number;
}

export interface DynamoResponseCacheOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Tenants table holding `TENANT#<id>` / `CACHE` settings items; omitted: no per-tenant settings. */
  tenantTableName?: string;
  /** Source of prompt embeddings; omitted: exact matches only. */
  embedder?: Embedder;
  /** The `cache` object of the catalog route a request names. */
  routeSettings?: (route: string) => RouteCacheSettings | undefined;
  clock?: Clock;
  lsh?: LshConfig;
  /** Query `Limit` per band: the bound on candidates read from one bucket. Default 8. */
  candidatesPerBand?: number;
  /** How long a tenant's settings are reused before they are read again. Default 60 s. */
  tenantSettingsTtlMs?: number;
  onLookup?: (stats: LookupStats) => void;
}

const tenantSettingsSchema = z.object({
  enabled: z.boolean().optional(),
  threshold: z.number().min(0).max(1).optional(),
  semantic: z.boolean().optional(),
});

const storedAnswerSchema = z.object({
  completion: z.string(),
  modelId: z.string(),
  providerId: z.string(),
  costUsd: z.number(),
  expiresAt: z.number(),
});

const EMBEDDING_MEMO = 256;

export class DynamoResponseCache implements ResponseCache {
  private readonly options: DynamoResponseCacheOptions;
  private readonly clock: Clock;
  private readonly lsh: LshConfig;
  private readonly tenants = new Map<string, { readAt: number; settings: TenantCacheSettings | undefined }>();
  private readonly embeddings = new Map<string, Promise<Float32Array>>();

  constructor(options: DynamoResponseCacheOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.lsh = options.lsh ?? DEFAULT_LSH;
  }

  async lookup(request: ChatRequest, scope: CacheScope): Promise<CachedAnswer | undefined> {
    const stats: LookupStats = { keyReads: 0, candidates: 0, match: undefined };
    const policy = await this.policyFor(scope, stats);
    if (!isCacheable(request, policy)) return undefined;
    const exact = this.getAnswer(scope.tenantId, exactHash(request, scope.route), stats);
    const parts = policy.semantic && this.options.embedder ? semanticParts(request) : undefined;
    const similar = parts ? this.similarHashes(parts, scope, policy, stats) : Promise.resolve([]);
    similar.catch(() => undefined);
    const hit = await exact;
    if (hit) return this.report(stats, { ...hit, match: 'exact' });
    // Best candidate first; a candidate whose answer expired or vanished gives way to the next.
    for (const hash of (await similar).slice(0, 3)) {
      const answer = await this.getAnswer(scope.tenantId, hash, stats);
      if (answer) return this.report(stats, { ...answer, match: 'semantic' });
    }
    return this.report(stats, undefined);
  }

  async store(request: ChatRequest, scope: CacheScope, answer: CachedAnswer): Promise<void> {
    const policy = await this.policyFor(scope);
    if (!isCacheable(request, policy) || !reusable(answer.completion)) return;
    const now = this.clock.now();
    const expiresAt = Math.floor(now / 1000) + policy.ttlSeconds;
    const hash = exactHash(request, scope.route);
    const items: Array<Record<string, unknown>> = [{
      pk: cacheKeys.exactPk(scope.tenantId, hash),
      sk: cacheKeys.exactSk,
      tenantId: scope.tenantId,
      route: scope.route,
      completion: JSON.stringify(answer.completion),
      modelId: answer.modelId,
      providerId: answer.providerId,
      costUsd: answer.costUsd,
      createdAt: new Date(now).toISOString(),
      expiresAt,
    }];
    const embedder = this.options.embedder;
    const parts = policy.semantic && embedder ? semanticParts(request) : undefined;
    if (parts && embedder) {
      const vector = await this.embed(parts.text);
      const scopeKey = scopeHash(parts, scope.route, embedder.id);
      const vec = quantise(vector);
      bandValues(vector, this.lsh).forEach((bits, band) => {
        items.push({ pk: cacheKeys.bandPk(scope.tenantId, scopeKey, band, bits), sk: cacheKeys.bandSk(now, hash), vec, expiresAt });
      });
    }
    await this.batchWrite(items);
  }

  private report(stats: LookupStats, answer: CachedAnswer | undefined): CachedAnswer | undefined {
    stats.match = answer?.match;
    this.options.onLookup?.(stats);
    return answer;
  }

  private async policyFor(scope: CacheScope, stats?: LookupStats): Promise<CachePolicy> {
    const tenant = await this.tenantSettings(scope.tenantId, stats);
    return resolvePolicy(this.options.routeSettings?.(scope.route), tenant, this.options.embedder?.defaultThreshold ?? 1);
  }

  private async tenantSettings(tenantId: string, stats?: LookupStats): Promise<TenantCacheSettings | undefined> {
    const table = this.options.tenantTableName;
    if (!table) return undefined;
    const now = this.clock.now();
    const memo = this.tenants.get(tenantId);
    if (memo && now - memo.readAt < (this.options.tenantSettingsTtlMs ?? 60_000)) return memo.settings;
    if (stats) stats.keyReads += 1;
    const { Item } = await this.options.client.send(new GetCommand({ TableName: table, Key: { pk: tenantCacheKeys.pk(tenantId), sk: tenantCacheKeys.sk } }));
    const parsed = Item ? tenantSettingsSchema.safeParse(Item) : undefined;
    const settings = parsed?.success ? parsed.data : undefined;
    this.tenants.set(tenantId, { readAt: now, settings });
    return settings;
  }

  private async getAnswer(tenantId: string, hash: string, stats: LookupStats): Promise<Omit<CachedAnswer, 'match'> | undefined> {
    stats.keyReads += 1;
    const { Item } = await this.options.client.send(new GetCommand({
      TableName: this.options.tableName,
      Key: { pk: cacheKeys.exactPk(tenantId, hash), sk: cacheKeys.exactSk },
    }));
    const parsed = storedAnswerSchema.safeParse(Item);
    if (!parsed.success || parsed.data.expiresAt * 1000 <= this.clock.now()) return undefined;
    const { completion, modelId, providerId, costUsd } = parsed.data;
    return { completion: JSON.parse(completion) as ChatCompletion, modelId, providerId, costUsd };
  }

  /** Exact hashes of the stored prompts at or above the threshold, most similar first. */
  private async similarHashes(parts: SemanticParts, scope: CacheScope, policy: CachePolicy, stats: LookupStats): Promise<string[]> {
    const embedder = this.options.embedder!;
    const vector = await this.embed(parts.text);
    const scopeKey = scopeHash(parts, scope.route, embedder.id);
    const nowSeconds = Math.floor(this.clock.now() / 1000);
    const bands = bandValues(vector, this.lsh);
    stats.keyReads += bands.length;
    const pages = await Promise.all(bands.map((bits, band) => this.options.client.send(new QueryCommand({
      TableName: this.options.tableName,
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: 'expiresAt > :now',
      ExpressionAttributeValues: { ':pk': cacheKeys.bandPk(scope.tenantId, scopeKey, band, bits), ':now': nowSeconds },
      ProjectionExpression: 'sk, vec',
      ScanIndexForward: false,
      Limit: this.options.candidatesPerBand ?? 8,
    }))));
    const scored = new Map<string, number>();
    for (const item of pages.flatMap((page) => page.Items ?? [])) {
      const hash = cacheKeys.hashOfBandSk(String(item['sk']));
      if (scored.has(hash) || !(item['vec'] instanceof Uint8Array)) continue;
      scored.set(hash, cosine(vector, dequantise(item['vec'])));
    }
    stats.candidates = scored.size;
    const ranked = [...scored].sort((a, b) => b[1] - a[1]);
    if (ranked[0]) stats.bestSimilarity = ranked[0][1];
    return ranked.filter(([, similarity]) => similarity >= policy.threshold).map(([hash]) => hash);
  }

  /** Embeds a prompt, reusing the vector a lookup just computed when the store follows it. */
  private embed(text: string): Promise<Float32Array> {
    const memo = this.embeddings.get(text);
    if (memo) return memo;
    const pending = this.options.embedder!.embed(text);
    this.embeddings.set(text, pending);
    pending.catch(() => this.embeddings.delete(text));
    if (this.embeddings.size > EMBEDDING_MEMO) this.embeddings.delete(this.embeddings.keys().next().value!);
    return pending;
  }

  private async batchWrite(items: Array<Record<string, unknown>>): Promise<void> {
    let pending = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
      if (attempt > 4) throw new Error(`cache store: ${pending.length} items left unprocessed`);
      const batch = pending.slice(0, 25);
      const result = await this.options.client.send(new BatchWriteCommand({ RequestItems: { [this.options.tableName]: batch } }));
      const unprocessed = (result.UnprocessedItems?.[this.options.tableName] ?? []) as typeof pending;
      pending = [...unprocessed, ...pending.slice(25)];
      if (unprocessed.length === 0) attempt = -1;
    }
  }
}

/** Only plain text answers are stored: tool calls and filtered answers are not worth replaying. */
function reusable(completion: ChatCompletion): boolean {
  const choice = completion.choices[0];
  return completion.choices.length === 1 && !!choice && typeof choice.message.content === 'string'
    && !choice.message.tool_calls?.length && choice.finish_reason !== 'content_filter' && choice.finish_reason !== 'tool_calls';
}

/**
 * The router's cache from its environment: `TABLE_CACHE` (no table, no cache), `TABLE_TENANTS` for
 * per-tenant settings, `ROUTER_EMBEDDINGS` for the semantic side, `ROUTER_CACHE=off` to switch it off.
 */
export function responseCacheFromEnv(
  env: NodeJS.ProcessEnv, client: DynamoDBDocumentClient, catalog: Catalog, keys: ReadonlyMap<string, string | undefined>,
): DynamoResponseCache | undefined {
  const tableName = env[cacheTable.envVar];
  if (!tableName || env['ROUTER_CACHE'] === 'off') return undefined;
  const embedder = createEmbedder(env['ROUTER_EMBEDDINGS'], catalog, keys, env['AWS_REGION']);
  const tenantTableName = env[tenantTable.envVar];
  return new DynamoResponseCache({
    client,
    tableName,
    ...(tenantTableName ? { tenantTableName } : {}),
    ...(embedder ? { embedder } : {}),
    routeSettings: (route) => catalog.routes[route]?.cache,
  });
}
