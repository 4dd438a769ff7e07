// What a streaming handler's call needs from the invocation around it, besides the event:
// - why its work should stop early: the client hung up (the response stream closed before it
//   finished) or the function is about to reach its timeout. The wrapper is the only place that sees
//   the response stream; it hands the call an AbortSignal whose reason (a CallAborted) the core turns
//   into the cost record's ending;
// - where to put work that must not delay the answer (cost records, budget settlement, cache store):
//   `defer` registers it, and the wrapper awaits all of it after the inner handler returned, that is
//   after the response stream ended, before the invocation's promise resolves. Lambda keeps running
//   (and billing) the invocation until then; the caller already has its last byte.
import type { Writable } from 'node:stream';
import type { Context } from 'aws-lambda';
import { CallAborted } from '#core/chat/types.ts';
import type { DeferWork } from '#core/chat/types.ts';

export type StreamingHandler<E> = (event: E, responseStream: Writable, context: Context) => Promise<unknown>;

declare const awslambda: { streamifyResponse<E>(handler: StreamingHandler<E>): StreamingHandler<E> };

/** Time left before the function's timeout at which a call in flight is cut and billed. */
export const DEADLINE_MARGIN_MS = 1_500;

/** The parts of a chat call context the invocation provides. */
export interface CallHooks {
  signal?: AbortSignal;
  defer?: DeferWork;
}

const hooks = new WeakMap<Context, Required<CallHooks>>();

/** The reason a call still running after its response ended is cut with; one instance (an Error's stack costs CPU per request). */
const RESPONSE_OVER = new CallAborted('client_disconnected');

/** The signal of the invocation `context` belongs to; undefined outside `withCallSignal`. */
export function callSignal(context: Context): AbortSignal | undefined {
  return hooks.get(context)?.signal;
}

/** The abort signal and the after-response registry of the invocation; empty outside `withCallSignal`. */
export function callHooks(context: Context): CallHooks {
  return hooks.get(context) ?? {};
}

/** Work deferred past the response: held until `start`, then run; never rejects (each piece reports its own failures). */
export class AfterResponse {
  readonly #running = new Set<Promise<unknown>>();
  /** Work registered before the response ended; undefined once started. */
  #queued: Array<() => Promise<unknown>> | undefined = [];

  readonly defer: DeferWork = (work) => {
    if (this.#queued) this.#queued.push(work);
    else this.#run(work);
  };

  get pending(): number {
    return this.#running.size + (this.#queued?.length ?? 0);
  }

  /** The response ended: starts what was registered, and from now on work as it is registered. */
  start(): void {
    const queued = this.#queued ?? [];
    this.#queued = undefined;
    for (const work of queued) this.#run(work);
  }

  /** Starts the work and resolves once everything registered, also while waiting, has settled. */
  async drain(): Promise<void> {
    this.start();
    while (this.#running.size > 0) await Promise.all([...this.#running]);
  }

  #run(work: () => Promise<unknown>): void {
    let started: Promise<unknown>;
    try {
      started = work();
    } catch (error) {
      started = Promise.reject(error);
    }
    const settled = started.then(() => undefined, () => undefined);
    this.#running.add(settled);
    void settled.then(() => this.#running.delete(settled));
  }
}

/**
 * Node never calls `end(callback)`'s callback on a stream that was already destroyed, and middy
 * awaits that callback after writing a response. A client that left before the response began (an
 * error answer written to its closed stream) would keep the invocation running, and billed, until
 * the function's timeout. Here such an `end` calls back at once.
 */
function endsWhenDestroyed(stream: Writable): void {
  const end = stream.end.bind(stream) as (...args: unknown[]) => Writable;
  stream.end = ((...args: unknown[]) => {
    const callback = args.find((a): a is () => void => typeof a === 'function');
    if (stream.destroyed && callback) {
      queueMicrotask(callback);
      return stream;
    }
    return end(...args);
  }) as Writable['end'];
}

/**
 * Wraps a streaming handler (a middy streamify handler) so `callSignal(context)` and
 * `callHooks(context)` work inside it, and deferred work finishes inside the invocation.
 */
export function withCallSignal<E>(inner: StreamingHandler<E>, marginMs = DEADLINE_MARGIN_MS): StreamingHandler<E> {
  return awslambda.streamifyResponse(async (event: E, responseStream: Writable, context: Context) => {
    const controller = new AbortController();
    const after = new AfterResponse();
    const clientGone = (): void => {
      if (!responseStream.writableFinished) controller.abort(new CallAborted('client_disconnected'));
    };
    responseStream.once('close', clientGone);
    responseStream.once('error', clientGone);
    const remaining = context.getRemainingTimeInMillis?.();
    const timer = remaining === undefined ? undefined
      : setTimeout(() => controller.abort(new CallAborted('function_timeout')), Math.max(0, remaining - marginMs));
    hooks.set(context, { signal: controller.signal, defer: after.defer });
    endsWhenDestroyed(responseStream);
    try {
      return await inner(event, responseStream, context);
    } finally {
      // The handler returned once its response stream ended: the deferred work may begin.
      after.start();
      if (after.pending > 0) {
        // The response is over: a routed stream nobody will read any more (the handler failed after
        // routing it) is ended now and billed as the client's, so its bookkeeping can finish.
        if (!controller.signal.aborted) controller.abort(RESPONSE_OVER);
        await after.drain();
      }
      clearTimeout(timer);
      responseStream.off('close', clientGone);
      responseStream.off('error', clientGone);
    }
  });
}
