// Ports of the cache feature: what a cache is scoped by and returns, and the narrow store it reads
// and writes items through (the use case in response-cache.ts decides; a store only moves items).
import type { ChatCompletion, ChatRequest } from '../chat/openai-types.ts';

/** `x-router-cache`: use the cache, skip it, or skip the lookup but store the fresh answer. */
export type CacheMode = 'use' | 'bypass' | 'refresh';

/** What a cache is partitioned by: a tenant never sees another tenant's entries. */
export interface CacheScope {
  tenantId: string;
  /** The route or model the client asked for (`request.model`). */
  route: string;
}

export interface CachedAnswer {
  completion: ChatCompletion;
  modelId: string;
  providerId: string;
  /** What the original call cost: the saving a hit records. */
  costUsd: number;
  match: 'exact' | 'semantic';
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

/** One LSH band bucket of a semantic entry, pointing at the exact entry that holds the answer. */
export interface BandEntry {
  kind: 'band';
  tenantId: string;
  scope: string;
  band: number;
  bits: string;
  createdAtMs: number;
  hash: string;
  vec: Uint8Array;
  expiresAt: number;
}

export type CacheEntry = ExactEntry | BandEntry;

export interface BandQuery {
  tenantId: string;
  scope: string;
  band: number;
  bits: string;
  /** At most this many entries, newest first. */
  limit: number;
  /** Only entries whose expiresAt is after this (epoch seconds). */
  liveAfter: number;
}

export interface BandCandidate {
  hash: string;
  vec: Uint8Array;
}

/** Item I/O for the response cache. Every read is one key read (one GetItem or one Query). */
export interface CacheStore {
  getAnswer(tenantId: string, hash: string): Promise<StoredAnswer | undefined>;
  queryBand(query: BandQuery): Promise<BandCandidate[]>;
  /** Writes up to 25 entries in one batch; returns the entries the store left unprocessed. */
  writeBatch(entries: readonly CacheEntry[]): Promise<CacheEntry[]>;
}

/** Where per-tenant cache settings come from (one key read); returns the raw item, validated by the core. */
export interface TenantCacheSettingsSource {
  read(tenantId: string): Promise<unknown>;
}
