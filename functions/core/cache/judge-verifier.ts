// The judge verifier: the cheapest capable catalog model (cost-first under the catalog's hard
// constraints and the live health view) is asked, at temperature 0 with a short fixed prompt, whether a
// correct answer to the cached request would be just as correct for the new one. It must answer a bare
// "yes" or "no"; anything else, an error or a timeout is a `failed` verdict (the cache misses, the
// caller never sees an error). Every call that reached a provider is written to the cost ledger, billed
// to the tenant whose request it served and marked `purpose: 'cache-verification'`. Like any call it is
// held against that tenant's budget and tokens per minute first (judge-spend.ts: a tenant who cannot pay
// is not judged, a plain miss), its success or failure feeds the model's breaker (an unhealthy judge is
// not asked again, the next cheapest is), and its bookkeeping runs after the response (`defer`). It
// follows the request's abort signal as the request's own provider calls do: a client that leaves
// during a judge call cuts it, and it is billed and recorded as any abandoned call is (its prompt,
// ending `client_disconnected`), not fed to the breaker (the model did nothing wrong), and no other
// judge is asked.
import type { Catalog, ResolvedModel } from '../catalog/catalog.ts';
import type { BudgetGuard } from '../budget/ports.ts';
import type { ChatRequest, Usage } from '../chat/openai-types.ts';
import type { ProviderCallOptions, ProviderClient } from '../chat/ports.ts';
import { abortEnding } from '../chat/types.ts';
import type { CallEnding } from '../chat/types.ts';
import { toAttemptFailure } from '../failover/attempt-failure.ts';
import type { HealthMonitor } from '../health/ports.ts';
import { costUsd, estimateCostUsd } from '../pricing/cost.ts';
import type { CostLedger, CostRecord } from '../pricing/ports.ts';
import { paidCallRecord } from '../pricing/cost-record.ts';
import type { CallFacts } from '../pricing/cost-record.ts';
import { completionText, usageOrEstimate } from '../pricing/usage.ts';
import { estimateInputTokens } from '../pricing/tokens.ts';
import { planRoute } from '../routing/plan.ts';
import type { RoutingContext, RoutingInput } from '../routing/types.ts';
import type { Clock } from '../shared/clock.ts';
import { holdForJudge } from './judge-spend.ts';
import type { JudgeBill, JudgeTokenLimit } from './judge-spend.ts';
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
  /** The tenants' budgets: each judge call is held first and settled with what it cost. */
  budget?: BudgetGuard | undefined;
  /** The tenants' tokens-per-minute counters: each judge call takes its tokens first. */
  tokens?: JudgeTokenLimit | undefined;
  /** The breakers: every judge call's outcome is fed to its model's, as for any provider call. */
  health?: Pick<HealthMonitor, 'recordOutcome'> | undefined;
  /** Called when bookkeeping of a judge call (cost record, budget, token counter) fails (the verdict stands). */
  onError?: (what: string, error: unknown) => void;
}

/** How a billed judge call ended: answered, timed out, or cut because the client left (or the function's time ran out). */
type JudgeEnding = Extract<CallEnding, 'complete' | 'timeout' | 'client_disconnected' | 'function_timeout'>;

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
    const promptTokens = estimateInputTokens(request);
    const principal = { tenantId: input.tenantId, keyId: input.keyId ?? 'cache' };
    const options: ProviderCallOptions = { timeoutMs: this.deps.timeoutMs ?? 3_000, ...(input.signal ? { signal: input.signal } : {}) };
    for (const model of this.judges(request)) {
      // The client left (before this judge, or during the last one): nobody is waiting for a verdict.
      if (input.signal?.aborted) return { verdict: 'failed', latencyMs: clock.now() - started, costUsd: spent, reason: 'the client left before a verdict' };
      attempt += 1;
      const requestId = `${input.requestId ?? 'lookup'}:cache-verification:${attempt}`;
      const hold = await holdForJudge(this.deps, {
        principal, requestId, worstUsd: estimateCostUsd(model, promptTokens, request.max_tokens ?? 1), tokens: promptTokens + (request.max_tokens ?? 1),
      });
      // Not paid for: skipped, a miss; another judge model would be refused the same way.
      if (!hold.admitted) return { verdict: 'failed', latencyMs: clock.now() - started, costUsd: spent, reason: hold.reason };
      const callStarted = clock.now();
      let bill: JudgeBill | undefined;
      try {
        const completion = await this.deps.provider(model.provider).chat({ ...request, model: model.upstreamId }, options);
        const latencyMs = clock.now() - callStarted;
        this.deps.health?.recordOutcome(model.id, 'success', latencyMs);
        const text = completionText(completion);
        const usage = usageOrEstimate(completion.usage, request, text);
        bill = this.bill(input, model, usage, latencyMs, callStarted, requestId, 'complete');
        spent += bill.costUsd;
        const verdict = readVerdict(text);
        if (verdict) return { verdict, latencyMs: clock.now() - started, costUsd: spent, modelId: model.id };
        // A judge that does not answer yes or no gives no verdict: asking another would double the cost.
        return { verdict: 'failed', latencyMs: clock.now() - started, costUsd: spent, reason: `judge ${model.id} answered neither yes nor no` };
      } catch (error) {
        const failure = toAttemptFailure(error, model.id, model.provider);
        const abandoned = abortEnding(input.signal);
        // A call the client cut says nothing about the model's health.
        if (!abandoned) this.deps.health?.recordOutcome(model.id, failure.kind);
        // As for any call: a refused call costs nothing; one that timed out or was abandoned may have
        // been worked on, so its prompt is billed (the chat service's failed attempts, chat-service.ts).
        const ending = abandoned ?? (failure.kind === 'timeout' ? 'timeout' : undefined);
        if (ending) {
          bill = this.bill(input, model, usageOrEstimate(undefined, request, ''), clock.now() - callStarted, callStarted, requestId, ending);
          spent += bill.costUsd;
        }
        reason = `judge ${model.id} failed: ${failure.message}`;
      } finally {
        await hold.close(bill, input.defer);
      }
    }
    return { verdict: 'failed', latencyMs: clock.now() - started, costUsd: spent, reason };
  }

  /** The call's cost and a deferred write of its record. */
  private bill(input: VerifyInput, model: ResolvedModel, usage: Usage, latencyMs: number, startedMs: number, requestId: string, ending: JudgeEnding): JudgeBill {
    const cost = costUsd(model, usage);
    return {
      costUsd: cost,
      usedTokens: usage.prompt_tokens + usage.completion_tokens,
      record: () => this.record(input, model, usage, cost, latencyMs, startedMs, requestId, ending),
    };
  }

  private async record(
    input: VerifyInput, model: ResolvedModel, usage: Usage, cost: number, latencyMs: number, startedMs: number, requestId: string, ending: JudgeEnding,
  ): Promise<boolean | undefined> {
    // Its own request id: the ledger keeps one record per request id, and the request itself is recorded too.
    const facts: CallFacts = {
      principal: { tenantId: input.tenantId, keyId: input.keyId ?? 'cache' },
      requestId, strategy: 'cost-first', attempts: 1, latencyMs, stream: false,
      timestamp: new Date(this.deps.clock.now()).toISOString(), startedAt: new Date(startedMs).toISOString(),
      ...(ending !== 'complete' ? { ending } : {}),
    };
    const record: CostRecord = {
      ...paidCallRecord(facts, model, usage, cost),
      purpose: 'cache-verification',
      ...(input.requestId ? { verifiedRequestId: input.requestId } : {}),
    };
    try {
      return (await this.deps.ledger.record(record)) !== false;
    } catch (error) {
      this.deps.onError?.('cache verification cost record', error);
      return undefined;
    }
  }
}
