// The Embedder port: turns prompt text into a vector. In the response cache it gives the similarity a
// semantic hit reports and the optional cosine floor; it never decides a hit on its own (the
// differential check does). A provider embedding model (adapters/embeddings) or the weight-free
// LocalEmbedder (the default).

export interface Embedder {
  /** Names the vector space: vectors of two embedders are never compared. */
  readonly id: string;
  /** The cosine at which this embedder alone would call two prompts the same (bench/cache.ts compares it; not used to serve). */
  readonly defaultThreshold: number;
  embed(text: string, signal?: AbortSignal): Promise<Float32Array>;
}
