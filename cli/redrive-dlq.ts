// Moves batch messages from the dead-letter queue back to the batch queue, and puts their items back
// to `queued` in the job table so the worker runs them again (a failed item is otherwise final).
// `npm run redrive-dlq -- --help` for the options; `--local` finds the running `npm start`'s queues.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import { DynamoJobStore } from '#adapters/dynamodb/job-store.ts';
import { decodeBatchMessage } from '#contracts/batch-message.ts';
import { jobTable } from '#contracts/tables.ts';
import type { JobStore } from '#core/batch/ports.ts';
import { findRunningRuntime, runtimeFilePath } from '#local/runtime-file.ts';
import { helpText, parseCommand, stringOption, UsageError } from './command.ts';
import type { CommandSpec } from './command.ts';
import { DEFAULT_DATA_DIR } from './dynamo.ts';
import { runMain } from './io.ts';
import type { Io } from './io.ts';

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
  let queueUrl = str('queue-url') ?? (values['local'] ? undefined : env['BATCH_QUEUE_URL']);
  let dlqUrl = str('dlq-url') ?? (values['local'] ? undefined : env['BATCH_DLQ_URL']);
  let table = str('jobs-table') ?? (values['local'] ? undefined : env['TABLE_JOBS']);
  if (values['local']) {
    const dir = str('data-dir') ?? env['ROUTER_DATA_DIR'] ?? DEFAULT_DATA_DIR;
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
  return { queueUrl, dlqUrl, table: values['no-reset'] ? undefined : table, max, local };
}

export async function redriveCommand(argv: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const parsed = parseCommand(redriveSpec, argv);
  if (parsed.help) {
    io.out(helpText(redriveSpec));
    return;
  }
  const { queueUrl, dlqUrl, table, max, local } = resolveTargets(parsed.values, env);
  const localClient = local ? { region: local.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {};
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false, ...localClient, ...(local ? { endpoint: local.sqsEndpoint } : {}) });
  const dynamo = table ? new DynamoDBClient({ ...localClient, ...(local ? { endpoint: local.dynamoEndpoint } : {}) }) : undefined;
  try {
    const jobs = dynamo && table ? new DynamoJobStore(DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }), table) : undefined;
    const dryRun = parsed.values['dry-run'] === true;
    const report = await redriveDlq({ sqs, queueUrl, dlqUrl, ...(jobs ? { jobs } : {}), ...(max ? { max } : {}), dryRun });
    io.out(JSON.stringify({ dryRun, ...report }));
    if (report.failed > 0) throw new Error(`${report.failed} messages could not be sent back; they stay on the DLQ`);
  } finally {
    sqs.destroy();
    dynamo?.destroy();
  }
}

if (import.meta.main) runMain((io) => redriveCommand(process.argv.slice(2), io));
