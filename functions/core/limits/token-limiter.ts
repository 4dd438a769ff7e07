// Tokens per minute per tenant, enforced by the router (API Gateway counts requests, not tokens).
// Before a call, the request's estimate (input tokens plus the output it may produce) is taken from
// the tenant's counter for the current minute, atomically across every instance; a request that does
// not fit is refused with a 429, Retry-After until the next minute and OpenAI's x-ratelimit headers.
// After the call, the counter is corrected to what the call really used (a cache hit uses none).
import { RateLimitError } from '../shared/errors.ts';
import type { Principal } from '../auth/ports.ts';
import type { Clock } from '../shared/clock.ts';
import type { PlanStore, TokenWindowStore } from './ports.ts';
import { rateLimitHeaders, retryAfterSeconds } from './rate-limit-headers.ts';
import type { ChatRequest } from '../chat/openai-types.ts';
import { estimateInputTokens, requestedOutputTokens } from '../pricing/tokens.ts';
import type { CostLedger } from '../pricing/ports.ts';

const WINDOW_MS = 60_000;

/** What a request may use: its estimated input plus the output it asks for (or the catalog's assumption). */
export function requestTokenEstimate(request: ChatRequest, assumedOutputTokens: number): number {
  return estimateInputTokens(request) + requestedOutputTokens(request, assumedOutputTokens);
}

/** What an admitted request holds; `headers` go on the response. */
export interface TokenAdmission {
  headers: Record<string, string>;
}

interface Held {
  tenantId: string;
  windowStart: number;
  tokens: number;
}

export interface TokenLimiterDeps {
  plans: PlanStore;
  windows: TokenWindowStore;
  clock: Clock;
  /** Called when correcting a counter after the answer fails; the answer stands. */
  onSettleError?: (error: unknown) => void;
}

export class TokenLimiter {
  readonly #deps: TokenLimiterDeps;
  /** Estimates held per request id until the call's usage is known (same instance: the call runs here). */
  readonly #held = new Map<string, Held>();

  constructor(deps: TokenLimiterDeps) {
    this.#deps = deps;
  }

  /** Takes `estimatedTokens` from the tenant's minute, or throws a 429 RateLimitError. */
  async admit(principal: Principal, requestId: string, estimatedTokens: number): Promise<TokenAdmission> {
    const plan = await this.#deps.plans.planFor(principal.tenantId);
    if (!plan) return { headers: {} };
    const now = this.#deps.clock.now();
    const windowStart = Math.floor(now / WINDOW_MS) * WINDOW_MS;
    const resetMs = windowStart + WINDOW_MS - now;
    const limit = plan.tokensPerMinute;
    // A request larger than the whole minute's allowance fits only an empty minute, but is not refused forever.
    const tokens = Math.max(1, Math.min(Math.ceil(estimatedTokens), limit));
    const taken = await this.#deps.windows.take(principal.tenantId, windowStart, tokens, limit);
    if (!taken.admitted) {
      const headers = { 'retry-after': retryAfterSeconds(resetMs), ...rateLimitHeaders('tokens', limit, limit - (taken.used ?? limit), resetMs) };
      throw new RateLimitError(
        `Rate limit reached for tokens per minute: limit ${limit}, requested ${tokens}. Retry in ${retryAfterSeconds(resetMs)} s.`,
        headers,
      );
    }
    this.#forgetOlderThan(windowStart - WINDOW_MS);
    this.#held.set(requestId, { tenantId: principal.tenantId, windowStart, tokens });
    return { headers: rateLimitHeaders('tokens', limit, limit - (taken.used ?? tokens), resetMs) };
  }

  /** Holds whose minute is long past are dropped: a correction there would change nothing that matters. */
  #forgetOlderThan(windowStart: number): void {
    for (const [id, held] of this.#held) if (held.windowStart < windowStart) this.#held.delete(id);
  }

  /** Corrects the counter to the tokens the request really used; `undefined` gives the estimate back. */
  async settle(requestId: string, usedTokens: number | undefined): Promise<void> {
    const held = this.#held.get(requestId);
    if (!held) return;
    this.#held.delete(requestId);
    const delta = (usedTokens ?? 0) - held.tokens;
    if (delta === 0) return;
    await this.#deps.windows.adjust(held.tenantId, held.windowStart, delta).catch((error: unknown) => this.#deps.onSettleError?.(error));
  }
}

/**
 * The cost ledger, also settling the token counter with each call's real usage (a cache hit used no
 * provider tokens). The chat use case records every answered call exactly once, streams included.
 */
export function settlingLedger(ledger: CostLedger, limiter: TokenLimiter): CostLedger {
  return {
    record: async (record) => {
      const used = record.cacheHit ? 0 : record.inputTokens + record.outputTokens;
      // The ledger's answer passes through: false (a record with this key existed) keeps a redelivered call from being billed twice.
      const [written] = await Promise.all([ledger.record(record), limiter.settle(record.requestId, used)]);
      return written;
    },
  };
}
