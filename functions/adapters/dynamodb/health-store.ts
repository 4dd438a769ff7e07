// HealthStore on the health table. Items:
//   { pk: 'PROVIDER#<providerId>', sk: 'HEALTH', ...ProviderHealth }
//   { pk: 'BREAKER#<modelId>', sk: 'STATE', modelId, version, ...BreakerState }
// The table holds a few hundred items at most, so getAll is one paginated Scan. Breaker writes are
// conditional on `version` (optimistic concurrency) and retried on conflict.
import { GetCommand, PutCommand, ScanCommand } from '../aws/dynamodb-commands.ts';
import type { DynamoDocuments, PutCommandInput } from '../aws/dynamodb-commands.ts';
import * as z from 'zod/mini';
import '../../contracts/zod-en.ts';
import { closedBreaker } from '#core/health/circuit-breaker.ts';
import type { BreakerState } from '#core/health/circuit-breaker.ts';
import type { ProviderHealth } from '#core/health/provider-health.ts';
import { BreakerConflictError } from '#core/health/health-store.ts';
import type { HealthData, HealthStore } from '#core/health/health-store.ts';
import { isConditionFailure } from './condition-failed.ts';

export const healthKeys = {
  providerPk: (providerId: string) => `PROVIDER#${providerId}`,
  providerSk: 'HEALTH',
  breakerPk: (modelId: string) => `BREAKER#${modelId}`,
  breakerSk: 'STATE',
} as const;

const count = z.catch(z.number().check(z.int(), z.nonnegative()), 0);

const providerItem = z.object({
  providerId: z.string(),
  status: z.enum(['healthy', 'degraded', 'unhealthy']),
  latencyMs: z.optional(z.number()),
  lastError: z.optional(z.string()),
  consecutiveSuccesses: count,
  consecutiveFailures: count,
  checkedAt: z.number(),
});

const failureKind = z.enum([
  'rate_limited', 'server_error', 'connection', 'timeout', 'context_length', 'content_policy',
  'bad_request', 'authentication', 'malformed_response', 'stream_interrupted',
]);

const breakerItem = z.object({
  modelId: z.string(),
  version: z.number().check(z.int()),
  status: z.enum(['closed', 'open']),
  consecutiveFailures: count,
  consecutiveSuccesses: count,
  openedAt: z.optional(z.number()),
  buckets: z.catch(z.array(z.object({ start: z.number(), successes: count, failures: count })), []),
  lastFailureKind: z.catch(z.optional(failureKind), undefined),
  latencyEwmaMs: z.optional(z.number()),
  updatedAt: z.catch(z.number(), 0),
});

export interface DynamoHealthStoreOptions {
  tableName: string;
  client: DynamoDocuments;
  /** Conditional-write attempts per breaker update before giving up; 6 by default. */
  maxAttempts?: number;
}

export class DynamoHealthStore implements HealthStore {
  readonly #tableName: string;
  readonly #client: DynamoDocuments;
  readonly #maxAttempts: number;

  constructor(options: DynamoHealthStoreOptions) {
    this.#tableName = options.tableName;
    this.#client = options.client;
    this.#maxAttempts = options.maxAttempts ?? 6;
  }

  async getAll(): Promise<HealthData> {
    const providers: ProviderHealth[] = [];
    const breakers = new Map<string, BreakerState>();
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#client.send(new ScanCommand({ TableName: this.#tableName, ExclusiveStartKey: startKey, ConsistentRead: true }));
      for (const item of page.Items ?? []) {
        const pk = String(item['pk'] ?? '');
        if (pk.startsWith('PROVIDER#') && item['sk'] === healthKeys.providerSk) {
          const parsed = providerItem.safeParse(item);
          if (parsed.success) providers.push(stripUndefined(parsed.data));
        } else if (pk.startsWith('BREAKER#') && item['sk'] === healthKeys.breakerSk) {
          const parsed = breakerItem.safeParse(item);
          if (parsed.success) breakers.set(parsed.data.modelId, toState(parsed.data));
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return { providers, breakers };
  }

  async putProviderHealth(record: ProviderHealth): Promise<void> {
    await this.#client.send(new PutCommand({
      TableName: this.#tableName,
      Item: { pk: healthKeys.providerPk(record.providerId), sk: healthKeys.providerSk, ...stripUndefined(record) },
    }));
  }

  async updateBreaker(modelId: string, update: (state: BreakerState) => BreakerState): Promise<BreakerState> {
    const key = { pk: healthKeys.breakerPk(modelId), sk: healthKeys.breakerSk };
    let lastConflict: unknown;
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
      const got = await this.#client.send(new GetCommand({ TableName: this.#tableName, Key: key, ConsistentRead: true }));
      const parsed = got.Item ? breakerItem.safeParse(got.Item) : undefined;
      const stored = typeof got.Item?.['version'] === 'number' ? (got.Item['version'] as number) : undefined;
      const next = update(parsed?.success ? toState(parsed.data) : closedBreaker());
      try {
        await this.#client.send(new PutCommand({
          TableName: this.#tableName,
          Item: { ...key, modelId, ...stripUndefined(next), version: (stored ?? 0) + 1 },
          // An unreadable item is overwritten under the same condition, so a bad item cannot get stuck.
          ...versionCondition(got.Item !== undefined, stored),
        }));
        return next;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        lastConflict = error;
        // Jittered backoff so two writers that collided do not collide again in lockstep.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      }
    }
    throw new BreakerConflictError(modelId, this.#maxAttempts, lastConflict);
  }
}

/** The item is still the one read: absent, or at the version read. */
function versionCondition(exists: boolean, version: number | undefined): Pick<PutCommandInput, 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> {
  if (!exists) return { ConditionExpression: 'attribute_not_exists(pk)' };
  if (version === undefined) return { ConditionExpression: 'attribute_not_exists(#version)', ExpressionAttributeNames: { '#version': 'version' } };
  return { ConditionExpression: '#version = :expected', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': version } };
}

function toState(item: z.infer<typeof breakerItem>): BreakerState {
  const { modelId: _modelId, version: _version, ...state } = item;
  return stripUndefined(state);
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
