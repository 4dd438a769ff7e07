// Moves batch messages from the dead-letter queue back to the batch queue, and puts their items back
// to `queued` in the job table so the worker runs them again (a failed item is otherwise final).
// Each dead letter is moved at most once per run; the run ends when the DLQ holds nothing it has not
// handled, after --max messages, or after --max-seconds (default 300). It prints one line per message
// and a JSON summary. `npm run redrive-dlq -- --help` for the options; `--local` finds the running
// `npm start`'s queues.
import { createHash } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import { DynamoJobStore } from '#adapters/dynamodb/job-store.ts';
import { decodeBatchMessage } from '#contracts/batch-message.ts';
import { envNames } from '#contracts/env.ts';
import { jobTable } from '#contracts/tables.ts';
import type { JobStore } from '#core/batch/ports.ts';
import { findRunningRuntime, runtimeFilePath } from '#local/runtime-file.ts';
import { helpText, parseCommand, stringOption, UsageError } from './command.ts';
import type { CommandSpec } from './command.ts';
import { DEFAULT_DATA_DIR } from './dynamo.ts';
import { runMain } from './io.ts';
import { sdkDocuments } from './sdk-documents.ts';
import type { Io } from './io.ts';

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

export const redriveSpec: CommandSpec = {
  invocation: 'npm run redrive-dlq --',
  summary: 'Moves batch messages from the dead-letter queue back to the batch queue and puts their items back to queued, so the worker runs them again.',
  options: {
    local: { type: 'boolean', description: 'the local runtime: queues and jobs table of the running `npm start` (from .local-data/runtime.json)' },
    'data-dir': { type: 'string', value: '<dir>', description: 'with --local: data folder of the local runtime (default: ROUTER_DATA_DIR or .local-data)' },
    'queue-url': { type: 'string', value: '<url>', description: 'batch queue (default: BATCH_QUEUE_URL, stack output BatchQueueUrl)' },
    'dlq-url': { type: 'string', value: '<url>', description: 'dead-letter queue (default: BATCH_DLQ_URL, stack output DlqUrl)' },
    'jobs-table': { type: 'string', value: '<name>', description: 'jobs table (default: TABLE_JOBS, stack output JobsTableName)' },
    max: { type: 'string', value: '<n>', description: 'stop after n messages' },
    'max-seconds': { type: 'string', value: '<s>', description: 'stop after s seconds (default 300)' },
    'dry-run': { type: 'boolean', description: 'only count the messages (they are made visible again)' },
    'no-reset': { type: 'boolean', description: 'move messages without touching the jobs table' },
  },
  examples: ['npm run redrive-dlq -- --local --dry-run', 'npm run redrive-dlq -- --queue-url "$BATCH_QUEUE_URL" --dlq-url "$BATCH_DLQ_URL" --jobs-table "$TABLE_JOBS" --max 100'],
  notes: ['Endpoints come from AWS_ENDPOINT_URL_SQS / AWS_ENDPOINT_URL_DYNAMODB when set.'],
};

/** Where the queues and the jobs table are: the options, else the environment, else the local runtime. */
function resolveTargets(values: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv) {
  const fail = (message: string) => new UsageError(message, redriveSpec.invocation);
  const str = (name: string) => stringOption(values, name);
  let local: { sqsEndpoint: string; dynamoEndpoint: string; region: string } | undefined;
  let queueUrl = str('queue-url') ?? (values['local'] ? undefined : env[envNames.batchQueueUrl]);
  let dlqUrl = str('dlq-url') ?? (values['local'] ? undefined : env['BATCH_DLQ_URL']);
  let table = str('jobs-table') ?? (values['local'] ? undefined : env[jobTable.envVar]);
  if (values['local']) {
    const dir = str('data-dir') ?? env[envNames.dataDir] ?? DEFAULT_DATA_DIR;
    const running = findRunningRuntime(dir);
    if (!running) throw new Error(`no running local runtime found in ${runtimeFilePath(dir)}; start it with npm start (the queues live only while it runs)`);
    queueUrl ??= running.sqs.queueUrl;
    dlqUrl ??= running.sqs.dlqUrl;
    table ??= running.dynamodb.tables[jobTable.name];
    local = { sqsEndpoint: running.sqs.endpoint, dynamoEndpoint: running.dynamodb.endpoint, region: running.region };
  }
  if (!queueUrl || !dlqUrl) throw fail('set --queue-url and --dlq-url (or BATCH_QUEUE_URL and BATCH_DLQ_URL), or use --local');
  if (!table && !values['no-reset']) throw fail('set --jobs-table (or TABLE_JOBS) so redriven items are put back to queued, or pass --no-reset');
  const maxText = str('max');
  const max = maxText === undefined ? undefined : Number(maxText);
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) throw fail(`--max must be a positive integer, got '${maxText}'`);
  const secondsText = str('max-seconds');
  const maxSeconds = secondsText === undefined ? 300 : Number(secondsText);
  if (!Number.isFinite(maxSeconds) || maxSeconds <= 0) throw fail(`--max-seconds must be a positive number, got '${secondsText}'`);
  return { queueUrl, dlqUrl, table: values['no-reset'] ? undefined : table, max, maxSeconds, local };
}

export async function redriveCommand(argv: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const parsed = parseCommand(redriveSpec, argv);
  if (parsed.help) {
    io.out(helpText(redriveSpec));
    return;
  }
  const { queueUrl, dlqUrl, table, max, maxSeconds, local } = resolveTargets(parsed.values, env);
  const localClient = local ? { region: local.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {};
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false, ...localClient, ...(local ? { endpoint: local.sqsEndpoint } : {}) });
  const dynamo = table ? new DynamoDBClient({ ...localClient, ...(local ? { endpoint: local.dynamoEndpoint } : {}) }) : undefined;
  try {
    const jobs = dynamo && table ? new DynamoJobStore(sdkDocuments(DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } })), table) : undefined;
    const dryRun = parsed.values['dry-run'] === true;
    const report = await redriveDlq({
      sqs, queueUrl, dlqUrl, ...(jobs ? { jobs } : {}), ...(max ? { max } : {}), timeLimitMs: maxSeconds * 1000, dryRun, log: (line) => io.out(line),
    });
    io.out(JSON.stringify({ dryRun, ...report }));
    if (report.failed > 0) throw new Error(`${report.failed} messages could not be sent back; they stay on the DLQ`);
  } finally {
    sqs.destroy();
    dynamo?.destroy();
  }
}

if (import.meta.main) runMain((io) => redriveCommand(process.argv.slice(2), io));
