// PlanStore on the tenants table: one GetItem of `{ pk: TENANT#<id>, sk: PLAN }`, remembered a minute.
import { GetCommand } from '../aws/dynamodb-commands.ts';
import type { DynamoDocuments } from '../aws/dynamodb-commands.ts';
import { tenantTableKeys } from '#contracts/tenant-table.ts';
import { planFromItem } from '#core/limits/plans.ts';
import type { TenantPlan } from '#core/limits/plans.ts';
import type { PlanStore } from '#core/limits/ports.ts';
import { systemClock } from '#core/shared/clock.ts';
import type { Clock } from '#core/shared/clock.ts';

export interface DynamoPlanStoreOptions {
  tableName: string;
  client: DynamoDocuments;
  /** How long a plan (or its absence) is remembered; 60 s by default, so `set-plan` applies within a minute. */
  ttlMs?: number;
  clock?: Clock;
}

export class DynamoPlanStore implements PlanStore {
  readonly #options: DynamoPlanStoreOptions;
  readonly #cache = new Map<string, { plan: Promise<TenantPlan | undefined>; expiresAt: number }>();

  constructor(options: DynamoPlanStoreOptions) {
    this.#options = options;
  }

  planFor(tenantId: string): Promise<TenantPlan | undefined> {
    const now = (this.#options.clock ?? systemClock).now();
    const cached = this.#cache.get(tenantId);
    if (cached && cached.expiresAt > now) return cached.plan;
    const plan = this.#options.client
      .send(new GetCommand({ TableName: this.#options.tableName, Key: { pk: tenantTableKeys.tenantPk(tenantId), sk: tenantTableKeys.planSk } }))
      .then(({ Item }) => planFromItem(Item));
    this.#cache.set(tenantId, { plan, expiresAt: now + (this.#options.ttlMs ?? 60_000) });
    plan.catch(() => this.#cache.delete(tenantId));
    return plan;
  }
}
