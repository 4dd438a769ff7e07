// JobQueue on SQS: SendMessageBatch in groups of at most ten messages and 256 KiB, resending the
// entries SQS reports as failed; ChangeMessageVisibility for retry delays.
import type { SqsCalls } from '../aws/sqs-wire.ts';
import { encodeBatchMessage, messageBytes, SQS_MAX_MESSAGE_BYTES } from '#contracts/batch-message.ts';
import type { BatchMessage } from '#contracts/batch-message.ts';
import type { JobQueue, SendFailure } from '#core/batch/ports.ts';

export interface SqsJobQueueOptions {
  /** Rounds of resending entries SQS failed (default 5). */
  maxSendAttempts?: number;
  /** Parallel SendMessageBatch calls (default 8). */
  concurrency?: number;
  /** Wait before resend round `n` (default 50 ms doubling). */
  backoffMs?(attempt: number): number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Splits messages into SendMessageBatch groups: ten entries and 256 KiB of bodies at most. */
export function sendGroups<T>(entries: readonly T[], bytesOf: (entry: T) => number, maxEntries = 10, maxBytes = SQS_MAX_MESSAGE_BYTES): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const entry of entries) {
    const bytes = bytesOf(entry);
    if (current.length > 0 && (current.length === maxEntries || size + bytes > maxBytes)) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(entry);
    size += bytes;
  }
  if (current.length) groups.push(current);
  return groups;
}

export class SqsJobQueue implements JobQueue {
  private readonly client: SqsCalls;
  private readonly queueUrl: string;
  private readonly options: SqsJobQueueOptions;

  constructor(client: SqsCalls, queueUrl: string, options: SqsJobQueueOptions = {}) {
    this.client = client;
    this.queueUrl = queueUrl;
    this.options = options;
  }

  async sendAll(messages: readonly BatchMessage[]): Promise<SendFailure[]> {
    const entries = messages.map((message, i) => ({ message, body: encodeBatchMessage(message), id: String(i) }));
    const groups = sendGroups(entries, (e) => messageBytes(e.body));
    const failures: SendFailure[] = [];
    let next = 0;
    const sender = async (): Promise<void> => {
      while (next < groups.length) failures.push(...await this.sendGroup(groups[next++]!));
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 8, groups.length) }, sender));
    return failures;
  }

  async changeVisibility(receiptHandle: string, seconds: number): Promise<void> {
    await this.client.changeMessageVisibility({
      QueueUrl: this.queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: Math.max(0, Math.round(seconds)),
    });
  }

  private async sendGroup(group: Entry[]): Promise<SendFailure[]> {
    const maxAttempts = this.options.maxSendAttempts ?? 5;
    const backoff = this.options.backoffMs ?? ((n: number) => 50 * 2 ** n);
    const reasons = new Map<string, string>();
    const permanent: Entry[] = [];
    let pending = group;
    for (let attempt = 0; attempt < maxAttempts && pending.length > 0; attempt += 1) {
      if (attempt > 0) await sleep(backoff(attempt));
      try {
        const result = await this.client.sendMessageBatch({
          QueueUrl: this.queueUrl, Entries: pending.map((e) => ({ Id: e.id, MessageBody: e.body })),
        });
        const retry = new Set<string>();
        for (const f of result.Failed ?? []) {
          if (!f.Id) continue;
          reasons.set(f.Id, `${f.Code ?? 'error'}: ${f.Message ?? 'send failed'}`);
          // A sender fault (the entry itself is wrong) fails the same way again; only service faults are resent.
          if (f.SenderFault) permanent.push(...pending.filter((e) => e.id === f.Id));
          else retry.add(f.Id);
        }
        pending = pending.filter((e) => retry.has(e.id));
      } catch (error) {
        for (const e of pending) reasons.set(e.id, (error as Error).message);
      }
    }
    return [...permanent, ...pending].map((e) => ({ message: e.message, reason: reasons.get(e.id) ?? 'send failed' }));
  }
}

type Entry = { message: BatchMessage; body: string; id: string };
