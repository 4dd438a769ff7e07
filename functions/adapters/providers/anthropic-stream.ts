// Turns Anthropic's named stream events into OpenAI chat.completion.chunk objects: a first chunk
// with the assistant role, text and tool-call deltas, a finish chunk, then a usage-only chunk
// (choices: []) the way OpenAI sends it with `include_usage`.
import type { ChatCompletionChunk, ChunkToolCallDelta, FinishReason } from '#core/chat/openai-types.ts';
import type { ProviderError } from '#core/shared/errors.ts';
import { finishReason, toUsage } from './anthropic-translate.ts';
import type { AnthropicUsage } from './anthropic-translate.ts';
import { failureFromErrorPayload, malformed } from './http-failure.ts';
import type { FailureContext } from './http-failure.ts';

type Delta = ChatCompletionChunk['choices'][number]['delta'];

interface StreamEvent {
  type?: string;
  index?: number;
  message?: { id?: string; model?: string; usage?: AnthropicUsage };
  content_block?: { type?: string; id?: string; name?: string; text?: string };
  delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: string | null };
  usage?: AnthropicUsage;
}

export class AnthropicStreamTranslator {
  private readonly ctx: FailureContext;
  private id = '';
  private model: string;
  private readonly created: number;
  private usage: AnthropicUsage = {};
  /** Anthropic content-block index -> OpenAI tool_calls index. */
  private readonly toolIndex = new Map<number, number>();
  private finish: FinishReason | null = null;

  constructor(ctx: FailureContext, model: string, created: number = Math.floor(Date.now() / 1000)) {
    this.ctx = ctx;
    this.model = model;
    this.created = created;
  }

  /** Chunks for one SSE event; throws ProviderError for `error` events and unreadable data. */
  accept(eventName: string | undefined, data: string): ChatCompletionChunk[] {
    let event: StreamEvent;
    try {
      event = JSON.parse(data) as StreamEvent;
    } catch (error) {
      throw malformed(this.ctx, `stream event is not JSON: ${data.slice(0, 200)}`, error);
    }
    if (!event || typeof event !== 'object') throw malformed(this.ctx, 'stream event is not an object');
    const type = event.type ?? eventName;
    switch (type) {
      case 'message_start':
        this.id = event.message?.id ?? this.id;
        this.model = event.message?.model ?? this.model;
        this.usage = { ...event.message?.usage };
        return [this.chunk({ role: 'assistant', content: '' })];
      case 'content_block_start':
        return this.blockStart(event);
      case 'content_block_delta':
        return this.blockDelta(event);
      case 'message_delta':
        // message_delta usage is cumulative and may restate input counts; later values win.
        for (const [key, value] of Object.entries(event.usage ?? {})) {
          if (typeof value === 'number') (this.usage as Record<string, number>)[key] = value;
        }
        this.finish = finishReason(event.delta?.stop_reason) ?? this.finish;
        return [this.chunk({}, this.finish ?? 'stop')];
      case 'message_stop':
        return [{ ...this.chunk({}), choices: [], usage: toUsage(this.usage) }];
      case 'error':
        throw this.failure(event);
      default:
        // ping, content_block_stop and event types added later carry nothing for OpenAI clients.
        return [];
    }
  }

  private blockStart(event: StreamEvent): ChatCompletionChunk[] {
    const block = event.content_block;
    if (block?.type === 'tool_use') {
      const index = this.toolIndex.size;
      this.toolIndex.set(event.index ?? 0, index);
      const call: ChunkToolCallDelta = { index, id: block.id, type: 'function', function: { name: block.name, arguments: '' } };
      return [this.chunk({ tool_calls: [call] })];
    }
    if (block?.type === 'text' && block.text) return [this.chunk({ content: block.text })];
    return [];
  }

  private blockDelta(event: StreamEvent): ChatCompletionChunk[] {
    const delta = event.delta;
    if (delta?.type === 'text_delta' && typeof delta.text === 'string') return [this.chunk({ content: delta.text })];
    if (delta?.type === 'input_json_delta' && typeof delta.partial_json === 'string') {
      const index = this.toolIndex.get(event.index ?? 0);
      if (index === undefined) throw malformed(this.ctx, `input_json_delta for unknown block ${event.index}`);
      if (delta.partial_json === '') return [];
      return [this.chunk({ tool_calls: [{ index, function: { arguments: delta.partial_json } }] })];
    }
    // thinking_delta / signature_delta / citations_delta: not part of the OpenAI answer.
    return [];
  }

  private failure(event: StreamEvent): ProviderError {
    return failureFromErrorPayload(this.ctx, event) ?? malformed(this.ctx, 'error event without details');
  }

  private chunk(delta: Delta, finish: FinishReason | null = null): ChatCompletionChunk {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    };
  }
}
