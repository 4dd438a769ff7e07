// Port of the pricing feature: the cost ledger, one record per provider attempt (and per cache-served call).
import type { CallEnding } from '../chat/types.ts';

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
  /** For a cache hit: `exact`, or `semantic` for a verified answer to a reworded prompt. */
  cacheMatch?: 'exact' | 'semantic';
  /** For a cache hit: the request whose answer was reused (when the entry recorded it). */
  cacheSourceRequestId?: string;
  /** For a semantic hit: cosine similarity of the two prompts under the configured embedder. */
  cacheSimilarity?: number;
  /** For a semantic hit: what verified it (`differential`, a `judge`'s yes, or the entry's learned `threshold`). */
  cacheVerifiedBy?: 'differential' | 'judge' | 'threshold';
  stream: boolean;
  strategy: string;
  /** Why routing chose this model (learned strategy: score, threshold, pair). */
  decision?: string;
  /** ISO-8601 time the call finished. */
  timestamp: string;
  /** How the attempt ended; unset on records written before endings existed (read as 'complete'). */
  ending?: CallEnding;
  /** 1-based number of the provider attempt within the request (batch: unique across deliveries). */
  attempt?: number;
  /** ISO-8601 time the request began, stable across retries and redeliveries; part of the key. */
  startedAt?: string;
  /** The upstream max_tokens the router imposed because the budget was nearly used up. */
  maxTokensCap?: number;
  /** Set on a call the router made for itself: `cache-verification` is a judge asked about a cache candidate. */
  purpose?: 'cache-verification';
  /** For a cache verification: the request whose lookup it served (billed to that request's tenant). */
  verifiedRequestId?: string;
}

export interface CostLedger {
  /**
   * Records one attempt, idempotent on its key: the request (id and start) for an answered call, the
   * request and the attempt number for any other ending. A retried write, a retry of the request or a
   * redelivery of a batch item never makes a second record. Resolves false when the record existed.
   */
  record(record: CostRecord): Promise<boolean | void>;
}
