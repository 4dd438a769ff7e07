// Ports of the cache feature: what a cache is scoped by and returns, and the narrow store it reads
// and writes items through (the use case in response-cache.ts decides; a store only moves items).
import type { ChatCompletion, ChatRequest } from '../chat/openai-types.ts';
import type { DeferWork } from '../chat/types.ts';

/** `x-router-cache`: use the cache, skip it, or skip the lookup but store the fresh answer. */
export type CacheMode = 'use' | 'bypass' | 'refresh';

/** What a cache is partitioned by: a tenant never sees another tenant's entries. */
export interface CacheScope {
  tenantId: string;
  /** The route or model the client asked for (`request.model`). */
  route: string;
  /** The request being served and its API key: a judge verification's cost record names them. */
  requestId?: string | undefined;
  keyId?: string | undefined;
  /** The request's after-response registry (ChatCallContext.defer): a judge's bookkeeping goes there. */
  defer?: DeferWork | undefined;
  /** The request's abort signal (ChatCallContext.signal): a judge call is cut when the client leaves. */
  signal?: AbortSignal | undefined;
}

export interface CachedAnswer {
  completion: ChatCompletion;
  modelId: string;
  providerId: string;
  /** What the original call cost: the saving a hit records. */
  costUsd: number;
  match: 'exact' | 'semantic';
  /** The request whose answer this is: on store, the request being stored; on a hit, the one reused. */
  sourceRequestId?: string | undefined;
  /** Semantic hits: cosine similarity of the two prompts under the configured embedder, when there is one. */
  similarity?: number | undefined;
  /** Semantic hits: what verified it (the differential check, a judge's yes, or the entry's learned threshold). */
  verifiedBy?: 'differential' | 'judge' | 'threshold' | undefined;
}

export interface ResponseCache {
  /** A reusable answer for the request, or undefined (also when the request is not cacheable). */
  lookup(request: ChatRequest, scope: CacheScope): Promise<CachedAnswer | undefined>;
  /** Stores a fresh answer when the request is cacheable; a no-op otherwise. */
  store(request: ChatRequest, scope: CacheScope, answer: CachedAnswer): Promise<void>;
}

/** An answer as a store holds it: the completion serialised, its expiry in epoch seconds. */
export interface StoredAnswer {
  completion: string;
  modelId: string;
  providerId: string;
  costUsd: number;
  expiresAt: number;
  /** The request that produced the answer (absent on entries written before it was recorded). */
  requestId?: string | undefined;
}

/** The answer of one exact request (keyed by tenant and exact hash). */
export interface ExactEntry extends StoredAnswer {
  kind: 'exact';
  tenantId: string;
  hash: string;
  route: string;
  /** ISO-8601. */
  createdAt: string;
}

/**
 * A prompt and its answer filed under its content signature, so a lookup finds every candidate that
 * could pass verification with one read, and verifies it with the prompt text it carries.
 */
export interface SemanticEntry extends StoredAnswer {
  kind: 'semantic';
  tenantId: string;
  scope: string;
  signature: string;
  createdAtMs: number;
  hash: string;
  /** The last user message as sent (the differential check needs the words, not a vector). */
  text: string;
  /** Its embedding, int8-quantised, and the embedder that made it (for the similarity and the optional floor). */
  vec?: Uint8Array | undefined;
  embedderId?: string | undefined;
  /** Judge modes: the entry's verified samples (entry-threshold.ts encoding), read with the entry. */
  observations?: string | undefined;
}

export type CacheEntry = ExactEntry | SemanticEntry;

export interface SemanticQuery {
  tenantId: string;
  scope: string;
  signature: string;
  /** At most this many entries, newest first. */
  limit: number;
  /** Only entries whose expiresAt is after this (epoch seconds). */
  liveAfter: number;
  /** Continue after this entry (the `next` of the previous page). */
  after?: SemanticCursor | undefined;
}

/** Where a page of semantic entries ended: the last entry the store evaluated. */
export interface SemanticCursor {
  createdAtMs: number;
  hash: string;
}

export type SemanticCandidate = Omit<SemanticEntry, 'kind' | 'tenantId' | 'scope' | 'signature'>;

export interface SemanticPage {
  candidates: SemanticCandidate[];
  /** Set when the page stopped at `limit` entries evaluated (expired ones included): there may be older ones. */
  next?: SemanticCursor | undefined;
}

/** Item I/O for the response cache. Every read is one key read (one GetItem or one Query). */
export interface CacheStore {
  getAnswer(tenantId: string, hash: string): Promise<StoredAnswer | undefined>;
  querySemantic(query: SemanticQuery): Promise<SemanticPage>;
  /** Writes up to 25 entries in one batch; returns the entries the store left unprocessed. */
  writeBatch(entries: readonly CacheEntry[]): Promise<CacheEntry[]>;
  /**
   * Judge modes: replaces a semantic entry's samples when they are still `previous` (a concurrent update
   * wins; a lost sample only slows learning). A store without it keeps no samples: every candidate is judged.
   */
  recordObservations?(entry: SemanticEntryKey, previous: string | undefined, next: string): Promise<void>;
}

/** Where one semantic entry lives. */
export interface SemanticEntryKey {
  tenantId: string;
  scope: string;
  signature: string;
  createdAtMs: number;
  hash: string;
}

/** Where per-tenant cache settings come from (one key read); returns the raw item, validated by the core. */
export interface TenantCacheSettingsSource {
  read(tenantId: string): Promise<unknown>;
}
