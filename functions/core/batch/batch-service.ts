// The batch API's use cases: create a job (validate, record every item as queued, enqueue), read it,
// stream its output lines, cancel it. Jobs are addressed per tenant, so another tenant's job id
// simply does not exist (404).
import type { Principal } from '../auth/ports.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { RoutingHints } from '../routing/hints.ts';
import type { Clock } from '../shared/clock.ts';
import { InvalidRequestError, NotFoundError } from '../shared/errors.ts';
import { toBatchList, toBatchObject, toOutputLine } from './batch-object.ts';
import type { BatchList, BatchObject, OutputLine } from './batch-object.ts';
import type { JobRecord } from './job-model.ts';
import type { JobQueue, JobStore } from './ports.ts';
import { settleJob } from './settle-job.ts';
import type { SettleOptions } from './settle-job.ts';
import { validateSubmission } from './submit-validation.ts';

export interface BatchServiceDeps {
  catalog: Catalog;
  jobs: JobStore;
  queue: JobQueue;
  clock: Clock;
  /** A new job id, `batch_<32 hex>`. */
  newJobId(): string;
  /** How reads settle a job (expiry, recount). */
  settle: SettleOptions;
}

const notFound = (id: string) => new NotFoundError(`No batch found with id '${id}'.`, 'batch_id', 'batch_not_found');

export class BatchService {
  private readonly deps: BatchServiceDeps;

  constructor(deps: BatchServiceDeps) {
    this.deps = deps;
  }

  /** POST /v1/batches: throws a 400 naming every bad item; otherwise every item ends queued or failed. */
  async create(principal: Principal, body: unknown, hints: RoutingHints): Promise<BatchObject> {
    const { catalog, jobs, queue, clock } = this.deps;
    const jobId = this.deps.newJobId();
    const submission = validateSubmission(body, { catalog, hints, jobId, tenantId: principal.tenantId, keyId: principal.keyId });
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
    if (!job) throw notFound(jobId);
    return toBatchObject(job);
  }

  /** GET /v1/batches/{id} */
  async retrieve(principal: Principal, jobId: string): Promise<BatchObject> {
    return toBatchObject(await this.current(principal, jobId));
  }

  /** GET /v1/batches?limit&after: the tenant's jobs, newest first, in OpenAI's list shape. */
  async list(principal: Principal, limit: number, after?: string): Promise<BatchList> {
    const { jobs } = this.deps;
    let from: JobRecord | undefined;
    if (after !== undefined) {
      from = await jobs.getJob(principal.tenantId, after);
      if (!from) throw new InvalidRequestError(`Invalid value for 'after': no batch '${after}'.`, 'after', 'invalid_value');
    }
    const page = await jobs.listJobs(principal.tenantId, limit, from);
    const settled = await Promise.all(page.jobs.map((job) => settleJob(jobs, job, this.deps.clock.now(), this.deps.settle)));
    return toBatchList(settled, page.hasMore);
  }

  /** GET /v1/batches/{id}/results: one output line per finished item, in item order (checked before streaming). */
  async results(principal: Principal, jobId: string): Promise<AsyncIterable<OutputLine>> {
    const { jobs } = this.deps;
    await this.current(principal, jobId);
    async function* lines(): AsyncGenerator<OutputLine> {
      for await (const item of jobs.listItems(principal.tenantId, jobId)) {
        const line = toOutputLine(item);
        if (line) yield line;
      }
    }
    return lines();
  }

  /** POST /v1/batches/{id}/cancel: items not yet answered are recorded as cancelled by the worker. */
  async cancel(principal: Principal, jobId: string): Promise<BatchObject> {
    const job = await this.deps.jobs.requestCancel(principal.tenantId, jobId, this.deps.clock.now());
    if (!job) throw notFound(jobId);
    return toBatchObject(job);
  }

  /** The job, settled (expired items ended, counters recounted when they may have drifted). */
  private async current(principal: Principal, jobId: string): Promise<JobRecord> {
    const job = await this.deps.jobs.getJob(principal.tenantId, jobId);
    if (!job) throw notFound(jobId);
    return settleJob(this.deps.jobs, job, this.deps.clock.now(), this.deps.settle);
  }
}
