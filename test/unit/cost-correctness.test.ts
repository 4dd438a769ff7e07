// Every pricing case, with a catalog shaped like the shipped one (prices fixed in the fixture): cached
// input at its own price, reasoning tokens inside completion tokens, streamed usage, currency
// conversion, cache hits at zero with the saving, and failed attempts never billed (through
// ChatService with scripted providers: in-memory ports, no SDK).
import { describe, expect, it } from 'vitest';
import { ChatService } from '#core/chat/chat-service.ts';
import { costUsd, roundUsd } from '#core/pricing/cost.ts';
import { cacheHitRecord, paidCallRecord } from '#core/pricing/cost-record.ts';
import { ProviderError } from '#core/shared/errors.ts';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest, Usage } from '#core/chat/openai-types.ts';
import type { ProviderClient } from '#core/chat/ports.ts';
import type { CostRecord } from '#core/pricing/ports.ts';
import { sampleCatalog } from '../support/catalog-fixtures.ts';

const catalog = sampleCatalog();
const model = (id: string) => catalog.modelsById.get(id)!;
const usage = (prompt: number, completion: number, cached = 0, reasoning = 0): Usage => ({
  prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion,
  prompt_tokens_details: { cached_tokens: cached }, completion_tokens_details: { reasoning_tokens: reasoning },
});
const facts = { principal: { tenantId: 't', keyId: 'k' }, requestId: 'r', strategy: 'pinned', attempts: 1, latencyMs: 1, stream: false, timestamp: '2026-11-26T00:00:00.000Z' };

describe('cost of a call, to the cent and below', () => {
  it('bills uncached input, cached input and output each at its own price (gpt-5.4: 2.5 / 0.25 / 15 per 1M)', () => {
    // 1000 prompt tokens of which 400 cached, 200 completion tokens.
    expect(costUsd(model('gpt-5.4'), usage(1000, 200, 400))).toBe(roundUsd((600 * 2.5 + 400 * 0.25 + 200 * 15) / 1e6));
    expect(costUsd(model('gpt-5.4'), usage(1000, 200, 400))).toBe(0.0046);
  });

  it('bills reasoning tokens as output, once (they are part of completion_tokens)', () => {
    expect(costUsd(model('gpt-5.4'), usage(100, 1000, 0, 900))).toBe(costUsd(model('gpt-5.4'), usage(100, 1000)));
    expect(costUsd(model('gpt-5.4'), usage(100, 1000, 0, 900))).toBe(0.01525);
    const record = paidCallRecord(facts, model('gpt-5.4'), usage(100, 1000, 0, 900), 0.01525);
    expect(record).toMatchObject({ reasoningTokens: 900, outputTokens: 1000, costUsd: 0.01525 });
  });

  it('never bills more cached tokens than prompt tokens, nor negative counts', () => {
    expect(costUsd(model('gpt-5.4'), usage(100, 0, 500))).toBe(roundUsd(100 * 0.25 / 1e6));
    expect(costUsd(model('gpt-5.4'), usage(-5, -5, -5))).toBe(0);
  });

  it('converts non-USD prices with the catalog rate (CNY at 0.14)', () => {
    const cny = catalog.models.find((m) => m.pricing.currency === 'CNY')!;
    const p = cny.pricing;
    const expected = roundUsd(((1000 - 200) * p.inputPerMTok * 0.14 + 200 * (p.cachedInputPerMTok ?? p.inputPerMTok) * 0.14 + 500 * p.outputPerMTok * 0.14) / 1e6);
    expect(costUsd(cny, usage(1000, 500, 200))).toBeCloseTo(expected, 12);
    expect(cny.priceUsd.input).toBe(Number((p.inputPerMTok * 0.14).toPrecision(12)));
  });

  it('rounds to 1e-10 USD so sums carry no float noise', () => {
    const c = costUsd(model('gpt-5.4'), usage(3, 1));
    expect(c).toBe(0.0000225);
    expect(String(c * 1e10)).not.toContain('.');
  });

  it('records a cache hit at zero cost with the original cost as the saving', () => {
    const completion = { id: 'x', object: 'chat.completion', created: 0, model: 'gpt-5.4', choices: [], usage: usage(10, 5) } as unknown as ChatCompletion;
    const record = cacheHitRecord(facts, { completion, modelId: 'gpt-5.4', providerId: 'openai', costUsd: 0.0123, match: 'exact' });
    expect(record).toMatchObject({ costUsd: 0, savedUsd: 0.0123, cacheHit: true, cachedInputTokens: 0, reasoningTokens: 0 });
  });
});

describe('records written by ChatService', () => {
  const answer = (u: Usage): ChatCompletion => ({
    id: 'c', object: 'chat.completion', created: 0, model: 'up',
    choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: u,
  } as unknown as ChatCompletion);
  function service(providers: Record<string, Partial<ProviderClient>>) {
    const records: CostRecord[] = [];
    const chat = new ChatService({
      catalog, clock: { now: () => 0 },
      ledger: { record: async (r) => { records.push(r); } },
      provider: (id) => ({ providerId: id, chat: async () => { throw new ProviderError('down', { kind: 'server_error', providerId: id }); }, stream: async function* () { throw new ProviderError('down', { kind: 'server_error', providerId: id }); }, ...providers[id] } as ProviderClient),
    });
    return { chat, records };
  }
  const request: ChatRequest = { model: 'gpt-5.4', messages: [{ role: 'user', content: 'hello' }] };
  const ctx = { principal: { tenantId: 't', keyId: 'k' }, requestId: 'req-1', hints: {} };

  it('bills only the attempt that answered; every refused attempt is on the ledger at zero cost', async () => {
    const candidates = service({}).chat.plan(request, {}).candidates.map((c) => c.model);
    const index = candidates.findIndex((m, i) => i > 0 && candidates.slice(0, i).every((e) => e.provider !== m.provider));
    const winner = candidates[index]!;
    const { chat, records } = service({ [winner.provider]: { chat: async () => answer(usage(1000, 100, 500, 50)) } });
    const result = await chat.complete(request, ctx);
    expect(result.outcome.attempts).toBeGreaterThan(1);
    expect(result.outcome.failures.length).toBe(result.outcome.attempts - 1);
    expect(records).toHaveLength(result.outcome.attempts);
    const answered = records.filter((r) => r.ending === 'complete');
    expect(answered).toHaveLength(1);
    expect(answered[0]).toMatchObject({ modelId: winner.id, attempts: result.outcome.attempts, attempt: result.outcome.attempts, costUsd: costUsd(winner, usage(1000, 100, 500)), cachedInputTokens: 500, reasoningTokens: 50 });
    expect(records.filter((r) => r.ending !== 'complete').every((r) => r.ending === 'failed_over' && r.costUsd === 0)).toBe(true);
    expect(new Set(records.map((r) => r.attempt)).size).toBe(records.length);
  });

  it('bills nothing when every attempt is refused; the last one ends as failed', async () => {
    const { chat, records } = service({});
    await expect(chat.complete(request, ctx)).rejects.toBeDefined();
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.costUsd === 0)).toBe(true);
    expect(records.at(-1)?.ending).toBe('failed');
    expect(records.slice(0, -1).every((r) => r.ending === 'failed_over')).toBe(true);
  });

  it('bills a streamed call from the usage of its final chunk', async () => {
    const chunks: ChatCompletionChunk[] = [
      { id: 's', object: 'chat.completion.chunk', created: 0, model: 'up', choices: [{ index: 0, delta: { role: 'assistant', content: 'hello' }, finish_reason: null }] },
      { id: 's', object: 'chat.completion.chunk', created: 0, model: 'up', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      { id: 's', object: 'chat.completion.chunk', created: 0, model: 'up', choices: [], usage: usage(2000, 300, 1000, 100) },
    ] as unknown as ChatCompletionChunk[];
    const { chat, records } = service({ openai: { stream: async function* () { yield* chunks; } } });
    const routed = await chat.stream({ ...request, stream: true }, ctx);
    for await (const _ of routed.chunks) { /* drain */ }
    const cost = await routed.cost;
    expect(cost).toBe(costUsd(model('gpt-5.4'), usage(2000, 300, 1000)));
    expect(cost).toBe(roundUsd((1000 * 2.5 + 1000 * 0.25 + 300 * 15) / 1e6));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ stream: true, ending: 'complete', costUsd: cost, inputTokens: 2000, cachedInputTokens: 1000, reasoningTokens: 100 });
  });
});
