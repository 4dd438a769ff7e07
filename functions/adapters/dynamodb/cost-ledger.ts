// CostLedger on DynamoDB: one item per provider attempt (see costKeys for what makes it unique), written once whatever the retries, and the
// per-tenant/day/model aggregate (cost-aggregates.ts) updated only when the call record is new.
//
// With TransactWriteItems (DynamoDB, DynamoDB Local, and the local runtime's dynalite behind its
// transaction front, local/dynamodb-front.ts) the put-if-absent and the aggregate ADD commit together:
// exactly once. A backend without transactions (bare dynalite) falls back to put-then-update: the
// aggregate is updated at most once per call (a crash between the two writes leaves it one call short,
// never double-counted); the call records stay the source of truth for exports and reports.
// Records handed over in the same turn of the event loop share one transaction (cost-group-commit.ts).
import { randomUUID } from 'node:crypto';
import { PutCommand, TransactWriteCommand, UpdateCommand } from '../aws/dynamodb-commands.ts';
import type { DynamoDocuments } from '../aws/dynamodb-commands.ts';
import { costKeys } from '#contracts/tables.ts';
import { roundUsd } from '#core/pricing/cost.ts';
import type { CostLedger, CostRecord } from '#core/pricing/ports.ts';
import { aggregateUpdate } from './cost-aggregates.ts';
import { isConditionFailure } from './condition-failed.ts';
import { CostGroupCommit } from './cost-group-commit.ts';
import { cancellationCodes, isUnsupported } from './transaction-errors.ts';
import type { PutLike, RecordOutcome } from './cost-group-commit.ts';

export interface DynamoCostLedgerOptions {
  /** Keep per-tenant/day/model aggregates; true by default. */
  aggregates?: boolean;
  /** 'auto' tries a transaction and remembers when the backend has none. */
  transactions?: 'auto' | 'never';
  /** Called with the number of records of each transaction the group commit sends (benches, tests). */
  onBatch?: (size: number) => void;
  /** How long a record waits for others to share its transaction (ms); 0 by default (cost-group-commit.ts). */
  lingerMs?: number;
}

const MAX_CONFLICT_RETRIES = 5;

export class DynamoCostLedger implements CostLedger {
  private readonly client: DynamoDocuments;
  private readonly tableName: string;
  private readonly aggregates: boolean;
  private useTransactions: boolean;
  private readonly group: CostGroupCommit;

  constructor(client: DynamoDocuments, tableName: string, options: DynamoCostLedgerOptions = {}) {
    this.client = client;
    this.tableName = tableName;
    this.aggregates = options.aggregates ?? true;
    this.useTransactions = options.transactions !== 'never';
    this.group = new CostGroupCommit({
      client, tableName,
      // A batch that fails falls back to this, record by record: once the backend refused
      // transactions, the rest of the batch goes the non-transactional way at once.
      single: (put, record) => (this.useTransactions ? this.recordInTransaction(put, record) : Promise.resolve('unsupported')),
      ...(options.onBatch ? { onBatch: options.onBatch } : {}),
      ...(options.lingerMs ? { lingerMs: options.lingerMs } : {}),
    });
  }

  /** Sends the records still waiting for their transaction and waits for them (a process that stops). */
  async flush(): Promise<void> {
    await this.group.flush();
  }

  /** Whether writes currently go through transactions (false after a backend refused them). */
  get transactional(): boolean {
    return this.aggregates && this.useTransactions;
  }

  async record(record: CostRecord): Promise<boolean> {
    const attempt = record.ending !== undefined && record.ending !== 'complete' ? record.attempt : undefined;
    const item = {
      pk: costKeys.pk(record.tenantId),
      sk: costKeys.sk(record.startedAt ?? record.timestamp, record.requestId, attempt),
      day: record.timestamp.slice(0, 10),
      ...record,
      costUsd: roundUsd(record.costUsd),
      ...(record.savedUsd !== undefined ? { savedUsd: roundUsd(record.savedUsd) } : {}),
    };
    const put = {
      TableName: this.tableName,
      Item: item,
      // A retried write of the same call must not make a second record.
      ConditionExpression: 'attribute_not_exists(pk)',
    };
    if (this.aggregates && this.useTransactions) {
      const done = await this.group.add(put, record);
      if (done !== 'unsupported') return done === 'written';
    }
    const written = await this.putOnce(put);
    if (written && this.aggregates) await this.client.send(new UpdateCommand(aggregateUpdate(this.tableName, record)));
    return written;
  }

  /** Written, a duplicate, or unsupported (the backend has no transactions). */
  private async recordInTransaction(put: PutLike, record: CostRecord): Promise<RecordOutcome> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.send(new TransactWriteCommand({
          TransactItems: [{ Put: put }, { Update: aggregateUpdate(this.tableName, record) }],
          // The wire client retries a lost answer with the same body: with the token, a retry of a
          // transaction that did commit succeeds again instead of calling its own record a duplicate
          // (whose cost would then be left out of the budget).
          ClientRequestToken: randomUUID(),
        }));
        return 'written';
      } catch (error) {
        const reasons = cancellationCodes(error);
        if (reasons?.[0] === 'ConditionalCheckFailed') return 'duplicate';
        if (reasons?.includes('TransactionConflict') && attempt < MAX_CONFLICT_RETRIES) {
          await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt));
          continue;
        }
        if (isUnsupported(error)) {
          this.useTransactions = false;
          return 'unsupported';
        }
        throw error;
      }
    }
  }

  private async putOnce(put: PutLike): Promise<boolean> {
    try {
      await this.client.send(new PutCommand(put));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
