// Ports of the embeddings feature: an upstream that embeds texts, and the exact cache of answers.
import type { ProviderCallOptions } from '../chat/ports.ts';

export interface EmbedCall {
  /** The provider's own model id. */
  model: string;
  input: string[];
  dimensions?: number;
}

export interface EmbedResult {
  /** One vector per input, in input order. */
  vectors: number[][];
  /** Input tokens as the provider counted them, when it says. */
  promptTokens?: number;
}

/** One upstream's embeddings endpoint; failures are thrown as ProviderError. */
export interface EmbeddingsClient {
  embed(call: EmbedCall, options?: ProviderCallOptions): Promise<EmbedResult>;
}

export interface CachedEmbeddings {
  vectors: number[][];
  promptTokens: number;
  modelId: string;
  providerId: string;
  costUsd: number;
  requestId: string;
}

/** Exact answers per tenant, keyed by a hash of model, dimensions and input. */
export interface EmbeddingCache {
  get(tenantId: string, key: string): Promise<CachedEmbeddings | undefined>;
  put(tenantId: string, key: string, entry: CachedEmbeddings, ttlSeconds: number): Promise<void>;
}
