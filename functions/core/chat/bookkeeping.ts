// The money and cache side of a call. Before it: the cache lookup and the budget hold (one store
// round trip, in parallel). During it, per provider attempt: one cost record whatever the ending.
// After it: the budget settled with what every attempt cost (or released), the answer cached.
// With `ctx.defer` (the router's handlers) everything after the call runs after the response ended,
// in the same invocation; without it (the batch worker) the call awaits it before returning.
import type { ResolvedModel } from '../catalog/catalog.ts';
import { holdRequestFor } from '../budget/budget.ts';
import type { BudgetGuard, BudgetReservation } from '../budget/ports.ts';
import type { CachedAnswer, CacheScope, ResponseCache } from '../cache/ports.ts';
import { cacheHitRecord } from '../pricing/cost-record.ts';
import type { CallFacts } from '../pricing/cost-record.ts';
import type { CostLedger, CostRecord } from '../pricing/ports.ts';
import type { SlottedPlan } from '../routing/plan-slots.ts';
import type { Clock } from '../shared/clock.ts';
import type { ChatCompletion, ChatRequest } from './openai-types.ts';
import { afterResponse } from './types.ts';
import type { CacheStatus, CallEnding, ChatCallContext, RoutingOutcome } from './types.ts';

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

/** One attempt's cost record, and for an answer what to cache. */
export interface AttemptBill {
  record: CostRecord;
  costUsd: number;
  /** Cached when the attempt completed; undefined for other endings and uncacheable answers. */
  completion?: ChatCompletion | undefined;
  request: ChatRequest;
}

export class Bookkeeping {
  private readonly deps: BookkeepingDeps;

  constructor(deps: BookkeepingDeps) {
    this.deps = deps;
  }

  /** Cache lookup and budget reservation, in parallel: the only store round trip before the call. */
  async prepare(request: ChatRequest, plan: SlottedPlan, ctx: ChatCallContext, promptTokens: number): Promise<Prepared> {
    const scope: CacheScope = { tenantId: ctx.principal.tenantId, route: request.model, requestId: ctx.requestId, keyId: ctx.principal.keyId, defer: ctx.defer, signal: ctx.signal };
    const mode = ctx.cacheMode ?? 'use';
    const cacheStatus: CacheStatus = mode === 'use' ? 'miss' : mode;
    const hold = holdRequestFor(plan.candidates, promptTokens, request.max_completion_tokens ?? request.max_tokens ?? undefined);
    const [lookup, reserve] = await Promise.allSettled([
      this.deps.cache && mode === 'use' ? this.deps.cache.lookup(request, scope) : Promise.resolve(undefined),
      this.deps.budget ? this.deps.budget.reserve(ctx.principal, hold, ctx.requestId) : Promise.resolve(undefined),
    ]);
    if (lookup.status === 'rejected') this.deps.onBookkeepingError?.('cache lookup', lookup.reason);
    const cached = lookup.status === 'fulfilled' ? lookup.value : undefined;
    const reservation = reserve.status === 'fulfilled' ? reserve.value : undefined;
    if (cached) {
      // A hit costs nothing, so it is served even to a caller whose budget is spent.
      await afterResponse(ctx.defer, () => this.release(reservation));
      return { cached, reservation: undefined, scope, cacheStatus: cached.match === 'semantic' ? 'semantic-hit' : 'hit' };
    }
    if (reserve.status === 'rejected') throw reserve.reason;
    return { cached: undefined, reservation, scope, cacheStatus };
  }

  /** The tab of one paid call: collects its attempts' records and settles its hold once. */
  open(ctx: ChatCallContext, prepared: Prepared, started: number, stream: boolean): CallTab {
    return new CallTab(this, ctx, prepared, started, stream);
  }

  /** Records a cache hit (no cost). Never throws. */
  async recordHit(ctx: ChatCallContext, cached: CachedAnswer, outcome: RoutingOutcome, started: number, stream: boolean): Promise<void> {
    const record = cacheHitRecord(this.facts(ctx, outcome, started, stream), cached);
    await afterResponse(ctx.defer, () => this.deps.ledger.record(record).catch((error: unknown) => this.deps.onBookkeepingError?.('cost record', error)));
  }


  /** Gives a budget hold back. Never throws. */
  async release(reservation: BudgetReservation | undefined): Promise<void> {
    if (!reservation || !this.deps.budget) return;
    await this.deps.budget.release(reservation).catch((error: unknown) => this.deps.onBookkeepingError?.('budget release', error));
  }

  /** Replaces a hold with what the call cost. Never throws. */
  async settle(reservation: BudgetReservation | undefined, costUsd: number): Promise<void> {
    if (!reservation || !this.deps.budget) return;
    await this.deps.budget.settle(reservation, costUsd).catch((error: unknown) => this.deps.onBookkeepingError?.('budget settle', error));
  }

  /** Writes a record; true when new, false when one with its key existed, undefined when the write failed. Never throws. */
  async write(record: CostRecord): Promise<boolean | undefined> {
    try {
      return (await this.deps.ledger.record(record)) !== false;
    } catch (error) {
      this.deps.onBookkeepingError?.('cost record', error);
      return undefined;
    }
  }

  /** Stores an answer in the response cache. Never throws. */
  async store(request: ChatRequest, scope: CacheScope, answer: CachedAnswer): Promise<void> {
    await this.deps.cache?.store(request, scope, answer).catch((error: unknown) => this.deps.onBookkeepingError?.('cache store', error));
  }

  get caches(): boolean {
    return this.deps.cache !== undefined;
  }

  /** The facts of a call that every cost record carries. */
  facts(ctx: ChatCallContext, outcome: RoutingOutcome, started: number, stream: boolean, attempt?: { ending: CallEnding; number: number }): CallFacts {
    const now = this.deps.clock.now();
    return {
      principal: ctx.principal,
      requestId: ctx.requestId,
      strategy: outcome.strategy,
      attempts: outcome.attempts,
      ...(outcome.decision !== undefined ? { decision: outcome.decision } : {}),
      latencyMs: now - started,
      stream,
      timestamp: new Date(now).toISOString(),
      startedAt: new Date(ctx.startedAt ?? started).toISOString(),
      ...(attempt ? { ending: attempt.ending, attempt: attempt.number } : {}),
      ...(outcome.maxTokensCap !== undefined ? { maxTokensCap: outcome.maxTokensCap } : {}),
    };
  }
}

/**
 * One paid call's money: every attempt's record, and a single settlement of the hold with the sum of
 * what the attempts cost (released when nothing was billed). Never throws.
 */
export class CallTab {
  private readonly books: Bookkeeping;
  private readonly ctx: ChatCallContext;
  private readonly prepared: Prepared;
  private readonly started: number;
  private readonly stream: boolean;
  private billedUsd = 0;
  /** What the failed attempts so far cost, counted as they fail (their records are written in the background). */
  private failedUsd = 0;
  private readonly writes: Array<Promise<unknown>> = [];
  private closed = false;
  private answered = false;
  /** Deferred calls: resolves once the tab handed its closing work to `ctx.defer` (see constructor). */
  private handedOver: (() => void) | undefined;

  constructor(books: Bookkeeping, ctx: ChatCallContext, prepared: Prepared, started: number, stream: boolean) {
    this.books = books;
    this.ctx = ctx;
    this.prepared = prepared;
    this.started = started;
    this.stream = stream;
    // A stream's tab closes when its relay ends, which can be after the handler returned: the
    // invocation waits for that too, so no attempt's record is left behind.
    if (ctx.defer && stream) {
      const handedOver = new Promise<void>((resolve) => { this.handedOver = resolve; });
      ctx.defer(() => handedOver);
    }
  }

  /** What the attempts that failed so far cost: a capped call's next attempt gets only what is left of its hold. */
  get failedCostUsd(): number {
    return this.failedUsd;
  }

  get cacheStatus(): CacheStatus {
    return this.prepared.cacheStatus;
  }

  facts(outcome: RoutingOutcome, ending: CallEnding, attempt: number): CallFacts {
    return this.books.facts(this.ctx, outcome, this.started, this.stream, { ending, number: attempt });
  }

  /** An attempt that failed and was followed by another (or by giving up): record it now, settle later. */
  attemptFailed(bill: AttemptBill): void {
    this.failedUsd += bill.costUsd;
    this.writes.push(this.books.write(bill.record).then((written) => {
      if (written !== false) this.billedUsd += bill.costUsd;
    }));
  }

  /**
   * An attempt whose stream broke after output began, when another attempt may continue it: its
   * record written now (in the background, like a failed attempt's), the hold settled later (by the
   * continuation's `close`, or by `giveUp`), once the record is in.
   */
  attemptBroken(bill: AttemptBill): void {
    this.failedUsd += bill.costUsd;
    this.writes.push(this.books.write(bill.record).then((written) => {
      if (written !== false) {
        this.billedUsd += bill.costUsd;
        this.answered = true;
      }
    }));
  }

  /**
   * The attempt that ended the call (answered, or ended with output: client gone, stream broken):
   * its record first, so a second delivery of the same request finds it and is not billed again,
   * then the hold settled with what every attempt cost; a complete answer is cached meanwhile.
   */
  async close(model: ResolvedModel, bill: AttemptBill): Promise<void> {
    const cacheable = this.books.caches && bill.completion && this.prepared.cacheStatus !== 'bypass';
    const answer: CachedAnswer | undefined = cacheable ? {
      completion: bill.completion!, modelId: model.id, providerId: model.provider, costUsd: bill.costUsd, match: 'exact', sourceRequestId: bill.record.requestId,
    } : undefined;
    await this.finish(() => {
      const settled = this.books.write(bill.record).then((written) => {
        if (written !== false) {
          this.billedUsd += bill.costUsd;
          this.answered = true;
        }
        return this.settleOnce();
      });
      // The cache store does not wait for the record (a duplicate answer cached again is harmless).
      return Promise.all([settled, answer ? this.books.store(bill.request, this.prepared.scope, answer) : undefined]);
    });
  }

  /** No attempt answered: settle what the failed attempts cost, or release the hold. */
  async giveUp(): Promise<void> {
    await this.finish(() => this.settleOnce());
  }

  /** The closing work: handed to `ctx.defer` (runs after the response), else awaited. */
  private async finish(work: () => Promise<unknown>): Promise<void> {
    await afterResponse(this.ctx.defer, work);
    this.handedOver?.();
  }

  private async settleOnce(): Promise<void> {
    await Promise.all(this.writes);
    if (this.closed) return;
    this.closed = true;
    if (this.billedUsd > 0 || this.answered) await this.books.settle(this.prepared.reservation, this.billedUsd);
    else await this.books.release(this.prepared.reservation);
  }
}
