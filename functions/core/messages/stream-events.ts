// OpenAI chat.completion.chunk stream -> Anthropic Messages SSE events: message_start, then per
// content block content_block_start / _delta / _stop (text and tool_use), then message_delta (stop
// reason, usage) and message_stop. Tool calls arrive as OpenAI deltas keyed by index; each becomes
// its own tool_use block whose arguments stream as input_json_delta.
import type { ChatCompletionChunk, FinishReason, Usage } from '../chat/openai-types.ts';
import { messageId, messagesUsage, stopReason } from './from-completion.ts';

export interface MessagesStreamEvent {
  event: string;
  data: Record<string, unknown> & { type: string };
}

export interface StreamStart {
  /** Model id the answer comes from (the routed catalog model). */
  model: string;
  /** The router's input-token estimate; message_start carries it until the real count arrives. */
  estimatedInputTokens: number;
}

export async function* messagesStreamEvents(chunks: AsyncIterable<ChatCompletionChunk>, start: StreamStart): AsyncGenerator<MessagesStreamEvent> {
  let started = false;
  let blockIndex = -1;
  let openBlock: { kind: 'text' } | { kind: 'tool'; toolIndex: number } | undefined;
  const toolBlocks = new Map<number, number>();
  let finish: FinishReason | null = null;
  let usage: Usage | null | undefined;

  const close = function* (): Generator<MessagesStreamEvent> {
    if (openBlock) yield { event: 'content_block_stop', data: { type: 'content_block_stop', index: blockIndex } };
    openBlock = undefined;
  };

  for await (const chunk of chunks) {
    if (!started) {
      started = true;
      yield {
        event: 'message_start',
        data: {
          type: 'message_start',
          message: {
            id: messageId(chunk.id || 'router'), type: 'message', role: 'assistant', model: start.model, content: [],
            stop_reason: null, stop_sequence: null, usage: { input_tokens: start.estimatedInputTokens, output_tokens: 0 },
          },
        },
      };
    }
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      const delta = choice.delta ?? {};
      if (typeof delta.content === 'string' && delta.content !== '') {
        if (openBlock?.kind !== 'text') {
          yield* close();
          blockIndex += 1;
          openBlock = { kind: 'text' };
          yield { event: 'content_block_start', data: { type: 'content_block_start', index: blockIndex, content_block: { type: 'text', text: '' } } };
        }
        yield { event: 'content_block_delta', data: { type: 'content_block_delta', index: blockIndex, delta: { type: 'text_delta', text: delta.content } } };
      }
      for (const call of delta.tool_calls ?? []) {
        if (!toolBlocks.has(call.index)) {
          yield* close();
          blockIndex += 1;
          toolBlocks.set(call.index, blockIndex);
          openBlock = { kind: 'tool', toolIndex: call.index };
          yield {
            event: 'content_block_start',
            data: { type: 'content_block_start', index: blockIndex, content_block: { type: 'tool_use', id: call.id ?? `toolu_${blockIndex}`, name: call.function?.name ?? '', input: {} } },
          };
        }
        const args = call.function?.arguments;
        // Arguments of an earlier call arriving after a later one started cannot be reordered in
        // Anthropic's stream (one open block at a time); OpenAI providers send them in order.
        if (typeof args === 'string' && args !== '' && toolBlocks.get(call.index) === blockIndex) {
          yield { event: 'content_block_delta', data: { type: 'content_block_delta', index: blockIndex, delta: { type: 'input_json_delta', partial_json: args } } };
        }
      }
      if (choice.finish_reason) finish = choice.finish_reason;
    }
  }
  if (!started) return;
  yield* close();
  const final = messagesUsage(usage);
  yield {
    event: 'message_delta',
    data: { type: 'message_delta', delta: { stop_reason: stopReason(finish) ?? 'end_turn', stop_sequence: null }, usage: final },
  };
  yield { event: 'message_stop', data: { type: 'message_stop' } };
}
