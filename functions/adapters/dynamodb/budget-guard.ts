// BudgetGuard on the tenants table: monthly budgets per tenant and per key, enforced across concurrent
// Lambdas with conditional counter updates (no transactions, so dynalite and DynamoDB behave the same).
//
// Items: budgets in the tenants table (read only here), spend counters in the usage table (the only
// tenant items the router and worker may change; see contracts/tables.ts):
//   tenants { pk: TENANT#t, sk: BUDGET }                 { monthlyUsd, preferCheaperAt? }
//   tenants { pk: TENANT#t, sk: BUDGET#KEY#<keyId> }     { monthlyUsd, preferCheaperAt? }
//   usage   { pk: TENANT#t, sk: SPEND#<yyyy-mm> }        { reservedUsd, spentUsd, committedUsd, limitUsd, calls }
//   usage   { pk: TENANT#t, sk: SPEND#KEY#<keyId>#<yyyy-mm> }  same
// Hold items, one per call in flight (in the cost table in the stack, see `holdsTableName`):
//   { pk: TENANT#t, sk: HOLD#<requestId> }       { amountUsd, scopes, keyId, period, createdAt, holdExpiresAt }
// A hold item is deleted (conditionally, so exactly once) by settle, release or the sweep of expired
// holds; whoever deletes it moves the counters.
// `committedUsd` is always spentUsd + reservedUsd: DynamoDB conditions cannot add, so reserve checks
// `committedUsd <= limit - amount` on that one attribute.
import { DeleteCommand, GetCommand, NumberValue, PutCommand, QueryCommand, UpdateCommand } from '../aws/dynamodb-commands.ts';
import type { DynamoDocuments } from '../aws/dynamodb-commands.ts';
import { tenantItemKind, tenantTableKeys } from '#contracts/tenant-table.ts';
import {
  applicableBudgets, budgetPeriod, BudgetExceededError, headroomFor, holdAmount, nearBudget, reservationAmount, settlementDeltas,
} from '#core/budget/budget.ts';
import type { ApplicableBudgets, BudgetConfig, BudgetScope, HoldRequest } from '#core/budget/budget.ts';
import { roundUsd } from '#core/pricing/cost.ts';
import { systemClock } from '#core/shared/clock.ts';
import type { Principal } from '#core/auth/ports.ts';
import type { BudgetGuard, BudgetReservation } from '#core/budget/ports.ts';
import type { Clock } from '#core/shared/clock.ts';
import { isConditionFailure } from './condition-failed.ts';

const HOLD_PREFIX = 'HOLD#';

/** Attempts at holding a smaller amount when concurrent callers keep taking the headroom first. */
const MAX_HOLD_TRIES = 4;

/** Hold items live in the holds table (the cost table in the stack), under the tenant's partition key. */
const holdSk = (requestId: string): string => `${HOLD_PREFIX}${requestId}`;

/** The reservation this guard hands out: which counters it holds money on. */
export interface DynamoBudgetReservation extends BudgetReservation {
  scopes: BudgetScope[];
}

export interface DynamoBudgetGuardOptions {
  /** Where budgets are configured (the tenants table). */
  tableName: string;
  /** Where spend counters live (the usage table); the budgets table when unset. */
  countersTableName?: string;
  client: DynamoDocuments;
  /** Monthly USD for tenants without a BUDGET item; undefined = no default budget. */
  defaultMonthlyUsd?: number;
  /** How long a tenant's budget configuration (or its absence) is remembered; 60 s by default. */
  configTtlMs?: number;
  /**
   * Table of the hold items (`HOLD#<requestId>` under the tenant): the cost table in the stack, where
   * the router may put and delete (it may only update counters in the tenants table). Defaults to
   * `tableName`.
   */
  holdsTableName?: string;
  /**
   * After how long a hold that was never settled or released (its invocation died) is given back by
   * `sweepExpiredHolds`; longer than any call can run. 20 minutes by default (Lambda's limit is 15).
   */
  holdTtlMs?: number;
  clock?: Clock;
}

interface TenantBudgets {
  tenant: BudgetConfig | undefined;
  keys: Map<string, BudgetConfig>;
}

/** An exact decimal for DynamoDB (never `1e-7` notation), rounded to 1e-10 USD. */
export function usdNumber(usd: number): NumberValue {
  return NumberValue.from(roundUsd(usd).toFixed(10));
}

export class DynamoBudgetGuard implements BudgetGuard {
  readonly #tableName: string;
  readonly #countersTableName: string;
  readonly #client: DynamoDocuments;
  readonly #defaultMonthlyUsd: number | undefined;
  readonly #ttlMs: number;
  readonly #holdTtlMs: number;
  readonly #holdsTable: string;
  readonly #clock: Clock;
  readonly #configs = new Map<string, { budgets: Promise<TenantBudgets>; expiresAt: number }>();

  constructor(options: DynamoBudgetGuardOptions) {
    this.#tableName = options.tableName;
    this.#countersTableName = options.countersTableName ?? options.tableName;
    this.#client = options.client;
    this.#defaultMonthlyUsd = options.defaultMonthlyUsd;
    this.#ttlMs = options.configTtlMs ?? 60_000;
    this.#holdTtlMs = options.holdTtlMs ?? 20 * 60_000;
    this.#holdsTable = options.holdsTableName ?? options.tableName;
    this.#clock = options.clock ?? systemClock;
  }

  async reserve(principal: Principal, hold: HoldRequest | number, requestId: string): Promise<DynamoBudgetReservation | undefined> {
    const budgets = await this.#budgetsFor(principal.tenantId);
    const applicable = applicableBudgets(budgets.tenant, budgets.keys.get(principal.keyId), this.#defaultMonthlyUsd);
    const scopes = (['tenant', 'key'] as const).filter((scope) => applicable[scope] !== undefined);
    if (scopes.length === 0) return undefined;
    const request: HoldRequest = typeof hold === 'number' ? { worstUsd: hold, typicalUsd: hold } : hold;
    const base = { requestId, tenantId: principal.tenantId, keyId: principal.keyId, period: budgetPeriod(this.#clock.now()) };
    // Far from the limit: the worst case on every counter, in one parallel round trip (no cap).
    let held = await this.#holdEverywhere(base, scopes, applicable, reservationAmount(request.worstUsd), false);
    // Near the limit: read what is free and hold what the headroom allows (the call is then capped);
    // a concurrent caller may take the headroom between the read and the hold, so try a few times.
    let counters: Counter[] = [];
    if (!held) {
      // Holds left behind by invocations that died would refuse calls for nothing: they are given
      // back first (read in parallel; read again only when the sweep freed something).
      const [swept, read] = await Promise.all([this.sweepExpiredHolds(principal.tenantId), this.#read(base, scopes)]);
      counters = swept > 0 ? await this.#read(base, scopes) : read;
    }
    for (let tries = 0; !held && tries < MAX_HOLD_TRIES; tries++) {
      if (tries > 0) counters = await this.#read(base, scopes);
      const tightest = tightestOf(scopes, counters, applicable);
      const decision = holdAmount(request, tightest.freeUsd);
      if (!decision) throw this.#refusal(principal, base.period, tightest, request);
      held = await this.#holdEverywhere(base, scopes, applicable, decision.amountUsd, decision.capped);
    }
    if (!held) throw this.#refusal(principal, base.period, tightestOf(scopes, counters, applicable), request);
    return held;
  }

  async settle(reservation: BudgetReservation, actualUsd: number): Promise<void> {
    const deltas = settlementDeltas(reservation.amountUsd, actualUsd);
    await this.#close(reservation, { ...deltas, calls: 1 });
  }

  async release(reservation: BudgetReservation): Promise<void> {
    await this.#close(reservation, { reservedUsd: -reservation.amountUsd, committedUsd: -reservation.amountUsd });
  }

  /**
   * Gives back a tenant's holds that invocations which died mid-call (crash, function timeout) never
   * settled or released: hold items older than `holdTtlMs`. `reserve` runs it whenever the budget is
   * too tight for a worst-case hold, which is when a stale hold could refuse a call. Returns how many
   * holds it gave back.
   */
  async sweepExpiredHolds(tenantId: string): Promise<number> {
    const now = this.#clock.now();
    let released = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#client.send(new QueryCommand({
        TableName: this.#holdsTable,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :hold)',
        FilterExpression: 'holdExpiresAt < :now',
        ExpressionAttributeValues: { ':pk': tenantTableKeys.tenantPk(tenantId), ':hold': HOLD_PREFIX, ':now': now },
        ExclusiveStartKey: startKey,
      }));
      for (const item of page.Items ?? []) {
        const reservation = reservationOfHoldItem(item);
        if (!reservation) continue;
        if (!(await this.#deleteHold(reservation))) continue; // settled or swept meanwhile
        await this.#adjust(reservation, reservation.scopes, { reservedUsd: -reservation.amountUsd, committedUsd: -reservation.amountUsd });
        released += 1;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return released;
  }

  /** Forgets cached budget configuration (after an admin change, in tests). */
  forget(tenantId?: string): void {
    if (tenantId === undefined) this.#configs.clear();
    else this.#configs.delete(tenantId);
  }

  /**
   * Holds `amountUsd` on every scope in parallel, with the hold item that lets a sweep give it back if
   * this invocation dies. If any counter refuses, what the others took is given back: a brief over-hold
   * only makes concurrent calls stricter, never looser.
   */
  async #holdEverywhere(
    base: Omit<BudgetReservation, 'amountUsd'>, scopes: BudgetScope[], applicable: ApplicableBudgets, amountUsd: number, capped: boolean,
  ): Promise<DynamoBudgetReservation | undefined> {
    const reservation: DynamoBudgetReservation = { ...base, amountUsd, scopes: [], ...(capped ? { capped } : {}) };
    const [results] = await Promise.all([
      Promise.all(scopes.map((scope) => this.#hold(reservation, scope, applicable[scope]!.monthlyUsd))),
      this.#putHold({ ...reservation, scopes }),
    ]);
    reservation.scopes.push(...scopes.filter((_, i) => results[i]));
    if (results.some((r) => r === undefined)) {
      await Promise.all([
        this.#adjust(reservation, reservation.scopes, { reservedUsd: -amountUsd, committedUsd: -amountUsd }),
        this.#deleteHold(reservation),
      ]);
      return undefined;
    }
    if (scopes.some((scope, i) => nearBudget({ ...results[i]!, config: applicable[scope]! }))) reservation.preferCheaper = true;
    return reservation;
  }

  /** One conditional ADD: holds the amount only when spent + reserved + amount stays within the limit. */
  async #hold(reservation: BudgetReservation, scope: BudgetScope, limitUsd: number): Promise<Counter | undefined> {
    const headroom = headroomFor(limitUsd, reservation.amountUsd);
    if (headroom < 0) return undefined;
    try {
      const result = await this.#client.send(new UpdateCommand({
        TableName: this.#countersTableName,
        Key: counterKey(reservation, scope),
        UpdateExpression: 'ADD reservedUsd :amount, committedUsd :amount SET limitUsd = :limit',
        ConditionExpression: 'attribute_not_exists(committedUsd) OR committedUsd <= :headroom',
        ExpressionAttributeValues: { ':amount': usdNumber(reservation.amountUsd), ':limit': usdNumber(limitUsd), ':headroom': usdNumber(headroom) },
        ReturnValues: 'ALL_NEW',
      }));
      return counterOf(result.Attributes);
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /** The counters of every scope, read strongly consistent (they decide how much may be held). */
  async #read(base: Omit<BudgetReservation, 'amountUsd'>, scopes: BudgetScope[]): Promise<Counter[]> {
    return Promise.all(scopes.map(async (scope) => {
      const { Item } = await this.#client.send(new GetCommand({ TableName: this.#countersTableName, Key: counterKey(base, scope), ConsistentRead: true }));
      return counterOf(Item);
    }));
  }

  #refusal(principal: Principal, period: string, tightest: Tightest, request: HoldRequest): BudgetExceededError {
    return new BudgetExceededError({
      scope: tightest.scope, subject: tightest.scope === 'tenant' ? principal.tenantId : principal.keyId, period,
      limitUsd: tightest.limitUsd, spentUsd: tightest.counter.spentUsd, heldUsd: tightest.counter.reservedUsd,
      typicalUsd: reservationAmount(Math.min(request.typicalUsd, request.worstUsd)),
    });
  }

  /** Settles or releases: removes the hold item, and moves the counters (unless a sweep already gave the hold back). */
  async #close(reservation: BudgetReservation, deltas: Record<string, number>): Promise<void> {
    const scopes = scopesOf(reservation);
    // In parallel: the counters move at once; in the rare case a sweep had already given the hold
    // back, the hold is added back to the counters so it is not given back twice.
    const [removed] = await Promise.all([this.#deleteHold(reservation), this.#adjust(reservation, scopes, deltas)]);
    if (!removed && (deltas['reservedUsd'] ?? 0) < 0) {
      await this.#adjust(reservation, scopes, { reservedUsd: reservation.amountUsd, committedUsd: reservation.amountUsd });
    }
  }

  async #putHold(reservation: DynamoBudgetReservation): Promise<void> {
    const now = this.#clock.now();
    await this.#client.send(new PutCommand({
      TableName: this.#holdsTable,
      Item: {
        pk: tenantTableKeys.tenantPk(reservation.tenantId), sk: holdSk(reservation.requestId),
        keyId: reservation.keyId, period: reservation.period, amountUsd: usdNumber(reservation.amountUsd),
        scopes: reservation.scopes, createdAt: now, holdExpiresAt: now + this.#holdTtlMs,
      },
    }));
  }

  /** True when this call removed the hold item (false: already settled, released or swept). */
  async #deleteHold(reservation: BudgetReservation): Promise<boolean> {
    try {
      await this.#client.send(new DeleteCommand({
        TableName: this.#holdsTable,
        Key: { pk: tenantTableKeys.tenantPk(reservation.tenantId), sk: holdSk(reservation.requestId) },
        ConditionExpression: 'attribute_exists(pk)',
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
      TableName: this.#countersTableName,
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

/** Spend on one counter as stored. */
interface Counter {
  spentUsd: number;
  reservedUsd: number;
}

interface Tightest {
  scope: BudgetScope;
  limitUsd: number;
  counter: Counter;
  freeUsd: number;
}

function counterOf(item: Record<string, unknown> | undefined): Counter {
  return { spentUsd: Number(item?.['spentUsd'] ?? 0) || 0, reservedUsd: Number(item?.['reservedUsd'] ?? 0) || 0 };
}

/** The scope with the least free money (limit - spent - held). */
function tightestOf(scopes: BudgetScope[], counters: Counter[], applicable: ApplicableBudgets): Tightest {
  let tightest: Tightest | undefined;
  scopes.forEach((scope, i) => {
    const limitUsd = applicable[scope]!.monthlyUsd;
    const counter = counters[i] ?? { spentUsd: 0, reservedUsd: 0 };
    const freeUsd = roundUsd(limitUsd - counter.spentUsd - counter.reservedUsd);
    if (!tightest || freeUsd < tightest.freeUsd) tightest = { scope, limitUsd, counter, freeUsd };
  });
  return tightest!;
}

function reservationOfHoldItem(item: Record<string, unknown>): DynamoBudgetReservation | undefined {
  const requestId = String(item['sk'] ?? '').slice(HOLD_PREFIX.length);
  const tenantId = String(item['pk'] ?? '').replace(/^TENANT#/, '');
  const amountUsd = Number(item['amountUsd']);
  const scopes = Array.isArray(item['scopes']) ? (item['scopes'] as BudgetScope[]) : [];
  if (!requestId || !tenantId || !Number.isFinite(amountUsd) || typeof item['period'] !== 'string') return undefined;
  return { requestId, tenantId, keyId: String(item['keyId'] ?? ''), period: item['period'], amountUsd, scopes };
}

function counterKey(reservation: Omit<BudgetReservation, 'amountUsd'>, scope: BudgetScope): { pk: string; sk: string } {
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
