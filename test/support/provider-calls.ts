// What the provider adapter tests do with a call's result: read a stream's chunks whole, and take the
// ProviderError a failed call throws (failing the test when it throws anything else, or nothing).
import { expect } from 'vitest';
import type { ChatCompletionChunk } from '#core/chat/openai-types.ts';
import { ProviderError } from '#core/shared/errors.ts';

/** Every chunk of a stream, in order. */
export async function collect(iterable: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of iterable) chunks.push(chunk);
  return chunks;
}

/** The ProviderError `promise` rejects with. */
export async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}
