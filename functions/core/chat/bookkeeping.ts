// The money and cache side of a call: before it, the cache lookup and the budget hold (one store
// round trip, in parallel); after it, the cost record, the budget settlement and the cache store.
import type { ResolvedModel } from '../catalog/catalog.ts';
import type { BudgetGuard, BudgetReservation } from '../budget/ports.ts';
import type { CachedAnswer, CacheScope, ResponseCache } from '../cache/ports.ts';
import { cacheHitRecord } from '../pricing/cost-record.ts';
import type { CallFacts } from '../pricing/cost-record.ts';
import type { CostLedger, CostRecord } from '../pricing/ports.ts';
import type { SlottedPlan } from '../routing/plan-slots.ts';
import type { Clock } from '../shared/clock.ts';
import type { ChatCompletion, ChatRequest } from './openai-types.ts';
import type { CacheStatus, ChatCallContext, RoutingOutcome } from './types.ts';

export interface BookkeepingDeps {
  ledger: CostLedger;
  clock: Clock;
  cache?: ResponseCache;
  budget?: BudgetGuard;
  /** Called when bookkeeping after an answer (cost record, budget, cache) fails; the answer stands. */
  onBookkeepingError?: (what: string, error: unknown) => void;
}

/** What `prepare` found out before the call. */
export interface Prepared {
  cached: CachedAnswer | undefined;
  reservation: BudgetReservation | undefined;
  scope: CacheScope;
  cacheStatus: CacheStatus;
}

/** A paid call's results, to be recorded, settled and cached. */
export interface PaidCall {
  record: CostRecord;
  costUsd: number;
  completion: ChatCompletion | undefined;
  request: ChatRequest;
}

export class Bookkeeping {
  private readonly deps: BookkeepingDeps;

  constructor(deps: BookkeepingDeps) {
    this.deps = deps;
  }

  /** Cache lookup and budget reservation, in parallel: the only store round trip before the call. */
  async prepare(request: ChatRequest, plan: SlottedPlan, ctx: ChatCallContext): Promise<Prepared> {
    const scope: CacheScope = { tenantId: ctx.principal.tenantId, route: request.model };
    const mode = ctx.cacheMode ?? 'use';
    const cacheStatus: CacheStatus = mode === 'use' ? 'miss' : mode;
    const estimate = Math.max(...plan.candidates.map((c) => c.estimatedCostUsd));
    const [lookup, reserve] = await Promise.allSettled([
      this.deps.cache && mode === 'use' ? this.deps.cache.lookup(request, scope) : Promise.resolve(undefined),
      this.deps.budget ? this.deps.budget.reserve(ctx.principal, estimate, ctx.requestId) : Promise.resolve(undefined),
    ]);
    if (lookup.status === 'rejected') this.deps.onBookkeepingError?.('cache lookup', lookup.reason);
    const cached = lookup.status === 'fulfilled' ? lookup.value : undefined;
    const reservation = reserve.status === 'fulfilled' ? reserve.value : undefined;
    if (cached) {
      // A hit costs nothing, so it is served even to a caller whose budget is spent.
      await this.release(reservation);
      return { cached, reservation: undefined, scope, cacheStatus: cached.match === 'semantic' ? 'semantic-hit' : 'hit' };
    }
    if (reserve.status === 'rejected') throw reserve.reason;
    return { cached: undefined, reservation, scope, cacheStatus };
  }

  /** After an answer: cost record, budget settlement and cache store, in parallel. Never throws. */
  async settlePaid(prepared: Prepared, model: ResolvedModel, paid: PaidCall): Promise<void> {
    const tasks: Array<[string, Promise<void>]> = [['cost record', this.deps.ledger.record(paid.record)]];
    if (prepared.reservation && this.deps.budget) tasks.push(['budget settle', this.deps.budget.settle(prepared.reservation, paid.costUsd)]);
    if (this.deps.cache && paid.completion && prepared.cacheStatus !== 'bypass') {
      const answer: CachedAnswer = {
        completion: paid.completion, modelId: model.id, providerId: model.provider, costUsd: paid.costUsd, match: 'exact', sourceRequestId: paid.record.requestId,
      };
      tasks.push(['cache store', this.deps.cache.store(paid.request, prepared.scope, answer)]);
    }
    const results = await Promise.allSettled(tasks.map(([, task]) => task));
    results.forEach((r, i) => {
      if (r.status === 'rejected') this.deps.onBookkeepingError?.(tasks[i]![0], r.reason);
    });
  }

  /** Records a cache hit (no cost). Never throws. */
  async recordHit(ctx: ChatCallContext, cached: CachedAnswer, outcome: RoutingOutcome, started: number, stream: boolean): Promise<void> {
    await this.deps.ledger.record(cacheHitRecord(this.facts(ctx, outcome, started, stream), cached))
      .catch((error: unknown) => this.deps.onBookkeepingError?.('cost record', error));
  }

  /** Gives a budget hold back. Never throws. */
  async release(reservation: BudgetReservation | undefined): Promise<void> {
    if (!reservation || !this.deps.budget) return;
    await this.deps.budget.release(reservation).catch((error: unknown) => this.deps.onBookkeepingError?.('budget release', error));
  }

  /** The facts of a call that every cost record carries. */
  facts(ctx: ChatCallContext, outcome: RoutingOutcome, started: number, stream: boolean): CallFacts {
    const now = this.deps.clock.now();
    return {
      principal: ctx.principal,
      requestId: ctx.requestId,
      strategy: outcome.strategy,
      attempts: outcome.attempts,
      latencyMs: now - started,
      stream,
      timestamp: new Date(now).toISOString(),
    };
  }
}
