import { describe, expect, it } from 'vitest';
import { GetCommand, PutCommand } from '#adapters/aws/dynamodb-commands.ts';
import type { DynamoDocuments } from '#adapters/aws/dynamodb-commands.ts';
import { DynamoHealthStore, healthKeys } from '#adapters/dynamodb/health-store.ts';
import { closedBreaker, defaultBreakerSettings, recordFailure, recordSuccess } from '#core/health/circuit-breaker.ts';
import type { BreakerState } from '#core/health/circuit-breaker.ts';
import type { ProviderHealth } from '#core/health/provider-health.ts';
import { BreakerConflictError } from '#core/health/health-store.ts';
import { healthTable } from '#contracts/tables.ts';
import { startDynalite } from '../support/dynalite-backend.ts';
import { useDynamoBackend } from '../support/use-dynamo-backend.ts';

const T0 = 1_700_000_000_000;
let client: DynamoDocuments;
let tableName: string;
useDynamoBackend(startDynalite, (b) => {
  tableName = b.tableNames[healthTable.name]!;
  client = b.store;
});

const store = (maxAttempts?: number) => new DynamoHealthStore({ tableName, client, ...(maxAttempts ? { maxAttempts } : {}) });
const bump = (state: BreakerState): BreakerState => recordSuccess(state, T0, defaultBreakerSettings);

describe('DynamoHealthStore', () => {
  it('writes provider records and breakers and reads them all back', async () => {
    const s = store();
    const record: ProviderHealth = {
      providerId: 'openai', status: 'degraded', latencyMs: 123, lastError: 'openai returned HTTP 503', consecutiveSuccesses: 0, consecutiveFailures: 1, checkedAt: T0,
    };
    await s.putProviderHealth(record);
    await s.putProviderHealth({ providerId: 'anthropic', status: 'healthy', consecutiveSuccesses: 4, consecutiveFailures: 0, checkedAt: T0 });
    const opened = await s.updateBreaker('gpt-x', (state) => {
      let out = state;
      for (let i = 0; i < 3; i++) out = recordFailure(out, T0 + i, defaultBreakerSettings, 'timeout');
      return out;
    });
    expect(opened.status).toBe('open');

    const all = await s.getAll();
    expect(all.providers.find((p) => p.providerId === 'openai')).toEqual(record);
    expect(all.providers.find((p) => p.providerId === 'anthropic')).toEqual({
      providerId: 'anthropic', status: 'healthy', consecutiveSuccesses: 4, consecutiveFailures: 0, checkedAt: T0,
    });
    expect(all.breakers.get('gpt-x')).toEqual(opened);
    const raw = await client.send(new GetCommand({ TableName: tableName, Key: { pk: healthKeys.breakerPk('gpt-x'), sk: 'STATE' } }));
    expect(raw.Item?.['version']).toBe(1);
  });

  it('passes a fresh closed breaker to the first update of a model', async () => {
    let seen: BreakerState | undefined;
    await store().updateBreaker('fresh-model', (state) => {
      seen = state;
      return state;
    });
    expect(seen).toEqual(closedBreaker());
  });

  it('increments the version on every update', async () => {
    const s = store();
    for (let i = 0; i < 3; i++) await s.updateBreaker('versioned', bump);
    const raw = await client.send(new GetCommand({ TableName: tableName, Key: { pk: healthKeys.breakerPk('versioned'), sk: 'STATE' } }));
    expect(raw.Item?.['version']).toBe(3);
    expect((await s.getAll()).breakers.get('versioned')?.consecutiveSuccesses).toBe(3);
  });

  /** The real client, with `before` run (and awaited) ahead of each conditional breaker write. */
  function interfering(before: () => Promise<void>): DynamoDocuments {
    return {
      send: async (command: unknown) => {
        if (command instanceof PutCommand && command.input.ConditionExpression) await before();
        return client.send(command as PutCommand);
      },
    } as unknown as DynamoDocuments;
  }

  it('resolves a conflicting write by re-reading and re-applying the update', async () => {
    await store().updateBreaker('conflict', bump);
    let interfered = false;
    const s = new DynamoHealthStore({
      tableName,
      client: interfering(async () => {
        if (interfered) return;
        interfered = true;
        // Another writer lands between our read and our conditional write.
        await client.send(new PutCommand({
          TableName: tableName,
          Item: { pk: healthKeys.breakerPk('conflict'), sk: 'STATE', modelId: 'conflict', ...bump(bump(closedBreaker())), version: 2 },
        }));
      }),
    });
    let calls = 0;
    const result = await s.updateBreaker('conflict', (state) => {
      calls += 1;
      return bump(state);
    });
    expect(calls).toBe(2);
    // Built on the other writer's state (2 successes), not on the stale read (1 success).
    expect(result.consecutiveSuccesses).toBe(3);
    const raw = await client.send(new GetCommand({ TableName: tableName, Key: { pk: healthKeys.breakerPk('conflict'), sk: 'STATE' } }));
    expect(raw.Item?.['version']).toBe(3);
  });

  it('lets concurrent updaters all land, none lost', async () => {
    const a = store(20);
    const b = store(20);
    const writers = Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).updateBreaker('concurrent', bump));
    await Promise.all(writers);
    const state = (await a.getAll()).breakers.get('concurrent');
    expect(state?.consecutiveSuccesses).toBe(8);
    const raw = await client.send(new GetCommand({ TableName: tableName, Key: { pk: healthKeys.breakerPk('concurrent'), sk: 'STATE' } }));
    expect(raw.Item?.['version']).toBe(8);
  });

  it('two concurrent updaters both land', async () => {
    const [first, second] = await Promise.all([store().updateBreaker('pair', bump), store().updateBreaker('pair', bump)]);
    expect([first.consecutiveSuccesses, second.consecutiveSuccesses].sort()).toEqual([1, 2]);
    expect((await store().getAll()).breakers.get('pair')?.consecutiveSuccesses).toBe(2);
  });

  it('gives up with BreakerConflictError when every attempt conflicts', async () => {
    await store().updateBreaker('hot', bump);
    let version = 1;
    const s = new DynamoHealthStore({
      tableName,
      maxAttempts: 3,
      client: interfering(async () => {
        version += 1;
        await client.send(new PutCommand({
          TableName: tableName,
          Item: { pk: healthKeys.breakerPk('hot'), sk: 'STATE', modelId: 'hot', ...closedBreaker(), version: version * 100 },
        }));
      }),
    });
    const error = await s.updateBreaker('hot', bump).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(BreakerConflictError);
    expect(version).toBe(4);
  });

  it('skips unreadable items instead of failing the whole read', async () => {
    await client.send(new PutCommand({ TableName: tableName, Item: { pk: 'PROVIDER#broken', sk: 'HEALTH', status: 42 } }));
    await client.send(new PutCommand({ TableName: tableName, Item: { pk: 'OTHER#thing', sk: 'X' } }));
    const all = await store().getAll();
    expect(all.providers.some((p) => p.providerId === 'broken')).toBe(false);
    // An unreadable breaker item is replaced on the next update rather than blocking it.
    await client.send(new PutCommand({ TableName: tableName, Item: { pk: healthKeys.breakerPk('junk'), sk: 'STATE', status: 'weird' } }));
    const fixed = await store().updateBreaker('junk', bump);
    expect(fixed.consecutiveSuccesses).toBe(1);
  });
});
