// SQS for the local runtime: fauxqs (speaks the SQS JSON protocol, redrives to a DLQ), with the batch
// queue and its DLQ from the same settings the CDK stack uses.
//
// With a data directory, two behaviours of fauxqs 2.4.1 would lose accepted messages, so this file
// works around them:
// - Its programmatic createQueue on a queue that is already stored replaces the stored row, and the
//   stored messages go with it (ON DELETE CASCADE). Queues are therefore looked up with GetQueueUrl and
//   created only when missing; an existing queue only gets its attributes set (an UPDATE).
// - Messages that were in flight when the last process died keep their visibility deadline (the queue
//   timeout is 12 minutes). Their consumer was the worker loop of that process, so at start each one is
//   settled at once, as `abandoned` decides from its item (core/batch/abandoned-delivery.ts): deleted
//   (the item ended), or released with its receive count (visible after 1 s; a dead letter then moves to
//   the DLQ). A pending item on its last allowed delivery is sent again as a new message instead: with
//   maxReceiveCount 5, a kill during that delivery would otherwise move it to the DLQ unseen. A copy sent
//   but not yet deleted when the process dies again is a duplicate the worker ignores (an item is
//   claimed and answered once).
// (ChangeMessageVisibility to 0 also loses the message with a data directory; the batch worker never
// asks for less than 1 s, see core/batch/process-item.ts.)
import {
  ChangeMessageVisibilityBatchCommand, CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand,
  GetQueueUrlCommand, QueueDoesNotExist, SendMessageBatchCommand, SetQueueAttributesCommand, SQSClient,
} from '@aws-sdk/client-sqs';
import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import { batchQueue } from '#contracts/env.ts';
import type { AbandonedDecision } from '#core/batch/abandoned-delivery.ts';

export interface SqsStandIn {
  endpoint: string;
  queueUrl: string;
  dlqUrl: string;
  /** Deliveries of the previous process settled at start (data directory only), by decision. */
  abandoned: Record<AbandonedDecision, number>;
  close(): Promise<void>;
}

type FauxqsServer = Awaited<ReturnType<typeof startFauxqs>>;

export interface SqsStandInOptions {
  /** Keeps queues and messages on disk between runs. */
  dataDir?: string;
  port?: number;
  /** What to do with a batch message the previous process held (default: send it again). */
  abandoned?(body: string): Promise<AbandonedDecision>;
}

/** Starts fauxqs on loopback; `dataDir` keeps queues and messages on disk between runs. */
export async function startSqsStandIn(options: SqsStandInOptions = {}): Promise<SqsStandIn> {
  const server = await startFauxqs({
    port: options.port ?? 0,
    host: '127.0.0.1',
    logger: false,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  });
  const client = new SQSClient({
    endpoint: server.address, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, useQueueUrlAsEndpoint: false,
  });
  try {
    const dlqName = `llm-router-local-${batchQueue.dlqName}`;
    const queueName = `llm-router-local-${batchQueue.name}`;
    const dlqUrl = await ensureQueue(client, dlqName, {});
    const dlqArn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes!['QueueArn']!;
    const queueUrl = await ensureQueue(client, queueName, {
      VisibilityTimeout: String(batchQueue.workerTimeoutSeconds * 6),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: batchQueue.maxReceiveCount }),
    });
    const abandoned: Record<AbandonedDecision, number> = { delete: 0, release: 0, resend: 0 };
    if (options.dataDir) {
      const decide = options.abandoned ?? (async () => 'resend' as const);
      const inflight = server.inspectQueue(queueName)?.messages.inflight ?? [];
      const groups: Record<AbandonedDecision, Inflight[]> = { delete: [], release: [], resend: [] };
      for (const entry of inflight) {
        const decision = await decide(entry.message.body);
        // Only a message on its last allowed delivery is sent again (which resets its receive count and
        // SentTimestamp); others are released as they are, like a Lambda that timed out.
        groups[decision === 'resend' && entry.message.approximateReceiveCount < batchQueue.maxReceiveCount ? 'release' : decision].push(entry);
      }
      await resend(client, queueUrl, groups.resend);
      await release(client, queueUrl, groups.release);
      await remove(client, queueUrl, groups.delete);
      for (const decision of Object.keys(groups) as AbandonedDecision[]) abandoned[decision] = groups[decision].length;
      // A redrive that was running: its held dead letters become visible again.
      await release(client, dlqUrl, server.inspectQueue(dlqName)?.messages.inflight ?? []);
    }
    client.destroy();
    return { endpoint: server.address, queueUrl, dlqUrl, abandoned, close: () => server.stop() };
  } catch (error) {
    client.destroy();
    await server.stop();
    throw error;
  }
}

/** The queue's URL: looked up first, created only when it does not exist (never re-created). */
async function ensureQueue(client: SQSClient, name: string, attributes: Record<string, string>): Promise<string> {
  let url: string | undefined;
  try {
    url = (await client.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  } catch (error) {
    if (!(error instanceof QueueDoesNotExist) && (error as Error).name !== 'QueueDoesNotExist' && (error as Error).name !== 'AWS.SimpleQueueService.NonExistentQueue') throw error;
  }
  if (!url) return (await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
  if (Object.keys(attributes).length) await client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
  return url;
}

type Inflight = NonNullable<ReturnType<FauxqsServer['inspectQueue']>>['messages']['inflight'][number];

/** Sends the deliveries again as new messages, then deletes the stale copies. */
async function resend(client: SQSClient, url: string, inflight: Inflight[]): Promise<void> {
  for (let i = 0; i < inflight.length; i += 10) {
    const group = inflight.slice(i, i + 10);
    const sent = await client.send(new SendMessageBatchCommand({
      QueueUrl: url,
      Entries: group.map((entry, j) => {
        const attributes = entry.message.messageAttributes as Record<string, MessageAttributeValue>;
        return { Id: String(j), MessageBody: entry.message.body, ...(Object.keys(attributes).length ? { MessageAttributes: attributes } : {}) };
      }),
    }));
    const ok = new Set((sent.Successful ?? []).map((s) => s.Id));
    await remove(client, url, group.filter((_, j) => ok.has(String(j))));
  }
}

async function remove(client: SQSClient, url: string, inflight: Inflight[]): Promise<void> {
  for (let i = 0; i < inflight.length; i += 10) {
    await client.send(new DeleteMessageBatchCommand({
      QueueUrl: url, Entries: inflight.slice(i, i + 10).map((entry, j) => ({ Id: String(j), ReceiptHandle: entry.receiptHandle })),
    }));
  }
}

/** Visible again after 1 s, receive count kept (0 would lose the message, see above). */
async function release(client: SQSClient, url: string, inflight: Inflight[]): Promise<void> {
  for (let i = 0; i < inflight.length; i += 10) {
    await client.send(new ChangeMessageVisibilityBatchCommand({
      QueueUrl: url,
      Entries: inflight.slice(i, i + 10).map((entry, j) => ({ Id: String(j), ReceiptHandle: entry.receiptHandle, VisibilityTimeout: 1 })),
    }));
  }
}
