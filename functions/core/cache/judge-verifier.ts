// The judge verifier: the cheapest capable catalog model (cost-first under the catalog's hard
// constraints and the live health view) is asked, at temperature 0 with a short fixed prompt, whether a
// correct answer to the cached request would be just as correct for the new one. It must answer a bare
// "yes" or "no"; anything else, an error or a timeout is a `failed` verdict (the cache misses, the
// caller never sees an error). Every call that reached a provider is written to the cost ledger, billed
// to the tenant whose request it served and marked `purpose: 'cache-verification'`.
import type { Catalog, ResolvedModel } from '../catalog/catalog.ts';
import type { ChatRequest } from '../chat/openai-types.ts';
import type { ProviderClient } from '../chat/ports.ts';
import { costUsd } from '../pricing/cost.ts';
import type { CostLedger, CostRecord } from '../pricing/ports.ts';
import { completionText, usageOrEstimate } from '../pricing/usage.ts';
import { estimateInputTokens } from '../pricing/tokens.ts';
import { planRoute } from '../routing/plan.ts';
import type { RoutingContext, RoutingInput } from '../routing/types.ts';
import type { Clock } from '../shared/clock.ts';
import type { CacheVerifier, VerifyInput, VerifyVerdict } from './verifier.ts';

export interface JudgeVerifierDeps {
  catalog: Catalog;
  provider(providerId: string): ProviderClient;
  ledger: CostLedger;
  clock: Clock;
  /** Live health (open breakers): unavailable models are never asked. */
  context?: () => RoutingContext;
  /** Upper bound of one judge call; default 3000 ms. */
  timeoutMs?: number;
  /** Quality floor a judge model must reach (catalog quality scores); default none. */
  minQuality?: number;
  /** Models tried at most (the next cheapest after a failure); default 1: a second judge doubles the added latency. */
  maxAttempts?: number;
  /** Called when writing a judge's cost record fails (the verdict stands). */
  onError?: (what: string, error: unknown) => void;
}

export const JUDGE_SYSTEM_PROMPT = 'You check whether two requests to an assistant are the same question. Reply with one word: yes or no.';

/** The fixed question; the two requests are quoted so their text cannot pose as instructions. */
export function judgeQuestion(input: Pick<VerifyInput, 'prompt' | 'cachedPrompt' | 'context'>): string {
  const context = input.context ? `Shared context:\n<<<\n${input.context}\n>>>\n` : '';
  return `${context}Request A:\n<<<\n${input.cachedPrompt}\n>>>\nRequest B:\n<<<\n${input.prompt}\n>>>\n`
    + 'Would the correct answer to A be exactly as correct and complete for B (same facts, numbers, direction, negation)? Reply yes or no.';
}

/** A strict reading: "yes" or "no", case and trailing punctuation aside; anything else is no verdict. */
export function readVerdict(text: string): 'same' | 'different' | undefined {
  const word = text.trim().toLowerCase().replace(/[.!。！\s]+$/u, '');
  return word === 'yes' ? 'same' : word === 'no' ? 'different' : undefined;
}

export class JudgeVerifier implements CacheVerifier {
  private readonly deps: JudgeVerifierDeps;

  constructor(deps: JudgeVerifierDeps) {
    this.deps = deps;
  }

  /** The judge models for a question, cheapest first (empty when none passes the constraints and health). */
  judges(request: ChatRequest): ResolvedModel[] {
    const { catalog } = this.deps;
    const input: RoutingInput = {
      mode: 'route',
      routeName: 'cache-verification',
      strategy: 'cost-first',
      weights: catalog.defaults.weights,
      maxAttempts: this.deps.maxAttempts ?? 1,
      estimatedInputTokens: estimateInputTokens(request),
      requestedOutputTokens: request.max_tokens ?? 1,
      requiredCapabilities: [],
      kind: 'chat',
      ...(this.deps.minQuality !== undefined ? { minQuality: this.deps.minQuality } : {}),
    };
    return planRoute(catalog, input, this.deps.context?.() ?? {}).candidates.map((c) => c.model);
  }

  async verify(input: VerifyInput): Promise<VerifyVerdict> {
    const { clock } = this.deps;
    const started = clock.now();
    const request: ChatRequest = {
      model: 'cache-verification',
      temperature: 0,
      max_tokens: 3,
      messages: [{ role: 'system', content: JUDGE_SYSTEM_PROMPT }, { role: 'user', content: judgeQuestion(input) }],
    };
    let spent = 0;
    let reason = 'no judge model passes the constraints';
    let attempt = 0;
    for (const model of this.judges(request)) {
      attempt += 1;
      const callStarted = clock.now();
      try {
        const completion = await this.deps.provider(model.provider).chat({ ...request, model: model.upstreamId }, { timeoutMs: this.deps.timeoutMs ?? 3_000 });
        const text = completionText(completion);
        const usage = usageOrEstimate(completion.usage, request, text);
        const cost = costUsd(model, usage);
        spent += cost;
        await this.record(input, model, usage, cost, clock.now() - callStarted, callStarted, attempt);
        const verdict = readVerdict(text);
        if (verdict) return { verdict, latencyMs: clock.now() - started, costUsd: spent, modelId: model.id };
        // A judge that does not answer yes or no gives no verdict: asking another would double the cost.
        return { verdict: 'failed', latencyMs: clock.now() - started, costUsd: spent, reason: `judge ${model.id} answered neither yes nor no` };
      } catch (error) {
        reason = `judge ${model.id} failed: ${(error as Error).message}`;
      }
    }
    return { verdict: 'failed', latencyMs: clock.now() - started, costUsd: spent, reason };
  }

  private async record(input: VerifyInput, model: ResolvedModel, usage: ReturnType<typeof usageOrEstimate>, cost: number, latencyMs: number, startedMs: number, attempt: number): Promise<void> {
    const timestamp = new Date(this.deps.clock.now()).toISOString();
    const record: CostRecord = {
      tenantId: input.tenantId,
      keyId: input.keyId ?? 'cache',
      // Its own id: the ledger keeps one record per request id, and the request itself is recorded too.
      requestId: `${input.requestId ?? 'lookup'}:cache-verification:${attempt}`,
      modelId: model.id,
      providerId: model.provider,
      inputTokens: usage.prompt_tokens,
      outputTokens: usage.completion_tokens,
      cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
      reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
      costUsd: cost,
      latencyMs,
      attempts: 1,
      cacheHit: false,
      stream: false,
      strategy: 'cost-first',
      timestamp,
      startedAt: new Date(startedMs).toISOString(),
      purpose: 'cache-verification',
      ...(input.requestId ? { verifiedRequestId: input.requestId } : {}),
    };
    try {
      await this.deps.ledger.record(record);
    } catch (error) {
      this.deps.onError?.('cache verification cost record', error);
    }
  }
}
