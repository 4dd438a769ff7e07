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
  signal?: AbortSignal;
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
export function outcomeOf(model: ResolvedModel, strategy: string, failures: AttemptFailure[], cache: CacheStatus): RoutingOutcome {
  return { modelId: model.id, providerId: model.provider, strategy, attempts: failures.length + 1, failures: [...failures], cache };
}
