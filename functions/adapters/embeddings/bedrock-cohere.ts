// Embeddings from Cohere Embed (v3 English / multilingual, v4) on Bedrock through InvokeModel.
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import * as z from 'zod/mini';
import '../../contracts/zod-en.ts';
import type { Embedder } from '#core/cache/embedder.ts';
import { l2Normalise } from '#core/cache/vector.ts';
import { bedrockRuntimeClient, invokeJson } from './bedrock-invoke.ts';

export interface CohereEmbedderOptions {
  /** E.g. `cohere.embed-multilingual-v3` or `cohere.embed-v4:0`. */
  modelId: string;
  region: string;
  threshold?: number;
  /** Endpoint override (tests, VPC endpoints). */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

// v3 without embedding_types answers a bare list; with it (and v4 always) a map by type.
const vectors = z.array(z.array(z.number()).check(z.minLength(1))).check(z.minLength(1));
const responseSchema = z.object({ embeddings: z.union([vectors, z.object({ float: vectors })]) });

/** Cohere takes at most 2,048 characters per text on Bedrock; longer prompts are cut at the end. */
const MAX_CHARS = 2_048;

export class CohereEmbedder implements Embedder {
  readonly id: string;
  readonly defaultThreshold: number;
  private readonly options: CohereEmbedderOptions;
  private readonly client: () => Promise<BedrockRuntimeClient>;

  constructor(options: CohereEmbedderOptions) {
    this.options = options;
    this.id = `bedrock:${options.modelId}`;
    this.defaultThreshold = options.threshold ?? 0.9;
    this.client = bedrockRuntimeClient(options);
  }

  /**
   * The InvokeModel body for a text. `clustering`: both sides of a cache comparison are prompts of the
   * same kind, so the symmetric input type fits better than search_query / search_document.
   */
  requestBody(text: string): Record<string, unknown> {
    return { texts: [text.slice(0, MAX_CHARS)], input_type: 'clustering', truncate: 'END', embedding_types: ['float'] };
  }

  async embed(text: string, signal?: AbortSignal): Promise<Float32Array> {
    const parsed = responseSchema.safeParse(await invokeJson(this.client, this.options.modelId, this.requestBody(text), signal));
    if (!parsed.success) throw new Error(`embeddings: unexpected InvokeModel response from ${this.options.modelId}`);
    const { embeddings } = parsed.data;
    return l2Normalise(Array.isArray(embeddings) ? embeddings[0]! : embeddings.float[0]!);
  }
}
