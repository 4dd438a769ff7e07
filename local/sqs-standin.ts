// SQS for the local runtime: fauxqs (speaks the SQS JSON protocol, redrives to a DLQ), with the batch
// queue and its DLQ from the same settings the CDK stack uses.
//
// With a data directory, two behaviours of fauxqs 2.4.1 would lose accepted messages, so this file
// works around them:
// - Its programmatic createQueue on a queue that is already stored replaces the stored row, and the
//   stored messages go with it (ON DELETE CASCADE). Queues are therefore looked up with GetQueueUrl and
//   created only when missing; an existing queue only gets its attributes set (an UPDATE).
// - Messages that were in flight when the last process died keep their visibility deadline (the queue
//   timeout is 12 minutes). Their consumer was the worker loop of that process, so at start they are
//   sent again as fresh messages and the stale copies deleted: the restart does not count as one of the
//   item's deliveries (with maxReceiveCount 5, a kill during an item's last delivery would otherwise
//   move it to the DLQ unseen, its item never ended). A copy sent but not yet deleted when the process
//   dies again is a duplicate the worker already ignores (an item is claimed and answered once).
// (ChangeMessageVisibility to 0 also loses the message with a data directory; the batch worker never
// asks for less than 1 s, see core/batch/process-item.ts.)
import {
  ChangeMessageVisibilityBatchCommand, CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand,
  GetQueueUrlCommand, QueueDoesNotExist, SendMessageBatchCommand, SetQueueAttributesCommand, SQSClient,
} from '@aws-sdk/client-sqs';
import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import { batchQueue } from '#contracts/env.ts';

export interface SqsStandIn {
  endpoint: string;
  queueUrl: string;
  dlqUrl: string;
  /** Deliveries of the previous process released at start (data directory only). */
  released: number;
  close(): Promise<void>;
}

type FauxqsServer = Awaited<ReturnType<typeof startFauxqs>>;

/** Starts fauxqs on loopback; `dataDir` keeps queues and messages on disk between runs. */
export async function startSqsStandIn(options: { dataDir?: string; port?: number } = {}): Promise<SqsStandIn> {
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
    const released = options.dataDir
      ? await resendInflight(client, server, queueName, queueUrl) + await releaseInflight(client, server, dlqName, dlqUrl)
      : 0;
    client.destroy();
    return { endpoint: server.address, queueUrl, dlqUrl, released, close: () => server.stop() };
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

/** Sends the previous process's in-flight deliveries again as new messages, then deletes the stale copies. */
async function resendInflight(client: SQSClient, server: FauxqsServer, name: string, url: string): Promise<number> {
  const inflight = server.inspectQueue(name)?.messages.inflight ?? [];
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
    const copied = group.filter((_, j) => ok.has(String(j)));
    if (copied.length) {
      await client.send(new DeleteMessageBatchCommand({
        QueueUrl: url, Entries: copied.map((entry, j) => ({ Id: String(j), ReceiptHandle: entry.receiptHandle })),
      }));
    }
  }
  return inflight.length;
}

/** Makes the previous process's in-flight deliveries visible again after 1 s (0 would lose them, see above). */
async function releaseInflight(client: SQSClient, server: FauxqsServer, name: string, url: string): Promise<number> {
  const handles = (server.inspectQueue(name)?.messages.inflight ?? []).map((entry) => entry.receiptHandle);
  for (let i = 0; i < handles.length; i += 10) {
    await client.send(new ChangeMessageVisibilityBatchCommand({
      QueueUrl: url,
      Entries: handles.slice(i, i + 10).map((handle, j) => ({ Id: String(j), ReceiptHandle: handle, VisibilityTimeout: 1 })),
    }));
  }
  return handles.length;
}
