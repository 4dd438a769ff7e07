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
  /** Told when the stream broke after output began (not by the client): the break counts against this model. */
  onBroken?: () => void;
  /**
   * Asked, when the stream broke after output began, for a stream that continues the answer from
   * what the client already has; undefined when none can (the break is then reported).
   */
  resume?: (broken: BrokenStream) => Promise<RoutedStream | undefined>;
}

/** What a broken stream delivered before it broke. */
export interface BrokenStream {
  /** The answer text the client received. */
  delivered: string;
  /** Tool-call deltas were in flight: never spliced onto another model's. */
  sawToolCalls: boolean;
  /** More than one choice was being streamed. */
  multipleChoices: boolean;
  /** The first attempt's usage (the provider's, else counted), for the summed usage chunk. */
  usage: Usage;
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

type Choice = ChatCompletionChunk['choices'][number];

function carriesOutput(chunk: ChatCompletionChunk): boolean {
  return chunk.choices.some(choiceCarriesOutput);
}

function choiceCarriesOutput(c: Choice): boolean {
  return Boolean(c.delta.content) || Boolean(c.delta.tool_calls?.length) || Boolean(c.delta.refusal) || c.finish_reason !== null;
}

/**
 * A continuation's chunk as part of the broken stream: the first attempt's id and creation time, no
 * second `role` delta, and (the final usage chunk) both attempts' usage summed. `model` stays the
 * continuing model's.
 */
function asContinuation(chunk: ChatCompletionChunk, first: ChatCompletionChunk, firstUsage: Usage): ChatCompletionChunk {
  const choices = chunk.choices.map((c) => {
    const { role: _role, ...delta } = c.delta;
    return { ...c, delta };
  });
  const out: ChatCompletionChunk = { ...chunk, id: first.id, created: first.created, choices };
  if (chunk.usage) out.usage = sumUsage(firstUsage, chunk.usage);
  return out;
}

function sumUsage(a: Usage, b: Usage): Usage {
  const sum: Usage = { prompt_tokens: a.prompt_tokens + b.prompt_tokens, completion_tokens: a.completion_tokens + b.completion_tokens, total_tokens: a.total_tokens + b.total_tokens };
  const cached = (a.prompt_tokens_details?.cached_tokens ?? 0) + (b.prompt_tokens_details?.cached_tokens ?? 0);
  if (a.prompt_tokens_details || b.prompt_tokens_details) sum.prompt_tokens_details = { cached_tokens: cached };
  const reasoning = (a.completion_tokens_details?.reasoning_tokens ?? 0) + (b.completion_tokens_details?.reasoning_tokens ?? 0);
  if (a.completion_tokens_details || b.completion_tokens_details) sum.completion_tokens_details = { reasoning_tokens: reasoning };
  return sum;
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
  let multipleChoices = false;
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
      if (choice.index !== 0) multipleChoices = true;
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

  /**
   * The stream broke after output began: billed as broken, then continued on another candidate when
   * one can (its chunks relayed as this stream's), else reported as the original break.
   */
  async function* broke(error: unknown, message: string): AsyncGenerator<ChatCompletionChunk> {
    const firstUsage = usageOrEstimate(usage, options.prompt, text + toolText);
    const firstCost = await end('stream_broken');
    options.onBroken?.();
    await Promise.resolve(iterator.return?.(undefined)).catch(() => undefined);
    const next = options.resume
      ? await options.resume({ delivered: text, sawToolCalls: toolText !== '', multipleChoices, usage: firstUsage }).catch(() => undefined)
      : undefined;
    if (!next) {
      fail(error);
      throw new StreamInterruptedError(message, error);
    }
    // The call costs both attempts; the continuation's cost settles however its relay ends.
    next.cost.then((c) => settle(firstCost + c), fail);
    for await (const chunk of next.chunks) {
      const spliced = asContinuation(chunk, held[0]!, firstUsage);
      if (spliced.choices.length === 0 ? options.includeUsage : carriesOutput(spliced)) yield spliced;
    }
  }

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
        yield* broke(error, `The upstream stream from ${options.model.id} broke after output began: ${reason}`);
        return;
      }
      if (finishReason === null) {
        // Ended (for example without [DONE]) before any choice finished: a truncated answer, not a
        // complete one. With a finish_reason but no [DONE] the answer is whole and is finalised.
        const error = new ProviderError('stream ended without a finish_reason', {
          kind: 'stream_interrupted', providerId: options.model.provider, modelId: options.model.id,
        });
        yield* broke(error, `The upstream stream from ${options.model.id} ended before the answer was finished.`);
        return;
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
