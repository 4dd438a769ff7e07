// The router's use case: plan a route, try the candidates in order, record what the answer cost.
import type { Catalog, ResolvedModel } from './catalog.ts';
import { costUsd } from './cost.ts';
import { NoRouteError } from './errors.ts';
import { failureToRouterError, shouldFailOver, toAttemptFailure } from './failover.ts';
import type { AttemptFailure } from './failover.ts';
import type { ChatCompletion, ChatRequest, Usage } from './openai-types.ts';
import type { Clock, CostLedger, CostRecord, Principal, ProviderClient } from './ports.ts';
import { resolveRoutingInput } from './routing/hints.ts';
import type { RoutingHints } from './routing/hints.ts';
import { explainNoRoute, planRoute } from './routing/plan.ts';
import type { RoutingContext, RoutingPlan } from './routing/types.ts';
import { openStream } from './stream-session.ts';
import { completionText, usageOrEstimate } from './usage.ts';
import type { RoutedStream } from './stream-session.ts';

export interface ChatServiceDeps {
  catalog: Catalog;
  /** The client for a catalog provider id. */
  provider(providerId: string): ProviderClient;
  ledger: CostLedger;
  clock: Clock;
  /** Live routing inputs (observed latency, unavailable models); read from a snapshot, not per call. */
  routingContext?: () => RoutingContext;
  /** Called for every failed attempt, so the caller can log and count it. */
  onAttemptFailed?: (failure: AttemptFailure) => void;
  /** Upper bound for one attempt when the provider sets none. */
  attemptTimeoutMs?: number;
}

export interface ChatCallContext {
  principal: Principal;
  requestId: string;
  hints: RoutingHints;
  signal?: AbortSignal;
}

/** What the router decided and how it went; becomes the `x-router-*` response headers. */
export interface RoutingOutcome {
  modelId: string;
  providerId: string;
  strategy: string;
  attempts: number;
  failures: AttemptFailure[];
}

export interface RoutedCompletion {
  completion: ChatCompletion;
  outcome: RoutingOutcome;
  costUsd: number;
}

const DEFAULT_ATTEMPT_TIMEOUT_MS = 120_000;

export class ChatService {
  private readonly deps: ChatServiceDeps;

  constructor(deps: ChatServiceDeps) {
    this.deps = deps;
  }

  /** Plans the fallback chain for a request; throws a 400 that names the constraints when none fits. */
  plan(request: ChatRequest, hints: RoutingHints): RoutingPlan & { strategyLabel: string } {
    const input = resolveRoutingInput(this.deps.catalog, request, hints);
    const plan = planRoute(this.deps.catalog, input, this.deps.routingContext?.());
    if (plan.candidates.length === 0) throw new NoRouteError(explainNoRoute(plan));
    return { ...plan, strategyLabel: input.mode === 'model' ? 'pinned' : plan.strategy };
  }

  /** Answers a non-streaming request, failing over along the plan. */
  async complete(request: ChatRequest, ctx: ChatCallContext): Promise<RoutedCompletion> {
    const plan = this.plan(request, ctx.hints);
    const started = this.deps.clock.now();
    const failures: AttemptFailure[] = [];
    for (const { model } of plan.candidates) {
      const client = this.deps.provider(model.provider);
      try {
        const upstream = await client.chat(this.upstreamRequest(request, model, false), this.callOptions(model, ctx));
        const completion = { ...upstream, model: model.id };
        const usage = usageOrEstimate(completion.usage, request, completionText(completion));
        completion.usage = usage;
        const cost = costUsd(model, usage);
        const outcome = outcomeOf(model, plan.strategyLabel, failures);
        await this.deps.ledger.record(
          this.costRecord(ctx, model, outcome, usage, cost, this.deps.clock.now() - started, false),
        );
        return { completion, outcome, costUsd: cost };
      } catch (error) {
        const failure = toAttemptFailure(error, model.id, model.provider);
        failures.push(failure);
        this.deps.onAttemptFailed?.(failure);
        if (!shouldFailOver(failure) || ctx.signal?.aborted) break;
      }
    }
    throw failureToRouterError(failures);
  }

  /**
   * Opens a stream on the first candidate that produces output. Failures before the first content
   * token fail over; after it, the stream ends with an error (see stream-session.ts).
   */
  async stream(request: ChatRequest, ctx: ChatCallContext): Promise<RoutedStream> {
    const plan = this.plan(request, ctx.hints);
    const started = this.deps.clock.now();
    const failures: AttemptFailure[] = [];
    const includeUsage = request.stream_options?.include_usage === true;
    for (const { model } of plan.candidates) {
      const client = this.deps.provider(model.provider);
      try {
        const source = client.stream(this.upstreamRequest(request, model, true), this.callOptions(model, ctx));
        const outcome = outcomeOf(model, plan.strategyLabel, failures);
        return await openStream(source, {
          model,
          outcome,
          includeUsage,
          prompt: request,
          onComplete: async (usage) => {
            const cost = costUsd(model, usage);
            await this.deps.ledger.record(
              this.costRecord(ctx, model, outcome, usage, cost, this.deps.clock.now() - started, true),
            );
            return cost;
          },
        });
      } catch (error) {
        const failure = toAttemptFailure(error, model.id, model.provider);
        failures.push(failure);
        this.deps.onAttemptFailed?.(failure);
        if (!shouldFailOver(failure) || ctx.signal?.aborted) break;
      }
    }
    throw failureToRouterError(failures);
  }

  private upstreamRequest(request: ChatRequest, model: ResolvedModel, stream: boolean): ChatRequest {
    const { stream: _s, stream_options: _o, ...rest } = request;
    return stream ? { ...rest, model: model.upstreamId, stream: true } : { ...rest, model: model.upstreamId };
  }

  private callOptions(model: ResolvedModel, ctx: ChatCallContext): { timeoutMs: number; signal?: AbortSignal } {
    const timeoutMs = this.deps.catalog.providers.get(model.provider)?.timeoutMs
      ?? this.deps.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
    return ctx.signal ? { timeoutMs, signal: ctx.signal } : { timeoutMs };
  }

  private costRecord(
    ctx: ChatCallContext, model: ResolvedModel, outcome: RoutingOutcome,
    usage: Usage, cost: number, latencyMs: number, stream: boolean,
  ): CostRecord {
    const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
    return {
      tenantId: ctx.principal.tenantId,
      keyId: ctx.principal.keyId,
      requestId: ctx.requestId,
      modelId: model.id,
      providerId: model.provider,
      inputTokens: usage.prompt_tokens,
      outputTokens: usage.completion_tokens,
      cachedInputTokens: cached,
      reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
      costUsd: cost,
      latencyMs,
      attempts: outcome.attempts,
      cacheHit: false,
      stream,
      strategy: outcome.strategy,
      timestamp: new Date(this.deps.clock.now()).toISOString(),
    };
  }
}

function outcomeOf(model: ResolvedModel, strategy: string, failures: AttemptFailure[]): RoutingOutcome {
  return { modelId: model.id, providerId: model.provider, strategy, attempts: failures.length + 1, failures: [...failures] };
}
