// Bounds the silent stretches of a provider stream: time to the first output chunk
// (`firstTokenTimeoutMs`, from the call start) and silence between chunks (`idleTimeoutMs`). When a
// bound is hit the upstream call is aborted and the stream fails with a ProviderError: kind
// 'timeout' while no output has been seen (the router fails over), 'stream_interrupted' after.
import { ProviderError } from '#core/shared/errors.ts';
import type { ChatCompletionChunk } from '#core/chat/openai-types.ts';
import type { ProviderCallOptions } from '#core/chat/ports.ts';
import { followAbort } from './follow-abort.ts';
import type { FailureContext } from './http-failure.ts';

/** Silence between chunks tolerated when the caller sets no `idleTimeoutMs`. */
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 30_000;

function carriesOutput(chunk: ChatCompletionChunk): boolean {
  return chunk.choices.some((c) => Boolean(c.delta.content) || Boolean(c.delta.tool_calls?.length)
    || Boolean(c.delta.refusal) || c.finish_reason !== null);
}

/**
 * Runs `open(options)` with a signal the watchdog can abort, and relays its chunks while enforcing
 * the time bounds. `open` gets the caller's options with that signal merged in.
 */
export async function* watchStream(
  ctx: FailureContext,
  options: ProviderCallOptions | undefined,
  open: (options: ProviderCallOptions) => AsyncGenerator<ChatCompletionChunk, void, undefined>,
): AsyncGenerator<ChatCompletionChunk, void, undefined> {
  const stall = new AbortController();
  // The caller's abort reaches the stream through `stall` (not AbortSignal.any: see follow-abort.ts).
  followAbort(options?.signal, stall);
  const signal = stall.signal;
  const started = Date.now();
  const idleMs = options?.idleTimeoutMs ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS;
  const firstMs = options?.firstTokenTimeoutMs;
  let sawOutput = false;
  let fired: string | undefined;
  const inner = open({ ...options, signal });
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    let wait = idleMs;
    let why = `no stream data for ${idleMs} ms`;
    if (!sawOutput && firstMs !== undefined) {
      const left = started + firstMs - Date.now();
      if (left < wait) {
        wait = Math.max(0, left);
        why = `no first token within ${firstMs} ms`;
      }
    }
    timer = setTimeout(() => {
      fired = why;
      stall.abort(new DOMException(why, 'TimeoutError'));
    }, wait);
  };
  try {
    for (;;) {
      arm();
      let next: IteratorResult<ChatCompletionChunk, void>;
      try {
        next = await inner.next();
      } catch (error) {
        if (fired === undefined) throw error;
        throw new ProviderError(`${ctx.providerId} stream stalled: ${fired}`, {
          kind: sawOutput ? 'stream_interrupted' : 'timeout',
          providerId: ctx.providerId,
          modelId: ctx.modelId,
          cause: error,
        });
      }
      clearTimeout(timer);
      if (next.done) return;
      if (carriesOutput(next.value)) sawOutput = true;
      yield next.value;
    }
  } finally {
    clearTimeout(timer);
    await inner.return(undefined).catch(() => undefined);
  }
}
