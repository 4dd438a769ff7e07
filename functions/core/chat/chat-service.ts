// The router's use case: plan a route, answer from cache when possible, hold budget, try the
// candidates in order (attempt-runner.ts: retrying or failing over by error class, within a bounded
// number of calls and a time budget), and record what the answer cost (bookkeeping.ts).
import type { Catalog, ResolvedModel } from '../catalog/catalog.ts';
import { completionFromStream, replayAsChunks } from '../cache/cached-stream.ts';
import type { CachedAnswer, ResponseCache } from '../cache/ports.ts';
import type { BudgetGuard } from '../budget/ports.ts';
import { costUsd } from '../pricing/cost.ts';
import { paidCallRecord } from '../pricing/cost-record.ts';
import type { CostLedger } from '../pricing/ports.ts';
import { completionText, usageOrEstimate } from '../pricing/usage.ts';
import { planSlots } from '../routing/plan-slots.ts';
import type { SlottedPlan } from '../routing/plan-slots.ts';
import type { RoutingHints } from '../routing/hints.ts';
import { unroutableError } from '../routing/unroutable.ts';
import type { RoutingContext } from '../routing/types.ts';
import { AttemptRunner } from './attempt-runner.ts';
import type { AttemptRunnerDeps, Attempt, CallKind } from './attempt-runner.ts';
import { Bookkeeping } from './bookkeeping.ts';
import type { Prepared } from './bookkeeping.ts';
import type { ChatCompletion, ChatRequest } from './openai-types.ts';
import type { ProviderClient } from './ports.ts';
import { openStream } from './stream-session.ts';
import type { StreamResult } from './stream-session.ts';
import { outcomeOf } from './types.ts';
import type { AttemptWindow, ChatCallContext, RoutedCompletion, RoutedStream, RoutingOutcome } from './types.ts';

export type { AttemptWindow, CacheStatus, ChatCallContext, RoutedCompletion, RoutingOutcome } from './types.ts';

export interface ChatServiceDeps extends AttemptRunnerDeps {
  catalog: Catalog;
  /** The client for a catalog provider id. */
  provider(providerId: string): ProviderClient;
  ledger: CostLedger;
  cache?: ResponseCache;
  budget?: BudgetGuard;
  /** Called when bookkeeping after an answer (cost record, budget, cache) fails; the answer stands. */
  onBookkeepingError?: (what: string, error: unknown) => void;
}

export class ChatService {
  private readonly deps: ChatServiceDeps;
  private readonly runner: AttemptRunner;
  private readonly books: Bookkeeping;

  constructor(deps: ChatServiceDeps) {
    this.deps = deps;
    this.runner = new AttemptRunner(deps);
    this.books = new Bookkeeping(deps);
  }

  /**
   * Plans the fallback chain for a request; when none fits, throws a 400 that names the constraints,
   * or a 503 with Retry-After when only health (open breakers, unhealthy providers) rules models out.
   */
  plan(request: ChatRequest, hints: RoutingHints): SlottedPlan {
    const context = this.deps.health?.current() ?? {};
    const plan = planSlots(this.deps.catalog, request, hints, context);
    if (plan.candidates.length === 0) throw unroutableError(this.deps.catalog, request, hints, context, plan, this.deps.clock.now());
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
    const prepared = await this.books.prepare(request, plan, ctx);
    if (prepared.cached) {
      const outcome = hitOutcome(prepared.cached, plan);
      await this.books.recordHit(ctx, prepared.cached, outcome, started, false);
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
      await this.books.settlePaid(prepared, model, {
        record: paidCallRecord(this.books.facts(ctx, outcome, started, false), model, usage, cost),
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
    const prepared = await this.books.prepare(request, plan, ctx);
    if (prepared.cached) {
      const cached = prepared.cached;
      const outcome = hitOutcome(cached, plan);
      await this.books.recordHit(ctx, cached, outcome, started, true);
      return { outcome, chunks: replayAsChunks(cached.completion, includeUsage), cost: Promise.resolve(0) };
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
          await this.books.settlePaid(prepared, model, {
            record: paidCallRecord(this.books.facts(ctx, outcome, started, true), model, result.usage, cost),
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
        return this.books.release(prepared.reservation);
      });
      return { ...routed, chunks: endWhenDone(routed.chunks, done) };
    });
  }

  /** Runs the attempts; when none answers, gives the budget hold back before the error goes up. */
  private async attempt<T>(plan: SlottedPlan, ctx: ChatCallContext, kind: CallKind, window: AttemptWindow, prepared: Prepared, call: Attempt<T>): Promise<T> {
    try {
      return await this.runner.run(plan, ctx, kind, window, call);
    } catch (error) {
      await this.books.release(prepared.reservation);
      throw error;
    }
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

function hitOutcome(cached: CachedAnswer, plan: SlottedPlan): RoutingOutcome {
  return {
    modelId: cached.modelId, providerId: cached.providerId, strategy: plan.strategyLabel, attempts: 0, failures: [],
    cache: cached.match === 'semantic' ? 'semantic-hit' : 'hit',
    cacheSource: { requestId: cached.sourceRequestId, similarity: cached.similarity },
  };
}
