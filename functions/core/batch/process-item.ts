// The batch worker's use case: one delivery of one queue message. Each delivery makes at most one
// provider attempt, moving one step down the fallback plan per redelivery (receive count 1 tries the
// first candidate, 2 the second, ...). The item record makes redeliveries harmless: a finished item
// is never called or billed again, and its result is written once.
import { decodeBatchMessage } from '#contracts/batch-message.ts';
import type { BatchMessage } from '#contracts/batch-message.ts';
import type { JobQueue, JobStore, NewItem, NewJob } from './ports.ts';
import { parseChatRequest } from '../chat/chat-request-schema.ts';
import type { ChatService } from '../chat/chat-service.ts';
import { NoRouteError, RouterError } from '../shared/errors.ts';
import type { Clock } from '../shared/clock.ts';
import { COMPLETION_WINDOW, itemRequestId } from './job-model.ts';
import type { ItemError, ItemKey, JobRecord } from './job-model.ts';

export interface Delivery {
  messageId: string;
  receiptHandle: string;
  /** SQS ApproximateReceiveCount: 1 on the first delivery. */
  receiveCount: number;
  body: string;
}

/**
 * `done`: delete the message (answered, failed for good, cancelled, duplicate, or poison).
 * `retry`: report an item failure; its visibility was set to the retry delay.
 * `dead`: last allowed delivery failed; reported as a failure so SQS moves it to the DLQ.
 */
export type DeliveryOutcome = 'done' | 'retry' | 'dead';

export interface BatchProcessorDeps {
  chat: Pick<ChatService, 'complete'>;
  jobs: JobStore;
  queue: Pick<JobQueue, 'changeVisibility'>;
  clock: Clock;
  /** The queue's redrive maxReceiveCount. */
  maxReceiveCount: number;
  retryDelaySeconds(receiveCount: number): number;
  log?(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>): void;
}

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

    let request;
    try {
      request = parseChatRequest(message.request);
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

    const requestId = itemRequestId(message.jobId, message.itemId);
    let routed;
    try {
      routed = await this.deps.chat.complete(
        request,
        { principal: { tenantId: message.tenantId, keyId: message.keyId }, requestId, hints: message.hints ?? {} },
        { startAt: Math.max(0, delivery.receiveCount - 1), maxAttempts: 1 },
      );
    } catch (error) {
      return this.failed(key, claim, delivery, error);
    }
    await this.deps.jobs.finish(key, {
      state: 'completed',
      response: {
        requestId, body: routed.completion, modelId: routed.outcome.modelId, providerId: routed.outcome.providerId,
        attempts: delivery.receiveCount, costUsd: routed.costUsd,
      },
    }, claim, clock.now());
    return 'done';
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
      await this.deps.jobs.finish(key, { state: 'failed', error: final }, claim, clock.now());
      // Visible at once, so the next receive moves it to the DLQ.
      await this.deps.queue.changeVisibility(delivery.receiptHandle, 0);
      log?.('warn', 'batch item dead-lettered', { jobId: key.jobId, itemId: key.itemId, code: itemError.code });
      return 'dead';
    }
    await this.deps.jobs.noteRetry(key, claim, itemError, clock.now());
    await this.deps.queue.changeVisibility(delivery.receiptHandle, this.deps.retryDelaySeconds(delivery.receiveCount));
    return 'retry';
  }
}

/**
 * Client errors (4xx but 429) fail the same way on every model: no retry. One exception: a plan left
 * empty only because provider health marked models unavailable may well have a route later.
 */
export function retryable(error: unknown): boolean {
  if (error instanceof NoRouteError) return error.reasons.includes('unavailable');
  if (error instanceof RouterError) return error.status >= 500 || error.status === 429;
  return true;
}

function errorOf(error: unknown): ItemError {
  if (error instanceof RouterError) return { code: error.code ?? error.type, message: error.message, status: error.status };
  return { code: 'internal_error', message: 'The worker failed unexpectedly.', status: 500 };
}

function itemOf(message: BatchMessage): NewItem {
  return { itemId: message.itemId, customId: message.customId };
}

function newJob(owner: { jobId: string; tenantId: string; keyId: string }, now: number): NewJob {
  return {
    jobId: owner.jobId, tenantId: owner.tenantId, keyId: owner.keyId, endpoint: '/v1/chat/completions',
    completionWindow: COMPLETION_WINDOW, metadata: {}, createdAt: now,
  };
}
