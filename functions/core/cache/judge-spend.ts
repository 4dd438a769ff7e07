// A judge call is money and tokens spent for the tenant whose request it serves, so it goes through the
// same gates as that tenant's own calls. Before it: a budget hold (BudgetGuard.reserve, the chat
// service's path) and a take from the tenant's tokens-per-minute counter (TokenLimiter.admit), in
// parallel. Either refused (or its store failing) means the judge is skipped: the lookup misses and the
// request meets the normal checks for its own call; a judge is never the reason a caller gets an error.
// After it: the cost record, then the hold settled with what the call cost (released when nothing was
// billed), and the minute corrected to the tokens really used; this part is handed to the request's
// `defer` (it runs after the response) when the request has one.
import type { Principal } from '../auth/ports.ts';
import { BudgetExceededError } from '../budget/budget.ts';
import type { BudgetGuard, BudgetReservation } from '../budget/ports.ts';
import { afterResponse } from '../chat/types.ts';
import type { DeferWork } from '../chat/types.ts';
import { RateLimitError } from '../shared/errors.ts';

/** The tenant's tokens-per-minute counter (TokenLimiter fits): admit throws when the minute is full. */
export interface JudgeTokenLimit {
  admit(principal: Principal, requestId: string, estimatedTokens: number): Promise<unknown>;
  settle(requestId: string, usedTokens: number | undefined): Promise<void>;
}

export interface JudgeSpendDeps {
  budget?: BudgetGuard | undefined;
  tokens?: JudgeTokenLimit | undefined;
  onError?: ((what: string, error: unknown) => void) | undefined;
}

/** What one judge call may spend: its worst case in USD (prompt + max_tokens) and in tokens. */
export interface JudgeAsk {
  principal: Principal;
  /** The judge call's own request id (`<request>:cache-verification:<n>`): its hold and its minute take. */
  requestId: string;
  worstUsd: number;
  tokens: number;
}

export type JudgeHold =
  | { admitted: true; close(bill: JudgeBill | undefined, defer: DeferWork | undefined): Promise<void> }
  | { admitted: false; reason: string };

/** What the call cost, and how to write its record (false: a record with its key existed, undefined: the write failed). */
export interface JudgeBill {
  costUsd: number;
  usedTokens: number;
  record(): Promise<boolean | undefined>;
}

/** Holds budget and tokens for one judge call; refused → not admitted (and whatever was taken is given back). */
export async function holdForJudge(deps: JudgeSpendDeps, ask: JudgeAsk): Promise<JudgeHold> {
  const { budget, tokens } = deps;
  const [money, minute] = await Promise.allSettled([
    budget ? budget.reserve(ask.principal, ask.worstUsd, ask.requestId) : Promise.resolve(undefined),
    tokens ? tokens.admit(ask.principal, ask.requestId, ask.tokens) : Promise.resolve(undefined),
  ]);
  const reservation = money.status === 'fulfilled' ? money.value : undefined;
  if (money.status === 'rejected' || minute.status === 'rejected') {
    // Giving back what the other gate took is quick and frees the tenant's money for its own call at once.
    await Promise.all([
      release(deps, reservation),
      minute.status === 'fulfilled' && tokens ? tokens.settle(ask.requestId, undefined).catch((e: unknown) => deps.onError?.('judge token release', e)) : undefined,
    ]);
    return { admitted: false, reason: refusal(deps, money.status === 'rejected' ? money.reason : undefined, minute.status === 'rejected' ? minute.reason : undefined) };
  }
  return {
    admitted: true,
    close: (bill, defer) => afterResponse(defer, () => settle(deps, ask.requestId, reservation, bill)),
  };
}

/** Record first (as the chat service does), then the hold and the minute; never rejects. */
async function settle(deps: JudgeSpendDeps, requestId: string, reservation: BudgetReservation | undefined, bill: JudgeBill | undefined): Promise<void> {
  const written = bill ? await bill.record() : false;
  const money = written !== false && bill
    ? (reservation && deps.budget ? deps.budget.settle(reservation, bill.costUsd).catch((e: unknown) => deps.onError?.('judge budget settle', e)) : undefined)
    : release(deps, reservation);
  const minute = deps.tokens?.settle(requestId, bill?.usedTokens).catch((e: unknown) => deps.onError?.('judge token settle', e));
  await Promise.all([money, minute]);
}

async function release(deps: JudgeSpendDeps, reservation: BudgetReservation | undefined): Promise<void> {
  if (!reservation || !deps.budget) return;
  await deps.budget.release(reservation).catch((e: unknown) => deps.onError?.('judge budget release', e));
}

/** Why the judge was skipped; an unexpected store failure is also reported (it is not the tenant's doing). */
function refusal(deps: JudgeSpendDeps, money: unknown, minute: unknown): string {
  if (money !== undefined && !(money instanceof BudgetExceededError)) deps.onError?.('judge budget hold', money);
  if (minute !== undefined && !(minute instanceof RateLimitError)) deps.onError?.('judge token limit', minute);
  if (money instanceof BudgetExceededError) return 'the tenant\'s budget cannot pay a judge call';
  if (minute instanceof RateLimitError) return 'the judge call would exceed the tenant\'s tokens per minute';
  return 'the judge call could not be held against the tenant\'s limits';
}
