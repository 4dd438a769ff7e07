// The router's use case: plan a route, answer from cache when possible, hold budget, try the
// candidates in order (attempt-runner.ts: retrying or failing over by error class, within a bounded
// number of calls and a time budget), and record what the answer cost (bookkeeping.ts).
import type { Catalog, ResolvedModel } from '../catalog/catalog.ts';
import { completionFromStream, replayAsChunks } from '../cache/cached-stream.ts';
import type { CachedAnswer, ResponseCache } from '../cache/ports.ts';
import { affordableOutputTokens, preferCheaperPlan } from '../budget/budget.ts';
import type { BudgetGuard } from '../budget/ports.ts';
import { costUsd } from '../pricing/cost.ts';
import { paidCallRecord } from '../pricing/cost-record.ts';
import type { CostLedger } from '../pricing/ports.ts';
import { estimateInputTokens, estimateTokens } from '../pricing/tokens.ts';
import { completionText, usageOrEstimate } from '../pricing/usage.ts';
import { planSlots } from '../routing/plan-slots.ts';
import type { SlottedPlan } from '../routing/plan-slots.ts';
import type { RoutingHints } from '../routing/hints.ts';
import { unroutableError } from '../routing/unroutable.ts';
import type { RoutingContext } from '../routing/types.ts';
import { AttemptRunner } from './attempt-runner.ts';
import type { AttemptRunnerDeps, Attempt, CallKind, FailedAttempt } from './attempt-runner.ts';
import { Bookkeeping } from './bookkeeping.ts';
import type { CallTab, Prepared } from './bookkeeping.ts';
import type { ChatCompletion, ChatRequest, Usage } from './openai-types.ts';
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
    const started = this.deps.clock.now();
    const { plan, prepared, promptTokens } = await this.prepare(request, ctx);
    if (prepared.cached) {
      const outcome = hitOutcome(prepared.cached, plan);
      await this.books.recordHit(ctx, prepared.cached, outcome, started, false);
      return { completion: { ...prepared.cached.completion }, outcome, costUsd: 0 };
    }
    const tab = this.books.open(ctx, prepared, started, false);
    const budget = this.budgetLimits(request, prepared, promptTokens, tab);
    return this.attempt(budget.plan(plan), ctx, 'json', window, tab, request, async (model, options, failures, done, attempt) => {
      const attemptStarted = this.deps.clock.now();
      const cap = budget.capFor(model);
      let upstream: ChatCompletion;
      try {
        upstream = await this.deps.provider(model.provider).chat(upstreamRequest(request, model, false, cap), options);
      } finally {
        done();
      }
      this.deps.health?.recordOutcome(model.id, 'success', this.deps.clock.now() - attemptStarted);
      const usage = usageOrEstimate(upstream.usage, request, completionText(upstream));
      const completion: ChatCompletion = { ...upstream, model: model.id, usage };
      const cost = costUsd(model, usage);
      const outcome = withCap(outcomeOf(model, plan.strategyLabel, failures, prepared.cacheStatus, planNotes(plan)), cap);
      await tab.close(model, { record: paidCallRecord(tab.facts(outcome, 'complete', attempt), model, usage, cost), costUsd: cost, completion, request });
      return { completion, outcome, costUsd: cost };
    });
  }

  /**
   * Opens a stream on the first candidate that produces output. Failures before the first content
   * token fail over; after it, the stream ends with an error (see stream-session.ts).
   */
  async stream(request: ChatRequest, ctx: ChatCallContext): Promise<RoutedStream> {
    const started = this.deps.clock.now();
    const includeUsage = request.stream_options?.include_usage === true;
    const { plan, prepared, promptTokens } = await this.prepare(request, ctx);
    if (prepared.cached) {
      const cached = prepared.cached;
      const outcome = hitOutcome(cached, plan);
      await this.books.recordHit(ctx, cached, outcome, started, true);
      return { outcome, chunks: replayAsChunks(cached.completion, includeUsage), cost: Promise.resolve(0) };
    }
    const tab = this.books.open(ctx, prepared, started, true);
    const budget = this.budgetLimits(request, prepared, promptTokens, tab);
    const limited = budget.plan(plan);
    const onFailed = this.failedAttempts(limited, tab, request);
    let attempts = 0; // the highest attempt number so far: a continuation's attempts are numbered after it
    /** An attempt on `model`: the request itself, or (`delivered` set) the continuation of a broken stream. */
    const open = (delivered: string | undefined, broken: ReadonlySet<string>): Attempt<RoutedStream> => async (model, options, failures, done, attempt) => {
      attempts = Math.max(attempts, attempt);
      const attemptStarted = this.deps.clock.now();
      const cap = budget.capFor(model);
      const asked = delivered === undefined ? request : continuationRequest(request, delivered);
      const sent = upstreamRequest(asked, model, true, cap);
      const source = this.deps.provider(model.provider).stream(sent, delivered === undefined ? options : { ...options, continuation: model.prefill });
      const outcome = withCap(outcomeOf(model, plan.strategyLabel, failures, prepared.cacheStatus, planNotes(plan)), cap);
      const routed = await openStream(source, {
        model,
        outcome,
        // A continuation's usage always comes back, to be summed with the broken attempt's.
        includeUsage: delivered === undefined ? includeUsage : true,
        prompt: asked,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        onEnd: async (result: StreamResult, ending) => {
          const cost = costUsd(model, result.usage);
          // A continued answer is two models' wording: never cached (nor is the continuation's half).
          const completion = ending === 'complete' && !result.sawToolCalls && delivered === undefined
            ? { ...completionFromStream(result.first, model.id, result.text, result.finishReason), usage: result.usage }
            : undefined;
          const bill = { record: paidCallRecord(tab.facts(outcome, ending, attempt), model, result.usage, cost), costUsd: cost, completion, request };
          // A broken attempt may be continued: the hold is settled once the continuation ends (or none can).
          if (ending === 'stream_broken') tab.attemptBroken(bill);
          else await tab.close(model, bill);
          return cost;
        },
        // A stream that breaks later counts against the model's health (it was billed by onEnd).
        onBroken: () => this.deps.health?.recordOutcome(model.id, 'stream_interrupted'),
        resume: async (gone) => {
          const sofar = (delivered ?? '') + gone.delivered;
          const skip = new Set([...broken, model.id]);
          try {
            const slots = limited.slots.map((slot) => slot.filter((m) => m.prefill !== undefined && !skip.has(m.id))).filter((slot) => slot.length > 0);
            // Tool calls in flight are never spliced onto another model's; n > 1 choices are not continued.
            if (gone.sawToolCalls || gone.multipleChoices || sofar === '' || slots.length === 0 || ctx.signal?.aborted) {
              await tab.giveUp();
              return undefined;
            }
            return await this.runner.run({ ...limited, slots }, ctx, 'stream', {}, open(sofar, skip), onFailed, { refusalFailsOver: true, attemptsBefore: attempts });
          } catch {
            // No candidate continued: the stream reports its original break, not their refusals.
            await tab.giveUp();
            return undefined;
          }
        },
      });
      this.deps.health?.recordOutcome(model.id, 'success', this.deps.clock.now() - attemptStarted);
      return { ...routed, chunks: endWhenDone(routed.chunks, done) };
    };
    return this.attempt(limited, ctx, 'stream', {}, tab, request, open(undefined, new Set()));
  }

  /** Plans, then looks the answer up in the cache and holds budget (prefer-cheaper may reorder the plan). */
  private async prepare(request: ChatRequest, ctx: ChatCallContext): Promise<{ plan: SlottedPlan; prepared: Prepared; promptTokens: number }> {
    const plan = this.plan(request, ctx.hints);
    const promptTokens = estimateInputTokens(request);
    const prepared = await this.books.prepare(request, plan, ctx, promptTokens);
    // Near a budget's preferCheaperAt share, a route walks its candidates cheapest first; a model
    // the caller named keeps its own order.
    const cheaper = prepared.reservation?.preferCheaper === true && plan.strategyLabel !== 'pinned';
    return { plan: cheaper ? preferCheaperPlan(plan) : plan, prepared, promptTokens };
  }

  /** What the budget hold allows: the candidates it can pay a typical answer on, and each one's max_tokens cap. */
  private budgetLimits(request: ChatRequest, prepared: Prepared, promptTokens: number, tab: CallTab): BudgetLimits {
    const hold = prepared.reservation;
    const asked = request.max_completion_tokens ?? request.max_tokens ?? undefined;
    if (!hold?.capped) return { plan: (p) => p, capFor: () => undefined };
    const { expectedOutputTokens, assumedOutputTokens } = this.deps.catalog.defaults;
    const typical = asked ?? expectedOutputTokens ?? assumedOutputTokens;
    // What earlier attempts of this call cost (a timed-out prompt) comes out of the same hold.
    const affordable = (model: ResolvedModel): number => affordableOutputTokens(model, promptTokens, hold.amountUsd - tab.failedCostUsd);
    return {
      plan: (p) => {
        const slots = p.slots.map((slot) => slot.filter((m) => affordable(m) >= Math.min(typical, m.maxOutputTokens))).filter((slot) => slot.length > 0);
        // The guard held at least a typical answer on the cheapest candidate; rounding aside, one fits.
        return slots.length > 0 ? { ...p, slots } : p;
      },
      capFor: (model) => {
        const cap = Math.max(1, affordable(model));
        return cap < (asked ?? model.maxOutputTokens) ? cap : undefined;
      },
    };
  }

  /** Records every failed attempt: a refused call costs nothing, one the provider may have worked on its prompt. */
  private failedAttempts(plan: SlottedPlan, tab: CallTab, request: ChatRequest): FailedAttempt {
    const promptOnly = usageOrEstimate(undefined, request, '');
    return (model, _failure, before, attempt, ending) => {
      // A refused call costs nothing; one the provider may have started working on (a timeout, a
      // client or deadline cut before any output) is billed its prompt.
      const billed: Usage = ending === 'failed' || ending === 'failed_over' ? NOTHING : promptOnly;
      const cost = costUsd(model, billed);
      const outcome = outcomeOf(model, plan.strategyLabel, before, tab.cacheStatus, planNotes(plan));
      tab.attemptFailed({ record: paidCallRecord(tab.facts(outcome, ending, attempt), model, billed, cost), costUsd: cost, request });
    };
  }

  /** Runs the attempts; every failed one is recorded, and when none answers the hold is settled or released. */
  private async attempt<T>(
    plan: SlottedPlan, ctx: ChatCallContext, kind: CallKind, window: AttemptWindow, tab: CallTab, request: ChatRequest, call: Attempt<T>,
  ): Promise<T> {
    const onFailed = this.failedAttempts(plan, tab, request);
    try {
      return await this.runner.run(plan, ctx, kind, window, call, onFailed);
    } catch (error) {
      await tab.giveUp();
      throw error;
    }
  }
}

/** The request a continuation sends: the conversation plus the answer so far as a trailing assistant turn, its output limit lowered by that. */
function continuationRequest(request: ChatRequest, delivered: string): ChatRequest {
  const used = estimateTokens(delivered);
  const lower = (limit: number | null | undefined): number | null | undefined => (limit == null ? limit : Math.max(1, limit - used));
  const continued: ChatRequest = { ...request, messages: [...request.messages, { role: 'assistant', content: delivered }] };
  if (request.max_tokens != null) continued.max_tokens = lower(request.max_tokens);
  if (request.max_completion_tokens != null) continued.max_completion_tokens = lower(request.max_completion_tokens);
  return continued;
}

const NOTHING: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

interface BudgetLimits {
  plan(plan: SlottedPlan): SlottedPlan;
  capFor(model: ResolvedModel): number | undefined;
}

function withCap(outcome: RoutingOutcome, cap: number | undefined): RoutingOutcome {
  return cap === undefined ? outcome : { ...outcome, maxTokensCap: cap };
}

/** Relays a stream and runs `done` however it ends (completed, broken, or abandoned by the client). */
async function* endWhenDone<T>(chunks: AsyncIterable<T>, done: () => void): AsyncGenerator<T> {
  try {
    yield* chunks;
  } finally {
    done();
  }
}

/** The request as the provider gets it; `cap` lowers its output limit to what the budget hold pays for. */
function upstreamRequest(request: ChatRequest, model: ResolvedModel, stream: boolean, cap: number | undefined): ChatRequest {
  const { stream: _s, stream_options: _o, ...rest } = request;
  const limited: ChatRequest = cap === undefined ? rest
    : request.max_completion_tokens != null ? { ...rest, max_completion_tokens: cap } : { ...rest, max_tokens: cap };
  return stream ? { ...limited, model: model.upstreamId, stream: true } : { ...limited, model: model.upstreamId };
}

function hitOutcome(cached: CachedAnswer, plan: SlottedPlan): RoutingOutcome {
  return {
    modelId: cached.modelId, providerId: cached.providerId, strategy: plan.strategyLabel, attempts: 0, failures: [],
    cache: cached.match === 'semantic' ? 'semantic-hit' : 'hit',
    cacheSource: { requestId: cached.sourceRequestId, similarity: cached.similarity },
    ...planNotes(plan),
  };
}

/** The plan's task type and learned decision, when it has them. */
function planNotes(plan: SlottedPlan): Pick<RoutingOutcome, 'task' | 'decision'> {
  return { ...(plan.taskType !== undefined ? { task: plan.taskType } : {}), ...(plan.decision !== undefined ? { decision: plan.decision } : {}) };
}
