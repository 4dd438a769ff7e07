import { describe, expect, it } from 'vitest';
import { explainNoRoute, planRoute } from '#core/routing/plan.ts';
import type { RoutingPlan } from '#core/routing/types.ts';
import { catalogOf, modelEntry, routingInput } from '../support/catalog-fixtures.ts';

const ids = (plan: RoutingPlan): string[] => plan.candidates.map((c) => c.model.id);

const catalog = catalogOf([
  modelEntry('big', { quality: { overall: 0.95 }, pricing: { currency: 'USD', inputPerMTok: 10, outputPerMTok: 30 }, fallbacks: ['mid', 'small', 'vision'] }),
  modelEntry('mid', { quality: { overall: 0.85 }, pricing: { currency: 'USD', inputPerMTok: 1, outputPerMTok: 3 } }),
  modelEntry('small', { quality: { overall: 0.6 }, contextWindow: 8_000, pricing: { currency: 'USD', inputPerMTok: 0.1, outputPerMTok: 0.3 } }),
  modelEntry('vision', { quality: { overall: 0.75 }, capabilities: ['tools', 'vision'], pricing: { currency: 'USD', inputPerMTok: 0.5, outputPerMTok: 1.5 } }),
]);

describe('planRoute: route mode', () => {
  it('ranks with the strategy and truncates to maxAttempts', () => {
    const plan = planRoute(catalog, routingInput({ strategy: 'quality-first', maxAttempts: 2 }));

    expect(plan.strategy).toBe('quality-first');
    expect(ids(plan)).toEqual(['big', 'mid']);
    expect(plan.excluded).toEqual([]);
  });

  it('leaves out excluded models and says why', () => {
    const plan = planRoute(catalog, routingInput({ strategy: 'cost-first', estimatedInputTokens: 9_000, maxAttempts: 5 }));

    expect(ids(plan)).toEqual(['vision', 'mid', 'big']);
    expect(plan.excluded).toEqual([{ modelId: 'small', reason: 'context_window', detail: 'needs 10000 tokens, window 8000' }]);
  });

  it('skips unavailable models', () => {
    const context = { unavailable: new Map([['big', 'circuit open']]) };

    const plan = planRoute(catalog, routingInput({ strategy: 'quality-first' }), context);

    expect(ids(plan)[0]).toBe('mid');
    expect(plan.excluded).toContainEqual({ modelId: 'big', reason: 'unavailable', detail: 'circuit open' });
  });

  it('returns an empty plan when nothing qualifies', () => {
    const plan = planRoute(catalog, routingInput({ requiredCapabilities: ['json'] }));

    expect(plan.candidates).toEqual([]);
    expect(plan.excluded).toHaveLength(4);
  });
});

describe('planRoute: model mode', () => {
  const pinned = (overrides = {}) => routingInput({ mode: 'model', pinnedModelId: 'big', routeName: undefined, maxAttempts: 4, ...overrides });

  it('puts the pinned model first, then its fallbacks in catalog order', () => {
    const plan = planRoute(catalog, pinned());

    expect(ids(plan)).toEqual(['big', 'mid', 'small', 'vision']);
    expect(plan.candidates[0]?.estimatedCostUsd).toBe(0.04);
  });

  it('keeps the pinned model even when it misses soft constraints', () => {
    const plan = planRoute(catalog, pinned({ maxCostUsd: 0.01 }));

    expect(ids(plan)).toEqual(['big', 'mid', 'small', 'vision']);
  });

  it('drops fallbacks that fail constraints, pinned first if it passes', () => {
    const plan = planRoute(catalog, pinned({ requiredCapabilities: ['vision'] }));

    expect(ids(plan)).toEqual(['vision']);
    expect(plan.excluded.map((e) => [e.modelId, e.reason])).toEqual([
      ['big', 'capability'],
      ['mid', 'capability'],
      ['small', 'capability'],
    ]);
  });

  it('applies the min quality header to fallbacks only', () => {
    const plan = planRoute(catalog, pinned({ minQuality: 0.8 }));

    expect(ids(plan)).toEqual(['big', 'mid']);
  });

  it('truncates to maxAttempts', () => {
    expect(ids(planRoute(catalog, pinned({ maxAttempts: 2 })))).toEqual(['big', 'mid']);
  });
});

describe('explainNoRoute', () => {
  it('groups exclusions by reason and names each model with its detail', () => {
    const plan = planRoute(catalog, routingInput({ estimatedInputTokens: 99_500, requiredCapabilities: ['vision'] }));

    expect(plan.candidates).toEqual([]);
    expect(explainNoRoute(plan)).toBe(
      'No model satisfies the request: capability excluded big (needs vision), mid (needs vision), small (needs vision); ' +
        'context_window excluded vision (needs 100500 tokens, window 100000).',
    );
  });

  it('explains an empty route', () => {
    expect(explainNoRoute({ strategy: 'balanced', candidates: [], excluded: [] })).toMatch(/^No model satisfies the request/);
  });
});
