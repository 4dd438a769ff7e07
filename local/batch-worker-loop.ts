// The local stand-in for Lambda's SQS event source: long-polls the batch queue, hands real SQSEvent
// records to the worker handler, deletes what succeeded and leaves reported failures (their
// visibility was already set by the worker), so SQS redelivers them or moves them to the DLQ.
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { lambdaContext } from './lambda-context.ts';
import { batchQueue, envNames } from '#contracts/env.ts';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface BatchWorkerLoopOptions {
  queueUrl: string;
  handler: SqsHandler;
  /** Concurrent pollers, like the event source's maxConcurrency. Default 2. */
  concurrency?: number;
  /** Messages per invocation, 1..10. Default 10. */
  batchSize?: number;
  /** Long-poll wait, seconds; also how long stop() may wait. Default 1. */
  waitTimeSeconds?: number;
  client?: SQSClient;
  onError?(error: unknown): void;
}

export interface BatchWorkerLoop {
  readonly stats: { invocations: number; records: number; deleted: number; failed: number };
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function startBatchWorkerLoop(options: BatchWorkerLoopOptions): BatchWorkerLoop {
  const client = options.client ?? new SQSClient({ useQueueUrlAsEndpoint: false });
  const ownsClient = options.client === undefined;
  const stats = { invocations: 0, records: 0, deleted: 0, failed: 0 };
  const arn = queueArn(options.queueUrl);
  let stopped = false;

  async function poll(worker: number): Promise<void> {
    while (!stopped) {
      try {
        const received = await client.send(new ReceiveMessageCommand({
          QueueUrl: options.queueUrl,
          MaxNumberOfMessages: Math.min(10, Math.max(1, options.batchSize ?? 10)),
          WaitTimeSeconds: options.waitTimeSeconds ?? 1,
          MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp', 'ApproximateFirstReceiveTimestamp', 'SenderId'],
          MessageAttributeNames: ['All'],
        }));
        const messages = received.Messages ?? [];
        if (messages.length === 0) continue;
        const records = messages.map((m) => toRecord(m, arn));
        stats.invocations += 1;
        stats.records += records.length;
        let failed: Set<string>;
        try {
          const response = await options.handler({ Records: records }, lambdaContext('llm-router-local-batch-worker', `local-worker-${worker}-${Date.now()}`, batchQueue.workerTimeoutSeconds * 1000));
          failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        } catch (error) {
          // A thrown handler fails the whole batch, as in Lambda.
          options.onError?.(error);
          failed = new Set(records.map((r) => r.messageId));
        }
        stats.failed += failed.size;
        const done = records.filter((r) => !failed.has(r.messageId));
        if (done.length) {
          const result = await client.send(new DeleteMessageBatchCommand({
            QueueUrl: options.queueUrl,
            Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
          }));
          stats.deleted += result.Successful?.length ?? 0;
        }
      } catch (error) {
        if (stopped) return;
        options.onError?.(error);
        await sleep(200);
      }
    }
  }

  const pollers = Array.from({ length: Math.max(1, options.concurrency ?? 2) }, (_, i) => poll(i));
  return {
    stats,
    // Graceful: each poller finishes its long poll and its batch. (Aborting a long poll would leave
    // fauxqs handing the next messages to a gone connection, invisible for the whole visibility timeout.)
    async stop() {
      stopped = true;
      await Promise.allSettled(pollers);
      if (ownsClient) client.destroy();
    },
  };
}

function toRecord(message: Message, eventSourceARN: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes['ApproximateReceiveCount'] ?? '1',
      SentTimestamp: attributes['SentTimestamp'] ?? String(Date.now()),
      SenderId: attributes['SenderId'] ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes['ApproximateFirstReceiveTimestamp'] ?? String(Date.now()),
    },
    messageAttributes: Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, {
      dataType: value.DataType ?? 'String',
      ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
    }])),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN,
    awsRegion: process.env[envNames.awsRegion] ?? 'us-east-1',
  };
}

function queueArn(queueUrl: string): string {
  const name = queueUrl.split('/').at(-1) ?? 'queue';
  return `arn:aws:sqs:${process.env[envNames.awsRegion] ?? 'us-east-1'}:000000000000:${name}`;
}

