// JobStore on DynamoDB (the contract's job table). One partition per job, `JOB#<tenant>#<job>`, so a
// tenant can only ever address its own jobs; the job record (sk `JOB`) holds the counters, updated
// with ADD after each item's conditional state change; items are `ITEM#<itemId>`. Every ADD also
// bumps `version`, so a recount (counters rebuilt from the items) is written only if no ADD came in
// between. A per-tenant index partition, `JOBS#<tenant>`, lists jobs newest first.
import { BatchWriteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '../aws/dynamodb-commands.ts';
import type { DynamoDocuments, UpdateCommandInput, UpdateCommandOutput } from '../aws/dynamodb-commands.ts';
import type { ClaimResult, ItemOutcome, JobPage, JobStore, NewItem, NewJob, ResultFiles } from '#core/batch/ports.ts';
import { counterDelta, countStates, deadlineOf, EXPIRED_ERROR, expiresAtSeconds, FINAL_STATES, needsRecount, pendingCount } from '#core/batch/job-model.ts';
import type { ItemError, ItemKey, ItemRecord, ItemState, JobCounters, JobRecord } from '#core/batch/job-model.ts';
import { isConditionFailure } from './condition-failed.ts';

export const jobKeys = {
  pk: (tenantId: string, jobId: string) => `JOB#${tenantId}#${jobId}`,
  jobSk: 'JOB',
  itemSk: (itemId: string) => `ITEM#${itemId}`,
  /** The tenant's job index: one pointer per job, sorted by creation time. */
  indexPk: (tenantId: string) => `JOBS#${tenantId}`,
  indexSk: (createdAt: number, jobId: string) => `BATCH#${String(createdAt).padStart(15, '0')}#${jobId}`,
} as const;

const COUNTER_NAMES: ReadonlyArray<keyof JobCounters> = ['total', 'queued', 'inProgress', 'completed', 'failed', 'cancelled', 'expired'];
/** Recount attempts before giving up for now (each lost to a concurrent counter change). */
const RECOUNT_ATTEMPTS = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const NAMES = { '#state': 'state', '#claim': 'claim' };

/** The condition that `claim` still holds the item in progress; adds its names and values. */
function heldBy(claim: string, names: Record<string, string>, values: Record<string, unknown>): string {
  names['#claim'] = 'claim';
  values[':inProgress'] = 'in_progress';
  values[':claim'] = claim;
  return '#state = :inProgress AND #claim = :claim';
}

export class DynamoJobStore implements JobStore {
  private readonly client: DynamoDocuments;
  private readonly tableName: string;

  constructor(client: DynamoDocuments, tableName: string) {
    this.client = client;
    this.tableName = tableName;
  }

  async createJob(job: NewJob, items: readonly NewItem[]): Promise<void> {
    const pk = jobKeys.pk(job.tenantId, job.jobId);
    const expiresAt = expiresAtSeconds(job.createdAt);
    // The index pointer first: a pointer whose job was never written is skipped by listJobs.
    await this.putIndexPointer(job.tenantId, job.jobId, job.createdAt, expiresAt);
    await this.client.send(new PutCommand({
      TableName: this.tableName,
      Item: {
        pk, sk: jobKeys.jobSk, ...job, deadline: deadlineOf(job.createdAt, job.completionWindow), expiresAt, cancelRequested: false,
        total: items.length, queued: items.length, inProgress: 0, completed: 0, failed: 0, cancelled: 0, expired: 0,
        version: 0, countedAt: job.createdAt,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }));
    const chunks: NewItem[][] = [];
    for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
    let next = 0;
    const writer = async (): Promise<void> => {
      while (next < chunks.length) {
        const chunk = chunks[next++]!;
        await this.writeAll(chunk.map((item) => ({ PutRequest: { Item: this.newItem(job, item, expiresAt) } })));
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, chunks.length) }, writer));
  }

  async getJob(tenantId: string, jobId: string): Promise<JobRecord | undefined> {
    const raw = await this.getJobItem(tenantId, jobId);
    return raw ? toJob(raw) : undefined;
  }

  async listJobs(tenantId: string, limit: number, after?: Pick<JobRecord, 'jobId' | 'createdAt'>): Promise<JobPage> {
    const jobs: JobRecord[] = [];
    let start: Record<string, unknown> | undefined = after
      ? { pk: jobKeys.indexPk(tenantId), sk: jobKeys.indexSk(after.createdAt, after.jobId) }
      : undefined;
    let more = true;
    // One more than asked for tells whether there is another page.
    while (jobs.length <= limit && more) {
      const page = await this.client.send(new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :batch)',
        ExpressionAttributeValues: { ':pk': jobKeys.indexPk(tenantId), ':batch': 'BATCH#' },
        ScanIndexForward: false,
        Limit: limit + 1 - jobs.length,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }));
      const found = await Promise.all((page.Items ?? []).map((pointer) => this.getJob(tenantId, String(pointer['jobId']))));
      jobs.push(...found.filter((job): job is JobRecord => job !== undefined));
      start = page.LastEvaluatedKey;
      more = start !== undefined;
    }
    return { jobs: jobs.slice(0, limit), hasMore: jobs.length > limit };
  }

  async *listItems(tenantId: string, jobId: string): AsyncIterable<ItemRecord> {
    for await (const item of this.itemsOf(tenantId, jobId)) yield item as unknown as ItemRecord;
  }

  async ensureItem(job: NewJob, item: NewItem): Promise<void> {
    const expiresAt = expiresAtSeconds(job.createdAt);
    try {
      await this.client.send(new PutCommand({
        TableName: this.tableName, Item: this.newItem(job, item, expiresAt), ConditionExpression: 'attribute_not_exists(pk)',
      }));
    } catch (error) {
      if (isConditionFailure(error)) return;
      throw error;
    }
    const result = await this.client.send(new UpdateCommand({
      TableName: this.tableName,
      Key: { pk: jobKeys.pk(job.tenantId, job.jobId), sk: jobKeys.jobSk },
      UpdateExpression: 'SET jobId = if_not_exists(jobId, :jobId), tenantId = if_not_exists(tenantId, :tenantId), '
        + 'keyId = if_not_exists(keyId, :keyId), endpoint = if_not_exists(endpoint, :endpoint), '
        + 'completionWindow = if_not_exists(completionWindow, :window), metadata = if_not_exists(metadata, :metadata), '
        + 'createdAt = if_not_exists(createdAt, :now), deadline = if_not_exists(deadline, :deadline), '
        + 'cancelRequested = if_not_exists(cancelRequested, :false), '
        + 'expiresAt = if_not_exists(expiresAt, :expiresAt), countedAt = :now REMOVE finishedAt ADD #total :one, #queued :one, #version :one',
      ExpressionAttributeNames: { '#total': 'total', '#queued': 'queued', '#version': 'version' },
      ExpressionAttributeValues: {
        ':jobId': job.jobId, ':tenantId': job.tenantId, ':keyId': job.keyId, ':endpoint': job.endpoint,
        ':window': job.completionWindow, ':metadata': job.metadata, ':now': job.createdAt, ':false': false,
        ':deadline': deadlineOf(job.createdAt, job.completionWindow), ':expiresAt': expiresAt, ':one': 1,
      },
      ReturnValues: 'ALL_NEW',
    }));
    // A job first seen on the queue gets its index pointer with the creation time that was stored.
    const stored = result.Attributes ?? {};
    await this.putIndexPointer(job.tenantId, job.jobId, Number(stored['createdAt'] ?? job.createdAt), Number(stored['expiresAt'] ?? expiresAt));
  }

  async claim(key: ItemKey, claim: string, now: number): Promise<ClaimResult> {
    const result = await this.updateIf({
      Key: this.itemKey(key),
      // lastError marks an item waiting for its next delivery; a claimed item is being called.
      UpdateExpression: 'SET #state = :inProgress, #claim = :claim, updatedAt = :now REMOVE lastError ADD attempts :one',
      ConditionExpression: 'attribute_exists(pk) AND (#state = :queued OR #state = :inProgress) AND (attribute_not_exists(#claim) OR #claim <> :claim)',
      ExpressionAttributeNames: NAMES,
      ExpressionAttributeValues: { ':inProgress': 'in_progress', ':queued': 'queued', ':claim': claim, ':now': now, ':one': 1 },
      ReturnValues: 'ALL_OLD',
    });
    if (result) {
      const previous = result.Attributes as unknown as ItemRecord;
      const item: ItemRecord = { ...previous, state: 'in_progress', claim, attempts: (previous.attempts ?? 0) + 1, updatedAt: now };
      // The first claim moves the item out of `queued`; a retry finds it in progress already.
      if (previous.state === 'queued') await this.addCounters(key, counterDelta('queued', 'in_progress'), now);
      return { kind: 'claimed', item };
    }
    const current = await this.getItem(key);
    if (!current) return { kind: 'missing' };
    if (FINAL_STATES.has(current.state)) return { kind: 'final', item: current };
    return { kind: 'taken', item: current };
  }

  async finish(key: ItemKey, outcome: ItemOutcome, claim: string | undefined, now: number): Promise<boolean> {
    const values: Record<string, unknown> = { ':state': outcome.state, ':now': now };
    const names: Record<string, string> = { '#state': 'state' };
    let set = 'SET #state = :state, updatedAt = :now';
    if (outcome.state === 'completed') {
      set += ', #response = :response';
      names['#response'] = 'response';
      values[':response'] = outcome.response;
    } else {
      set += ', #error = :error';
      names['#error'] = 'error';
      values[':error'] = outcome.error;
      if (outcome.state === 'failed' && outcome.deadLetter) {
        set += ', deadLetter = :true';
        values[':true'] = true;
      }
    }
    let condition: string;
    if (claim !== undefined) {
      condition = heldBy(claim, names, values);
    } else {
      condition = 'attribute_exists(pk) AND (#state = :queued OR #state = :inProgress)';
      values[':queued'] = 'queued';
      values[':inProgress'] = 'in_progress';
    }
    const result = await this.updateIf({
      Key: this.itemKey(key),
      UpdateExpression: `${set} REMOVE lastError`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValues: 'ALL_OLD',
    });
    if (!result) return false;
    const previous = (result.Attributes as { state?: ItemState } | undefined)?.state ?? 'queued';
    await this.addCounters(key, counterDelta(previous, outcome.state), now);
    return true;
  }

  async expire(key: ItemKey, claim: string | undefined, now: number): Promise<boolean> {
    const error = { ...EXPIRED_ERROR };
    const names: Record<string, string> = { '#state': 'state', '#error': 'error' };
    const values: Record<string, unknown> = { ':expired': 'expired', ':error': error, ':now': now };
    let condition: string;
    if (claim === undefined) {
      condition = '#state = :queued';
      values[':queued'] = 'queued';
    } else {
      condition = heldBy(claim, names, values);
    }
    const result = await this.updateIf({
      Key: this.itemKey(key),
      UpdateExpression: 'SET #state = :expired, #error = :error, updatedAt = :now REMOVE lastError',
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
    if (!result) return false;
    await this.addCounters(key, counterDelta(claim === undefined ? 'queued' : 'in_progress', 'expired'), now);
    return true;
  }

  async noteRetry(key: ItemKey, claim: string, error: ItemError, now: number): Promise<void> {
    // A claim lost meanwhile: the note is moot.
    await this.updateIf({
      Key: this.itemKey(key),
      UpdateExpression: 'SET lastError = :error, updatedAt = :now',
      ConditionExpression: '#claim = :claim',
      ExpressionAttributeNames: { '#claim': 'claim' },
      ExpressionAttributeValues: { ':error': error, ':now': now, ':claim': claim },
    });
  }

  async requestCancel(tenantId: string, jobId: string, now: number): Promise<JobRecord | undefined> {
    const result = await this.updateIf({
      Key: { pk: jobKeys.pk(tenantId, jobId), sk: jobKeys.jobSk },
      UpdateExpression: 'SET cancelRequested = :true, cancellingAt = if_not_exists(cancellingAt, :now)',
      ConditionExpression: 'attribute_exists(jobId)',
      ExpressionAttributeValues: { ':true': true, ':now': now },
      ReturnValues: 'ALL_NEW',
    });
    return result ? toJob(result.Attributes!) : undefined;
  }

  async requeue(key: ItemKey, now: number): Promise<boolean> {
    const result = await this.updateIf({
      Key: this.itemKey(key),
      UpdateExpression: 'SET #state = :queued, updatedAt = :now REMOVE #claim, #error, lastError, deadLetter',
      ConditionExpression: '#state = :failed',
      ExpressionAttributeNames: { ...NAMES, '#error': 'error' },
      ExpressionAttributeValues: { ':queued': 'queued', ':failed': 'failed', ':now': now },
    });
    if (!result) return false;
    await this.addCounters(key, counterDelta('failed', 'queued'), now);
    return true;
  }

  async recount(tenantId: string, jobId: string, now: number): Promise<JobRecord | undefined> {
    const jobKey = { pk: jobKeys.pk(tenantId, jobId), sk: jobKeys.jobSk };
    for (let attempt = 0; attempt < RECOUNT_ATTEMPTS; attempt += 1) {
      const current = await this.getJobItem(tenantId, jobId);
      if (!current) return undefined;
      const version = Number(current['version'] ?? 0);
      const counts = countStates(await this.itemStates(tenantId, jobId));
      const finished = pendingCount(counts) === 0;
      const names: Record<string, string> = { '#version': 'version' };
      const values: Record<string, unknown> = { ':v': version, ':next': version + 1, ':now': now };
      const sets = COUNTER_NAMES.map((name, i) => {
        names[`#c${i}`] = name;
        values[`:c${i}`] = counts[name];
        return `#c${i} = :c${i}`;
      });
      sets.push('#version = :next', 'recountedAt = :now');
      if (finished) sets.push('finishedAt = if_not_exists(finishedAt, :now)');
      const result = await this.updateIf({
        Key: jobKey,
        UpdateExpression: `SET ${sets.join(', ')}${finished ? '' : ' REMOVE finishedAt'}`,
        // Written only if no ADD came in since the read: an ADD after it would count an item twice.
        ConditionExpression: 'attribute_exists(jobId) AND (attribute_not_exists(#version) OR #version = :v)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      });
      if (result) return toJob(result.Attributes!);
    }
    return this.getJob(tenantId, jobId);
  }

  private async itemStates(tenantId: string, jobId: string): Promise<ItemState[]> {
    const states: ItemState[] = [];
    for await (const item of this.itemsOf(tenantId, jobId, '#state')) states.push(item['state'] as ItemState);
    return states;
  }

  /** Every item of a job, page by page (consistent reads); `projection` (of `#state`) narrows them. */
  private async *itemsOf(tenantId: string, jobId: string, projection?: '#state'): AsyncIterable<Record<string, unknown>> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :item)',
        ExpressionAttributeValues: { ':pk': jobKeys.pk(tenantId, jobId), ':item': 'ITEM#' },
        ...(projection ? { ProjectionExpression: projection, ExpressionAttributeNames: { '#state': 'state' } } : {}),
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }));
      yield* page.Items ?? [];
      start = page.LastEvaluatedKey;
    } while (start);
  }

  /** An UpdateItem whose condition may not hold: its output, or undefined when the condition failed. */
  private async updateIf(input: Omit<UpdateCommandInput, 'TableName'>): Promise<UpdateCommandOutput | undefined> {
    try {
      return await this.client.send(new UpdateCommand({ TableName: this.tableName, ...input }));
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  private async getJobItem(tenantId: string, jobId: string): Promise<Record<string, unknown> | undefined> {
    const result = await this.client.send(new GetCommand({
      TableName: this.tableName, Key: { pk: jobKeys.pk(tenantId, jobId), sk: jobKeys.jobSk }, ConsistentRead: true,
    }));
    return result.Item && result.Item['jobId'] ? result.Item : undefined;
  }

  private async putIndexPointer(tenantId: string, jobId: string, createdAt: number, expiresAt: number): Promise<void> {
    await this.client.send(new PutCommand({
      TableName: this.tableName,
      Item: { pk: jobKeys.indexPk(tenantId), sk: jobKeys.indexSk(createdAt, jobId), jobId, createdAt, expiresAt },
    }));
  }

  async getItem(key: ItemKey): Promise<ItemRecord | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: this.itemKey(key), ConsistentRead: true }));
    return result.Item as ItemRecord | undefined;
  }

  /**
   * ADDs the deltas to the job's counters (and bumps `version`). When they then read finished, or
   * cannot be right, the job is recounted from its items, which also stamps `finishedAt`.
   */
  private async addCounters(key: ItemKey, delta: Partial<JobCounters>, now: number): Promise<void> {
    const entries = Object.entries(delta).filter(([, v]) => v);
    if (entries.length === 0) return;
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':one': 1, ':now': now };
    const parts = entries.map(([name, value], i) => {
      names[`#c${i}`] = name;
      values[`:c${i}`] = value;
      return `#c${i} :c${i}`;
    });
    const jobKey = { pk: jobKeys.pk(key.tenantId, key.jobId), sk: jobKeys.jobSk };
    const result = await this.client.send(new UpdateCommand({
      TableName: this.tableName, Key: jobKey, UpdateExpression: `SET countedAt = :now ADD ${parts.join(', ')}, #version :one`,
      ExpressionAttributeNames: names, ExpressionAttributeValues: values, ReturnValues: 'ALL_NEW',
    }));
    const job = toJob(result.Attributes ?? {});
    if (pendingCount(job) > 0 && job.finishedAt !== undefined) {
      await this.client.send(new UpdateCommand({ TableName: this.tableName, Key: jobKey, UpdateExpression: 'REMOVE finishedAt' }));
    } else if (needsRecount(job, now, Number.POSITIVE_INFINITY)) {
      await this.recount(key.tenantId, key.jobId, now);
    }
  }

  async setResultFiles(tenantId: string, jobId: string, files: ResultFiles, now: number): Promise<JobRecord | undefined> {
    const result = await this.updateIf({
      Key: { pk: jobKeys.pk(tenantId, jobId), sk: jobKeys.jobSk },
      UpdateExpression: 'SET outputFileId = :output, errorFileId = :error, resultFilesAt = :now',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(resultFilesAt)',
      ExpressionAttributeValues: { ':output': files.outputFileId, ':error': files.errorFileId, ':now': now },
      ReturnValues: 'ALL_NEW',
    });
    // Set already (another delivery got there first): the job as it stands.
    if (!result) return this.getJob(tenantId, jobId);
    return result.Attributes ? toJob(result.Attributes) : undefined;
  }

  private async writeAll(requests: Array<Record<string, unknown>>): Promise<void> {
    let pending = requests;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
      if (attempt > 8) throw new Error(`job store: ${pending.length} item writes left unprocessed`);
      const result = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending as never } }));
      pending = (result.UnprocessedItems?.[this.tableName] ?? []) as Array<Record<string, unknown>>;
    }
  }

  private itemKey(key: ItemKey): { pk: string; sk: string } {
    return { pk: jobKeys.pk(key.tenantId, key.jobId), sk: jobKeys.itemSk(key.itemId) };
  }

  private newItem(job: NewJob, item: NewItem, expiresAt: number): Record<string, unknown> {
    return {
      pk: jobKeys.pk(job.tenantId, job.jobId), sk: jobKeys.itemSk(item.itemId), jobId: job.jobId, itemId: item.itemId,
      tenantId: job.tenantId, customId: item.customId, state: 'queued', attempts: 0,
      createdAt: job.createdAt, updatedAt: job.createdAt, expiresAt,
    };
  }
}

function toJob(item: Record<string, unknown>): JobRecord {
  const n = (name: string) => Number(item[name] ?? 0);
  const optional = (name: 'cancellingAt' | 'finishedAt' | 'countedAt' | 'recountedAt' | 'resultFilesAt') => (item[name] === undefined ? {} : { [name]: n(name) });
  const completionWindow = String(item['completionWindow'] ?? '24h');
  return {
    jobId: String(item['jobId']),
    tenantId: String(item['tenantId']),
    keyId: String(item['keyId'] ?? ''),
    endpoint: String(item['endpoint'] ?? '/v1/chat/completions'),
    completionWindow,
    metadata: (item['metadata'] as Record<string, string> | undefined) ?? {},
    createdAt: n('createdAt'),
    deadline: item['deadline'] === undefined ? deadlineOf(n('createdAt'), completionWindow) : n('deadline'),
    cancelRequested: item['cancelRequested'] === true,
    ...optional('cancellingAt'), ...optional('finishedAt'), ...optional('countedAt'), ...optional('recountedAt'), ...optional('resultFilesAt'),
    ...fileIds(item),
    total: n('total'), queued: n('queued'), inProgress: n('inProgress'), completed: n('completed'), failed: n('failed'), cancelled: n('cancelled'), expired: n('expired'),
  };
}

/** The input and result file ids of a file-form job (absent on jobs submitted with items or input). */
function fileIds(item: Record<string, unknown>): Pick<JobRecord, 'inputFileId' | 'outputFileId' | 'errorFileId'> {
  const id = (name: string): string | null | undefined => (item[name] === undefined ? undefined : item[name] === null ? null : String(item[name]));
  const ids = { inputFileId: id('inputFileId') ?? undefined, outputFileId: id('outputFileId'), errorFileId: id('errorFileId') };
  return Object.fromEntries(Object.entries(ids).filter(([, value]) => value !== undefined));
}
