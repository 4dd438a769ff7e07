// The router's use case: plan a route, answer from cache when possible, hold budget, try the
// candidates in order, and record what the answer cost.
import type { Catalog, ResolvedModel } from './catalog.ts';
import { completionFromStream, replayAsChunks } from './cached-stream.ts';
import { costUsd } from './cost.ts';
import { cacheHitRecord, paidCallRecord } from './cost-record.ts';
import type { CallFacts } from './cost-record.ts';
import { NoRouteError } from './errors.ts';
import { failureToRouterError, shouldFailOver, toAttemptFailure } from './failover.ts';
import type { AttemptFailure } from './failover.ts';
import type { ChatCompletion, ChatRequest } from './openai-types.ts';
import type {
  BudgetGuard, BudgetReservation, CacheMode, CachedAnswer, CacheScope, Clock, CostLedger, HealthMonitor,
  Principal, ProviderClient, ResponseCache,
} from './ports.ts';
import { resolveRoutingInput } from './routing/hints.ts';
import type { RoutingHints } from './routing/hints.ts';
import { explainNoRoute, planRoute } from './routing/plan.ts';
import type { RoutingPlan } from './routing/types.ts';
import { openStream } from './stream-session.ts';
import type { RoutedStream, StreamResult } from './stream-session.ts';
import { completionText, usageOrEstimate } from './usage.ts';

export interface ChatServiceDeps {
  catalog: Catalog;
  /** The client for a catalog provider id. */
  provider(providerId: string): ProviderClient;
  ledger: CostLedger;
  clock: Clock;
  /** Provider health and circuit breakers; routing skips what it reports unavailable. */
  health?: HealthMonitor;
  cache?: ResponseCache;
  budget?: BudgetGuard;
  /** Called for every failed attempt, so the caller can log and count it. */
  onAttemptFailed?: (failure: AttemptFailure) => void;
  /** Called when bookkeeping after an answer (cost record, budget, cache) fails; the answer stands. */
  onBookkeepingError?: (what: string, error: unknown) => void;
  /** Upper bound for one attempt when the provider sets none. */
  attemptTimeoutMs?: number;
}

export interface ChatCallContext {
  principal: Principal;
  requestId: string;
  hints: RoutingHints;
  cacheMode?: CacheMode;
  signal?: AbortSignal;
}

export type CacheStatus = 'hit' | 'miss' | 'bypass' | 'refresh';

/** What the router decided and how it went; becomes the `x-router-*` response headers. */
export interface RoutingOutcome {
  modelId: string;
  providerId: string;
  strategy: string;
  attempts: number;
  failures: AttemptFailure[];
  cache: CacheStatus;
}

/** Narrows which part of the fallback plan a call may use (batch retries walk down the plan). */
export interface AttemptWindow {
  /** Index in the plan of the first candidate to try; wraps around the plan. Default 0. */
  startAt?: number;
  /** How many candidates to try at most. Default: the whole plan. */
  maxAttempts?: number;
}

export interface RoutedCompletion {
  completion: ChatCompletion;
  outcome: RoutingOutcome;
  costUsd: number;
}

type Plan = RoutingPlan & { strategyLabel: string };

interface Prepared {
  cached: CachedAnswer | undefined;
  reservation: BudgetReservation | undefined;
  scope: CacheScope;
  cacheStatus: CacheStatus;
}

const DEFAULT_ATTEMPT_TIMEOUT_MS = 120_000;

export class ChatService {
  private readonly deps: ChatServiceDeps;

  constructor(deps: ChatServiceDeps) {
    this.deps = deps;
  }

  /** Plans the fallback chain for a request; throws a 400 that names the constraints when none fits. */
  plan(request: ChatRequest, hints: RoutingHints): Plan {
    const input = resolveRoutingInput(this.deps.catalog, request, hints);
    const plan = planRoute(this.deps.catalog, input, this.deps.health?.current());
    if (plan.candidates.length === 0) throw new NoRouteError(explainNoRoute(plan));
    return { ...plan, strategyLabel: input.mode === 'model' ? 'pinned' : plan.strategy };
  }

  /** Answers a non-streaming request, failing over along the plan. */
  async complete(request: ChatRequest, ctx: ChatCallContext, window: AttemptWindow = {}): Promise<RoutedCompletion> {
    const plan = this.plan(request, ctx.hints);
    const started = this.deps.clock.now();
    const prepared = await this.prepare(request, plan, ctx);
    if (prepared.cached) {
      const outcome = this.hitOutcome(prepared.cached, plan);
      await this.recordHit(ctx, prepared.cached, plan, started, false);
      return { completion: { ...prepared.cached.completion }, outcome, costUsd: 0 };
    }
    const failures: AttemptFailure[] = [];
    for (const { model } of windowOf(plan.candidates, window)) {
      const attemptStarted = this.deps.clock.now();
      try {
        const upstream = await this.deps.provider(model.provider)
          .chat(upstreamRequest(request, model, false), this.callOptions(model, ctx));
        this.deps.health?.recordOutcome(model.id, 'success', this.deps.clock.now() - attemptStarted);
        const usage = usageOrEstimate(upstream.usage, request, completionText(upstream));
        const completion: ChatCompletion = { ...upstream, model: model.id, usage };
        const cost = costUsd(model, usage);
        const outcome = outcomeOf(model, plan.strategyLabel, failures, prepared.cacheStatus);
        await this.bookkeep(ctx, prepared, model, {
          record: paidCallRecord(this.facts(ctx, outcome, started, false), model, usage, cost),
          costUsd: cost,
          completion,
          request,
        });
        return { completion, outcome, costUsd: cost };
      } catch (error) {
        if (!this.noteFailure(error, model, failures, ctx)) break;
      }
    }
    await this.release(prepared.reservation);
    throw failureToRouterError(failures);
  }

  /**
   * Opens a stream on the first candidate that produces output. Failures before the first content
   * token fail over; after it, the stream ends with an error (see stream-session.ts).
   */
  async stream(request: ChatRequest, ctx: ChatCallContext): Promise<RoutedStream> {
    const plan = this.plan(request, ctx.hints);
    const started = this.deps.clock.now();
    const includeUsage = request.stream_options?.include_usage === true;
    const prepared = await this.prepare(request, plan, ctx);
    if (prepared.cached) {
      const cached = prepared.cached;
      await this.recordHit(ctx, cached, plan, started, true);
      return { outcome: this.hitOutcome(cached, plan), chunks: replayAsChunks(cached.completion, includeUsage), cost: Promise.resolve(0) };
    }
    const failures: AttemptFailure[] = [];
    for (const { model } of plan.candidates) {
      const attemptStarted = this.deps.clock.now();
      try {
        const source = this.deps.provider(model.provider).stream(upstreamRequest(request, model, true), this.callOptions(model, ctx));
        const outcome = outcomeOf(model, plan.strategyLabel, failures, prepared.cacheStatus);
        const routed = await openStream(source, {
          model,
          outcome,
          includeUsage,
          prompt: request,
          onComplete: async (result: StreamResult) => {
            const cost = costUsd(model, result.usage);
            await this.bookkeep(ctx, prepared, model, {
              record: paidCallRecord(this.facts(ctx, outcome, started, true), model, result.usage, cost),
              costUsd: cost,
              completion: result.sawToolCalls ? undefined : { ...completionFromStream(result.first, model.id, result.text, result.finishReason), usage: result.usage },
              request,
            });
            return cost;
          },
        });
        this.deps.health?.recordOutcome(model.id, 'success', this.deps.clock.now() - attemptStarted);
        // A stream that breaks later gives its held budget back and counts against the model's health.
        routed.cost.catch(() => {
          this.deps.health?.recordOutcome(model.id, 'stream_interrupted');
          return this.release(prepared.reservation);
        });
        return routed;
      } catch (error) {
        if (!this.noteFailure(error, model, failures, ctx)) break;
      }
    }
    await this.release(prepared.reservation);
    throw failureToRouterError(failures);
  }

  /** Cache lookup and budget reservation, in parallel: the only store round trip before the call. */
  private async prepare(request: ChatRequest, plan: Plan, ctx: ChatCallContext): Promise<Prepared> {
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
      return { cached, reservation: undefined, scope, cacheStatus: 'hit' };
    }
    if (reserve.status === 'rejected') throw reserve.reason;
    return { cached: undefined, reservation, scope, cacheStatus };
  }

  /** After an answer: cost record, budget settlement and cache store, in parallel. Never throws. */
  private async bookkeep(
    ctx: ChatCallContext, prepared: Prepared, model: ResolvedModel,
    done: { record: ReturnType<typeof paidCallRecord>; costUsd: number; completion: ChatCompletion | undefined; request: ChatRequest },
  ): Promise<void> {
    const tasks: Array<[string, Promise<void>]> = [['cost record', this.deps.ledger.record(done.record)]];
    if (prepared.reservation && this.deps.budget) tasks.push(['budget settle', this.deps.budget.settle(prepared.reservation, done.costUsd)]);
    if (this.deps.cache && done.completion && prepared.cacheStatus !== 'bypass') {
      const answer: CachedAnswer = { completion: done.completion, modelId: model.id, providerId: model.provider, costUsd: done.costUsd, match: 'exact' };
      tasks.push(['cache store', this.deps.cache.store(done.request, prepared.scope, answer)]);
    }
    const results = await Promise.allSettled(tasks.map(([, task]) => task));
    results.forEach((r, i) => {
      if (r.status === 'rejected') this.deps.onBookkeepingError?.(tasks[i]![0], r.reason);
    });
  }

  private async recordHit(ctx: ChatCallContext, cached: CachedAnswer, plan: Plan, started: number, stream: boolean): Promise<void> {
    const outcome = this.hitOutcome(cached, plan);
    await this.deps.ledger.record(cacheHitRecord(this.facts(ctx, outcome, started, stream), cached))
      .catch((error: unknown) => this.deps.onBookkeepingError?.('cost record', error));
  }

  private hitOutcome(cached: CachedAnswer, plan: Plan): RoutingOutcome {
    return { modelId: cached.modelId, providerId: cached.providerId, strategy: plan.strategyLabel, attempts: 0, failures: [], cache: 'hit' };
  }

  private async release(reservation: BudgetReservation | undefined): Promise<void> {
    if (!reservation || !this.deps.budget) return;
    await this.deps.budget.release(reservation).catch((error: unknown) => this.deps.onBookkeepingError?.('budget release', error));
  }

  /** Records a failed attempt; returns whether to go on to the next candidate. */
  private noteFailure(error: unknown, model: ResolvedModel, failures: AttemptFailure[], ctx: ChatCallContext): boolean {
    const failure = toAttemptFailure(error, model.id, model.provider);
    failures.push(failure);
    this.deps.health?.recordOutcome(model.id, failure.kind);
    this.deps.onAttemptFailed?.(failure);
    return shouldFailOver(failure) && !ctx.signal?.aborted;
  }

  private facts(ctx: ChatCallContext, outcome: RoutingOutcome, started: number, stream: boolean): CallFacts {
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

  private callOptions(model: ResolvedModel, ctx: ChatCallContext): { timeoutMs: number; signal?: AbortSignal } {
    const timeoutMs = this.deps.catalog.providers.get(model.provider)?.timeoutMs
      ?? this.deps.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
    return ctx.signal ? { timeoutMs, signal: ctx.signal } : { timeoutMs };
  }
}

function upstreamRequest(request: ChatRequest, model: ResolvedModel, stream: boolean): ChatRequest {
  const { stream: _s, stream_options: _o, ...rest } = request;
  return stream ? { ...rest, model: model.upstreamId, stream: true } : { ...rest, model: model.upstreamId };
}

function windowOf<T>(candidates: readonly T[], window: AttemptWindow): T[] {
  const start = candidates.length ? (window.startAt ?? 0) % candidates.length : 0;
  const rotated = [...candidates.slice(start), ...candidates.slice(0, start)];
  return rotated.slice(0, window.maxAttempts ?? rotated.length);
}

function outcomeOf(model: ResolvedModel, strategy: string, failures: AttemptFailure[], cache: CacheStatus): RoutingOutcome {
  return { modelId: model.id, providerId: model.provider, strategy, attempts: failures.length + 1, failures: [...failures], cache };
}
