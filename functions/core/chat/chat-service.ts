// The router's use case: plan a route, answer from cache when possible, hold budget, try the
// candidates in order (retrying or failing over by error class, see retry-policy.ts, within a
// bounded number of calls and a time budget), and record what the answer cost.
import type { Catalog, ResolvedModel } from '../catalog/catalog.ts';
import { completionFromStream, replayAsChunks } from '../cache/cached-stream.ts';
import { costUsd } from '../pricing/cost.ts';
import { cacheHitRecord, paidCallRecord } from '../pricing/cost-record.ts';
import type { CallFacts } from '../pricing/cost-record.ts';
import { NoRouteError } from '../shared/errors.ts';
import { failureToRouterError, toAttemptFailure } from '../failover/attempt-failure.ts';
import type { AttemptFailure } from '../failover/attempt-failure.ts';
import { InFlight, orderDeployments } from '../routing/load-balancer.ts';
import type { LoadBalancing } from '../routing/load-balancer.ts';
import { planSlots } from '../routing/plan-slots.ts';
import type { SlottedPlan } from '../routing/plan-slots.ts';
import { decideAfterFailure, defaultFailoverSettings, fitsAfterContextFailure } from '../failover/retry-policy.ts';
import type { FailoverSettings } from '../failover/retry-policy.ts';
import type { ChatCompletion, ChatRequest } from './openai-types.ts';
import type { Principal } from '../auth/ports.ts';
import type { BudgetGuard, BudgetReservation } from '../budget/ports.ts';
import type { CacheMode, CachedAnswer, CacheScope, ResponseCache } from '../cache/ports.ts';
import type { ProviderCallOptions, ProviderClient } from './ports.ts';
import type { HealthMonitor } from '../health/ports.ts';
import type { CostLedger } from '../pricing/ports.ts';
import type { Clock } from '../shared/clock.ts';
import type { RoutingHints } from '../routing/hints.ts';
import { explainNoRoute } from '../routing/plan.ts';
import type { RoutingContext } from '../routing/types.ts';
import { openStream } from './stream-session.ts';
import type { RoutedStream, StreamResult } from './stream-session.ts';
import { completionText, usageOrEstimate } from '../pricing/usage.ts';

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
  /** Overrides the catalog's `defaults.failover`. */
  failover?: Partial<FailoverSettings>;
  /** Overrides the catalog's `defaults.loadBalancing`. */
  loadBalancing?: LoadBalancing;
  /** Waits between retries; injectable so tests need no real waits. */
  sleep?: (ms: number) => Promise<void>;
  /** 0 <= x < 1, for backoff jitter and weighted balancing; Math.random by default. */
  random?: () => number;
}

export interface ChatCallContext {
  principal: Principal;
  requestId: string;
  hints: RoutingHints;
  cacheMode?: CacheMode;
  signal?: AbortSignal;
}

export type CacheStatus = 'hit' | 'semantic-hit' | 'miss' | 'bypass' | 'refresh';

/** What the router decided and how it went; becomes the `x-router-*` response headers. */
export interface RoutingOutcome {
  modelId: string;
  providerId: string;
  strategy: string;
  attempts: number;
  failures: AttemptFailure[];
  cache: CacheStatus;
  /** On a cache hit: the request whose answer was reused, and (semantic hits) the prompts' similarity. */
  cacheSource?: { requestId?: string | undefined; similarity?: number | undefined };
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

type Plan = SlottedPlan;

type Attempt<T> = (model: ResolvedModel, options: ProviderCallOptions, failures: AttemptFailure[], done: () => void) => Promise<T>;

interface Prepared {
  cached: CachedAnswer | undefined;
  reservation: BudgetReservation | undefined;
  scope: CacheScope;
  cacheStatus: CacheStatus;
}

const DEFAULT_ATTEMPT_TIMEOUT_MS = 120_000;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class ChatService {
  private readonly deps: ChatServiceDeps;
  private readonly settings: FailoverSettings;
  /** Calls in flight per model, in this instance's memory (least-outstanding balancing). */
  private readonly inFlight = new InFlight();

  constructor(deps: ChatServiceDeps) {
    this.deps = deps;
    this.settings = { ...defaultFailoverSettings, ...deps.catalog.defaults.failover, ...deps.failover };
  }

  /** Plans the fallback chain for a request; throws a 400 that names the constraints when none fits. */
  plan(request: ChatRequest, hints: RoutingHints): Plan {
    const plan = planSlots(this.deps.catalog, request, hints, this.deps.health?.current());
    if (plan.candidates.length === 0) throw new NoRouteError(explainNoRoute(plan), [...new Set(plan.excluded.map((e) => e.reason))]);
    return plan;
  }

  /** The live health view routing uses (empty without a health monitor), for GET /v1/models. */
  routingContext(): RoutingContext {
    return this.deps.health?.current() ?? {};
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
    return this.attempt(plan, ctx, 'json', window, prepared, async (model, options, failures, done) => {
      const attemptStarted = this.deps.clock.now();
      let upstream: ChatCompletion;
      try {
        upstream = await this.deps.provider(model.provider).chat(upstreamRequest(request, model, false), options);
      } finally {
        done();
      }
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
    });
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
    return this.attempt(plan, ctx, 'stream', {}, prepared, async (model, options, failures, done) => {
      const attemptStarted = this.deps.clock.now();
      const source = this.deps.provider(model.provider).stream(upstreamRequest(request, model, true), options);
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
      return { ...routed, chunks: endWhenDone(routed.chunks, done) };
    });
  }

  /**
   * Walks the plan's slots (deployments of a slot in the balancer's order), retrying or failing
   * over after each failure as the retry policy decides, until an attempt answers, the policy
   * stops, `maxCalls` calls were made or the time budget is spent.
   */
  private async attempt<T>(plan: Plan, ctx: ChatCallContext, kind: 'json' | 'stream', window: AttemptWindow, prepared: Prepared, call: Attempt<T>): Promise<T> {
    const started = this.deps.clock.now();
    const budgetMs = kind === 'json' ? this.settings.totalBudgetMs : this.settings.streamBudgetMs;
    const remaining = (): number => budgetMs - (this.deps.clock.now() - started);
    const random = this.deps.random ?? Math.random;
    const failures: AttemptFailure[] = [];
    let calls = 0;
    let minContextWindow: number | undefined;
    let spent = false;
    walk: for (const slot of windowOf(plan.slots, window)) {
      const ordered = orderDeployments(slot, {
        mode: this.deps.loadBalancing ?? this.deps.catalog.defaults.loadBalancing ?? 'weighted',
        random,
        outstanding: (id) => this.inFlight.count(id),
        latencyMs: (id) => this.deps.health?.current().observedLatencyMs?.get(id),
      });
      for (const model of ordered) {
        if (!fitsAfterContextFailure(model.contextWindow, minContextWindow)) continue;
        for (let retries = 0; ; retries++) {
          if (calls >= this.settings.maxCalls) break walk;
          if (remaining() <= 0) {
            spent = true;
            break walk;
          }
          calls += 1;
          const done = this.inFlight.start(model.id);
          try {
            return await call(model, this.callOptions(model, ctx, kind, remaining()), failures, done);
          } catch (error) {
            done();
            const failure = this.noteFailure(error, model, failures);
            if (ctx.signal?.aborted) break walk;
            const decision = decideAfterFailure(failure, { retries, remainingMs: remaining(), contextWindow: model.contextWindow, random }, this.settings);
            if (decision.action === 'stop') break walk;
            // A deployment whose breaker just opened is not retried, whatever the error class.
            if (decision.action === 'retry' && !this.deps.health?.current().unavailable?.has(model.id)) {
              await (this.deps.sleep ?? realSleep)(decision.delayMs);
              continue;
            }
            if (decision.action === 'failover' && decision.minContextWindow !== undefined) {
              minContextWindow = Math.max(minContextWindow ?? 0, decision.minContextWindow);
            }
            break;
          }
        }
      }
    }
    await this.release(prepared.reservation);
    throw failureToRouterError(failures, spent ? budgetMs : undefined);
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
      return { cached, reservation: undefined, scope, cacheStatus: cached.match === 'semantic' ? 'semantic-hit' : 'hit' };
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
      const answer: CachedAnswer = { completion: done.completion, modelId: model.id, providerId: model.provider, costUsd: done.costUsd, match: 'exact', sourceRequestId: ctx.requestId };
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
    return {
      modelId: cached.modelId, providerId: cached.providerId, strategy: plan.strategyLabel, attempts: 0, failures: [],
      cache: cached.match === 'semantic' ? 'semantic-hit' : 'hit',
      cacheSource: { requestId: cached.sourceRequestId, similarity: cached.similarity },
    };
  }

  private async release(reservation: BudgetReservation | undefined): Promise<void> {
    if (!reservation || !this.deps.budget) return;
    await this.deps.budget.release(reservation).catch((error: unknown) => this.deps.onBookkeepingError?.('budget release', error));
  }

  /** Records a failed attempt (breaker, log hook) and returns it. */
  private noteFailure(error: unknown, model: ResolvedModel, failures: AttemptFailure[]): AttemptFailure {
    const failure = toAttemptFailure(error, model.id, model.provider);
    failures.push(failure);
    this.deps.health?.recordOutcome(model.id, failure.kind);
    this.deps.onAttemptFailed?.(failure);
    return failure;
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

  /** Per-attempt bounds: the provider's (or default) timeouts, never beyond the remaining budget. */
  private callOptions(model: ResolvedModel, ctx: ChatCallContext, kind: 'json' | 'stream', remainingMs: number): ProviderCallOptions {
    const provider = this.deps.catalog.providers.get(model.provider);
    const bound = Math.max(1, Math.floor(remainingMs));
    const timeoutMs = Math.min(provider?.timeoutMs ?? this.deps.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS, bound);
    const options: ProviderCallOptions = { timeoutMs };
    if (kind === 'stream') {
      options.firstTokenTimeoutMs = Math.min(provider?.firstTokenTimeoutMs ?? this.settings.firstTokenTimeoutMs, bound);
      options.idleTimeoutMs = provider?.streamIdleTimeoutMs ?? this.settings.streamIdleTimeoutMs;
    }
    if (ctx.signal) options.signal = ctx.signal;
    return options;
  }
}

/** Relays a stream and runs `done` however it ends (completed, broken, or abandoned by the client). */
async function* endWhenDone<T>(chunks: AsyncIterable<T>, done: () => void): AsyncGenerator<T> {
  try {
    yield* chunks;
  } finally {
    done();
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
