// The embeddings use case: plan among the catalog's embedding models (same strategies, hints,
// breakers and failover as chat, via the AttemptRunner), answer from the tenant's exact cache when
// the same input was embedded before, hold and settle budget, and write one cost record per call.
import { createHash } from 'node:crypto';
import type { Catalog } from '../catalog/catalog.ts';
import type { BudgetGuard } from '../budget/ports.ts';
import { AttemptRunner } from '../chat/attempt-runner.ts';
import type { AttemptRunnerDeps } from '../chat/attempt-runner.ts';
import type { ChatRequest, Usage } from '../chat/openai-types.ts';
import { outcomeOf } from '../chat/types.ts';
import type { AttemptWindow, CacheStatus, ChatCallContext, RoutingOutcome } from '../chat/types.ts';
import { costUsd, estimateCostUsd } from '../pricing/cost.ts';
import { cacheHitRecord, paidCallRecord } from '../pricing/cost-record.ts';
import type { CostLedger } from '../pricing/ports.ts';
import { estimateTokens } from '../pricing/tokens.ts';
import { explainNoRoute } from '../routing/plan.ts';
import { planSlots } from '../routing/plan-slots.ts';
import { NoRouteError } from '../shared/errors.ts';
import type { EmbeddingsRequest } from './embeddings-request-schema.ts';
import type { EmbeddingCache, EmbeddingsClient } from './ports.ts';

export interface EmbeddingServiceDeps extends AttemptRunnerDeps {
  catalog: Catalog;
  embeddings(providerId: string): EmbeddingsClient;
  ledger: CostLedger;
  cache?: EmbeddingCache;
  /** How long a cached answer is reused; one day by default. */
  cacheTtlSeconds?: number;
  budget?: BudgetGuard;
  onBookkeepingError?: (what: string, error: unknown) => void;
}

export interface RoutedEmbeddings {
  vectors: number[][];
  modelId: string;
  promptTokens: number;
  outcome: RoutingOutcome;
  costUsd: number;
}

/** Cache key: the model asked for, the dimensions and every input, unambiguously joined. */
export function embeddingCacheKey(request: EmbeddingsRequest): string {
  const inputs = typeof request.input === 'string' ? [request.input] : request.input;
  return createHash('sha256').update(JSON.stringify(['embeddings/v1', request.model, request.dimensions ?? null, inputs])).digest('hex');
}

export class EmbeddingService {
  private readonly deps: EmbeddingServiceDeps;
  private readonly runner: AttemptRunner;

  constructor(deps: EmbeddingServiceDeps) {
    this.deps = deps;
    this.runner = new AttemptRunner(deps);
  }

  /** `window` narrows the fallback plan (a batch delivery makes one attempt, further down on each redelivery). */
  async embed(request: EmbeddingsRequest, ctx: ChatCallContext, window: AttemptWindow = {}): Promise<RoutedEmbeddings> {
    const inputs = typeof request.input === 'string' ? [request.input] : request.input;
    // Routing sees the inputs as one prompt: its token estimate drives context-window and cost checks.
    const asChat: ChatRequest = { model: request.model, messages: [{ role: 'user', content: inputs.join('\n') }] };
    const plan = planSlots(this.deps.catalog, asChat, ctx.hints, this.deps.health?.current(), 'embedding');
    if (plan.candidates.length === 0) throw new NoRouteError(explainNoRoute(plan), [...new Set(plan.excluded.map((e) => e.reason))]);
    const started = this.deps.clock.now();
    // The cost record's key time: a batch item passes a stable one, so a redelivered item is billed once.
    const startedAt = new Date(ctx.startedAt ?? started).toISOString();
    const estimatedTokens = inputs.reduce((sum, text) => sum + estimateTokens(text), 0);
    const key = embeddingCacheKey(request);
    const mode = ctx.cacheMode ?? 'use';
    const cache = this.deps.cache;

    if (cache && mode === 'use') {
      const hit = await cache.get(ctx.principal.tenantId, key);
      if (hit) {
        const outcome: RoutingOutcome = {
          modelId: hit.modelId, providerId: hit.providerId, strategy: plan.strategyLabel, attempts: 0, failures: [], cache: 'hit',
          cacheSource: { requestId: hit.requestId },
        };
        const usage: Usage = { prompt_tokens: hit.promptTokens, completion_tokens: 0, total_tokens: hit.promptTokens };
        const facts = { principal: ctx.principal, requestId: ctx.requestId, strategy: plan.strategyLabel, attempts: 0, latencyMs: this.deps.clock.now() - started, stream: false, timestamp: new Date(this.deps.clock.now()).toISOString(), startedAt };
        await this.guard('cost record', () => this.deps.ledger.record(cacheHitRecord(facts, {
          completion: { id: hit.requestId, object: 'chat.completion', created: 0, model: hit.modelId, choices: [], usage },
          modelId: hit.modelId, providerId: hit.providerId, costUsd: hit.costUsd, match: 'exact',
        })));
        return { vectors: hit.vectors, modelId: hit.modelId, promptTokens: hit.promptTokens, outcome, costUsd: 0 };
      }
    }

    const worst = Math.max(...plan.candidates.map((c) => estimateCostUsd(c.model, estimatedTokens, 0)));
    const reservation = await this.deps.budget?.reserve(ctx.principal, worst, ctx.requestId);
    try {
      return await this.runner.run(plan, ctx, 'json', window, async (model, options, failures, done) => {
        const attemptStarted = this.deps.clock.now();
        let result;
        try {
          result = await this.deps.embeddings(model.provider).embed({ model: model.upstreamId, input: inputs, ...(request.dimensions ? { dimensions: request.dimensions } : {}) }, options);
        } finally {
          done();
        }
        this.deps.health?.recordOutcome(model.id, 'success', this.deps.clock.now() - attemptStarted);
        const promptTokens = result.promptTokens ?? estimatedTokens;
        const usage: Usage = { prompt_tokens: promptTokens, completion_tokens: 0, total_tokens: promptTokens };
        const cost = costUsd(model, usage);
        const cacheStatus: CacheStatus = !cache ? 'bypass' : mode === 'use' ? 'miss' : mode;
        const outcome = outcomeOf(model, plan.strategyLabel, failures, cacheStatus);
        const facts = { principal: ctx.principal, requestId: ctx.requestId, strategy: plan.strategyLabel, attempts: outcome.attempts, latencyMs: this.deps.clock.now() - started, stream: false, timestamp: new Date(this.deps.clock.now()).toISOString(), startedAt };
        await Promise.all([
          this.guard('cost record', () => this.deps.ledger.record(paidCallRecord(facts, model, usage, cost))),
          reservation ? this.guard('budget settle', () => this.deps.budget!.settle(reservation, cost)) : undefined,
          cache && mode !== 'bypass'
            ? this.guard('cache store', () => cache.put(ctx.principal.tenantId, key, { vectors: result.vectors, promptTokens, modelId: model.id, providerId: model.provider, costUsd: cost, requestId: ctx.requestId }, this.deps.cacheTtlSeconds ?? 86_400))
            : undefined,
        ]);
        return { vectors: result.vectors, modelId: model.id, promptTokens, outcome, costUsd: cost };
      });
    } catch (error) {
      if (reservation) await this.guard('budget release', () => this.deps.budget!.release(reservation));
      throw error;
    }
  }

  private async guard(what: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.deps.onBookkeepingError?.(what, error);
    }
  }
}
