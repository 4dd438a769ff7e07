// SqsJobQueue and the DLQ redrive command against fauxqs (and dynalite for the item reset).
import type { DynamoDocuments } from '#adapters/aws/dynamodb-commands.ts';
import { standInDocumentStore, standInQueueCalls } from '#local/stand-in-documents.ts';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoJobStore } from '#adapters/dynamodb/job-store.ts';
import { SqsJobQueue } from '#adapters/sqs/job-queue.ts';
import type { BatchMessage } from '#contracts/batch-message.ts';
import { startDynamoStandIn } from '#local/dynamodb-standin.ts';
import type { DynamoStandIn } from '#local/dynamodb-standin.ts';
import { startSqsStandIn } from '#local/sqs-standin.ts';
import type { SqsStandIn } from '#local/sqs-standin.ts';
import { redriveDlq } from '../../cli/redrive-dlq.ts';

const credentials = { accessKeyId: 'l', secretAccessKey: 'l' };
let queues: SqsStandIn;
let dynamo: DynamoStandIn;
let sqs: SQSClient;
let documents: DynamoDocuments;

beforeAll(async () => {
  queues = await startSqsStandIn();
  dynamo = await startDynamoStandIn({ tablePrefix: 'queue-test-' });
  sqs = new SQSClient({ endpoint: queues.endpoint, region: 'us-east-1', credentials, useQueueUrlAsEndpoint: false });
  documents = standInDocumentStore(dynamo.endpoint);
});

afterAll(async () => {
  sqs?.destroy();
  await queues?.close();
  await dynamo?.close();
});

const message = (i: number, content = 'hi'): BatchMessage => ({
  version: 1, jobId: 'jq', itemId: String(i).padStart(6, '0'), tenantId: 't', keyId: 'k', customId: `c${i}`,
  request: { model: 'auto', messages: [{ role: 'user', content }] },
});

async function drain(url: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 300 }));
    if (!got.Messages?.length) return bodies;
    bodies.push(...got.Messages.map((m) => m.Body ?? ''));
  }
}

async function depth(url: string): Promise<number> {
  // Visible or not: a message looked at is still there.
  const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(a.Attributes?.['ApproximateNumberOfMessages']) + Number(a.Attributes?.['ApproximateNumberOfMessagesNotVisible']);
}

describe('SqsJobQueue', () => {
  it('sends every message, in batches of ten and under 256 KiB', async () => {
    const queue = new SqsJobQueue(standInQueueCalls(queues.endpoint), queues.queueUrl);
    const messages = [...Array.from({ length: 23 }, (_, i) => message(i)), message(23, 'x'.repeat(200_000)), message(24, 'y'.repeat(200_000))];
    expect(await queue.sendAll(messages)).toEqual([]);
    const bodies = await drain(queues.queueUrl);
    expect(bodies.map((b) => (JSON.parse(b) as BatchMessage).itemId).sort()).toEqual(messages.map((m) => m.itemId));
  });

  it('changes a received message\'s visibility, so it is delivered again at once', async () => {
    const queue = new SqsJobQueue(standInQueueCalls(queues.endpoint), queues.queueUrl);
    expect(await queue.sendAll([message(40)])).toEqual([]);
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.queueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 300 }));
    expect(await drain(queues.queueUrl)).toEqual([]);
    await queue.changeVisibility(first.Messages![0]!.ReceiptHandle!, 0);
    expect((await drain(queues.queueUrl)).map((b) => (JSON.parse(b) as BatchMessage).itemId)).toEqual(['000040']);
  });

  it('reports what SQS refused instead of losing it', async () => {
    const queue = new SqsJobQueue(standInQueueCalls(queues.endpoint), `${queues.queueUrl}-missing`, { maxSendAttempts: 2, backoffMs: () => 1 });
    const failures = await queue.sendAll([message(1), message(2)]);
    expect(failures.map((f) => f.message.itemId)).toEqual(['000001', '000002']);
  });
});

describe('redrive-dlq', () => {
  it('moves DLQ messages back and puts their items back to queued; a dry run only counts', async () => {
    const store = new DynamoJobStore(documents, dynamo.tableNames['jobs']!);
    const job = { jobId: 'jq', tenantId: 't', keyId: 'k', endpoint: '/v1/chat/completions', completionWindow: '24h', metadata: {}, createdAt: 1 };
    await store.createJob(job, Array.from({ length: 12 }, (_, i) => ({ itemId: message(i).itemId, customId: `c${i}` })));
    for (let i = 0; i < 12; i += 1) {
      await store.finish({ tenantId: 't', jobId: 'jq', itemId: message(i).itemId }, { state: 'failed', error: { code: 'upstream_unavailable', message: 'x' } }, undefined, 2);
    }
    for (let i = 0; i < 12; i += 10) {
      await sqs.send(new SendMessageBatchCommand({
        QueueUrl: queues.dlqUrl,
        Entries: Array.from({ length: Math.min(10, 12 - i) }, (_, j) => ({ Id: String(j), MessageBody: JSON.stringify(message(i + j)) })),
      }));
    }

    const dry = await redriveDlq({ sqs, queueUrl: queues.queueUrl, dlqUrl: queues.dlqUrl, jobs: store, dryRun: true });
    expect(dry).toMatchObject({ inspected: 12, moved: 0, reset: 0 });
    expect(await depth(queues.dlqUrl)).toBe(12);

    const limited = await redriveDlq({ sqs, queueUrl: queues.queueUrl, dlqUrl: queues.dlqUrl, jobs: store, max: 5 });
    expect(limited).toMatchObject({ moved: 5, reset: 5, failed: 0 });
    const rest = await redriveDlq({ sqs, queueUrl: queues.queueUrl, dlqUrl: queues.dlqUrl, jobs: store });
    expect(rest).toMatchObject({ moved: 7, reset: 7, failed: 0 });

    expect(await depth(queues.dlqUrl)).toBe(0);
    const moved = (await drain(queues.queueUrl)).map((b) => (JSON.parse(b) as BatchMessage).itemId).sort();
    expect(moved).toEqual(Array.from({ length: 12 }, (_, i) => message(i).itemId));
    expect(await store.getJob('t', 'jq')).toMatchObject({ queued: 12, failed: 0 });
  });

  it('moves each dead letter at most once per run, even when moved messages come straight back', async () => {
    await sqs.send(new SendMessageBatchCommand({
      QueueUrl: queues.dlqUrl,
      Entries: [...[0, 1, 2].map((i) => ({ Id: String(i), MessageBody: JSON.stringify(message(100 + i)) })), { Id: 'junk', MessageBody: 'not json' }],
    }));
    const lines: string[] = [];
    // The worst case: every moved message lands on the DLQ again at once, with a new message id.
    const report = await redriveDlq({ sqs, queueUrl: queues.dlqUrl, dlqUrl: queues.dlqUrl, log: (line) => lines.push(line) });

    expect(report).toMatchObject({ inspected: 4, moved: 4, skipped: 4, failed: 0, stopped: 'empty' });
    expect(lines.filter((l) => l.startsWith('moved'))).toHaveLength(4);
    expect(lines.filter((l) => l.startsWith('skip'))).toHaveLength(4);
    // Nothing was lost on the way: the four are on the DLQ, visible again.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await drain(queues.dlqUrl)).length).toBe(4);
  });

  it('stops at the time limit', async () => {
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queues.dlqUrl, Entries: [{ Id: '1', MessageBody: JSON.stringify(message(200)) }] }));
    let clock = 0;
    const report = await redriveDlq({ sqs, queueUrl: queues.queueUrl, dlqUrl: queues.dlqUrl, timeLimitMs: 10, now: () => (clock += 20) });
    expect(report).toMatchObject({ moved: 0, stopped: 'time_limit' });
    await drain(queues.dlqUrl);
  });
});
