// Embeddings from Amazon Titan Text Embeddings (v2 or v1) through Bedrock InvokeModel.
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import * as z from 'zod/mini';
import '../../contracts/zod-en.ts';
import type { Embedder } from '#core/cache/embedder.ts';
import { l2Normalise } from '#core/cache/vector.ts';
import { bedrockRuntimeClient, invokeJson } from './bedrock-invoke.ts';

export interface TitanEmbedderOptions {
  /** E.g. `amazon.titan-embed-text-v2:0`. */
  modelId: string;
  region: string;
  /** Titan v2 only: 256, 512 or 1024 (default 512). */
  dimensions?: 256 | 512 | 1024;
  threshold?: number;
  /** Endpoint override (tests, VPC endpoints). */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

const responseSchema = z.object({ embedding: z.array(z.number()).check(z.minLength(1)), inputTextTokenCount: z.optional(z.number()) });

/** Titan accepts at most 8k tokens (about 50k characters); longer prompts are cut. */
const MAX_CHARS = 40_000;

export class TitanEmbedder implements Embedder {
  readonly id: string;
  readonly defaultThreshold: number;
  private readonly options: TitanEmbedderOptions;
  private readonly client: () => Promise<BedrockRuntimeClient>;
  private readonly v2: boolean;

  constructor(options: TitanEmbedderOptions) {
    this.options = options;
    this.v2 = !/titan-embed-text-v1|titan-embed-g1/.test(options.modelId);
    this.id = `bedrock:${options.modelId}${this.v2 ? `:${options.dimensions ?? 512}` : ''}`;
    this.defaultThreshold = options.threshold ?? 0.9;
    this.client = bedrockRuntimeClient(options);
  }

  /** The InvokeModel body for a text (exported for the tests). */
  requestBody(text: string): Record<string, unknown> {
    const inputText = text.slice(0, MAX_CHARS);
    return this.v2 ? { inputText, dimensions: this.options.dimensions ?? 512, normalize: true } : { inputText };
  }

  async embed(text: string, signal?: AbortSignal): Promise<Float32Array> {
    const parsed = responseSchema.safeParse(await invokeJson(this.client, this.options.modelId, this.requestBody(text), signal));
    if (!parsed.success) throw new Error(`embeddings: unexpected InvokeModel response from ${this.options.modelId}`);
    return l2Normalise(parsed.data.embedding);
  }
}
