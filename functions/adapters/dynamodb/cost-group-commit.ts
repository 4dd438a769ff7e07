// Group commit for the cost ledger: the records several invocations of one process hand over in the
// same turn of the event loop leave in ONE TransactWriteItems (a put-if-absent per record, one ADD per
// aggregate item with the increments summed exactly) instead of one transaction each. A Lambda
// instance runs one invocation at a time, so there a batch is one record and goes the one-record way
// as before; the local runtime under load (and any process serving concurrent calls) saves a store
// round trip, a socket write and, on DynamoDB, the conflicts of every call updating one hot aggregate.
//
// A process that serves many calls at once (the local runtime) may also wait `lingerMs` for more
// records: one transaction then carries the records of several turns, so the store's per-call work
// (HTTP, signing, validation) is paid once per batch instead of once per few records. A record waits
// at most that long before it is sent; Lambda keeps 0, where the invocation would be billed the wait.
//
// Exactness: a transaction is all or nothing. When a batch's transaction is cancelled (a duplicate
// record, a conflict) or refused (validation), nothing of it was applied, so every record of the
// batch is written again the one-record way, which tells a duplicate from a new record. A batch
// carries a ClientRequestToken, so a retry of a batch that did commit answers success instead of
// reporting its own records as duplicates (which would leave their cost out of the budget): the wire
// client's retries, and ours when its retries ran out with the outcome unknown (a lost answer, a
// timeout). Only a store unreachable through every resend, that later takes the one-record writes,
// can still report a committed batch's records as duplicates.
import { randomUUID } from 'node:crypto';
// From node:timers, not the global: tests that fake the global timers must not stall the ledger.
import { clearImmediate, clearTimeout, setImmediate, setTimeout } from 'node:timers';
import { NumberValue, TransactWriteCommand } from '../aws/dynamodb-commands.ts';
import type { DynamoDocuments } from '../aws/dynamodb-commands.ts';
import type { CostRecord } from '#core/pricing/ports.ts';
import { aggregateUpdate } from './cost-aggregates.ts';
import { appliedNothing } from './transaction-errors.ts';

/** DynamoDB's limits on one TransactWriteItems: 100 items, 4 MB in all (kept under it with room for the envelope). */
export const TRANSACTION_MAX_ITEMS = 100;
const TRANSACTION_MAX_BYTES = 3_500_000;

export type PutLike = { TableName: string; Item: Record<string, unknown>; ConditionExpression: string };
export type RecordOutcome = 'written' | 'duplicate' | 'unsupported';

interface Entry {
  put: PutLike;
  record: CostRecord;
  key: string;
  aggregateKey: string;
  resolve(outcome: RecordOutcome): void;
  reject(error: unknown): void;
}

export interface GroupCommitOptions {
  client: DynamoDocuments;
  tableName: string;
  /** The one-record way (its own transaction, duplicate detection, conflict retries). */
  single(put: PutLike, record: CostRecord): Promise<RecordOutcome>;
  /** Called with each batch's size as it is sent (tests, benches). */
  onBatch?(size: number): void;
  /** How long the first queued record waits for others (ms); 0 (default): only those of the same turn. */
  lingerMs?: number;
}

/** Queued records that are sent at once, whatever the linger: a full transaction's worth of records and aggregates. */
const FLUSH_AT_RECORDS = TRANSACTION_MAX_ITEMS / 2;

export class CostGroupCommit {
  readonly #options: GroupCommitOptions;
  #queue: Entry[] = [];
  /** The newest entry per record key still to settle: a second write of one record waits for the first. */
  readonly #latest = new Map<string, Promise<void>>();
  /** Cancels the flush scheduled for the queue (a timer with a linger, an immediate without). */
  #cancelFlush: (() => void) | undefined;
  /** Batches sent and not yet settled (what `flush` waits for). */
  readonly #inFlight = new Set<Promise<void>>();

  constructor(options: GroupCommitOptions) {
    this.#options = options;
  }

  /** Records `record` (whose put-if-absent is `put`) with whatever else arrives in this turn. */
  add(put: PutLike, record: CostRecord): Promise<RecordOutcome> {
    const key = `${String(put.Item['pk'])}\u0000${String(put.Item['sk'])}`;
    const before = this.#latest.get(key);
    let outcome: Promise<RecordOutcome>;
    if (before) {
      // The same record twice in flight (a retried write): it goes after the first, the one-record
      // way, which finds the first's item and answers duplicate. One transaction cannot hold both.
      outcome = before.then(() => this.#options.single(put, record));
    } else {
      outcome = new Promise<RecordOutcome>((resolve, reject) => {
        const { Key } = aggregateUpdate(this.#options.tableName, record);
        this.#queue.push({ put, record, key, aggregateKey: `${Key.pk}\u0000${Key.sk}`, resolve, reject });
        this.#schedule();
      });
    }
    const forget = (): void => { if (this.#latest.get(key) === settled) this.#latest.delete(key); };
    // Never rejects (the caller handles `outcome`'s failure), so a twin waiting on it always runs.
    const settled: Promise<void> = outcome.then(forget, forget);
    this.#latest.set(key, settled);
    return outcome;
  }

  /** Sends every queued record now and resolves once every batch sent so far has settled (a process that stops). */
  async flush(): Promise<void> {
    this.#flush();
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  #schedule(): void {
    const linger = this.#options.lingerMs ?? 0;
    if (this.#queue.length >= FLUSH_AT_RECORDS) {
      this.#flush();
    } else if (this.#queue.length === 1 && linger > 0) {
      const timer = setTimeout(() => this.#flush(), linger);
      this.#cancelFlush = () => clearTimeout(timer);
    } else if (this.#queue.length === 1) {
      const immediate = setImmediate(() => this.#flush());
      this.#cancelFlush = () => clearImmediate(immediate);
    }
  }

  #flush(): void {
    this.#cancelFlush?.();
    this.#cancelFlush = undefined;
    const entries = this.#queue;
    this.#queue = [];
    if (entries.length === 0) return;
    let batches: Entry[][];
    try {
      batches = splitBatches(entries);
    } catch {
      // An item that cannot be measured (JSON.stringify refuses it): each record on its own, where
      // its own write reports what is wrong with it.
      batches = entries.map((entry) => [entry]);
    }
    for (const batch of batches) {
      const sent = this.#commit(batch);
      this.#inFlight.add(sent);
      void sent.finally(() => this.#inFlight.delete(sent));
    }
  }

  async #commit(batch: Entry[]): Promise<void> {
    this.#options.onBatch?.(batch.length);
    if (batch.length === 1) {
      const [entry] = batch as [Entry];
      await this.#options.single(entry.put, entry.record).then(entry.resolve, entry.reject);
      return;
    }
    const transaction = new TransactWriteCommand({
      TransactItems: transactItems(this.#options.tableName, batch),
      ClientRequestToken: randomUUID(),
    });
    try {
      await this.#sendSettled(transaction);
    } catch {
      // Nothing of the batch was applied (or, past every resend, that is still unknown): each record
      // the one-record way, which tells a duplicate from a new record, one after another (in
      // parallel they would all update the same aggregate item and conflict on DynamoDB).
      for (const entry of batch) await this.#options.single(entry.put, entry.record).then(entry.resolve, entry.reject);
      return;
    }
    for (const entry of batch) entry.resolve('written');
  }

  /**
   * Sends a batch's transaction until its outcome is known. An error that does not say the store
   * refused it (a lost answer, a timeout, a 5xx, past the wire client's own retries) leaves open
   * whether it committed. Rewritten record by record, a batch that did commit would find its own
   * records and report them as duplicates, leaving their cost out of the budget. So the same
   * transaction, token included, is sent again first: the store answers success for one that
   * committed and applies one that did not. Throws once nothing of the batch was applied (or, after
   * the last resend, when that is still unknown: the residual case, see the header).
   */
  async #sendSettled(transaction: TransactWriteCommand): Promise<void> {
    for (let resend = 0; ; resend++) {
      try {
        await this.#options.client.send(transaction);
        return;
      } catch (error) {
        if (appliedNothing(error) || resend >= RESENDS_WHEN_UNKNOWN.length) throw error;
        await new Promise((resolve) => setTimeout(resolve, RESENDS_WHEN_UNKNOWN[resend]));
      }
    }
  }
}

/** Pauses (ms) before each resend of a transaction whose outcome is unknown. DynamoDB keeps a token for 10 minutes. */
const RESENDS_WHEN_UNKNOWN = [50, 250, 1_000];

/** Splits queued entries into transactions within DynamoDB's item and size limits. */
function splitBatches(entries: Entry[]): Entry[][] {
  if (entries.length === 1) return [entries];
  const batches: Entry[][] = [];
  let batch: Entry[] = [];
  let aggregates = new Set<string>();
  let bytes = 0;
  for (const entry of entries) {
    const size = Buffer.byteLength(JSON.stringify(entry.put.Item)) + 1_000;
    const items = batch.length + aggregates.size + 1 + (aggregates.has(entry.aggregateKey) ? 0 : 1);
    if (batch.length > 0 && (items > TRANSACTION_MAX_ITEMS || bytes + size > TRANSACTION_MAX_BYTES)) {
      batches.push(batch);
      batch = [];
      aggregates = new Set();
      bytes = 0;
    }
    batch.push(entry);
    aggregates.add(entry.aggregateKey);
    bytes += size;
  }
  batches.push(batch);
  return batches;
}

/** One conditional Put per record, then one Update per aggregate item carrying the sum of its records. */
function transactItems(tableName: string, batch: Entry[]): NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> {
  const byAggregate = new Map<string, CostRecord[]>();
  for (const entry of batch) {
    const records = byAggregate.get(entry.aggregateKey);
    if (records) records.push(entry.record);
    else byAggregate.set(entry.aggregateKey, [entry.record]);
  }
  return [
    ...batch.map((entry) => ({ Put: entry.put })),
    ...[...byAggregate.values()].map((records) => ({ Update: summedAggregateUpdate(tableName, records) })),
  ];
}

/** `aggregateUpdate` for several records of one aggregate item: the same ADDs, each the exact sum of theirs. */
export function summedAggregateUpdate(tableName: string, records: readonly CostRecord[]): ReturnType<typeof aggregateUpdate> {
  const updates = records.map((record) => aggregateUpdate(tableName, record));
  const first = updates[0]!;
  if (updates.length === 1) return first;
  const values = { ...first.ExpressionAttributeValues };
  for (const name of [':one', ':hit', ':in', ':out', ':cached', ':reasoning']) {
    values[name] = updates.reduce((sum, u) => sum + (u.ExpressionAttributeValues[name] as number), 0);
  }
  for (const name of [':cost', ':saved']) {
    values[name] = decimalSum(updates.map((u) => u.ExpressionAttributeValues[name] as NumberValue));
  }
  return { ...first, ExpressionAttributeValues: values };
}

/**
 * The exact sum of decimals (usdNumber's fixed-point text): added as integers of the smallest digit,
 * so the aggregate moves by exactly what the records' separate ADDs would have added.
 */
export function decimalSum(values: readonly NumberValue[]): NumberValue {
  const scale = Math.max(...values.map((v) => fractionDigits(v.value)));
  let total = 0n;
  for (const v of values) total += scaled(v.value, scale);
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return NumberValue.from(`${negative ? '-' : ''}${text}`);
}

function fractionDigits(text: string): number {
  const dot = text.indexOf('.');
  return dot === -1 ? 0 : text.length - dot - 1;
}

/** `text` (plain decimal notation, as usdNumber writes) times 10^scale, as an integer. */
function scaled(text: string, scale: number): bigint {
  if (/e/i.test(text)) throw new Error(`decimalSum: ${text} is not in plain decimal notation`);
  const negative = text.startsWith('-');
  const unsigned = negative ? text.slice(1) : text;
  const [whole = '0', fraction = ''] = unsigned.split('.');
  const units = BigInt(`${whole || '0'}${fraction.padEnd(scale, '0')}`);
  return negative ? -units : units;
}
