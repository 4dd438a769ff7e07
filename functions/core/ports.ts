// Ports: what the core needs from the outside world. Adapters in functions/adapters implement them.
import type { ProviderFailureKind } from './errors.ts';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest } from './openai-types.ts';
import type { RoutingContext } from './routing/types.ts';

export interface ProviderCallOptions {
  /** Aborts the upstream call (client gone, time budget spent). */
  signal?: AbortSignal;
  /** Upper bound for the whole call (non-streaming) or for time to first byte (streaming). */
  timeoutMs?: number;
  /** Streaming: upper bound from the call start to the first chunk carrying output. */
  firstTokenTimeoutMs?: number;
  /** Streaming: longest silence tolerated between two chunks (30 s when unset). */
  idleTimeoutMs?: number;
}

/**
 * One upstream provider. Requests and responses are in OpenAI's shape whatever the provider speaks;
 * `request.model` is already the provider's own model id. Failures are thrown as `ProviderError`.
 */
export interface ProviderClient {
  readonly providerId: string;
  chat(request: ChatRequest, options?: ProviderCallOptions): Promise<ChatCompletion>;
  /** Yields OpenAI chunks; the last chunk carries `usage` (the adapter asks the provider for it). */
  stream(request: ChatRequest, options?: ProviderCallOptions): AsyncIterable<ChatCompletionChunk>;
}

/** One billable (or cache-served) call, as written to the cost table. */
export interface CostRecord {
  tenantId: string;
  keyId: string;
  requestId: string;
  modelId: string;
  providerId: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  reasoningTokens: number;
  costUsd: number;
  latencyMs: number;
  attempts: number;
  cacheHit: boolean;
  /** For a cache hit: what the original call cost, i.e. what the hit saved. */
  savedUsd?: number;
  stream: boolean;
  strategy: string;
  /** ISO-8601 time the call finished. */
  timestamp: string;
}

export interface CostLedger {
  /** Records one call; idempotent on `requestId` (a retried write never makes a second record). */
  record(record: CostRecord): Promise<void>;
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** An authenticated caller. */
export interface Principal {
  tenantId: string;
  keyId: string;
}

export interface KeyStore {
  /** Resolves a presented API key to its tenant, or undefined when the key is unknown or revoked. */
  authenticate(apiKey: string): Promise<Principal | undefined>;
}

/** Live provider health, read from an in-memory snapshot (never a store round trip per request). */
export interface HealthMonitor {
  current(): RoutingContext;
  /** Feeds a call outcome to the model's circuit breaker; never throws, never blocks. */
  recordOutcome(modelId: string, outcome: 'success' | ProviderFailureKind, latencyMs?: number): void;
}

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

/** Money held against a tenant's (and key's) budget for one call, until settled or released. */
export interface BudgetReservation {
  requestId: string;
  tenantId: string;
  keyId: string;
  amountUsd: number;
  /** Budget period the reservation counts against, e.g. `2026-11`. */
  period: string;
}

export interface BudgetGuard {
  /**
   * Holds the estimated cost; throws a 429 `insufficient_quota` RouterError when it would exceed a
   * budget. Undefined when no budget applies to the caller.
   */
  reserve(principal: Principal, estimatedUsd: number, requestId: string): Promise<BudgetReservation | undefined>;
  /** Replaces the held amount with what the call actually cost. */
  settle(reservation: BudgetReservation, actualUsd: number): Promise<void>;
  /** Returns the held amount (the call failed or was served from cache). */
  release(reservation: BudgetReservation): Promise<void>;
}
