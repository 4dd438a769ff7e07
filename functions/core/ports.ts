// Ports: what the core needs from the outside world. Adapters in functions/adapters implement them.
import type { ChatCompletion, ChatCompletionChunk, ChatRequest } from './openai-types.ts';

export interface ProviderCallOptions {
  /** Aborts the upstream call (client gone, time budget spent). */
  signal?: AbortSignal;
  /** Upper bound for the whole call (non-streaming) or for time to first byte (streaming). */
  timeoutMs?: number;
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
