// Ports of the cache feature: what a cache is scoped by and what it returns.
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
