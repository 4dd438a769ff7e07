// The tenants table for operators: tenants, API keys (hashes only), budgets and the spend counters the
// budget guard keeps. Key shapes come from contracts/tenant-table.ts, the same module the router's key
// store, budget guard and cache settings use, so the CLI and the router cannot disagree on a key.
import { GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from '../aws/dynamodb-commands.ts';
import type { DynamoDocuments } from '../aws/dynamodb-commands.ts';
import { tenantIdOfPk, tenantItemKind, tenantTableKeys } from '#contracts/tenant-table.ts';
import { planFromItem } from '#core/limits/plans.ts';
import type { TenantPlan } from '#core/limits/plans.ts';
import { isConditionFailure } from './condition-failed.ts';

export interface TenantProfile {
  tenantId: string;
  name: string;
  createdAt?: string;
}

export interface StoredKey {
  keyId: string;
  tenantId: string;
  createdAt?: string;
  revoked: boolean;
  revokedAt?: string;
  /** API Gateway key value of the tenant's own usage plan; absent: the default plan. */
  usagePlanKey?: string;
}

export interface BudgetSetting {
  monthlyUsd: number;
  preferCheaperAt?: number;
}

/** One month's counter of the budget guard (USD). */
export interface SpendCounter {
  period: string;
  spentUsd: number;
  reservedUsd: number;
  limitUsd?: number;
  calls: number;
}

/** Everything the tenants table knows about one tenant. */
export interface TenantOverview {
  profile: TenantProfile;
  budget?: BudgetSetting;
  keyBudgets: Map<string, BudgetSetting>;
  spend: SpendCounter[];
  keySpend: Map<string, SpendCounter[]>;
  cacheSettings?: Record<string, unknown>;
  /** The tenant's rate-limit plan (PLAN item); absent: no limits in the router, 403 from the gateway. */
  plan?: TenantPlan;
  keys: StoredKey[];
}

export class TenantExistsError extends Error {
  override name = 'TenantExistsError';
  constructor(tenantId: string, cause?: unknown) {
    super(`tenant ${tenantId} already exists`, { cause });
  }
}

type Item = Record<string, unknown>;

const num = (value: unknown): number => (value === undefined || value === null ? 0 : Number(value));

function budgetOf(item: Item): BudgetSetting | undefined {
  const monthlyUsd = Number(item['monthlyUsd']);
  if (item['monthlyUsd'] === undefined || !Number.isFinite(monthlyUsd)) return undefined;
  return item['preferCheaperAt'] === undefined ? { monthlyUsd } : { monthlyUsd, preferCheaperAt: Number(item['preferCheaperAt']) };
}

function spendOf(item: Item, period: string): SpendCounter {
  return {
    period,
    spentUsd: num(item['spentUsd']),
    reservedUsd: num(item['reservedUsd']),
    ...(item['limitUsd'] !== undefined ? { limitUsd: num(item['limitUsd']) } : {}),
    calls: num(item['calls']),
  };
}

function keyOf(item: Item): StoredKey {
  return {
    keyId: String(item['keyId'] ?? ''),
    tenantId: String(item['tenantId'] ?? ''),
    ...(item['createdAt'] ? { createdAt: String(item['createdAt']) } : {}),
    revoked: item['revoked'] === true,
    ...(item['revokedAt'] ? { revokedAt: String(item['revokedAt']) } : {}),
    ...(typeof item['usagePlanKey'] === 'string' && item['usagePlanKey'] ? { usagePlanKey: item['usagePlanKey'] } : {}),
  };
}

function profileOf(item: Item): TenantProfile {
  const tenantId = String(item['tenantId'] ?? tenantIdOfPk(String(item['pk'])) ?? '');
  return { tenantId, name: String(item['name'] ?? tenantId), ...(item['createdAt'] ? { createdAt: String(item['createdAt']) } : {}) };
}

export class TenantRepository {
  readonly #db: DynamoDocuments;
  readonly #table: string;
  /** Where the spend counters live (the usage table, see contracts/tables.ts); the tenants table when unset. */
  readonly #usageTable: string | undefined;

  constructor(db: DynamoDocuments, tableName: string, usageTableName?: string) {
    this.#db = db;
    this.#table = tableName;
    this.#usageTable = usageTableName && usageTableName !== tableName ? usageTableName : undefined;
  }

  /** Writes the tenant's rate-limit plan (`{ pk: TENANT#<id>, sk: PLAN }`), read by the router and the local runtime. */
  async putPlan(tenantId: string, plan: TenantPlan, at: string): Promise<void> {
    await this.#db.send(new PutCommand({ TableName: this.#table, Item: { ...tenantTableKeys.plan(tenantId), tenantId, plan: plan.name, ...withoutName(plan), updatedAt: at } }));
  }

  /** Creates the tenant; `upsert` overwrites an existing profile (the local runtime's seed). */
  async putTenant(profile: TenantProfile, options: { upsert?: boolean } = {}): Promise<void> {
    try {
      await this.#db.send(new PutCommand({
        TableName: this.#table,
        Item: { ...tenantTableKeys.profile(profile.tenantId), ...profile },
        ...(options.upsert ? {} : { ConditionExpression: 'attribute_not_exists(pk)' }),
      }));
    } catch (error) {
      if (isConditionFailure(error)) throw new TenantExistsError(profile.tenantId, error);
      throw error;
    }
  }

  async getTenant(tenantId: string): Promise<TenantProfile | undefined> {
    const { Item } = await this.#db.send(new GetCommand({ TableName: this.#table, Key: tenantTableKeys.profile(tenantId) }));
    return Item ? profileOf(Item) : undefined;
  }

  /**
   * Stores a key by its hash (what the authorizer reads) and a lookup by key id (what revoke-key reads).
   * `withLookup: false` skips the lookup (the local seed re-registers the same key at every start).
   */
  async putKey(key: { tenantId: string; keyId: string; keyHash: string; createdAt: string }, options: { withLookup?: boolean; overwrite?: boolean } = {}): Promise<void> {
    await this.#db.send(new PutCommand({
      TableName: this.#table,
      Item: { ...tenantTableKeys.apiKey(key.keyHash), tenantId: key.tenantId, keyId: key.keyId, createdAt: key.createdAt },
      ...(options.overwrite ? {} : { ConditionExpression: 'attribute_not_exists(pk)' }),
    }));
    if (options.withLookup === false) return;
    await this.#db.send(new PutCommand({ TableName: this.#table, Item: { ...tenantTableKeys.keyLookup(key.keyId), ...key } }));
  }

  /** Finds a key by id: through its lookup item, else by a scan (keys stored without one). */
  async findKey(keyId: string): Promise<{ keyHash: string; tenantId: string } | undefined> {
    const { Item } = await this.#db.send(new GetCommand({ TableName: this.#table, Key: tenantTableKeys.keyLookup(keyId) }));
    if (Item && typeof Item['keyHash'] === 'string') return { keyHash: Item['keyHash'], tenantId: String(Item['tenantId']) };
    const [found] = await this.#scanKeys({ keyId });
    return found ? { keyHash: tenantTableKeys.keyHashOfPk(String(found['pk'])), tenantId: String(found['tenantId']) } : undefined;
  }

  /** Marks the key revoked; false when no key has that hash. */
  async revokeKey(keyHash: string, at: string): Promise<boolean> {
    try {
      await this.#db.send(new UpdateCommand({
        TableName: this.#table,
        Key: tenantTableKeys.apiKey(keyHash),
        UpdateExpression: 'SET revoked = :yes, revokedAt = :now',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':yes': true, ':now': at },
      }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** The tenant's keys, oldest first. A scan: the tenants table is small and keys are keyed by hash. */
  async keysOf(tenantId: string): Promise<StoredKey[]> {
    return (await this.#scanKeys({ tenantId })).map(keyOf).sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));
  }

  /** Sets the tenant's monthly budget, or one key's when `keyId` is given. */
  async setBudget(tenantId: string, budget: BudgetSetting & { keyId?: string }, at: string): Promise<void> {
    const { keyId, ...setting } = budget;
    await this.#db.send(new PutCommand({
      TableName: this.#table,
      Item: { ...(keyId ? tenantTableKeys.keyBudget(tenantId, keyId) : tenantTableKeys.tenantBudget(tenantId)), ...setting, updatedAt: at },
    }));
  }

  /** One Query for the tenant's partition (profile, budgets, spend, cache settings) plus its keys. */
  async overview(tenantId: string): Promise<TenantOverview | undefined> {
    const items: Item[] = [];
    for (const table of [this.#table, ...(this.#usageTable ? [this.#usageTable] : [])]) {
      let startKey: Item | undefined;
      do {
        const page = await this.#db.send(new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': tenantTableKeys.tenantPk(tenantId) },
          ExclusiveStartKey: startKey,
        }));
        items.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    const profileItem = items.find((item) => tenantItemKind(String(item['sk'])).kind === 'profile');
    if (!profileItem) return undefined;
    const overview: TenantOverview = { profile: profileOf(profileItem), keyBudgets: new Map(), spend: [], keySpend: new Map(), keys: await this.keysOf(tenantId) };
    for (const item of items) {
      const kind = tenantItemKind(String(item['sk']));
      if (kind.kind === 'budget') {
        const setting = budgetOf(item);
        if (!setting) continue;
        if (kind.keyId === undefined) overview.budget = setting;
        else overview.keyBudgets.set(kind.keyId, setting);
      } else if (kind.kind === 'spend') {
        if (kind.keyId === undefined) overview.spend.push(spendOf(item, kind.period));
        else overview.keySpend.set(kind.keyId, [...(overview.keySpend.get(kind.keyId) ?? []), spendOf(item, kind.period)]);
      } else if (String(item['sk']) === tenantTableKeys.planSk) {
        const plan = planFromItem(item);
        if (plan) overview.plan = plan;
      } else if (kind.kind === 'cache') {
        const { pk: _pk, sk: _sk, ...settings } = item;
        overview.cacheSettings = settings;
      }
    }
    overview.spend.sort((a, b) => a.period.localeCompare(b.period));
    return overview;
  }

  /** Every tenant with its budget, this period's spend and its key counts, from one scan. */
  async listTenants(period: string): Promise<Array<TenantProfile & { budget?: BudgetSetting; spend?: SpendCounter; activeKeys: number; revokedKeys: number }>> {
    const tenants = new Map<string, TenantProfile & { budget?: BudgetSetting; spend?: SpendCounter; activeKeys: number; revokedKeys: number }>();
    const keys: Item[] = [];
    const rest: Item[] = [];
    for await (const item of this.#scan()) {
      const tenantId = tenantIdOfPk(String(item['pk']));
      if (String(item['sk']) === tenantTableKeys.apiKeySk) keys.push(item);
      else if (tenantId !== undefined && tenantItemKind(String(item['sk'])).kind === 'profile') tenants.set(tenantId, { ...profileOf(item), activeKeys: 0, revokedKeys: 0 });
      else if (tenantId !== undefined) rest.push(item);
    }
    if (this.#usageTable) for await (const item of this.#scan(undefined, this.#usageTable)) rest.push(item);
    for (const item of rest) {
      const tenant = tenants.get(tenantIdOfPk(String(item['pk']))!);
      const kind = tenantItemKind(String(item['sk']));
      if (!tenant) continue;
      if (kind.kind === 'budget' && kind.keyId === undefined) {
        const budget = budgetOf(item);
        if (budget) tenant.budget = budget;
      }
      if (kind.kind === 'spend' && kind.keyId === undefined && kind.period === period) tenant.spend = spendOf(item, period);
    }
    for (const item of keys) {
      const tenant = tenants.get(String(item['tenantId']));
      if (!tenant) continue;
      if (item['revoked'] === true) tenant.revokedKeys++;
      else tenant.activeKeys++;
    }
    return [...tenants.values()].sort((a, b) => a.tenantId.localeCompare(b.tenantId));
  }

  async *#scan(filter?: { expression: string; values: Item }, table: string = this.#table): AsyncGenerator<Item> {
    let startKey: Item | undefined;
    do {
      const page = await this.#db.send(new ScanCommand({
        TableName: table,
        ...(filter ? { FilterExpression: filter.expression, ExpressionAttributeValues: filter.values } : {}),
        ExclusiveStartKey: startKey,
      }));
      yield* page.Items ?? [];
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  async #scanKeys(by: { tenantId?: string; keyId?: string }): Promise<Item[]> {
    const items: Item[] = [];
    const field = by.keyId !== undefined ? 'keyId' : 'tenantId';
    for await (const item of this.#scan({ expression: `sk = :sk AND ${field} = :v`, values: { ':sk': tenantTableKeys.apiKeySk, ':v': by.keyId ?? by.tenantId } })) items.push(item);
    return items;
  }
}

function withoutName(plan: TenantPlan): Omit<TenantPlan, 'name'> {
  const { name: _name, ...limits } = plan;
  return limits;
}
