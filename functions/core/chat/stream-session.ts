// A routed stream: held until the first content token (so earlier failures can still fail over),
// rewritten to name the model that answered, and accounted for however it ends: complete, broken
// upstream, or abandoned by the client (the upstream iterator is then closed, so the provider call
// stops too).
import type { ResolvedModel } from '../catalog/catalog.ts';
import { ProviderError, RouterError } from '../shared/errors.ts';
import type { ChatCompletionChunk, ChatRequest, FinishReason, Usage } from './openai-types.ts';
import { abortEnding } from './types.ts';
import type { CallEnding, RoutedStream, RoutingOutcome } from './types.ts';
import { usageOrEstimate } from '../pricing/usage.ts';

export interface StreamSessionOptions {
  model: ResolvedModel;
  outcome: RoutingOutcome;
  /** The client asked for `stream_options.include_usage`. */
  includeUsage: boolean;
  prompt: ChatRequest;
  /** The call's abort signal: when it fired, an ending stream was cut by the client or the function's deadline. */
  signal?: AbortSignal;
  /** Records the call however it ended, once; returns its cost in USD. Must not throw. */
  onEnd(result: StreamResult, ending: CallEnding): Promise<number>;
}

/** What a stream delivered (all of it, or up to where it ended), for the cost record and the response cache. */
export interface StreamResult {
  usage: Usage;
  text: string;
  finishReason: FinishReason | null;
  /** Tool-call answers are not reassembled (and so not cached). */
  sawToolCalls: boolean;
  first: ChatCompletionChunk;
}

/** Raised when a stream breaks after the client has already received part of the answer. */
export class StreamInterruptedError extends RouterError {
  override name = 'StreamInterruptedError';
  constructor(message: string, cause?: unknown) {
    super(message, { status: 502, type: 'upstream_error', code: 'stream_interrupted', cause });
  }
}

function carriesOutput(chunk: ChatCompletionChunk): boolean {
  return chunk.choices.some((c) => Boolean(c.delta.content) || Boolean(c.delta.tool_calls?.length)
    || Boolean(c.delta.refusal) || c.finish_reason !== null);
}

/**
 * Pulls from the provider until a chunk carries output. Throws (so the caller fails over) if the
 * provider fails or ends first; otherwise returns a stream that replays the held chunks and continues.
 */
export async function openStream(source: AsyncIterable<ChatCompletionChunk>, options: StreamSessionOptions): Promise<RoutedStream> {
  const iterator = source[Symbol.asyncIterator]();
  const held: ChatCompletionChunk[] = [];
  for (;;) {
    const next = await iterator.next();
    if (next.done) {
      throw new ProviderError('stream ended before any output', {
        kind: 'malformed_response', providerId: options.model.provider, modelId: options.model.id,
      });
    }
    held.push(next.value);
    if (carriesOutput(next.value)) break;
  }

  let settle!: (cost: number) => void;
  let fail!: (error: unknown) => void;
  const cost = new Promise<number>((resolve, reject) => { settle = resolve; fail = reject; });
  cost.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection

  let usage: Usage | undefined;
  let text = '';
  let toolText = '';
  let finishReason: FinishReason | null = null;
  let started = false;
  let ended = false;
  /** Bills what was produced (the provider's usage when it arrived, else counted from the text). */
  const end = (ending: CallEnding): Promise<number> => {
    ended = true;
    const finalUsage = usageOrEstimate(usage, options.prompt, text + toolText);
    return options.onEnd({ usage: finalUsage, text, finishReason, sawToolCalls: toolText !== '', first: held[0]! }, ending);
  };
  /** Takes a chunk's usage, text and finish reason into account. */
  const absorb = (chunk: ChatCompletionChunk): void => {
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      text += choice.delta.content ?? '';
      toolText += (choice.delta.tool_calls ?? []).map((t) => (t.function?.name ?? '') + (t.function?.arguments ?? '')).join('');
      finishReason = choice.finish_reason ?? finishReason;
    }
  };
  // A relay closed before it ever ran (the client left between the first token and the response)
  // never reaches its own clean-up: the abort does it, once.
  options.signal?.addEventListener('abort', () => {
    if (started || ended) return;
    held.forEach(absorb);
    void end(abortEnding(options.signal) ?? 'client_disconnected').then(settle, fail);
    void Promise.resolve(iterator.return?.(undefined)).catch(() => undefined);
  }, { once: true });

  async function* relay(): AsyncGenerator<ChatCompletionChunk> {
    started = true;
    if (ended) return;
    const forward = function* (chunk: ChatCompletionChunk): Generator<ChatCompletionChunk> {
      absorb(chunk);
      const isUsageOnly = chunk.choices.length === 0;
      if (isUsageOnly && !options.includeUsage) return;
      const { usage: _usage, ...rest } = chunk;
      yield isUsageOnly ? { ...chunk, model: options.model.id } : { ...rest, model: options.model.id };
    };
    try {
      try {
        for (const chunk of held) yield* forward(chunk);
        for (;;) {
          const next = await iterator.next();
          if (next.done) break;
          yield* forward(next.value);
        }
      } catch (error) {
        const cut = abortEnding(options.signal);
        if (cut) {
          // The client left (or the function's deadline came): not the provider's fault.
          settle(await end(cut));
          throw error;
        }
        const reason = error instanceof Error ? error.message : String(error);
        await end('stream_broken');
        fail(error);
        throw new StreamInterruptedError(`The upstream stream from ${options.model.id} broke after output began: ${reason}`, error);
      }
      if (finishReason === null) {
        // Ended (for example without [DONE]) before any choice finished: a truncated answer, not a
        // complete one. With a finish_reason but no [DONE] the answer is whole and is finalised.
        const error = new ProviderError('stream ended without a finish_reason', {
          kind: 'stream_interrupted', providerId: options.model.provider, modelId: options.model.id,
        });
        await end('stream_broken');
        fail(error);
        throw new StreamInterruptedError(`The upstream stream from ${options.model.id} ended before the answer was finished.`, error);
      }
      settle(await end('complete'));
      if (options.includeUsage && !usage) {
        // The provider sent none: the client asked for usage, so it gets the router's estimate.
        yield { id: held[0]!.id, object: 'chat.completion.chunk', created: held[0]!.created, model: options.model.id, choices: [], usage: usageOrEstimate(usage, options.prompt, text + toolText) };
      }
    } finally {
      // Reached with the stream unfinished only when the consumer stopped pulling: the client left.
      if (!ended) settle(await end(abortEnding(options.signal) ?? 'client_disconnected'));
      // Closes the upstream iterator (and so the provider's HTTP stream) however the relay ended.
      await iterator.return?.(undefined)?.catch(() => undefined);
    }
  }

  return { outcome: options.outcome, chunks: relay(), cost };
}
