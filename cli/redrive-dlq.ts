// Moves batch messages from the dead-letter queue back to the batch queue, and puts their items back
// to `queued` in the job table so the worker runs them again (a failed item is otherwise final).
// Each dead letter is moved at most once per run; the run ends when the DLQ holds nothing it has not
// handled, after --max messages, or after --max-seconds (default 300). It prints one line per message
// and a JSON summary.
// Usage: npx node cli/redrive-dlq.ts [--queue-url URL] [--dlq-url URL] [--jobs-table NAME] [--max N] [--max-seconds S] [--dry-run] [--no-reset]
// Defaults: BATCH_QUEUE_URL, BATCH_DLQ_URL, TABLE_JOBS; endpoints from AWS_ENDPOINT_URL_SQS / _DYNAMODB.
import { createHash } from 'node:crypto';
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
  /** Moves at most this many messages. */
  max?: number;
  /** Stops after this long (ms); default 5 minutes. */
  timeLimitMs?: number;
  dryRun?: boolean;
  now?: () => number;
  /** One line per action (default: none). */
  log?(line: string): void;
}

export interface RedriveReport {
  /** Messages received from the DLQ (each counted once per run). */
  inspected: number;
  moved: number;
  /** Items put back to queued. */
  reset: number;
  /** Messages that could not be sent back (left on the DLQ). */
  failed: number;
  /** Messages seen again after this run moved them (failed again meanwhile): left on the DLQ. */
  skipped: number;
  /** Why the run ended: `empty`, `max` or `time_limit`. */
  stopped: 'empty' | 'max' | 'time_limit';
}

/** How long a received DLQ message stays hidden while the run goes on (released at the end). */
const HOLD_SECONDS = 300;

/**
 * Moves dead letters back to the batch queue, each at most once per run. A message is known by its
 * item (tenant, job, item) or, when undecodable, by its body: a redriven message that fails again
 * comes back with a new message id, and is then left where it is. Every message received and not
 * moved is held hidden until the run ends, so the run stops when the DLQ holds nothing it has not
 * handled (or at `max`, or the time limit), then makes the held messages visible again.
 */
export async function redriveDlq(options: RedriveOptions): Promise<RedriveReport> {
  const max = options.max ?? Number.POSITIVE_INFINITY;
  const now = options.now ?? Date.now;
  const deadline = now() + (options.timeLimitMs ?? 300_000);
  const log = options.log ?? (() => undefined);
  const report: RedriveReport = { inspected: 0, moved: 0, reset: 0, failed: 0, skipped: 0, stopped: 'empty' };
  const handled = new Set<string>();
  const held: Message[] = [];
  for (;;) {
    if (report.moved + report.failed >= max || (options.dryRun && report.inspected >= max)) {
      report.stopped = 'max';
      break;
    }
    if (now() >= deadline) {
      report.stopped = 'time_limit';
      break;
    }
    const wanted = Math.max(1, Math.min(10, max - report.moved - report.failed));
    const received = await options.sqs.send(new ReceiveMessageCommand({
      QueueUrl: options.dlqUrl, MaxNumberOfMessages: wanted, WaitTimeSeconds: 1, VisibilityTimeout: HOLD_SECONDS, MessageAttributeNames: ['All'],
    }));
    const messages = received.Messages ?? [];
    if (messages.length === 0) break;
    const fresh: Message[] = [];
    for (const m of messages) {
      const identity = identityOf(m);
      if (handled.has(identity)) {
        report.skipped += 1;
        held.push(m);
        log(`skip   ${identity} (moved earlier in this run; it failed again)`);
        continue;
      }
      handled.add(identity);
      report.inspected += 1;
      fresh.push(m);
    }
    if (options.dryRun) {
      for (const m of fresh) log(`found  ${identityOf(m)}`);
      held.push(...fresh);
      continue;
    }
    if (fresh.length) await moveBack(options, fresh, report, log);
  }
  // Held messages (a dry run's, and those that came back) become visible again; never 0 (see below).
  for (let i = 0; i < held.length; i += 10) {
    await options.sqs.send(new ChangeMessageVisibilityBatchCommand({
      QueueUrl: options.dlqUrl,
      // 1 s rather than 0: fauxqs with a data directory loses a message changed to 0.
      Entries: held.slice(i, i + 10).map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 1 })),
    }));
  }
  return report;
}

async function moveBack(options: RedriveOptions, messages: Message[], report: RedriveReport, log: (line: string) => void): Promise<void> {
  // Reset first: a message back on the queue must find its item pending, or the worker would skip it.
  if (options.jobs) {
    for (const m of messages) {
      const decoded = decodeBatchMessage(m.Body ?? '');
      if (!decoded.ok) continue;
      const { tenantId, jobId, itemId } = decoded.message;
      if (await options.jobs.requeue({ tenantId, jobId, itemId }, (options.now ?? Date.now)())) report.reset += 1;
    }
  }
  const sent = await options.sqs.send(new SendMessageBatchCommand({
    QueueUrl: options.queueUrl,
    Entries: messages.map((m, i) => ({
      Id: String(i), MessageBody: m.Body ?? '', ...(m.MessageAttributes ? { MessageAttributes: m.MessageAttributes } : {}),
    })),
  }));
  const ok = new Set((sent.Successful ?? []).map((s) => s.Id));
  const moved = messages.filter((_, i) => ok.has(String(i)));
  for (const m of messages.filter((_, i) => !ok.has(String(i)))) {
    report.failed += 1;
    log(`FAILED ${identityOf(m)} (left on the DLQ)`);
  }
  if (moved.length) {
    await options.sqs.send(new DeleteMessageBatchCommand({
      QueueUrl: options.dlqUrl, Entries: moved.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
    }));
    report.moved += moved.length;
    for (const m of moved) log(`moved  ${identityOf(m)}`);
  }
}

/** `tenant/job/item` of a batch message; the body's hash for anything else. */
function identityOf(message: Message): string {
  const decoded = decodeBatchMessage(message.Body ?? '');
  if (decoded.ok) return `${decoded.message.tenantId}/${decoded.message.jobId}/${decoded.message.itemId}`;
  if (decoded.identity) return `${decoded.identity.tenantId}/${decoded.identity.jobId}/${decoded.identity.itemId}`;
  return `body:${createHash('sha256').update(message.Body ?? '').digest('hex').slice(0, 16)}`;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'queue-url': { type: 'string' }, 'dlq-url': { type: 'string' }, 'jobs-table': { type: 'string' },
      max: { type: 'string' }, 'max-seconds': { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, 'no-reset': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('npx node cli/redrive-dlq.ts [--queue-url URL] [--dlq-url URL] [--jobs-table NAME] [--max N] [--max-seconds S] [--dry-run] [--no-reset]');
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
  const maxSeconds = values['max-seconds'] === undefined ? 300 : Number(values['max-seconds']);
  if (!Number.isFinite(maxSeconds) || maxSeconds <= 0) {
    console.error('--max-seconds must be a positive number.');
    return 2;
  }
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  let jobs: JobStore | undefined;
  if (table && !values['no-reset']) {
    const { DynamoJobStore } = await import('../functions/adapters/dynamodb/job-store.ts');
    const { documentClient } = await import('../functions/adapters/dynamodb/document-client.ts');
    jobs = new DynamoJobStore(documentClient(), table);
  }
  const report = await redriveDlq({
    sqs, queueUrl, dlqUrl, ...(jobs ? { jobs } : {}), ...(max ? { max } : {}), timeLimitMs: maxSeconds * 1000,
    dryRun: values['dry-run'], log: (line) => console.log(line),
  });
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
