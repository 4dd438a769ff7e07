// The batch HTTP operations: submit, retrieve, results (JSONL, streamed), cancel. Jobs are stored per
// tenant, so another tenant's job id simply does not exist (404).
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { DynamoJobStore } from '#adapters/dynamodb/job-store.ts';
import { documentClient } from '#adapters/dynamodb/document-client.ts';
import { SqsJobQueue, sqsClient } from '#adapters/sqs/job-queue.ts';
import { batchIdSchema } from '#contracts/batch-message.ts';
import { envNames } from '#contracts/env.ts';
import { jobTable } from '#contracts/tables.ts';
import { toBatchObject, toOutputLine } from '#core/batch/batch-object.ts';
import { validateSubmission } from '#core/batch/submit-validation.ts';
import type { JobQueue, JobStore } from '#core/batch/ports.ts';
import type { Catalog } from '#core/catalog/catalog.ts';
import { AuthenticationError, NotFoundError, RouterError } from '#core/shared/errors.ts';
import { systemClock } from '#core/shared/clock.ts';
import type { Principal } from '#core/auth/ports.ts';
import type { Clock } from '#core/shared/clock.ts';
import { decodePathSegment, jsonBody, principalOf, routingHints } from './shared/http-event.ts';
import { json } from './shared/responses.ts';
import type { StreamingResponse } from './shared/responses.ts';
import { coldStart } from './shared/cold-start.ts';
import { routerRuntime } from './shared/router-runtime.ts';

/** Lambda's synchronous payload limit: larger submissions never arrive whole. */
export const BATCH_MAX_BODY_BYTES = 6 * 1024 * 1024;

export interface BatchApiRuntime {
  catalog: Catalog;
  jobs: JobStore;
  queue: JobQueue;
  clock: Clock;
}

const batchRuntime = coldStart(async (): Promise<BatchApiRuntime> => {
  const table = process.env[jobTable.envVar];
  const queueUrl = process.env[envNames.batchQueueUrl];
  if (!table || !queueUrl) {
    throw new Error(`Batch API configuration is invalid: ${jobTable.envVar} and ${envNames.batchQueueUrl} must be set`);
  }
  const { catalog } = await routerRuntime();
  return { catalog, jobs: new DynamoJobStore(documentClient(), table), queue: new SqsJobQueue(sqsClient(), queueUrl), clock: systemClock };
});

const notFound = (id: string) => new NotFoundError(`No batch found with id '${id}'.`, 'batch_id', 'batch_not_found');

/** POST /v1/batches */
export async function createBatch(event: APIGatewayProxyEvent, principal: Principal, requestId: string): Promise<StreamingResponse> {
  const { catalog, jobs, queue, clock } = await batchRuntime();
  const jobId = `batch_${randomUUID().replace(/-/g, '')}`;
  const submission = validateSubmission(jsonBody(event, BATCH_MAX_BODY_BYTES), {
    catalog, hints: routingHints(event), jobId, tenantId: principal.tenantId, keyId: principal.keyId,
  });
  const now = clock.now();
  // Items are written as queued before anything is sent: whatever happens next, none is unaccounted for.
  await jobs.createJob(
    { jobId, tenantId: principal.tenantId, keyId: principal.keyId, endpoint: '/v1/chat/completions', completionWindow: submission.completionWindow, metadata: submission.metadata, createdAt: now },
    submission.messages.map((m) => ({ itemId: m.itemId, customId: m.customId })),
  );
  const failures = await queue.sendAll(submission.messages);
  for (const failure of failures) {
    await jobs.finish(
      { tenantId: principal.tenantId, jobId, itemId: failure.message.itemId },
      { state: 'failed', error: { code: 'enqueue_failed', message: `The item could not be queued: ${failure.reason}`, status: 503 } },
      undefined, clock.now(),
    );
  }
  const job = await jobs.getJob(principal.tenantId, jobId);
  return json(200, toBatchObject(job!), { 'x-request-id': requestId });
}

/** GET /v1/batches/{id} */
export async function retrieveBatch(event: APIGatewayProxyEvent, principal: Principal, requestId: string): Promise<StreamingResponse> {
  const id = batchIdOf(event);
  const { jobs } = await batchRuntime();
  const job = await jobs.getJob(principal.tenantId, id);
  if (!job) throw notFound(id);
  return json(200, toBatchObject(job), { 'x-request-id': requestId });
}

/** GET /v1/batches/{id}/results: one JSONL line per finished item, in input order. */
export async function batchResults(event: APIGatewayProxyEvent, principal: Principal, requestId: string): Promise<StreamingResponse> {
  const id = batchIdOf(event);
  const { jobs } = await batchRuntime();
  if (!await jobs.getJob(principal.tenantId, id)) throw notFound(id);
  async function* lines(): AsyncGenerator<string> {
    for await (const item of jobs.listItems(principal.tenantId, id)) {
      const line = toOutputLine(item);
      if (line) yield `${JSON.stringify(line)}\n`;
    }
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/jsonl; charset=utf-8', 'cache-control': 'no-store', 'x-request-id': requestId },
    body: Readable.from(lines(), { objectMode: false }),
  };
}

/** POST /v1/batches/{id}/cancel: items not yet answered are skipped (recorded as cancelled) by the worker. */
export async function cancelBatch(event: APIGatewayProxyEvent, principal: Principal, requestId: string): Promise<StreamingResponse> {
  const id = batchIdOf(event);
  const { jobs, clock } = await batchRuntime();
  const job = await jobs.requestCancel(principal.tenantId, id, clock.now());
  if (!job) throw notFound(id);
  return json(200, toBatchObject(job), { 'x-request-id': requestId });
}

const ROUTES: Array<{ method: string; pattern: RegExp; run: typeof createBatch }> = [
  { method: 'POST', pattern: /^\/v1\/batches$/, run: createBatch },
  { method: 'GET', pattern: /^\/v1\/batches\/[^/]+$/, run: retrieveBatch },
  { method: 'GET', pattern: /^\/v1\/batches\/[^/]+\/results$/, run: batchResults },
  { method: 'POST', pattern: /^\/v1\/batches\/[^/]+\/cancel$/, run: cancelBatch },
];

/** Dispatches `/v1/batches...`; the router calls it for every path under /v1/batches. */
export async function routeBatches(event: APIGatewayProxyEvent, method: string, path: string, requestId: string): Promise<StreamingResponse> {
  const matching = ROUTES.filter((r) => r.pattern.test(path));
  if (matching.length === 0) throw new NotFoundError(`Unknown path ${method} ${path}.`, null, 'unknown_url');
  const route = matching.find((r) => r.method === method);
  if (!route) {
    const allowed = matching.map((r) => r.method).join(', ');
    throw new RouterError(`Method ${method} is not allowed here; use ${allowed}.`, {
      status: 405, type: 'invalid_request_error', code: 'method_not_allowed', headers: { allow: allowed },
    });
  }
  const principal = principalOf(event);
  if (!principal) throw new AuthenticationError('Missing or invalid API key. Send Authorization: Bearer <key>.');
  return route.run(event, principal, requestId);
}

function batchIdOf(event: APIGatewayProxyEvent): string {
  const path = (event.path ?? '').replace(/\/+$/, '');
  const raw = path.split('/')[3] ?? '';
  const id = decodePathSegment(raw) ?? raw;
  if (!batchIdSchema.safeParse(id).success) throw notFound(id);
  return id;
}
