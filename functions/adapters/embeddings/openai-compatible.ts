// Embeddings from any OpenAI-compatible `/embeddings` endpoint (OpenAI, Qwen, Doubao, Zhipu, ...).
import * as z from 'zod/mini';
import '../../contracts/zod-en.ts';
import type { Embedder } from '#core/cache/embedder.ts';
import { l2Normalise } from '#core/cache/vector.ts';
import { startDeadline } from '#adapters/providers/upstream-fetch.ts';

export interface OpenAiEmbedderOptions {
  /** Up to and including the API version, e.g. `https://api.openai.com/v1`. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  headers?: Record<string, string>;
  /** Asks for shorter vectors where the model supports it (text-embedding-3-*). */
  dimensions?: number;
  threshold?: number;
  timeoutMs?: number;
}

const responseSchema = z.object({
  data: z.array(z.object({ index: z.optional(z.number()), embedding: z.union([z.array(z.number()), z.string()]) })).check(z.minLength(1)),
});

/** Decodes `encoding_format: base64` (little-endian float32) or passes a float array through. */
function vectorOf(embedding: number[] | string): Float32Array {
  if (Array.isArray(embedding)) return Float32Array.from(embedding);
  const bytes = Buffer.from(embedding, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

export class OpenAiCompatibleEmbedder implements Embedder {
  readonly id: string;
  readonly defaultThreshold: number;
  private readonly options: OpenAiEmbedderOptions;

  constructor(options: OpenAiEmbedderOptions) {
    this.options = options;
    this.id = `openai:${options.model}${options.dimensions ? `:${options.dimensions}` : ''}`;
    this.defaultThreshold = options.threshold ?? 0.92;
  }

  async embed(text: string, signal?: AbortSignal): Promise<Float32Array> {
    // Not AbortSignal.any over the caller's signal: its result can outlive the call (follow-abort.ts).
    const deadline = startDeadline({ ...(signal ? { signal } : {}), timeoutMs: this.options.timeoutMs ?? 10_000 });
    try {
      return await this.request(text, deadline.signal);
    } finally {
      deadline.disarm();
    }
  }

  private async request(text: string, signal: AbortSignal): Promise<Float32Array> {
    const response = await fetch(`${this.options.baseUrl.replace(/\/+$/, '')}/embeddings`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
        ...this.options.headers,
      },
      body: JSON.stringify({
        model: this.options.model,
        input: text,
        encoding_format: 'float',
        ...(this.options.dimensions ? { dimensions: this.options.dimensions } : {}),
      }),
      signal,
    });
    const body = await response.text();
    if (!response.ok) throw new Error(`embeddings: HTTP ${response.status} from ${this.options.model}: ${body.slice(0, 300)}`);
    const parsed = responseSchema.safeParse(JSON.parse(body));
    if (!parsed.success) throw new Error(`embeddings: unexpected response from ${this.options.model}`);
    return l2Normalise(vectorOf(parsed.data.data[0]!.embedding));
  }
}
