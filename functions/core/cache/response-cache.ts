// The response cache use case: policy, exact-then-semantic order, verification, reuse rules and the
// write-retry loop. It reads and writes items only through a CacheStore.
//
// Where the route allows semantic hits, a lookup reads only the entries filed under the prompt's
// content signature (one key read, whatever the cache holds; at most MAX_SEMANTIC_PAGES): the exact
// answer's own semantic entry is filed there too, with the exact hash in its sort key, so one read
// answers "exact hit?", "semantic hit?" and "miss" alike, and a cacheable miss costs one round trip
// before the upstream call. Otherwise it reads the exact answer alone (one key read). A semantic hit
// is the newest entry that passes the differential check, and the cosine floor when one is
// configured; it is never served on similarity alone.
import * as z from 'zod/mini';
import '../../contracts/zod-en.ts';
import type { ChatCompletion, ChatRequest } from '../chat/openai-types.ts';
import { systemClock } from '../shared/clock.ts';
import type { Clock } from '../shared/clock.ts';
import { compareTokens, contentSignature } from './differential.ts';
import type { Embedder } from './embedder.ts';
import { exactHash, scopeHash, signatureHash } from './keys.ts';
import { semanticParts } from './normalise.ts';
import { isCacheable, resolvePolicy } from './policy.ts';
import { judgedLookup, NEAR_SIGNATURE } from './judged-lookup.ts';
import type { JudgeStats } from './judged-lookup.ts';
import type { CacheVerifier } from './verifier.ts';
import type { CachePolicy, RouteCacheSettings, TenantCacheSettings } from './policy.ts';
import { promptTokens } from './prompt-tokens.ts';
import type { PromptToken } from './prompt-tokens.ts';
import type { CachedAnswer, CacheEntry, CacheScope, CacheStore, ResponseCache, SemanticCandidate, SemanticCursor, StoredAnswer, TenantCacheSettingsSource } from './ports.ts';
import { cosine, dequantise, quantise } from './vector.ts';

export interface LookupStats {
  /** Key reads this lookup made (GetItem and Query calls, the tenant settings read included). */
  keyReads: number;
  /** Semantic candidates read (entries under the prompt's content signature). */
  candidates: number;
  /** Candidates the differential check or the cosine floor refused. */
  refused: number;
  match: 'exact' | 'semantic' | undefined;
  /** Similarity of the served semantic candidate, when an embedder is configured. */
  bestSimilarity?: number;
  /** Judge modes: what the judge side did (judged-lookup.ts). */
  judge?: JudgeStats;
}

export interface ResponseCacheOptions {
  store: CacheStore;
  /** Per-tenant settings; omitted: none. */
  tenantSettings?: TenantCacheSettingsSource;
  /** Embeddings for the reported similarity and the optional cosine floor; omitted: neither. */
  embedder?: Embedder;
  /** The `cache` object of the catalog route a request names. */
  routeSettings?: (route: string) => RouteCacheSettings | undefined;
  /** Whether semantic hits are on where neither route nor tenant says (default: policy.ts DEFAULT_SEMANTIC). */
  semanticByDefault?: boolean;
  clock?: Clock;
  /** Entries read per semantic lookup, newest first. Default 10. */
  candidatesPerLookup?: number;
  /** How long a tenant's settings are reused before they are read again. Default 60 s. */
  tenantSettingsTtlMs?: number;
  onLookup?: (stats: LookupStats) => void;
  /** Backoff between write retries (injectable for tests). */
  sleep?: (ms: number) => Promise<void>;
  /** The judge for routes whose `cache.semantic.verify` names one; without it (or an embedder) those routes use the differential check alone. */
  verifier?: CacheVerifier;
  /** Uniform [0, 1) draws for the per-entry thresholds' exploration (injectable for tests). */
  random?: () => number;
  /** A judge side failure that turned into a miss (writing an entry's samples). */
  onError?: (what: string, error: unknown) => void;
}

const tenantSettingsSchema = z.object({
  enabled: z.optional(z.boolean()),
  threshold: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  semantic: z.optional(z.boolean()),
});

const EMBEDDING_MEMO = 256;
/**
 * Longer last messages (documents, code) get exact hits only: a reworded document is rarely the same
 * request, and the semantic entry repeats the text beside the answer in one item (DynamoDB: 400 KB).
 */
export const MAX_SEMANTIC_CHARS = 8_000;
/** Pages of one signature key a lookup reads at most (2 key reads per lookup in practice, 4 at worst). */
export const MAX_SEMANTIC_PAGES = 3;
const BATCH = 25;
const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The cache of answers: exact by hash, semantic by content signature and verification. */
export class ResponseCacheService implements ResponseCache {
  private readonly options: ResponseCacheOptions;
  private readonly clock: Clock;
  private readonly tenants = new Map<string, { readAt: number; settings: TenantCacheSettings | undefined }>();
  private readonly embeddings = new Map<string, Promise<Float32Array>>();

  constructor(options: ResponseCacheOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
  }

  async lookup(request: ChatRequest, scope: CacheScope): Promise<CachedAnswer | undefined> {
    const stats: LookupStats = { keyReads: 0, candidates: 0, refused: 0, match: undefined };
    const policy = await this.policyFor(scope, stats);
    if (!isCacheable(request, policy)) return undefined;
    const hash = exactHash(request, scope.route);
    const parts = policy.semantic ? semanticParts(request) : undefined;
    const tokens = parts && parts.text.length <= MAX_SEMANTIC_CHARS ? promptTokens(parts.text) : undefined;
    const signature = tokens ? contentSignature(tokens) : '';
    const judged = tokens !== undefined && this.judges(policy);
    // The signature key's Query finds the exact answer too (its entry there ends with the exact hash),
    // so where that key is read it is the only read; elsewhere the exact key is read first, as before.
    if (!parts || !tokens || signature === '' || (judged && policy.verify === 'judge')) {
      const exact = await this.getAnswer(scope.tenantId, hash, stats);
      if (exact) return this.report(stats, { ...exact, match: 'exact' });
      if (!parts || !tokens || !judged) return this.report(stats, undefined);
      return this.report(stats, await this.judged(request, scope, parts, stats, policy, policy.verify === 'judge' ? undefined : tokens));
    }
    const query = {
      tenantId: scope.tenantId,
      scope: scopeHash(parts, scope.route),
      signature: signatureHash(signature),
      limit: this.options.candidatesPerLookup ?? 10,
      liveAfter: Math.floor(this.clock.now() / 1000),
    };
    // Usually one page holds every candidate; a key crowded with the same words in other orders (or
    // with expired entries) is read a few pages further, never more than MAX_SEMANTIC_PAGES.
    let after: SemanticCursor | undefined;
    for (let page = 0; page < MAX_SEMANTIC_PAGES; page++) {
      stats.keyReads += 1;
      const { candidates, next } = await this.options.store.querySemantic({ ...query, after });
      stats.candidates += candidates.length;
      // The request's own earlier answer (stored with its semantic entry) is an exact hit.
      const same = candidates.find((c) => c.hash === hash && c.expiresAt * 1000 > this.clock.now());
      if (same) return this.report(stats, { ...toAnswer(same), match: 'exact' });
      const hit = await this.firstVerified(parts.text, tokens, candidates, policy, stats);
      if (hit) return this.report(stats, hit);
      if (!next) break;
      after = next;
    }
    return this.report(stats, judged ? await this.judged(request, scope, parts, stats, policy, tokens) : undefined);
  }

  /** Whether the route's verification asks a judge and one can (a verifier and an embedder are configured). */
  private judges(policy: CachePolicy): boolean {
    return policy.verify !== 'differential' && this.options.verifier !== undefined && this.options.embedder !== undefined;
  }

  /** The judge side (judged-lookup.ts): one more key read, at most one judge call. */
  private async judged(request: ChatRequest, scope: CacheScope, parts: { text: string; context: unknown }, stats: LookupStats, policy: CachePolicy, guard?: PromptToken[]): Promise<CachedAnswer | undefined> {
    const embedder = this.options.embedder!;
    stats.keyReads += 1;
    stats.judge = { judgeCalls: 0, judgeLatencyMs: 0, judgeCostUsd: 0 };
    try {
      const hit = await judgedLookup({
        store: this.options.store, verifier: this.options.verifier!, embedderId: embedder.id, random: this.options.random ?? Math.random, onError: this.options.onError,
      }, {
        scope, scopeKey: scopeHash(parts, scope.route), text: parts.text, query: await this.embed(parts.text), request, liveAfter: Math.floor(this.clock.now() / 1000), guard,
      }, policy, stats.judge);
      if (hit?.similarity !== undefined) stats.bestSimilarity = hit.similarity;
      return hit;
    } catch (error) {
      // The judge side is an extra chance of a hit: its failure (an embedder down) is a miss, not an error.
      this.options.onError?.('cache judge lookup', error);
      return undefined;
    }
  }

  async store(request: ChatRequest, scope: CacheScope, answer: CachedAnswer): Promise<void> {
    const policy = await this.policyFor(scope);
    if (!isCacheable(request, policy) || !reusable(answer.completion)) return;
    const now = this.clock.now();
    const hash = exactHash(request, scope.route);
    const stored: StoredAnswer = {
      completion: JSON.stringify(answer.completion),
      modelId: answer.modelId,
      providerId: answer.providerId,
      costUsd: answer.costUsd,
      expiresAt: Math.floor(now / 1000) + policy.ttlSeconds,
      ...(answer.sourceRequestId ? { requestId: answer.sourceRequestId } : {}),
    };
    const entries: CacheEntry[] = [{ kind: 'exact', tenantId: scope.tenantId, hash, route: scope.route, createdAt: new Date(now).toISOString(), ...stored }];
    const parts = policy.semantic ? semanticParts(request) : undefined;
    const fits = parts !== undefined && parts.text.length <= MAX_SEMANTIC_CHARS;
    const signature = parts && fits ? contentSignature(promptTokens(parts.text)) : '';
    const judged = fits && this.judges(policy);
    if (parts && (signature !== '' || judged)) {
      const embedder = this.options.embedder;
      const vec = embedder ? quantise(await this.embed(parts.text)) : undefined;
      const entry = {
        kind: 'semantic' as const, tenantId: scope.tenantId, scope: scopeHash(parts, scope.route),
        createdAtMs: now, hash, text: parts.text, ...(vec && embedder ? { vec, embedderId: embedder.id } : {}), ...stored,
      };
      if (signature !== '') entries.push({ ...entry, signature: signatureHash(signature) });
      // Judge modes: also under the scope's near key, in the same batch write, with no samples yet.
      if (judged) entries.push({ ...entry, signature: NEAR_SIGNATURE });
    }
    await this.writeAll(entries);
  }

  /** The newest candidate that passes the differential check (and the cosine floor, if any). */
  private async firstVerified(text: string, tokens: PromptToken[], candidates: SemanticCandidate[], policy: CachePolicy, stats: LookupStats): Promise<CachedAnswer | undefined> {
    const embedder = this.options.embedder;
    let query: Float32Array | undefined;
    for (const candidate of candidates) {
      if (!compareTokens(tokens, promptTokens(candidate.text)).same) {
        stats.refused += 1;
        continue;
      }
      let similarity: number | undefined;
      if (embedder && candidate.vec && candidate.embedderId === embedder.id) {
        query ??= await this.embed(text);
        similarity = cosine(query, dequantise(candidate.vec));
      }
      // With a floor, a candidate without a comparable vector cannot show it reaches it.
      if (policy.threshold > 0 && (similarity === undefined || similarity < policy.threshold)) {
        stats.refused += 1;
        continue;
      }
      if (similarity !== undefined) stats.bestSimilarity = similarity;
      return { ...toAnswer(candidate), match: 'semantic', verifiedBy: 'differential', ...(similarity !== undefined ? { similarity } : {}) };
    }
    return undefined;
  }

  private report(stats: LookupStats, answer: CachedAnswer | undefined): CachedAnswer | undefined {
    stats.match = answer?.match;
    this.options.onLookup?.(stats);
    return answer;
  }

  private async policyFor(scope: CacheScope, stats?: LookupStats): Promise<CachePolicy> {
    const tenant = await this.tenantSettings(scope.tenantId, stats);
    return resolvePolicy(this.options.routeSettings?.(scope.route), tenant, this.options.semanticByDefault);
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
    return toAnswer(stored);
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

function toAnswer(stored: StoredAnswer): Omit<CachedAnswer, 'match'> {
  const { completion, modelId, providerId, costUsd, requestId } = stored;
  return { completion: JSON.parse(completion) as ChatCompletion, modelId, providerId, costUsd, ...(requestId ? { sourceRequestId: requestId } : {}) };
}

/** Only plain text answers are stored: tool calls and filtered answers are not worth replaying. */
function reusable(completion: ChatCompletion): boolean {
  const choice = completion.choices[0];
  return completion.choices.length === 1 && !!choice && typeof choice.message.content === 'string'
    && !choice.message.tool_calls?.length && choice.finish_reason !== 'content_filter' && choice.finish_reason !== 'tool_calls';
}
