// BudgetGuard on the tenants table: monthly budgets per tenant and per key, enforced across concurrent
// Lambdas with conditional counter updates (no transactions, so dynalite and DynamoDB behave the same).
//
// Items (tenants table):
//   { pk: TENANT#t, sk: BUDGET }                 { monthlyUsd, preferCheaperAt? }
//   { pk: TENANT#t, sk: BUDGET#KEY#<keyId> }     { monthlyUsd, preferCheaperAt? }
//   { pk: TENANT#t, sk: SPEND#<yyyy-mm> }        { reservedUsd, spentUsd, committedUsd, limitUsd, calls }
//   { pk: TENANT#t, sk: SPEND#KEY#<keyId>#<yyyy-mm> }  same
// `committedUsd` is always spentUsd + reservedUsd: DynamoDB conditions cannot add, so reserve checks
// `committedUsd <= limit - amount` on that one attribute.
import { NumberValue, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tenantTable } from '#contracts/tables.ts';
import { tenantItemKind, tenantTableKeys } from '#contracts/tenant-table.ts';
import {
  applicableBudgets, budgetPeriod, BudgetExceededError, headroomFor, reservationAmount, settlementDeltas,
} from '#core/budget/budget.ts';
import type { BudgetConfig, BudgetScope } from '#core/budget/budget.ts';
import { roundUsd } from '#core/pricing/cost.ts';
import { systemClock } from '#core/shared/clock.ts';
import type { Principal } from '#core/auth/ports.ts';
import type { BudgetGuard, BudgetReservation } from '#core/budget/ports.ts';
import type { Clock } from '#core/shared/clock.ts';
import { isConditionFailure } from './condition-failed.ts';

/** Env var with the default monthly budget (USD) for tenants without one of their own. */
export const defaultMonthlyBudgetEnv = 'ROUTER_DEFAULT_MONTHLY_BUDGET_USD';

/** The reservation this guard hands out: which counters it holds money on. */
export interface DynamoBudgetReservation extends BudgetReservation {
  scopes: BudgetScope[];
}

export interface DynamoBudgetGuardOptions {
  tableName: string;
  client: DynamoDBDocumentClient;
  /** Monthly USD for tenants without a BUDGET item; undefined = no default budget. */
  defaultMonthlyUsd?: number;
  /** How long a tenant's budget configuration (or its absence) is remembered; 60 s by default. */
  configTtlMs?: number;
  clock?: Clock;
}

interface TenantBudgets {
  tenant: BudgetConfig | undefined;
  keys: Map<string, BudgetConfig>;
}

/** Parses `ROUTER_DEFAULT_MONTHLY_BUDGET_USD`; unset or empty means no default budget. */
export function defaultMonthlyBudgetFrom(env: Record<string, string | undefined>): number | undefined {
  const raw = env[defaultMonthlyBudgetEnv]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${defaultMonthlyBudgetEnv} must be a non-negative number of USD, got '${raw}'`);
  return value;
}

/**
 * The guard the router uses: on the table named by TABLE_TENANTS, with the default budget from
 * ROUTER_DEFAULT_MONTHLY_BUDGET_USD. Undefined (no budgets at all) when the table is not configured.
 */
export function budgetGuardFromEnv(env: Record<string, string | undefined>, client: DynamoDBDocumentClient): DynamoBudgetGuard | undefined {
  const tableName = env[tenantTable.envVar];
  if (!tableName) return undefined;
  const defaultMonthlyUsd = defaultMonthlyBudgetFrom(env);
  return new DynamoBudgetGuard({ tableName, client, ...(defaultMonthlyUsd !== undefined ? { defaultMonthlyUsd } : {}) });
}

/** An exact decimal for DynamoDB (never `1e-7` notation), rounded to 1e-10 USD. */
export function usdNumber(usd: number): NumberValue {
  return NumberValue.from(roundUsd(usd).toFixed(10));
}

export class DynamoBudgetGuard implements BudgetGuard {
  readonly #tableName: string;
  readonly #client: DynamoDBDocumentClient;
  readonly #defaultMonthlyUsd: number | undefined;
  readonly #ttlMs: number;
  readonly #clock: Clock;
  readonly #configs = new Map<string, { budgets: Promise<TenantBudgets>; expiresAt: number }>();

  constructor(options: DynamoBudgetGuardOptions) {
    this.#tableName = options.tableName;
    this.#client = options.client;
    this.#defaultMonthlyUsd = options.defaultMonthlyUsd;
    this.#ttlMs = options.configTtlMs ?? 60_000;
    this.#clock = options.clock ?? systemClock;
  }

  async reserve(principal: Principal, estimatedUsd: number, requestId: string): Promise<DynamoBudgetReservation | undefined> {
    const budgets = await this.#budgetsFor(principal.tenantId);
    const applicable = applicableBudgets(budgets.tenant, budgets.keys.get(principal.keyId), this.#defaultMonthlyUsd);
    const scopes = (['tenant', 'key'] as const).filter((scope) => applicable[scope] !== undefined);
    if (scopes.length === 0) return undefined;
    const reservation: DynamoBudgetReservation = {
      requestId, tenantId: principal.tenantId, keyId: principal.keyId,
      amountUsd: reservationAmount(estimatedUsd), period: budgetPeriod(this.#clock.now()), scopes: [],
    };
    // Both counters are held in parallel (one round trip on the hot path); if either refuses, what the
    // other holds is given back. A brief over-hold only makes concurrent calls stricter, never looser.
    const held = await Promise.all(scopes.map((scope) => this.#hold(reservation, scope, applicable[scope]!.monthlyUsd)));
    reservation.scopes.push(...scopes.filter((_, i) => held[i]));
    const refused = scopes.find((_, i) => !held[i]);
    if (refused) {
      await this.#adjust(reservation, reservation.scopes, { reservedUsd: -reservation.amountUsd, committedUsd: -reservation.amountUsd });
      const subject = refused === 'tenant' ? principal.tenantId : principal.keyId;
      throw new BudgetExceededError(refused, subject, reservation.period, applicable[refused]!.monthlyUsd);
    }
    return reservation;
  }

  async settle(reservation: BudgetReservation, actualUsd: number): Promise<void> {
    const deltas = settlementDeltas(reservation.amountUsd, actualUsd);
    await this.#adjust(reservation, scopesOf(reservation), { ...deltas, calls: 1 });
  }

  async release(reservation: BudgetReservation): Promise<void> {
    await this.#adjust(reservation, scopesOf(reservation), { reservedUsd: -reservation.amountUsd, committedUsd: -reservation.amountUsd });
  }

  /** Forgets cached budget configuration (after an admin change, in tests). */
  forget(tenantId?: string): void {
    if (tenantId === undefined) this.#configs.clear();
    else this.#configs.delete(tenantId);
  }

  /** One conditional ADD: holds the amount only when spent + reserved + amount stays within the limit. */
  async #hold(reservation: BudgetReservation, scope: BudgetScope, limitUsd: number): Promise<boolean> {
    const headroom = headroomFor(limitUsd, reservation.amountUsd);
    if (headroom < 0) return false;
    try {
      await this.#client.send(new UpdateCommand({
        TableName: this.#tableName,
        Key: counterKey(reservation, scope),
        UpdateExpression: 'ADD reservedUsd :amount, committedUsd :amount SET limitUsd = :limit',
        ConditionExpression: 'attribute_not_exists(committedUsd) OR committedUsd <= :headroom',
        ExpressionAttributeValues: { ':amount': usdNumber(reservation.amountUsd), ':limit': usdNumber(limitUsd), ':headroom': usdNumber(headroom) },
      }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async #adjust(reservation: BudgetReservation, scopes: readonly BudgetScope[], deltas: Record<string, number>): Promise<void> {
    const names = Object.keys(deltas);
    await Promise.all(scopes.map((scope) => this.#client.send(new UpdateCommand({
      TableName: this.#tableName,
      Key: counterKey(reservation, scope),
      UpdateExpression: `ADD ${names.map((name, i) => `${name} :v${i}`).join(', ')}`,
      ExpressionAttributeValues: Object.fromEntries(names.map((name, i) => [`:v${i}`, usdNumber(deltas[name]!)])),
    }))));
  }

  #budgetsFor(tenantId: string): Promise<TenantBudgets> {
    const now = this.#clock.now();
    const cached = this.#configs.get(tenantId);
    if (cached && cached.expiresAt > now) return cached.budgets;
    const budgets = this.#fetch(tenantId);
    this.#configs.set(tenantId, { budgets, expiresAt: now + this.#ttlMs });
    budgets.catch(() => this.#configs.delete(tenantId));
    return budgets;
  }

  /** One query reads the tenant's budget and every key budget (`BUDGET`, `BUDGET#KEY#...`). */
  async #fetch(tenantId: string): Promise<TenantBudgets> {
    const result: TenantBudgets = { tenant: undefined, keys: new Map() };
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#client.send(new QueryCommand({
        TableName: this.#tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :budget)',
        ExpressionAttributeValues: { ':pk': tenantTableKeys.tenantPk(tenantId), ':budget': tenantTableKeys.budgetSkPrefix },
        ExclusiveStartKey: startKey,
      }));
      for (const item of page.Items ?? []) {
        const config = budgetConfigOf(item);
        if (!config) continue;
        const kind = tenantItemKind(String(item['sk']));
        if (kind.kind !== 'budget') continue;
        if (kind.keyId === undefined) result.tenant = config;
        else result.keys.set(kind.keyId, config);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return result;
  }
}

function counterKey(reservation: BudgetReservation, scope: BudgetScope): { pk: string; sk: string } {
  return {
    pk: tenantTableKeys.tenantPk(reservation.tenantId),
    sk: scope === 'tenant' ? tenantTableKeys.tenantSpendSk(reservation.period) : tenantTableKeys.keySpendSk(reservation.keyId, reservation.period),
  };
}

function scopesOf(reservation: BudgetReservation): BudgetScope[] {
  const scopes = (reservation as Partial<DynamoBudgetReservation>).scopes;
  return Array.isArray(scopes) ? scopes : ['tenant'];
}

function budgetConfigOf(item: Record<string, unknown>): BudgetConfig | undefined {
  const monthlyUsd = Number(item['monthlyUsd']);
  if (item['monthlyUsd'] === undefined || !Number.isFinite(monthlyUsd) || monthlyUsd < 0) return undefined;
  const preferCheaperAt = Number(item['preferCheaperAt']);
  return item['preferCheaperAt'] !== undefined && Number.isFinite(preferCheaperAt) ? { monthlyUsd, preferCheaperAt } : { monthlyUsd };
}
