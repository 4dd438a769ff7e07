// EmbeddingsClient adapters for POST /v1/embeddings: any OpenAI-compatible `/embeddings` endpoint
// (one call for all inputs), and Bedrock Titan / Cohere through the semantic cache's embedders (one
// InvokeModel per text). Failures become ProviderErrors so failover and breakers treat them as chat's.
import * as z from 'zod/mini';
import '../../contracts/zod-en.ts';
import type { CatalogProvider } from '#core/catalog/catalog-schema.ts';
import type { ProviderCallOptions } from '#core/chat/ports.ts';
import type { EmbedCall, EmbeddingsClient, EmbedResult } from '#core/embeddings/ports.ts';
import { failureFromSdkError } from '#adapters/providers/bedrock.ts';
import { malformed } from '#adapters/providers/http-failure.ts';
import type { FailureContext } from '#adapters/providers/http-failure.ts';
import { callJson, joinUrl, startDeadline } from '#adapters/providers/upstream-fetch.ts';
import { CohereEmbedder } from './bedrock-cohere.ts';
import { TitanEmbedder } from './bedrock-titan.ts';

const responseSchema = z.looseObject({
  data: z.array(z.looseObject({ index: z.number().check(z.int(), z.nonnegative()), embedding: z.array(z.number()).check(z.minLength(1)) })).check(z.minLength(1)),
  usage: z.nullish(z.looseObject({ prompt_tokens: z.optional(z.number().check(z.nonnegative())) })),
});

export interface OpenAiEmbeddingsOptions {
  providerId: string;
  baseUrl: string;
  /** Read per call (the provider-key cache refreshes rotated keys). */
  apiKey?: (() => Promise<string | undefined>) | undefined;
  headers?: Record<string, string> | undefined;
  timeoutMs?: number | undefined;
}

/** What both clients share: their options, and the failure context of each call. */
abstract class ProviderEmbeddingsClient<O extends { providerId: string }> implements EmbeddingsClient {
  protected readonly options: O;

  constructor(options: O) {
    this.options = options;
  }

  embed(call: EmbedCall, options?: ProviderCallOptions): Promise<EmbedResult> {
    return this.embedFor({ providerId: this.options.providerId, modelId: call.model }, call, options);
  }

  protected abstract embedFor(ctx: FailureContext, call: EmbedCall, options?: ProviderCallOptions): Promise<EmbedResult>;
}

export class OpenAiEmbeddingsClient extends ProviderEmbeddingsClient<OpenAiEmbeddingsOptions> {
  protected async embedFor(ctx: FailureContext, call: EmbedCall, options?: ProviderCallOptions): Promise<EmbedResult> {
    const apiKey = await this.options.apiKey?.();
    const payload = await callJson(ctx, {
      url: joinUrl(this.options.baseUrl, 'embeddings'),
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        ...this.options.headers,
      },
      body: { model: call.model, input: call.input, encoding_format: 'float', ...(call.dimensions ? { dimensions: call.dimensions } : {}) },
    }, options, this.options.timeoutMs);
    const parsed = responseSchema.safeParse(payload);
    if (!parsed.success) throw malformed(ctx, `not an embeddings list: ${parsed.error.issues[0]?.message ?? ''}`);
    const vectors: number[][] = [];
    for (const item of parsed.data.data) vectors[item.index] = item.embedding;
    if (vectors.length !== call.input.length || vectors.some((v) => v === undefined)) {
      throw malformed(ctx, `${parsed.data.data.length} embeddings for ${call.input.length} inputs`);
    }
    const promptTokens = parsed.data.usage?.prompt_tokens;
    return { vectors, ...(promptTokens !== undefined ? { promptTokens } : {}) };
  }
}

export interface BedrockEmbeddingsOptions {
  providerId: string;
  region: string;
  endpoint?: string | undefined;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
}

export class BedrockEmbeddingsClient extends ProviderEmbeddingsClient<BedrockEmbeddingsOptions> {
  protected async embedFor(ctx: FailureContext, call: EmbedCall, options?: ProviderCallOptions): Promise<EmbedResult> {
    const common = { modelId: call.model, region: this.options.region, ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}), ...(this.options.credentials ? { credentials: this.options.credentials } : {}) };
    const dimensions = call.dimensions === 256 || call.dimensions === 512 ? call.dimensions : 1024;
    const embedder = call.model.startsWith('cohere.') ? new CohereEmbedder(common) : new TitanEmbedder({ ...common, dimensions });
    const deadline = startDeadline(options);
    try {
      const vectors: number[][] = [];
      for (const text of call.input) vectors.push(Array.from(await embedder.embed(text, deadline.signal)));
      return { vectors };
    } catch (error) {
      throw failureFromSdkError(ctx, error, deadline.signal, 'connect');
    } finally {
      deadline.disarm();
    }
  }
}

export function createEmbeddingsClient(provider: CatalogProvider, apiKey: () => Promise<string | undefined>, baseUrl = provider.baseUrl): EmbeddingsClient | undefined {
  if (provider.kind === 'openai-compatible' && baseUrl) {
    return new OpenAiEmbeddingsClient({ providerId: provider.id, baseUrl, apiKey, headers: provider.headers, timeoutMs: provider.timeoutMs });
  }
  if (provider.kind === 'bedrock' && provider.region) return new BedrockEmbeddingsClient({ providerId: provider.id, region: provider.region });
  return undefined;
}
