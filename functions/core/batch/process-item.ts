// The batch worker's use case: one delivery of one queue message. Each delivery makes at most one
// provider attempt, moving one step down the fallback plan per redelivery (receive count 1 tries the
// first candidate, 2 the second, ...). The item record makes redeliveries harmless: a finished item
// is never called or billed again, and its result is written once.
import { decodeBatchMessage } from '#contracts/batch-message.ts';
import type { BatchMessage } from '#contracts/batch-message.ts';
import type { JobQueue, JobStore, NewItem, NewJob } from './ports.ts';
import { parameterPolicy, parseChatRequest } from '../chat/chat-request-schema.ts';
import type { RouteConfig } from '../catalog/catalog-schema.ts';
import type { ChatService } from '../chat/chat-service.ts';
import type { ChatCallContext, AttemptWindow } from '../chat/types.ts';
import type { EmbeddingService } from '../embeddings/embedding-service.ts';
import { parseEmbeddingsRequest } from '../embeddings/embeddings-request-schema.ts';
import { embeddingsResponse } from '../embeddings/encode.ts';
import { InvalidRequestError, NoRouteError, RateLimitError, RouterError, ServiceUnavailableError } from '../shared/errors.ts';
import { BudgetExceededError } from '../budget/budget.ts';
import { UpstreamFailureError } from '../failover/attempt-failure.ts';
import type { Clock } from '../shared/clock.ts';
import { COMPLETION_WINDOW, itemRequestId, pastDeadline } from './job-model.ts';
import type { ItemError, ItemKey, ItemResponse, JobRecord } from './job-model.ts';

export interface Delivery {
  messageId: string;
  receiptHandle: string;
  /** SQS ApproximateReceiveCount: 1 on the first delivery. */
  receiveCount: number;
  body: string;
  /** SQS SentTimestamp (epoch ms): the same on every delivery of the message. */
  sentAtMs?: number;
}

/**
 * `done`: delete the message (answered, failed for good, cancelled, duplicate, or poison).
 * `retry`: report an item failure; its visibility was set to the retry delay.
 * `dead`: last allowed delivery failed; reported as a failure so SQS moves it to the DLQ.
 */
export type DeliveryOutcome = 'done' | 'retry' | 'dead';

export interface BatchProcessorDeps {
  chat: Pick<ChatService, 'complete'>;
  /** Runs items whose message has `endpoint: "/v1/embeddings"`; without it they fail (400). */
  embeddings?: Pick<EmbeddingService, 'embed'>;
  jobs: JobStore;
  queue: Pick<JobQueue, 'changeVisibility'>;
  clock: Clock;
  /** The queue's redrive maxReceiveCount. */
  maxReceiveCount: number;
  retryDelaySeconds(receiveCount: number): number;
  /** The catalog's routes: their `allowParameters` let extra request parameters through, as at submission. */
  routes?: Readonly<Record<string, RouteConfig>>;
  log?(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>): void;
}

/** One provider attempt of an item, within the plan window of its delivery. */
type Call = (ctx: ChatCallContext, window: AttemptWindow) => Promise<Omit<ItemResponse, 'requestId' | 'attempts'>>;

/**
 * The shortest visibility the worker sets. SQS takes 0 as "visible now", but fauxqs with a data
 * directory loses a message changed to 0; one second costs nothing.
 */
export const MIN_VISIBILITY_SECONDS = 1;

/** Reads each job once per worker invocation (a batch of records is mostly one job). */
export type JobCache = Map<string, Promise<JobRecord | undefined>>;

export class BatchItemProcessor {
  private readonly deps: BatchProcessorDeps;

  constructor(deps: BatchProcessorDeps) {
    this.deps = deps;
  }

  async process(delivery: Delivery, jobs: JobCache = new Map()): Promise<DeliveryOutcome> {
    const { clock, log } = this.deps;
    const decoded = decodeBatchMessage(delivery.body);
    if (!decoded.ok) {
      // Poison: retrying cannot fix it. Record the failure when the item can be named, then delete.
      log?.('error', 'invalid batch message', { messageId: delivery.messageId, reason: decoded.reason });
      if (decoded.identity) {
        const { jobId, itemId, tenantId, keyId, customId } = decoded.identity;
        await this.deps.jobs.ensureItem(newJob({ jobId, tenantId, keyId }, clock.now()), { itemId, customId });
        await this.deps.jobs.finish({ tenantId, jobId, itemId }, { state: 'failed', error: { code: 'invalid_message', message: decoded.reason, status: 400 } }, undefined, clock.now());
      }
      return 'done';
    }
    const message = decoded.message;
    const key: ItemKey = { tenantId: message.tenantId, jobId: message.jobId, itemId: message.itemId };
    const cacheKey = `${message.tenantId}/${message.jobId}`;
    if (!jobs.has(cacheKey)) jobs.set(cacheKey, this.deps.jobs.getJob(message.tenantId, message.jobId));
    const job = await jobs.get(cacheKey);
    if (job?.cancelRequested) {
      await this.deps.jobs.ensureItem(newJob(message, clock.now()), itemOf(message));
      await this.deps.jobs.finish(key, { state: 'cancelled', error: { code: 'batch_cancelled', message: 'The batch was cancelled before this item ran.' } }, undefined, clock.now());
      return 'done';
    }

    let call: Call;
    try {
      call = this.callFor(message);
    } catch (error) {
      await this.deps.jobs.ensureItem(newJob(message, clock.now()), itemOf(message));
      await this.deps.jobs.finish(key, { state: 'failed', error: errorOf(error) }, undefined, clock.now());
      return 'done';
    }

    const claim = `${delivery.messageId}#${delivery.receiveCount}`;
    let claimed = await this.deps.jobs.claim(key, claim, clock.now());
    if (claimed.kind === 'missing') {
      await this.deps.jobs.ensureItem(newJob(message, clock.now()), itemOf(message));
      claimed = await this.deps.jobs.claim(key, claim, clock.now());
    }
    if (claimed.kind !== 'claimed') return 'done';
    // Claimed before the deadline check, so no reader can expire it under a provider call.
    if (job && pastDeadline(job, clock.now())) {
      await this.deps.jobs.expire(key, claim, clock.now());
      return 'done';
    }

    const requestId = itemRequestId(message.jobId, message.itemId);
    // The cost record's key is the item (job + item) and this stable time, so a delivery that runs
    // again after a crash finds the first one's record and the item is billed once. The item's own
    // creation time, not the message's: a message re-sent at a local restart or by redrive-dlq is new.
    const startedAt = claimed.item.createdAt ?? delivery.sentAtMs ?? job?.createdAt;
    let answer: Awaited<ReturnType<Call>>;
    try {
      answer = await call(
        { principal: { tenantId: message.tenantId, keyId: message.keyId }, requestId, hints: message.hints ?? {}, ...(startedAt !== undefined ? { startedAt } : {}) },
        { startAt: Math.max(0, delivery.receiveCount - 1), maxAttempts: 1 },
      );
    } catch (error) {
      return this.failed(key, claim, delivery, error);
    }
    await this.deps.jobs.finish(key, {
      state: 'completed',
      response: { requestId, ...answer, attempts: delivery.receiveCount },
    }, claim, clock.now());
    return 'done';
  }

  /** The item's call, from its validated request: chat completions, or embeddings when the message says so. */
  private callFor(message: BatchMessage): Call {
    if (message.endpoint === '/v1/embeddings') {
      const request = parseEmbeddingsRequest(message.request);
      const embeddings = this.deps.embeddings;
      if (!embeddings) throw new InvalidRequestError('This worker does not run embeddings items.', 'endpoint', 'unsupported_endpoint');
      return async (ctx, window) => {
        const routed = await embeddings.embed(request, ctx, window);
        const body = embeddingsResponse(routed.vectors, routed.modelId, routed.promptTokens, request.encoding_format ?? 'float');
        return { body, modelId: routed.outcome.modelId, providerId: routed.outcome.providerId, costUsd: routed.costUsd };
      };
    }
    const request = parseChatRequest(message.request, parameterPolicy(this.deps.routes, message.request));
    return async (ctx, window) => {
      const routed = await this.deps.chat.complete(request, ctx, window);
      return { body: routed.completion, modelId: routed.outcome.modelId, providerId: routed.outcome.providerId, costUsd: routed.costUsd };
    };
  }

  private async failed(key: ItemKey, claim: string, delivery: Delivery, error: unknown): Promise<DeliveryOutcome> {
    const { clock, log } = this.deps;
    const itemError = errorOf(error);
    if (!retryable(error)) {
      await this.deps.jobs.finish(key, { state: 'failed', error: itemError }, claim, clock.now());
      return 'done';
    }
    if (delivery.receiveCount >= this.deps.maxReceiveCount) {
      const final = { ...itemError, message: `Failed after ${delivery.receiveCount} deliveries; last: ${itemError.message}` };
      await this.deps.jobs.finish(key, { state: 'failed', error: final, deadLetter: true }, claim, clock.now());
      // Visible again almost at once, so the next receive moves it to the DLQ.
      await this.deps.queue.changeVisibility(delivery.receiptHandle, MIN_VISIBILITY_SECONDS);
      log?.('warn', 'batch item dead-lettered', { jobId: key.jobId, itemId: key.itemId, code: itemError.code });
      return 'dead';
    }
    await this.deps.jobs.noteRetry(key, claim, itemError, clock.now());
    await this.deps.queue.changeVisibility(delivery.receiptHandle, this.retryDelay(delivery.receiveCount));
    return 'retry';
  }

  /** After storage or queue trouble: the delivery is retried later (or, on the last one, dead-lettered). */
  async releaseAfterError(delivery: Pick<Delivery, 'receiptHandle' | 'receiveCount'>): Promise<void> {
    const delay = delivery.receiveCount >= this.deps.maxReceiveCount ? MIN_VISIBILITY_SECONDS : this.retryDelay(delivery.receiveCount);
    await this.deps.queue.changeVisibility(delivery.receiptHandle, delay);
  }

  private retryDelay(receiveCount: number): number {
    return Math.max(MIN_VISIBILITY_SECONDS, this.deps.retryDelaySeconds(receiveCount));
  }
}

/**
 * Whether a later delivery may still answer the item, decided from the failover classification:
 * provider failures of class `transient` or `deployment` are retried on the next candidate; `refused`
 * and `too_long` are not (a later delivery walks the plan without the larger-window filter). A plan
 * emptied only by provider health may have a route later; a spent budget may be raised (a 429); any
 * other router error is the request's own fault; anything else (storage) is retried.
 */
export function retryable(error: unknown): boolean {
  if (error instanceof UpstreamFailureError) {
    const kind = error.lastClass;
    return kind === undefined || kind === 'transient' || kind === 'deployment';
  }
  if (error instanceof NoRouteError) return error.reasons.includes('unavailable');
  // Health rules every fitting model out right now, or the tenant's plan limit is reached: both pass.
  if (error instanceof ServiceUnavailableError || error instanceof RateLimitError) return true;
  if (error instanceof BudgetExceededError) return true;
  if (error instanceof RouterError) return false;
  return true;
}

function errorOf(error: unknown): ItemError {
  if (error instanceof RouterError) return { code: error.code ?? error.type, message: error.message, status: error.status };
  return { code: 'internal_error', message: 'The worker failed unexpectedly.', status: 500 };
}

function itemOf(message: BatchMessage): NewItem {
  return { itemId: message.itemId, customId: message.customId };
}

function newJob(owner: { jobId: string; tenantId: string; keyId: string; endpoint?: string | undefined }, now: number): NewJob {
  return {
    jobId: owner.jobId, tenantId: owner.tenantId, keyId: owner.keyId, endpoint: owner.endpoint ?? '/v1/chat/completions',
    completionWindow: COMPLETION_WINDOW, metadata: {}, createdAt: now,
  };
}
