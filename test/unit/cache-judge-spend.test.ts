// The judge verifier's money, limits and health in the core, with in-process fakes of the ports (the
// DynamoDB budget guard and token counters are exercised in test/e2e/cache-judge-money.test.ts): the
// budget hold and the minute take come before the call, the record and the settlement after the response
// (handed to `defer`), refusals skip the judge, outcomes reach the breaker, a timeout bills its prompt.
import { describe, expect, it } from 'vitest';
import { BudgetExceededError } from '#core/budget/budget.ts';
import type { BudgetGuard, BudgetReservation } from '#core/budget/ports.ts';
import { JudgeVerifier } from '#core/cache/judge-verifier.ts';
import type { JudgeTokenLimit } from '#core/cache/judge-spend.ts';
import type { VerifyInput } from '#core/cache/verifier.ts';
import type { ChatCompletion } from '#core/chat/openai-types.ts';
import type { ProviderClient } from '#core/chat/ports.ts';
import { RateLimitError, ProviderError } from '#core/shared/errors.ts';
import { catalogOf, modelEntry } from '../support/catalog-fixtures.ts';

const completion = (content: string): ChatCompletion => ({
  id: 'c', object: 'chat.completion', created: 1, model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 120, completion_tokens: 1, total_tokens: 121 },
});

const input: VerifyInput = { tenantId: 't1', keyId: 'k1', requestId: 'req-9', prompt: 'How tall is Mont Blanc?', cachedPrompt: "What is Mont Blanc's height?" };

function setup(options: { reply?: () => Promise<ChatCompletion>; budgetRefuses?: unknown; minuteRefuses?: unknown; ledgerGate?: Promise<void> } = {}) {
  const events: string[] = [];
  const catalog = catalogOf([modelEntry('cheapest', { pricing: { currency: 'USD', inputPerMTok: 1, outputPerMTok: 2 } })]);
  const provider: ProviderClient = {
    providerId: 'p1',
    chat: async () => { events.push('call'); return (options.reply ?? (async () => completion('yes')))(); },
    stream: () => { throw new Error('not used'); },
  };
  const holds: Array<{ amount: number; id: string }> = [];
  const budget: BudgetGuard = {
    reserve: async (principal, hold, requestId) => {
      events.push(`reserve ${principal.tenantId}/${principal.keyId}`);
      if (options.budgetRefuses) throw options.budgetRefuses;
      holds.push({ amount: hold as number, id: requestId });
      return { requestId, tenantId: principal.tenantId, keyId: principal.keyId, amountUsd: hold as number, period: '2026-11' } satisfies BudgetReservation;
    },
    settle: async (r, actual) => { events.push(`settle ${r.requestId} ${actual}`); },
    release: async (r) => { events.push(`release ${r.requestId}`); },
  };
  const tokens: JudgeTokenLimit = {
    admit: async (_p, id, n) => { events.push(`admit ${id} ${n > 0}`); if (options.minuteRefuses) throw options.minuteRefuses; },
    settle: async (id, used) => { events.push(`tokens ${id} ${used}`); },
  };
  const outcomes: Array<[string, string, number | undefined]> = [];
  const errors: string[] = [];
  let now = 1_000;
  const judge = new JudgeVerifier({
    catalog, provider: () => provider, clock: { now: () => (now += 5) }, budget, tokens,
    ledger: { record: async (r) => { await options.ledgerGate; events.push(`record ${r.requestId} ${r.costUsd}`); return true; } },
    health: { recordOutcome: (id, outcome, ms) => outcomes.push([id, outcome, ms]) },
    onError: (what) => errors.push(what),
  });
  return { judge, events, holds, outcomes, errors };
}

describe('judge verifier: money, tokens per minute and health', () => {
  it('holds budget and tokens before the call, and hands the record and both settlements to defer', async () => {
    // A slow cost table: the verdict must not wait for it (the request's answer would).
    let open!: () => void;
    const s = setup({ ledgerGate: new Promise<void>((resolve) => { open = resolve; }) });
    const deferred: Array<() => Promise<unknown>> = [];
    const verdict = await s.judge.verify({ ...input, defer: (work) => deferred.push(work) });

    expect(verdict).toMatchObject({ verdict: 'same', modelId: 'cheapest' });
    const id = 'req-9:cache-verification:1';
    // The tenant's own principal, and a hold of the call's worst case: its question plus max_tokens 3.
    expect(s.events.slice(0, 2).sort()).toEqual([`admit ${id} true`, 'reserve t1/k1']);
    expect(s.holds[0]!.id).toBe(id);
    expect(s.holds[0]!.amount).toBeGreaterThan(0);
    expect(s.events[2]).toBe('call');
    expect(s.events).toHaveLength(3);
    expect(deferred).toHaveLength(1);
    open();
    await Promise.all(deferred.map((work) => work()));
    const cost = (120 * 1 + 1 * 2) / 1e6;
    expect(s.events[3]).toBe(`record ${id} ${cost}`);
    expect(s.events.slice(4).sort()).toEqual([`settle ${id} ${cost}`, `tokens ${id} 121`]);
    expect(s.outcomes).toEqual([['cheapest', 'success', expect.any(Number)]]);
  });

  it('without defer (the batch worker) the bookkeeping is done before the verdict returns', async () => {
    const s = setup();
    await s.judge.verify(input);
    expect(s.events.some((e) => e.startsWith('record '))).toBe(true);
    expect(s.events.some((e) => e.startsWith('settle '))).toBe(true);
  });

  it('skips the judge when the budget cannot pay it, giving the minute back; when the minute is full, giving the hold back', async () => {
    const poor = setup({ budgetRefuses: new BudgetExceededError({ scope: 'tenant', subject: 't1', period: '2026-11', limitUsd: 1, spentUsd: 1, heldUsd: 0, typicalUsd: 0.001 }) });
    expect(await poor.judge.verify(input)).toMatchObject({ verdict: 'failed', costUsd: 0, reason: expect.stringContaining('budget') });
    expect(poor.events).not.toContain('call');
    expect(poor.events).toContain('tokens req-9:cache-verification:1 undefined');
    expect(poor.errors).toEqual([]);

    const busy = setup({ minuteRefuses: new RateLimitError('full', {}) });
    expect(await busy.judge.verify(input)).toMatchObject({ verdict: 'failed', reason: expect.stringContaining('tokens per minute') });
    expect(busy.events).not.toContain('call');
    expect(busy.events).toContain('release req-9:cache-verification:1');
    expect(busy.outcomes).toEqual([]);
  });

  it('skips the judge (a miss, reported) when the budget store fails: a judge is never paid unheld', async () => {
    const s = setup({ budgetRefuses: new Error('dynamodb down') });
    expect((await s.judge.verify(input)).verdict).toBe('failed');
    expect(s.events).not.toContain('call');
    expect(s.errors).toEqual(['judge budget hold']);
  });

  it('feeds a failure to the breaker; a refused call releases its hold, a timed-out one is billed its prompt', async () => {
    const down = setup({ reply: async () => { throw new ProviderError('overloaded', { kind: 'server_error', providerId: 'p1', upstreamStatus: 503 }); } });
    expect((await down.judge.verify(input)).verdict).toBe('failed');
    expect(down.outcomes).toEqual([['cheapest', 'server_error', undefined]]);
    expect(down.events).toContain('release req-9:cache-verification:1');
    expect(down.events.some((e) => e.startsWith('record '))).toBe(false);

    const slow = setup({ reply: async () => { throw new ProviderError('timed out', { kind: 'timeout', providerId: 'p1' }); } });
    const verdict = await slow.judge.verify(input);
    expect(verdict.verdict).toBe('failed');
    expect(verdict.costUsd).toBeGreaterThan(0);
    expect(slow.outcomes).toEqual([['cheapest', 'timeout', undefined]]);
    expect(slow.events).toContain(`record req-9:cache-verification:1 ${verdict.costUsd}`);
    expect(slow.events).toContain(`settle req-9:cache-verification:1 ${verdict.costUsd}`);
  });
});
