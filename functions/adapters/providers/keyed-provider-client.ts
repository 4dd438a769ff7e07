// A provider client that takes its API key from a key source on every call instead of holding the
// key it was built with, so a key put into the secret is used without a cold start. When the
// provider refuses the key (401/403, before any output), the keys are re-read once and, if this
// provider's key changed, the call is made again with the new key; otherwise the refusal stands
// and the chat service fails over as before.
import type { ChatCompletion, ChatCompletionChunk, ChatRequest } from '#core/chat/openai-types.ts';
import type { ProviderCallOptions, ProviderClient } from '#core/chat/ports.ts';
import type { ProviderKeySource } from '#core/health/ports.ts';
import { ProviderError } from '#core/shared/errors.ts';

/** Whether the provider refused the key itself (as opposed to the request). */
export function keyRefused(error: unknown): boolean {
  return error instanceof ProviderError && error.kind === 'authentication'
    && (error.upstreamStatus === undefined || error.upstreamStatus === 401 || error.upstreamStatus === 403);
}

export class KeyedProviderClient implements ProviderClient {
  readonly providerId: string;
  readonly #keys: ProviderKeySource;
  readonly #build: (apiKey: string | undefined) => ProviderClient;
  /** The client for the key in use; rebuilt only when the key changes. */
  #current: { key: string | undefined; client: ProviderClient } | undefined;

  constructor(providerId: string, keys: ProviderKeySource, build: (apiKey: string | undefined) => ProviderClient) {
    this.providerId = providerId;
    this.#keys = keys;
    this.#build = build;
  }

  async chat(request: ChatRequest, options?: ProviderCallOptions): Promise<ChatCompletion> {
    const key = await this.#keys.get(this.providerId);
    try {
      return await this.#client(key).chat(request, options);
    } catch (error) {
      const fresh = keyRefused(error) ? await this.#changedKey(key) : undefined;
      if (!fresh) throw error;
      return this.#client(fresh.key).chat(request, options);
    }
  }

  async *stream(request: ChatRequest, options?: ProviderCallOptions): AsyncIterable<ChatCompletionChunk> {
    const key = await this.#keys.get(this.providerId);
    let started = false;
    try {
      for await (const chunk of this.#client(key).stream(request, options)) {
        started = true;
        yield chunk;
      }
    } catch (error) {
      // Once output went out, a second call would duplicate it: only a refusal up front is retried.
      const fresh = !started && keyRefused(error) ? await this.#changedKey(key) : undefined;
      if (!fresh) throw error;
      yield* this.#client(fresh.key).stream(request, options);
    }
  }

  /** Re-reads the keys; the provider's new key when it differs from the refused one. */
  async #changedKey(refused: string | undefined): Promise<{ key: string | undefined } | undefined> {
    if (!(await this.#keys.reload())) return undefined;
    const key = await this.#keys.get(this.providerId);
    return key === refused ? undefined : { key };
  }

  #client(key: string | undefined): ProviderClient {
    if (!this.#current || this.#current.key !== key) this.#current = { key, client: this.#build(key) };
    return this.#current.client;
  }
}
