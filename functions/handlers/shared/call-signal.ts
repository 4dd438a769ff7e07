// Why a streaming handler's work should stop early: the client hung up (the response stream closed
// before it finished) or the function is about to reach its timeout. Wraps the streaming handler,
// which is the only place that sees the response stream, and hands the inner handler an AbortSignal
// whose reason (a CallAborted) the core turns into the cost record's ending.
import type { Writable } from 'node:stream';
import type { Context } from 'aws-lambda';
import { CallAborted } from '#core/chat/types.ts';

export type StreamingHandler<E> = (event: E, responseStream: Writable, context: Context) => Promise<unknown>;

declare const awslambda: { streamifyResponse<E>(handler: StreamingHandler<E>): StreamingHandler<E> };

/** Time left before the function's timeout at which a call in flight is cut and billed. */
export const DEADLINE_MARGIN_MS = 1_500;

const signals = new WeakMap<Context, AbortSignal>();

/** The signal of the invocation `context` belongs to; undefined outside `withCallSignal`. */
export function callSignal(context: Context): AbortSignal | undefined {
  return signals.get(context);
}

/** Wraps a streaming handler (a middy streamify handler) so `callSignal(context)` works inside it. */
export function withCallSignal<E>(inner: StreamingHandler<E>, marginMs = DEADLINE_MARGIN_MS): StreamingHandler<E> {
  return awslambda.streamifyResponse(async (event: E, responseStream: Writable, context: Context) => {
    const controller = new AbortController();
    const clientGone = (): void => {
      if (!responseStream.writableFinished) controller.abort(new CallAborted('client_disconnected'));
    };
    responseStream.once('close', clientGone);
    responseStream.once('error', clientGone);
    const remaining = context.getRemainingTimeInMillis?.();
    const timer = remaining === undefined ? undefined
      : setTimeout(() => controller.abort(new CallAborted('function_timeout')), Math.max(0, remaining - marginMs));
    signals.set(context, controller.signal);
    try {
      return await inner(event, responseStream, context);
    } finally {
      clearTimeout(timer);
      responseStream.off('close', clientGone);
      responseStream.off('error', clientGone);
    }
  });
}
