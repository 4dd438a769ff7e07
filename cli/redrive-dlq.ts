// Moves batch messages from the dead-letter queue back to the batch queue, and puts their items back
// to `queued` in the job table so the worker runs them again (a failed item is otherwise final).
// Usage: npx node cli/redrive-dlq.ts [--queue-url URL] [--dlq-url URL] [--jobs-table NAME] [--max N] [--dry-run] [--no-reset]
// Defaults: BATCH_QUEUE_URL, BATCH_DLQ_URL, TABLE_JOBS; endpoints from AWS_ENDPOINT_URL_SQS / _DYNAMODB.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import { decodeBatchMessage } from '../functions/contracts/batch-message.ts';
import type { JobStore } from '../functions/core/batch/ports.ts';

export interface RedriveOptions {
  sqs: SQSClient;
  queueUrl: string;
  dlqUrl: string;
  /** Puts items back to queued; omit to move messages only. */
  jobs?: JobStore;
  max?: number;
  dryRun?: boolean;
  now?: () => number;
}

export interface RedriveReport {
  /** Messages seen on the DLQ. */
  inspected: number;
  moved: number;
  /** Items put back to queued. */
  reset: number;
  /** Messages that could not be sent back (left on the DLQ). */
  failed: number;
}

export async function redriveDlq(options: RedriveOptions): Promise<RedriveReport> {
  const max = options.max ?? Number.POSITIVE_INFINITY;
  const now = options.now ?? Date.now;
  const report: RedriveReport = { inspected: 0, moved: 0, reset: 0, failed: 0 };
  const seen = new Set<string>();
  const peeked: Message[] = [];
  while (report.inspected < max) {
    const received = await options.sqs.send(new ReceiveMessageCommand({
      QueueUrl: options.dlqUrl,
      MaxNumberOfMessages: Math.min(10, max - report.inspected),
      WaitTimeSeconds: 1,
      VisibilityTimeout: 60,
      MessageAttributeNames: ['All'],
    }));
    const messages = (received.Messages ?? []).filter((m) => !seen.has(m.MessageId!));
    if (messages.length === 0) break;
    for (const m of messages) seen.add(m.MessageId!);
    report.inspected += messages.length;
    if (options.dryRun) {
      peeked.push(...messages);
      continue;
    }
    // Reset first: a message back on the queue must find its item pending, or the worker would skip it.
    if (options.jobs) {
      for (const m of messages) {
        const decoded = decodeBatchMessage(m.Body ?? '');
        if (!decoded.ok) continue;
        const { tenantId, jobId, itemId } = decoded.message;
        if (await options.jobs.requeue({ tenantId, jobId, itemId }, now())) report.reset += 1;
      }
    }
    const sent = await options.sqs.send(new SendMessageBatchCommand({
      QueueUrl: options.queueUrl,
      Entries: messages.map((m, i) => ({
        Id: String(i), MessageBody: m.Body ?? '', ...(m.MessageAttributes ? { MessageAttributes: m.MessageAttributes } : {}),
      })),
    }));
    const ok = new Set((sent.Successful ?? []).map((s) => s.Id));
    report.failed += messages.length - ok.size;
    const moved = messages.filter((_, i) => ok.has(String(i)));
    if (moved.length) {
      await options.sqs.send(new DeleteMessageBatchCommand({
        QueueUrl: options.dlqUrl, Entries: moved.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }));
      report.moved += moved.length;
    }
  }
  // A dry run only looked: make the messages visible again at once.
  for (let i = 0; i < peeked.length; i += 10) {
    await options.sqs.send(new ChangeMessageVisibilityBatchCommand({
      QueueUrl: options.dlqUrl,
      Entries: peeked.slice(i, i + 10).map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })),
    }));
  }
  return report;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'queue-url': { type: 'string' }, 'dlq-url': { type: 'string' }, 'jobs-table': { type: 'string' },
      max: { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, 'no-reset': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('npx node cli/redrive-dlq.ts [--queue-url URL] [--dlq-url URL] [--jobs-table NAME] [--max N] [--dry-run] [--no-reset]');
    return 0;
  }
  const queueUrl = values['queue-url'] ?? process.env['BATCH_QUEUE_URL'];
  const dlqUrl = values['dlq-url'] ?? process.env['BATCH_DLQ_URL'];
  const table = values['jobs-table'] ?? process.env['TABLE_JOBS'];
  if (!queueUrl || !dlqUrl) {
    console.error('Set --queue-url and --dlq-url (or BATCH_QUEUE_URL and BATCH_DLQ_URL).');
    return 2;
  }
  if (!table && !values['no-reset']) {
    console.error('Set --jobs-table (or TABLE_JOBS) so redriven items are put back to queued, or pass --no-reset.');
    return 2;
  }
  const max = values.max === undefined ? undefined : Number(values.max);
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) {
    console.error('--max must be a positive integer.');
    return 2;
  }
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  let jobs: JobStore | undefined;
  if (table && !values['no-reset']) {
    const { DynamoJobStore } = await import('../functions/adapters/dynamodb/job-store.ts');
    const { documentClient } = await import('../functions/adapters/dynamodb/document-client.ts');
    jobs = new DynamoJobStore(documentClient(), table);
  }
  const report = await redriveDlq({ sqs, queueUrl, dlqUrl, ...(jobs ? { jobs } : {}), ...(max ? { max } : {}), dryRun: values['dry-run'] });
  console.log(JSON.stringify({ dryRun: values['dry-run'], ...report }));
  sqs.destroy();
  return report.failed > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error: unknown) => {
    console.error((error as Error).message);
    process.exitCode = 1;
  });
}
