// The Embedder port: turns prompt text into a vector for the semantic cache. A provider embedding
// model in production (adapters/embeddings), the weight-free LocalEmbedder by default.

export interface Embedder {
  /** Names the vector space; part of the semantic scope, so vectors of two models never mix. */
  readonly id: string;
  /** Similarity at or above which two prompts count as the same question, unless configured. */
  readonly defaultThreshold: number;
  embed(text: string, signal?: AbortSignal): Promise<Float32Array>;
}
