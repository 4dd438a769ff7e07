// Types the chat feature's parts share (service, attempt runner, bookkeeping, stream session), in a
// file of their own so none of those imports another just for a type.
import type { ResolvedModel } from '../catalog/catalog.ts';
import type { AttemptFailure } from '../failover/attempt-failure.ts';
import type { Principal } from '../auth/ports.ts';
import type { CacheMode } from '../cache/ports.ts';
import type { RoutingHints } from '../routing/hints.ts';
import type { ChatCompletion, ChatCompletionChunk } from './openai-types.ts';

export interface ChatCallContext {
  principal: Principal;
  requestId: string;
  hints: RoutingHints;
  cacheMode?: CacheMode;
  /** Aborts the call; its reason (a CallAborted) says why: the client left or the function is timing out. */
  signal?: AbortSignal;
  /**
   * Epoch ms the request began, stable across retries and redeliveries of the same request (batch:
   * the message's enqueue time). Part of the cost records' key; the call's start when unset.
   */
  startedAt?: number;
  /**
   * Takes bookkeeping that need not delay the answer (cost records, budget settlement, cache store)
   * off the response path: whoever runs the call awaits it before its invocation ends. Unset: the
   * call awaits its bookkeeping before it returns (the batch worker, which deletes a message only
   * once its records are written).
   */
  defer?: DeferWork;
}

/**
 * Registers work that starts once the response ended (at once when it already has) and is awaited
 * before the invocation ends; the work reports its own failures and never rejects. A function, not a
 * promise: work started before the response would spend the response's time (signing, marshalling,
 * a socket write) ahead of its last byte.
 */
export type DeferWork = (work: () => Promise<unknown>) => void;

/** Hands `work` to `defer` (it starts once the response ended) when the call has one, else runs it now; resolves once it is handed over or done. */
export async function afterResponse(defer: DeferWork | undefined, work: () => Promise<unknown>): Promise<void> {
  if (defer) defer(work);
  else await work();
}

/** How one provider attempt ended; every attempt that started gets one cost record with its ending. */
export type CallEnding =
  | 'complete'
  /** The client went away; the prompt and the output produced so far are billed. */
  | 'client_disconnected'
  /** The upstream stream broke after output began; the prompt and the output produced are billed. */
  | 'stream_broken'
  /** The provider did not answer (or went silent) in time; the prompt is billed. */
  | 'timeout'
  /** The provider refused or failed, and the router retried or moved on; nothing is billed. */
  | 'failed_over'
  /** The provider refused or failed and it was the last attempt; nothing is billed. */
  | 'failed'
  /** The function was about to time out, so the router cut the call; prompt and output so far are billed. */
  | 'function_timeout';

/** The reason a handler aborts a call with, so the core can tell which ending it was. */
export class CallAborted extends Error {
  override name = 'CallAborted';
  readonly ending: 'client_disconnected' | 'function_timeout';
  constructor(ending: 'client_disconnected' | 'function_timeout') {
    super(ending === 'client_disconnected' ? 'the client disconnected' : 'the function is about to time out');
    this.ending = ending;
  }
}

/** The ending an aborted signal stands for; undefined while it has not fired. */
export function abortEnding(signal: AbortSignal | undefined): 'client_disconnected' | 'function_timeout' | undefined {
  if (!signal?.aborted) return undefined;
  return signal.reason instanceof CallAborted ? signal.reason.ending : 'client_disconnected';
}

export type CacheStatus = 'hit' | 'semantic-hit' | 'miss' | 'bypass' | 'refresh';

/** What the router decided and how it went; becomes the `x-router-*` response headers. */
export interface RoutingOutcome {
  modelId: string;
  providerId: string;
  strategy: string;
  attempts: number;
  failures: AttemptFailure[];
  cache: CacheStatus;
  /** Task type routing used (header, route or detected): `x-router-task`. */
  task?: string;
  /** Why the first candidate was chosen (learned strategy): `x-router-decision`, and in the cost record. */
  decision?: string;
  /** The upstream max_tokens the router imposed because the budget's free headroom was small. */
  maxTokensCap?: number;
  /** On a cache hit: the request whose answer was reused, and (semantic hits) the prompts' similarity. */
  cacheSource?: { requestId?: string | undefined; similarity?: number | undefined };
}

/** Narrows which part of the fallback plan a call may use (batch retries walk down the plan). */
export interface AttemptWindow {
  /** Index in the plan of the first candidate to try; wraps around the plan. Default 0. */
  startAt?: number;
  /** How many candidates to try at most. Default: the whole plan. */
  maxAttempts?: number;
}

export interface RoutedCompletion {
  completion: ChatCompletion;
  outcome: RoutingOutcome;
  costUsd: number;
}

export interface RoutedStream {
  outcome: RoutingOutcome;
  /** OpenAI chunks for the client. Throws a RouterError when the stream breaks after output began. */
  chunks: AsyncIterable<ChatCompletionChunk>;
  /** Settles with the recorded cost once `chunks` has been fully consumed. */
  cost: Promise<number>;
}

/** The outcome of an attempt on `model` after the given earlier failures. */
export function outcomeOf(
  model: ResolvedModel, strategy: string, failures: AttemptFailure[], cache: CacheStatus, notes: Pick<RoutingOutcome, 'task' | 'decision'> = {},
): RoutingOutcome {
  return { modelId: model.id, providerId: model.provider, strategy, attempts: failures.length + 1, failures: [...failures], cache, ...notes };
}
