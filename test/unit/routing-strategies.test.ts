import { describe, expect, it } from 'vitest';
import { balanced, costFirst, qualityFirst, rankModels } from '#core/routing/strategies.ts';
import { model, routingInput } from '../support/catalog-fixtures.ts';

const ids = (candidates: { model: { id: string } }[]): string[] => candidates.map((c) => c.model.id);

// Prices per 1M tokens; with 1000 in + 1000 out the estimated cost is (input + output) / 1000 USD.
const cheap = model({ id: 'cheap', quality: { overall: 0.7 }, priceUsd: { input: 0.1, output: 0.4 }, latencyMs: 3000 });
const mid = model({ id: 'mid', quality: { overall: 0.85 }, priceUsd: { input: 1, output: 4 }, latencyMs: 1000 });
const premium = model({ id: 'premium', quality: { overall: 0.95, tasks: { code: 0.8 } }, priceUsd: { input: 10, output: 40 }, latencyMs: 2000 });
const models = [premium, cheap, mid];

describe('costFirst', () => {
  it('orders by estimated cost, cheapest first, and reports it', () => {
    const ranked = costFirst(models, routingInput());

    expect(ids(ranked)).toEqual(['cheap', 'mid', 'premium']);
    expect(ranked.map((c) => c.estimatedCostUsd)).toEqual([0.0005, 0.005, 0.05]);
    expect(ranked[0]?.score).toBe(1);
    expect(ranked[2]?.score).toBe(0);
  });

  it('breaks cost ties by quality, then by id', () => {
    const a = model({ id: 'a', quality: { overall: 0.8 } });
    const b = model({ id: 'b', quality: { overall: 0.9 } });
    const c = model({ id: 'c', quality: { overall: 0.8 } });

    expect(ids(costFirst([c, a, b], routingInput()))).toEqual(['b', 'a', 'c']);
  });
});

describe('qualityFirst', () => {
  it('orders by overall quality, best first', () => {
    expect(ids(qualityFirst(models, routingInput()))).toEqual(['premium', 'mid', 'cheap']);
  });

  it('uses the task score when a task type is set', () => {
    expect(ids(qualityFirst(models, routingInput({ taskType: 'code' })))).toEqual(['mid', 'premium', 'cheap']);
  });

  it('breaks quality ties by lower cost', () => {
    const pricey = model({ id: 'a-pricey', priceUsd: { input: 5, output: 5 } });
    const thrifty = model({ id: 'z-thrifty', priceUsd: { input: 1, output: 1 } });

    expect(ids(qualityFirst([pricey, thrifty], routingInput()))).toEqual(['z-thrifty', 'a-pricey']);
  });
});

describe('balanced', () => {
  it('follows quality when only quality is weighted', () => {
    const input = routingInput({ weights: { quality: 1, cost: 0, latency: 0 } });

    expect(ids(balanced(models, input))).toEqual(['premium', 'mid', 'cheap']);
  });

  it('follows cost when only cost is weighted', () => {
    const input = routingInput({ weights: { quality: 0, cost: 1, latency: 0 } });

    expect(ids(balanced(models, input))).toEqual(['cheap', 'mid', 'premium']);
  });

  it('follows latency when only latency is weighted', () => {
    const input = routingInput({ weights: { quality: 0, cost: 0, latency: 1 } });

    expect(ids(balanced(models, input))).toEqual(['mid', 'premium', 'cheap']);
  });

  it('scores cost on a log scale, so the middle price sits mid-way between 10x steps', () => {
    const input = routingInput({ weights: { quality: 0, cost: 1, latency: 0 } });

    const byId = new Map(balanced(models, input).map((c) => [c.model.id, c.score]));

    expect(byId.get('mid')).toBeCloseTo(0.5, 10);
  });

  it('prefers observed latency from the context over the catalog figure', () => {
    const input = routingInput({ weights: { quality: 0, cost: 0, latency: 1 } });
    const context = { observedLatencyMs: new Map([['cheap', 200]]) };

    expect(ids(balanced(models, input, context))[0]).toBe('cheap');
  });

  it('keeps scores in 0..1 and orders ties by id', () => {
    const twins = [model({ id: 'b' }), model({ id: 'a' })];

    const ranked = balanced(twins, routingInput());

    expect(ids(ranked)).toEqual(['a', 'b']);
    for (const c of ranked) expect(c.score).toBe(1);
  });

  it('trades quality against cost with the default weights', () => {
    // mid: 0.5*0.6 + 0.3*0.5 + 0.2*1 = 0.65; premium: 0.5 + 0 + 0.1 = 0.6; cheap: 0 + 0.3 + 0 = 0.3
    const ranked = balanced(models, routingInput());

    expect(ids(ranked)).toEqual(['mid', 'premium', 'cheap']);
    expect(ranked[0]?.score).toBeCloseTo(0.65, 10);
  });
});

describe('rankModels', () => {
  it('dispatches on the strategy name', () => {
    expect(ids(rankModels('cost-first', models, routingInput()))[0]).toBe('cheap');
    expect(ids(rankModels('quality-first', models, routingInput()))[0]).toBe('premium');
    expect(ids(rankModels('balanced', models, routingInput()))[0]).toBe('mid');
  });

  it('returns nothing for no models', () => {
    expect(rankModels('balanced', [], routingInput())).toEqual([]);
  });
});
