// Port of the pricing feature: the cost ledger, one record per billable (or cache-served) call.

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
  stream: boolean;
  strategy: string;
  /** ISO-8601 time the call finished. */
  timestamp: string;
}

export interface CostLedger {
  /** Records one call; idempotent on `requestId` (a retried write never makes a second record). */
  record(record: CostRecord): Promise<void>;
}
