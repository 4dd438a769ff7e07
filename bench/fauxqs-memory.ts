// The SQS stand-in (fauxqs) under the batch worker's traffic pattern, on its own: messages sent in
// batches of 10, received, and deleted, through the real AWS SDK, plus empty receives (the worker's
// polls). Prints heap after GC and resident memory every STEP messages: a queue that is drained must
// not grow. (bench/soak.ts sends chat traffic only, which never touches SQS.)
// Run: npx node --expose-gc bench/fauxqs-memory.ts   (DATA_DIR=0 in memory, MESSAGES=40000, STEP=5000)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startSqsStandIn } from '#local/sqs-standin.ts';

const maybeGc = (globalThis as { gc?: () => void }).gc;
if (!maybeGc) throw new Error('run with --expose-gc');
const gc: () => void = maybeGc;
const onDisk = process.env['DATA_DIR'] !== '0';
const messages = Number(process.env['MESSAGES'] ?? 40_000);
const step = Number(process.env['STEP'] ?? 5_000);

const dir = onDisk ? mkdtempSync(join(tmpdir(), 'fauxqs-memory-')) : undefined;
const sqs = await startSqsStandIn(dir ? { dataDir: dir } : {});
const client = new SQSClient({ endpoint: sqs.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
// A body the size of a batch item pointer (the worker's messages carry ids, not prompts).
const body = JSON.stringify({ jobId: 'batch_0123456789abcdef', itemIndex: 0, tenantId: 'local', pad: 'x'.repeat(150) });

function report(done: number): void {
  gc();
  gc();
  const status = readFileSync('/proc/self/status', 'utf8');
  const mb = (name: string): string => (Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024).toFixed(1);
  console.log(`| ${String(done).padStart(6)} | ${(process.memoryUsage().heapUsed / 1048576).toFixed(1).padStart(6)} | ${mb('VmRSS')} (anonymous ${mb('RssAnon')}) |`);
}

console.log(`fauxqs ${onDisk ? 'with a data directory (SQLite)' : 'in memory'}: send 10, receive, delete, and one empty receive, 4 at a time`);
console.log('| messages | heap MB | resident MB |');
report(0);
let sent = 0;
while (sent < messages) {
  const end = Math.min(sent + step, messages);
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (sent < end) {
      sent += 10;
      await client.send(new SendMessageBatchCommand({ QueueUrl: sqs.queueUrl, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: body })) }));
      const got = await client.send(new ReceiveMessageCommand({ QueueUrl: sqs.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      const received = got.Messages ?? [];
      if (received.length) {
        await client.send(new DeleteMessageBatchCommand({ QueueUrl: sqs.queueUrl, Entries: received.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
      }
      await client.send(new ReceiveMessageCommand({ QueueUrl: sqs.dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    }
  }));
  report(sent);
}
// Whatever is left (receives that raced) is drained, so the last row is an empty queue.
for (;;) {
  const got = await client.send(new ReceiveMessageCommand({ QueueUrl: sqs.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
  if (!got.Messages?.length) break;
  await client.send(new DeleteMessageBatchCommand({ QueueUrl: sqs.queueUrl, Entries: got.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
}
report(sent);
client.destroy();
await sqs.close();
if (dir) rmSync(dir, { recursive: true, force: true });
