// Replays a cached completion as a stream of OpenAI chunks, for clients that asked for `stream: true`.
import type { ChatCompletion, ChatCompletionChunk } from '../chat/openai-types.ts';

/** Splits a completion into role, content (word by word), finish and (optionally) usage chunks. */
export async function* replayAsChunks(completion: ChatCompletion, includeUsage: boolean): AsyncGenerator<ChatCompletionChunk> {
  const base = { id: completion.id, object: 'chat.completion.chunk' as const, created: completion.created, model: completion.model };
  const choice = completion.choices[0];
  yield { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] };
  for (const piece of (choice?.message.content ?? '').match(/\S+\s*|\s+/g) ?? []) {
    yield { ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] };
  }
  yield { ...base, choices: [{ index: 0, delta: {}, finish_reason: choice?.finish_reason ?? 'stop' }] };
  if (includeUsage && completion.usage) yield { ...base, choices: [], usage: completion.usage };
}

/** Reassembles the completion a stream delivered (text answers only; tool calls are not reassembled). */
export function completionFromStream(first: ChatCompletionChunk, model: string, text: string, finish: ChatCompletion['choices'][number]['finish_reason']): ChatCompletion {
  return {
    id: first.id,
    object: 'chat.completion',
    created: first.created,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finish ?? 'stop' }],
  };
}
