// The response cache use case: policy, exact-then-semantic order, re-ranking, reuse rules and the
// write-retry loop. It reads and writes items only through a CacheStore, so any key-value store with
// GetItem / bounded Query / batch write semantics can hold the cache.
import { z } from 'zod';
import type { ChatCompletion, ChatRequest } from '../chat/openai-types.ts';
import { systemClock } from '../shared/clock.ts';
import type { Clock } from '../shared/clock.ts';
import type { Embedder } from './embedder.ts';
import { exactHash, scopeHash } from './keys.ts';
import { bandValues, DEFAULT_LSH } from './lsh.ts';
import type { LshConfig } from './lsh.ts';
import { semanticParts } from './normalise.ts';
import type { SemanticParts } from './normalise.ts';
import { isCacheable, resolvePolicy } from './policy.ts';
import type { CachePolicy, RouteCacheSettings, TenantCacheSettings } from './policy.ts';
import type { CachedAnswer, CacheEntry, CacheScope, CacheStore, ResponseCache, TenantCacheSettingsSource } from './ports.ts';
import { cosine, dequantise, quantise } from './vector.ts';

export interface LookupStats {
  /** Key reads this lookup made (GetItem and Query calls, the tenant settings read included). */
  keyReads: number;
  /** Distinct semantic candidates the band queries returned. */
  candidates: number;
  match: 'exact' | 'semantic' | undefined;
  /** Similarity of the best semantic candidate, when there was one. */
  bestSimilarity?: number;
}

export interface ResponseCacheOptions {
  store: CacheStore;
  /** Per-tenant settings; omitted: none. */
  tenantSettings?: TenantCacheSettingsSource;
  /** Source of prompt embeddings; omitted: exact matches only. */
  embedder?: Embedder;
  /** The `cache` object of the catalog route a request names. */
  routeSettings?: (route: string) => RouteCacheSettings | undefined;
  clock?: Clock;
  lsh?: LshConfig;
  /** Entries read per band query: the bound on candidates from one bucket. Default 8. */
  candidatesPerBand?: number;
  /** How long a tenant's settings are reused before they are read again. Default 60 s. */
  tenantSettingsTtlMs?: number;
  onLookup?: (stats: LookupStats) => void;
  /** Backoff between write retries (injectable for tests). */
  sleep?: (ms: number) => Promise<void>;
}

const tenantSettingsSchema = z.object({
  enabled: z.boolean().optional(),
  threshold: z.number().min(0).max(1).optional(),
  semantic: z.boolean().optional(),
});

const EMBEDDING_MEMO = 256;
const BATCH = 25;
const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The cache of answers: exact by hash, semantic by LSH candidates re-ranked by cosine. */
export class ResponseCacheService implements ResponseCache {
  private readonly options: ResponseCacheOptions;
  private readonly clock: Clock;
  private readonly lsh: LshConfig;
  private readonly tenants = new Map<string, { readAt: number; settings: TenantCacheSettings | undefined }>();
  private readonly embeddings = new Map<string, Promise<Float32Array>>();

  constructor(options: ResponseCacheOptions) {
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
    const entries: CacheEntry[] = [{
      kind: 'exact',
      tenantId: scope.tenantId,
      hash,
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
        entries.push({ kind: 'band', tenantId: scope.tenantId, scope: scopeKey, band, bits, createdAtMs: now, hash, vec, expiresAt });
      });
    }
    await this.writeAll(entries);
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
    const source = this.options.tenantSettings;
    if (!source) return undefined;
    const now = this.clock.now();
    const memo = this.tenants.get(tenantId);
    if (memo && now - memo.readAt < (this.options.tenantSettingsTtlMs ?? 60_000)) return memo.settings;
    if (stats) stats.keyReads += 1;
    const item = await source.read(tenantId);
    const parsed = item ? tenantSettingsSchema.safeParse(item) : undefined;
    const settings = parsed?.success ? parsed.data : undefined;
    this.tenants.set(tenantId, { readAt: now, settings });
    return settings;
  }

  private async getAnswer(tenantId: string, hash: string, stats: LookupStats): Promise<Omit<CachedAnswer, 'match'> | undefined> {
    stats.keyReads += 1;
    const stored = await this.options.store.getAnswer(tenantId, hash);
    // Expired entries are ignored on read: the store's TTL deletion is lazy.
    if (!stored || stored.expiresAt * 1000 <= this.clock.now()) return undefined;
    const { completion, modelId, providerId, costUsd } = stored;
    return { completion: JSON.parse(completion) as ChatCompletion, modelId, providerId, costUsd };
  }

  /** Exact hashes of the stored prompts at or above the threshold, most similar first. */
  private async similarHashes(parts: SemanticParts, scope: CacheScope, policy: CachePolicy, stats: LookupStats): Promise<string[]> {
    const embedder = this.options.embedder!;
    const vector = await this.embed(parts.text);
    const scopeKey = scopeHash(parts, scope.route, embedder.id);
    const liveAfter = Math.floor(this.clock.now() / 1000);
    const bands = bandValues(vector, this.lsh);
    stats.keyReads += bands.length;
    const limit = this.options.candidatesPerBand ?? 8;
    const pages = await Promise.all(bands.map((bits, band) => this.options.store.queryBand({ tenantId: scope.tenantId, scope: scopeKey, band, bits, limit, liveAfter })));
    const scored = new Map<string, number>();
    for (const candidate of pages.flat()) {
      if (scored.has(candidate.hash)) continue;
      scored.set(candidate.hash, cosine(vector, dequantise(candidate.vec)));
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

  /** Batches of 25; unprocessed entries are retried with exponential backoff, five tries without progress at most. */
  private async writeAll(entries: CacheEntry[]): Promise<void> {
    const sleep = this.options.sleep ?? realSleep;
    let pending = entries;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await sleep(25 * 2 ** attempt);
      if (attempt > 4) throw new Error(`cache store: ${pending.length} items left unprocessed`);
      const unprocessed = await this.options.store.writeBatch(pending.slice(0, BATCH));
      pending = [...unprocessed, ...pending.slice(BATCH)];
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
