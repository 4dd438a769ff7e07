// Client for every provider that speaks OpenAI Chat Completions: OpenAI, DeepSeek, Qwen (DashScope
// compatible mode), Gemini's OpenAI endpoint, Zhipu GLM, Doubao (Volcengine Ark). Their answers
// differ only in details (usage fields, error dialects), which are normalised here.
import * as z from 'zod/mini';
import '../../contracts/zod-en.ts';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest, ModelObject, Usage } from '#core/chat/openai-types.ts';
import type { ProviderCallOptions, ProviderClient } from '#core/chat/ports.ts';
import { failureFromErrorPayload, failureFromFetchError, malformed } from './http-failure.ts';
import type { FailureContext } from './http-failure.ts';
import { parseSse } from './sse.ts';
import { watchStream } from './stream-watchdog.ts';
import { callJson, joinUrl, openStream } from './upstream-fetch.ts';
import type { UpstreamRequest } from './upstream-fetch.ts';

export interface OpenAiCompatibleOptions {
  providerId: string;
  /** Up to and including the API version, e.g. `https://api.openai.com/v1`. */
  baseUrl: string;
  apiKey?: string;
  headers?: Record<string, string>;
  /** Used when a call sets no `timeoutMs` of its own. */
  timeoutMs?: number;
}

const count = z.catch(z.number().check(z.nonnegative()), 0);
const usageSchema = z.looseObject({
  prompt_tokens: count,
  completion_tokens: count,
  total_tokens: z.optional(z.number()),
  prompt_tokens_details: z.nullish(z.looseObject({ cached_tokens: z.nullish(z.number()) })),
  completion_tokens_details: z.nullish(z.looseObject({ reasoning_tokens: z.nullish(z.number()) })),
  // DeepSeek's own names for cache hits.
  prompt_cache_hit_tokens: z.nullish(z.number()),
});

/** One usage shape whatever the provider reported. */
export function normalizeUsage(raw: unknown): Usage | undefined {
  const parsed = usageSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const u = parsed.data;
  const usage: Usage = {
    prompt_tokens: u.prompt_tokens,
    completion_tokens: u.completion_tokens,
    total_tokens: u.total_tokens ?? u.prompt_tokens + u.completion_tokens,
  };
  const cached = u.prompt_tokens_details?.cached_tokens ?? u.prompt_cache_hit_tokens;
  if (cached != null) usage.prompt_tokens_details = { cached_tokens: cached };
  const reasoning = u.completion_tokens_details?.reasoning_tokens;
  if (reasoning != null) usage.completion_tokens_details = { reasoning_tokens: reasoning };
  return usage;
}

const completionSchema = z.looseObject({
  id: z.catch(z.string(), ''),
  created: z.catch(z.number(), () => Math.floor(Date.now() / 1000)),
  model: z.optional(z.string()),
  choices: z.array(z.looseObject({ index: z.catch(z.number(), 0), message: z.looseObject({}) })).check(z.minLength(1)),
});

const chunkSchema = z.looseObject({
  id: z.catch(z.string(), ''),
  created: z.catch(z.number(), () => Math.floor(Date.now() / 1000)),
  model: z.optional(z.string()),
  choices: z.array(z.looseObject({ index: z.catch(z.number(), 0), delta: z.catch(z.looseObject({}), {}) })),
});

export class OpenAiCompatibleClient implements ProviderClient {
  readonly providerId: string;
  private readonly options: OpenAiCompatibleOptions;

  constructor(options: OpenAiCompatibleOptions) {
    this.providerId = options.providerId;
    this.options = options;
  }

  async chat(request: ChatRequest, options?: ProviderCallOptions): Promise<ChatCompletion> {
    const ctx = this.context(request.model);
    // OpenAI rejects stream_options on a non-streaming call.
    const { stream_options: _ignored, ...rest } = request;
    const payload = await callJson(ctx, this.post({ ...rest, stream: false }), options, this.options.timeoutMs);
    const parsed = completionSchema.safeParse(payload);
    if (!parsed.success) throw malformed(ctx, `not a chat completion: ${parsed.error.issues[0]?.message ?? ''}`);
    const completion = { ...parsed.data, object: 'chat.completion', model: parsed.data.model ?? request.model } as ChatCompletion;
    const usage = normalizeUsage((payload as { usage?: unknown }).usage);
    if (usage) completion.usage = usage;
    else delete completion.usage;
    return completion;
  }

  stream(request: ChatRequest, options?: ProviderCallOptions): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    return watchStream(this.context(request.model), options, (watched) => this.streamChunks(request, watched));
  }

  private async *streamChunks(request: ChatRequest, options: ProviderCallOptions): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    const ctx = this.context(request.model);
    const continued = markContinuation(request, options.continuation);
    const body = { ...continued, stream: true, stream_options: { ...request.stream_options, include_usage: true } };
    const { body: stream, signal } = await openStream(ctx, this.post(body), options, this.options.timeoutMs);
    const events = parseSse(stream);
    try {
      for (;;) {
        let next: IteratorResult<{ event?: string; data: string }>;
        try {
          next = await events.next();
        } catch (error) {
          throw failureFromFetchError(ctx, error, signal, 'body');
        }
        if (next.done || next.value.data.trim() === '[DONE]') return;
        yield parseChunk(ctx, next.value.event, next.value.data, request.model);
      }
    } finally {
      // Releases the connection on [DONE], on an early stop by the consumer and on errors.
      await events.return(undefined);
    }
  }

  /** GET /models, for health probes: proves the endpoint and the key both work. */
  async listModels(signal?: AbortSignal): Promise<ModelObject[]> {
    const ctx = this.context(undefined);
    const request: UpstreamRequest = { url: joinUrl(this.options.baseUrl, 'models'), method: 'GET', headers: this.headers() };
    const payload = await callJson(ctx, request, { signal }, this.options.timeoutMs);
    const parsed = z.looseObject({ data: z.array(z.looseObject({ id: z.string() })) }).safeParse(payload);
    if (!parsed.success) throw malformed(ctx, 'model list has no data array');
    return parsed.data.data as ModelObject[];
  }

  private context(modelId: string | undefined): FailureContext {
    return { providerId: this.providerId, modelId };
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.options.headers };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    return headers;
  }

  private post(body: unknown): UpstreamRequest {
    return {
      url: joinUrl(this.options.baseUrl, 'chat/completions'),
      method: 'POST',
      headers: { ...this.headers(), 'content-type': 'application/json' },
      body,
    };
  }
}

/**
 * A continuation's trailing assistant message in the provider's dialect: DeepSeek's prefix
 * completion takes `prefix: true`, DashScope (Qwen) takes `partial: true`; `assistant` sends it as it is.
 */
export function markContinuation(request: ChatRequest, form: ProviderCallOptions['continuation']): ChatRequest {
  const last = request.messages.at(-1);
  if (!form || form === 'assistant' || last?.role !== 'assistant') return request;
  const marked = { ...last, ...(form === 'prefix' ? { prefix: true } : { partial: true }) };
  return { ...request, messages: [...request.messages.slice(0, -1), marked] };
}

function parseChunk(ctx: FailureContext, event: string | undefined, data: string, model: string): ChatCompletionChunk {
  let payload: unknown;
  try {
    payload = JSON.parse(data);
  } catch (error) {
    throw malformed(ctx, `stream chunk is not JSON: ${data.slice(0, 200)}`, error);
  }
  // Errors arrive mid-stream either as `event: error` or as a chunk holding an `error` object.
  const wrapped = event === 'error' && !(payload && typeof payload === 'object' && 'error' in payload);
  const failure = failureFromErrorPayload(ctx, wrapped ? { error: payload } : payload);
  if (failure) throw failure;
  const parsed = chunkSchema.safeParse(payload);
  if (!parsed.success) throw malformed(ctx, `not a chat.completion.chunk: ${data.slice(0, 200)}`);
  const chunk = { ...parsed.data, object: 'chat.completion.chunk', model: parsed.data.model ?? model } as ChatCompletionChunk;
  const rawUsage = (payload as { usage?: unknown }).usage;
  if (rawUsage != null) {
    const usage = normalizeUsage(rawUsage);
    if (!usage) throw malformed(ctx, 'stream usage is not a usage object');
    chunk.usage = usage;
  }
  return chunk;
}
