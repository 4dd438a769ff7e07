// Batch throughput: items per second through fauxqs + the real worker handler + a simulated upstream
// with zero think time, at worker concurrency 1, 2, 4, 8 (pollers of 10 messages each).
// Run: npx node bench/batch-throughput.ts   (BENCH_BATCH_ITEMS=300 by default per level)
import { standInDocumentStore, standInQueueCalls } from '#local/stand-in-documents.ts';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoCostLedger } from '#adapters/dynamodb/cost-ledger.ts';
import { DynamoJobStore } from '#adapters/dynamodb/job-store.ts';
import { createProviderClient } from '#adapters/providers/create-provider-client.ts';
import { SqsJobQueue } from '#adapters/sqs/job-queue.ts';
import { createBatchWorker } from '#handlers/batch-worker.ts';
import { validateSubmission } from '#core/batch/submit-validation.ts';
import { parseCatalog } from '#core/catalog/catalog.ts';
import { ChatService } from '#core/chat/chat-service.ts';
import { systemClock } from '#core/shared/clock.ts';
import { startBatchWorkerLoop } from '#local/batch-worker-loop.ts';
import { startDynamoStandIn } from '#local/dynamodb-standin.ts';
import { startSimulatedUpstream } from '#local/simulated/simulated-upstream.ts';
import { startSqsStandIn } from '#local/sqs-standin.ts';

const items = Number(process.env['BENCH_BATCH_ITEMS'] ?? 300);
const levels = (process.env['BENCH_CONCURRENCY'] ?? '1,2,4,8').split(',').map(Number);
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

const dynamo = await startDynamoStandIn();
const queues = await startSqsStandIn();
const upstream = await startSimulatedUpstream({ kind: 'openai-compatible', latencyMs: 0, tokensPerSecond: 0, errorRate: 0 });
const documents = standInDocumentStore(dynamo.endpoint);
const sqs = new SQSClient({ endpoint: queues.endpoint, region: 'us-east-1', credentials, useQueueUrlAsEndpoint: false });
try {
  const catalog = parseCatalog({
    version: 1,
    providers: [{ id: 'sim', kind: 'openai-compatible', baseUrl: upstream.url }],
    models: [{ id: 'sim-model', provider: 'sim', upstreamId: 'sim-model', pricing: { currency: 'USD', inputPerMTok: 1, outputPerMTok: 2 }, contextWindow: 128000, maxOutputTokens: 4096, quality: { overall: 0.8 } }],
  });
  const client = createProviderClient(catalog.providers.get('sim')!, 'simulated');
  const chat = new ChatService({ catalog, provider: () => client, ledger: new DynamoCostLedger(documents, dynamo.tableNames['costs']!), clock: systemClock });
  const jobs = new DynamoJobStore(documents, dynamo.tableNames['jobs']!);
  const queue = new SqsJobQueue(standInQueueCalls(queues.endpoint), queues.queueUrl);
  const handler = createBatchWorker({ chat, jobs, queue, clock: systemClock, maxReceiveCount: 5, retryDelaySeconds: () => 0 });
  const rows: string[] = [];
  for (const concurrency of levels) {
    const jobId = `batch_bench_c${concurrency}`;
    const submission = validateSubmission({
      items: Array.from({ length: items }, (_, i) => ({ custom_id: `i${i}`, body: { model: 'sim-model', max_tokens: 16, messages: [{ role: 'user', content: `Question ${i}` }] } })),
    }, { catalog, hints: {}, jobId, tenantId: 'bench', keyId: 'bench' });
    await jobs.createJob({ jobId, tenantId: 'bench', keyId: 'bench', endpoint: '/v1/chat/completions', completionWindow: '24h', metadata: {}, createdAt: Date.now() },
      submission.messages.map((m) => ({ itemId: m.itemId, customId: m.customId })));
    const unsent = await queue.sendAll(submission.messages);
    if (unsent.length) throw new Error(`${unsent.length} messages not sent`);
    const t0 = performance.now();
    const loop = startBatchWorkerLoop({ queueUrl: queues.queueUrl, handler, concurrency, batchSize: 10, waitTimeSeconds: 1, client: sqs });
    for (;;) {
      const job = await jobs.getJob('bench', jobId);
      if (job && job.queued + job.inProgress === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - t0) / 1000;
    await loop.stop();
    const job = (await jobs.getJob('bench', jobId))!;
    rows.push(`| ${String(concurrency).padStart(2)} | ${String(items).padStart(5)} | ${String(job.completed).padStart(9)} | ${seconds.toFixed(2).padStart(6)} | ${(job.completed / seconds).toFixed(0).padStart(6)} |`);
  }
  console.log(`batch throughput, ${items} items per row, Node ${process.version}, fauxqs + dynalite in process, simulated upstream with zero think time`);
  console.log('|  c | items | completed | secs   | items/s |');
  console.log('|---:|------:|----------:|-------:|--------:|');
  for (const row of rows) console.log(row);
} finally {
  sqs.destroy();
  await upstream.close();
  await queues.close();
  await dynamo.close();
}
