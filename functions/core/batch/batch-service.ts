// The batch API's use cases: create a job (validate, record every item as queued, enqueue), read it,
// stream its output lines, cancel it. Jobs are addressed per tenant, so another tenant's job id
// simply does not exist (404).
import type { Principal } from '../auth/ports.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { RoutingHints } from '../routing/hints.ts';
import type { Clock } from '../shared/clock.ts';
import { InvalidRequestError, NotFoundError } from '../shared/errors.ts';
import type { BatchMessage } from '#contracts/batch-message.ts';
import { parseBatchInput } from '../files/batch-input.ts';
import { derivedFileId, FILE_ID_PATTERN } from '../files/file-id.ts';
import type { FileStore } from '../files/ports.ts';
import { awaitsResultFiles, toBatchList, toBatchObject, toOutputLine } from './batch-object.ts';
import type { BatchList, BatchObject, OutputLine } from './batch-object.ts';
import { parseFileSubmission, planFileItems } from './file-submission.ts';
import type { PlannedItems } from './file-submission.ts';
import type { JobRecord } from './job-model.ts';
import type { JobQueue, JobStore, NewJob } from './ports.ts';
import { toResultLine } from './result-files.ts';
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
  /** Input and result files of the file form (`input_file_id`); without it that form answers 400. */
  files?: FileStore;
}

const notFound = (id: string) => new NotFoundError(`No batch found with id '${id}'.`, 'batch_id', 'batch_not_found');

export class BatchService {
  private readonly deps: BatchServiceDeps;

  constructor(deps: BatchServiceDeps) {
    this.deps = deps;
  }

  /**
   * POST /v1/batches. The `items` / `input` forms throw a 400 naming every bad item; the file form
   * (`input_file_id`) records bad lines as failed items instead. Either way every item ends queued or failed.
   */
  async create(principal: Principal, body: unknown, hints: RoutingHints): Promise<BatchObject> {
    if (typeof body === 'object' && body !== null && 'input_file_id' in body) return this.createFromFile(principal, body, hints);
    const { catalog } = this.deps;
    const jobId = this.deps.newJobId();
    const submission = validateSubmission(body, { catalog, hints, jobId, tenantId: principal.tenantId, keyId: principal.keyId });
    return this.enqueue(
      { jobId, tenantId: principal.tenantId, keyId: principal.keyId, endpoint: '/v1/chat/completions', completionWindow: submission.completionWindow, metadata: submission.metadata, createdAt: this.deps.clock.now() },
      { messages: submission.messages, rejected: [] },
    );
  }

  private async createFromFile(principal: Principal, body: object, hints: RoutingHints): Promise<BatchObject> {
    const { catalog, files } = this.deps;
    if (!files) throw new InvalidRequestError('Batches from files are not configured here; send "items" or "input".', 'input_file_id', 'invalid_value');
    const submission = parseFileSubmission(body);
    const { tenantId, keyId } = principal;
    const id = submission.inputFileId;
    const input = FILE_ID_PATTERN.test(id) ? await files.head(tenantId, id) : undefined;
    const content = input ? await files.read(tenantId, id) : undefined;
    if (!input || !content) throw new NotFoundError(`No such File object: ${id}`, 'input_file_id', 'file_not_found');
    if (input.purpose !== 'batch') {
      throw new InvalidRequestError(`Invalid value for 'input_file_id': file ${id} has purpose '${input.purpose}'; upload the input with purpose 'batch'.`, 'input_file_id', 'invalid_value');
    }
    const jobId = this.deps.newJobId();
    const planned = planFileItems(parseBatchInput(content), submission.endpoint, { catalog, hints, jobId, tenantId, keyId });
    return this.enqueue(
      { jobId, tenantId, keyId, endpoint: submission.endpoint, completionWindow: submission.completionWindow, metadata: submission.metadata, createdAt: this.deps.clock.now(), inputFileId: id },
      planned,
    );
  }

  /** Records every item queued, fails the refused ones, then sends the rest (failing those that could not be sent). */
  private async enqueue(job: NewJob, planned: PlannedItems): Promise<BatchObject> {
    const { jobs, queue, clock } = this.deps;
    const items = [
      ...planned.messages.map((m: BatchMessage) => ({ itemId: m.itemId, customId: m.customId })),
      ...planned.rejected.map((r) => ({ itemId: r.itemId, customId: r.customId })),
    ].sort((a, b) => a.itemId.localeCompare(b.itemId));
    // Items are written as queued before anything is sent: whatever happens next, none is unaccounted for.
    await jobs.createJob(job, items);
    const key = (itemId: string) => ({ tenantId: job.tenantId, jobId: job.jobId, itemId });
    for (const rejected of planned.rejected) {
      await jobs.finish(key(rejected.itemId), { state: 'failed', error: rejected.error }, undefined, clock.now());
    }
    const failures = planned.messages.length ? await queue.sendAll(planned.messages) : [];
    for (const failure of failures) {
      await jobs.finish(
        key(failure.message.itemId),
        { state: 'failed', error: { code: 'enqueue_failed', message: `The item could not be queued: ${failure.reason}`, status: 503 } },
        undefined, clock.now(),
      );
    }
    const created = await jobs.getJob(job.tenantId, job.jobId);
    if (!created) throw notFound(job.jobId);
    return toBatchObject(created);
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
    const settled = await Promise.all(page.jobs.map(async (job) => this.finalize(await settleJob(jobs, job, this.deps.clock.now(), this.deps.settle))));
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

  /** The job, settled (expired items ended, counters recounted when they may have drifted) and finalized. */
  private async current(principal: Principal, jobId: string): Promise<JobRecord> {
    const job = await this.deps.jobs.getJob(principal.tenantId, jobId);
    if (!job) throw notFound(jobId);
    return this.finalize(await settleJob(this.deps.jobs, job, this.deps.clock.now(), this.deps.settle));
  }

  /**
   * A file-form job whose items have all ended gets its output and error files, written on the first
   * read that finds it so (status `finalizing` until then). The file ids follow from the job, so two
   * readers finalizing at once write the same files; the job keeps the first ids recorded.
   */
  private async finalize(job: JobRecord): Promise<JobRecord> {
    const { files, jobs, clock } = this.deps;
    // finishedAt (stamped by the recount that confirmed the end) dates the files and so fixes their ids.
    if (!files || !awaitsResultFiles(job) || job.finishedAt === undefined) return job;
    const lines = { output: [] as string[], error: [] as string[] };
    for await (const item of jobs.listItems(job.tenantId, job.jobId)) {
      const result = toResultLine(item);
      // Counters said done but an item has not ended yet: the next read finalizes.
      if (!result) return job;
      lines[result.file].push(`${JSON.stringify(result.line)}\n`);
    }
    const at = job.finishedAt;
    const write = async (kind: 'output' | 'error'): Promise<string | null> => {
      if (lines[kind].length === 0) return null;
      const content = new TextEncoder().encode(lines[kind].join(''));
      const id = derivedFileId(at, `${job.tenantId}\u0000${job.jobId}\u0000${kind}`);
      await files.put({ id, tenantId: job.tenantId, filename: `${job.jobId}_${kind}.jsonl`, purpose: 'batch_output', bytes: content.byteLength, createdAt: at }, content);
      return id;
    };
    const [outputFileId, errorFileId] = await Promise.all([write('output'), write('error')]);
    return (await jobs.setResultFiles(job.tenantId, job.jobId, { outputFileId, errorFileId }, clock.now())) ?? job;
  }
}
