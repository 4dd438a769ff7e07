// The local SQS stand-in with a data directory, through the real SQS client: a restart keeps every
// message (ready, in flight, dead-lettered), and the previous process's deliveries come back at once
// instead of after the 12-minute visibility timeout.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChangeMessageVisibilityCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { batchQueue } from '#contracts/env.ts';
import { startSqsStandIn } from '#local/sqs-standin.ts';
import type { SqsStandIn } from '#local/sqs-standin.ts';

const dirs: string[] = [];
const open: Array<{ sqs: SqsStandIn; client: SQSClient }> = [];

async function start(dataDir: string): Promise<{ sqs: SqsStandIn; client: SQSClient }> {
  const sqs = await startSqsStandIn({ dataDir });
  const client = new SQSClient({ endpoint: sqs.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' }, useQueueUrlAsEndpoint: false });
  const started = { sqs, client };
  open.push(started);
  return started;
}

async function stop(started: { sqs: SqsStandIn; client: SQSClient }): Promise<void> {
  started.client.destroy();
  await started.sqs.close();
  open.splice(open.indexOf(started), 1);
}

async function receiveAll(client: SQSClient, url: string, waitSeconds = 0): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const got = await client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds, VisibilityTimeout: 600 }));
    if (!got.Messages?.length) return bodies;
    bodies.push(...got.Messages.map((m) => m.Body!));
  }
}

afterEach(async () => {
  for (const s of [...open]) await stop(s);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sqs-restart-'));
  dirs.push(dir);
  return dir;
}

describe('local SQS stand-in with a data directory', () => {
  it('keeps ready and in-flight messages across a restart, releasing the in-flight ones', async () => {
    const dir = dataDir();
    const first = await start(dir);
    await first.client.send(new SendMessageBatchCommand({
      QueueUrl: first.sqs.queueUrl, Entries: ['a', 'b', 'c'].map((body) => ({ Id: body, MessageBody: body })),
    }));
    const taken = await first.client.send(new ReceiveMessageCommand({ QueueUrl: first.sqs.queueUrl, MaxNumberOfMessages: 1 }));
    expect(taken.Messages).toHaveLength(1);
    await stop(first);

    const second = await start(dir);
    expect(second.sqs.abandoned).toEqual({ delete: 0, release: 1, resend: 0 });
    // Two ready at once; the released one after its 1 s.
    const bodies = await receiveAll(second.client, second.sqs.queueUrl, 2);
    expect(bodies.sort()).toEqual(['a', 'b', 'c']);
  });

  it('moves a message to the DLQ after maxReceiveCount receives and keeps it there across a restart', async () => {
    const dir = dataDir();
    const first = await start(dir);
    await first.client.send(new SendMessageBatchCommand({ QueueUrl: first.sqs.queueUrl, Entries: [{ Id: '1', MessageBody: 'doomed' }] }));
    for (let i = 0; i < batchQueue.maxReceiveCount; i++) {
      const got = await first.client.send(new ReceiveMessageCommand({ QueueUrl: first.sqs.queueUrl, WaitTimeSeconds: 2 }));
      expect(got.Messages).toHaveLength(1);
      // What the worker does on a failed delivery: a short visibility, never 0.
      await first.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: first.sqs.queueUrl, ReceiptHandle: got.Messages![0]!.ReceiptHandle!, VisibilityTimeout: 1 }));
    }
    // The next receive finds it over the limit and moves it.
    expect(await receiveAll(first.client, first.sqs.queueUrl, 2)).toEqual([]);
    await stop(first);

    const second = await start(dir);
    const attrs = await second.client.send(new GetQueueAttributesCommand({ QueueUrl: second.sqs.dlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    expect(attrs.Attributes?.['ApproximateNumberOfMessages']).toBe('1');
    expect(await receiveAll(second.client, second.sqs.dlqUrl)).toEqual(['doomed']);
    expect(await receiveAll(second.client, second.sqs.queueUrl)).toEqual([]);
  });
});
