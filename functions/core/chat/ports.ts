// Port of the chat feature: one upstream provider, spoken to in OpenAI's shape.
import type { PrefillForm } from '../catalog/catalog-schema.ts';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest } from './openai-types.ts';

export interface ProviderCallOptions {
  /** Aborts the upstream call (client gone, time budget spent). */
  signal?: AbortSignal;
  /** Upper bound for the whole call (non-streaming) or for time to first byte (streaming). */
  timeoutMs?: number;
  /** Streaming: upper bound from the call start to the first chunk carrying output. */
  firstTokenTimeoutMs?: number;
  /** Streaming: longest silence tolerated between two chunks (30 s when unset). */
  idleTimeoutMs?: number;
  /**
   * The request's last message is an assistant turn holding an answer's beginning, to be continued
   * (not answered); the form is the model's catalog `prefill`. The adapter marks it as its provider wants.
   */
  continuation?: PrefillForm;
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
