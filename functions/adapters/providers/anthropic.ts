// Client for the Anthropic Messages API (POST /v1/messages), presenting it as OpenAI Chat
// Completions. Shape translation lives in anthropic-translate.ts / anthropic-stream.ts.
import { ProviderError } from '#core/shared/errors.ts';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest } from '#core/chat/openai-types.ts';
import type { ProviderCallOptions, ProviderClient } from '#core/chat/ports.ts';
import { AnthropicStreamTranslator } from './anthropic-stream.ts';
import { anthropicMessageSchema, fromAnthropicResponse, toAnthropicRequest, UntranslatableRequest } from './anthropic-translate.ts';
import { failureFromFetchError, malformed } from './http-failure.ts';
import type { FailureContext } from './http-failure.ts';
import { parseSse } from './sse.ts';
import { watchStream } from './stream-watchdog.ts';
import { callJson, joinUrl, openStream } from './upstream-fetch.ts';
import type { UpstreamRequest } from './upstream-fetch.ts';

export const ANTHROPIC_VERSION = '2023-06-01';

export interface AnthropicClientOptions {
  providerId: string;
  /** API root, e.g. `https://api.anthropic.com` (a trailing `/v1` is tolerated). */
  baseUrl: string;
  apiKey?: string;
  /** Extra headers, e.g. `anthropic-beta`; may override `anthropic-version`. */
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export class AnthropicClient implements ProviderClient {
  readonly providerId: string;
  private readonly options: AnthropicClientOptions;

  constructor(options: AnthropicClientOptions) {
    this.providerId = options.providerId;
    this.options = options;
  }

  async chat(request: ChatRequest, options?: ProviderCallOptions): Promise<ChatCompletion> {
    const ctx = this.context(request.model);
    const payload = await callJson(ctx, this.post(ctx, request, false), options, this.options.timeoutMs);
    const parsed = anthropicMessageSchema.safeParse(payload);
    if (!parsed.success) throw malformed(ctx, `not a Messages API response: ${parsed.error.issues[0]?.message ?? ''}`);
    return fromAnthropicResponse(parsed.data, request.model, Math.floor(Date.now() / 1000));
  }

  stream(request: ChatRequest, options?: ProviderCallOptions): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    return watchStream(this.context(request.model), options, (watched) => this.streamChunks(request, watched));
  }

  private async *streamChunks(request: ChatRequest, options: ProviderCallOptions): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    const ctx = this.context(request.model);
    // Messages continues from a final assistant turn natively, but refuses one ending in whitespace.
    const sent = options.continuation ? trimContinuation(request) : request;
    const { body, signal } = await openStream(ctx, this.post(ctx, sent, true), options, this.options.timeoutMs);
    const translator = new AnthropicStreamTranslator(ctx, request.model);
    const events = parseSse(body);
    try {
      for (;;) {
        let next: IteratorResult<{ event?: string; data: string }>;
        try {
          next = await events.next();
        } catch (error) {
          throw failureFromFetchError(ctx, error, signal, 'body');
        }
        if (next.done) return;
        yield* translator.accept(next.value.event, next.value.data);
        if (next.value.event === 'message_stop') return;
      }
    } finally {
      // Releases the connection when the consumer stops early or an error event ends the stream.
      await events.return(undefined);
    }
  }

  private context(modelId: string): FailureContext {
    return { providerId: this.providerId, modelId };
  }

  private post(ctx: FailureContext, request: ChatRequest, stream: boolean): UpstreamRequest {
    let body: Record<string, unknown>;
    try {
      body = toAnthropicRequest(request);
    } catch (error) {
      const reason = error instanceof UntranslatableRequest ? error.message : 'request shape not understood';
      throw new ProviderError(`${this.providerId} cannot take this request: ${reason}`, {
        kind: 'bad_request',
        providerId: ctx.providerId,
        modelId: ctx.modelId,
        cause: error,
      });
    }
    if (stream) body.stream = true;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: stream ? 'text/event-stream' : 'application/json',
      'anthropic-version': ANTHROPIC_VERSION,
      ...this.options.headers,
    };
    if (this.options.apiKey) headers['x-api-key'] = this.options.apiKey;
    const root = this.options.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
    return { url: joinUrl(root, 'v1/messages'), method: 'POST', headers, body };
  }
}

/** A continuation's final assistant text without trailing whitespace (Anthropic rejects it); the model writes it again. */
function trimContinuation(request: ChatRequest): ChatRequest {
  const last = request.messages.at(-1);
  if (last?.role !== 'assistant' || typeof last.content !== 'string') return request;
  return { ...request, messages: [...request.messages.slice(0, -1), { ...last, content: last.content.trimEnd() }] };
}
