import { describe, expect, it } from 'vitest';
import { applyConstraints, checkModel, HARD_CHECKS, qualityFor } from '#core/routing/constraints.ts';
import { model, routingInput } from '../support/catalog-fixtures.ts';

describe('checkModel', () => {
  it('passes a model that meets every constraint', () => {
    expect(checkModel(model(), routingInput())).toBeUndefined();
  });

  it('excludes by context window when input + requested output exceed it', () => {
    const m = model({ id: 'small', contextWindow: 10_000 });

    expect(checkModel(m, routingInput({ estimatedInputTokens: 9_000, requestedOutputTokens: 1_000 }))).toBeUndefined();
    expect(checkModel(m, routingInput({ estimatedInputTokens: 9_001, requestedOutputTokens: 1_000 }))).toEqual({
      modelId: 'small',
      reason: 'context_window',
      detail: 'needs 10001 tokens, window 10000',
    });
  });

  it('excludes by max output when the request asks for more than the model can write', () => {
    const m = model({ id: 'short', maxOutputTokens: 4_096 });

    expect(checkModel(m, routingInput({ requestedOutputTokens: 5_000 }))?.reason).toBe('max_output');
    expect(checkModel(m, routingInput({ requestedOutputTokens: 4_096 }))).toBeUndefined();
  });

  it('excludes a model missing a required capability and names what is missing', () => {
    const m = model({ id: 'blind', capabilities: ['tools'] });

    expect(checkModel(m, routingInput({ requiredCapabilities: ['vision', 'tools', 'json'] }))).toEqual({
      modelId: 'blind',
      reason: 'capability',
      detail: 'needs vision, json',
    });
  });

  it('applies allow and deny lists', () => {
    expect(checkModel(model({ id: 'x' }), routingInput({ allow: ['y'] }))?.reason).toBe('not_allowed');
    expect(checkModel(model({ id: 'y' }), routingInput({ allow: ['y'] }))).toBeUndefined();
    expect(checkModel(model({ id: 'x' }), routingInput({ deny: ['x'] }))?.reason).toBe('denied');
  });

  it('uses the task score for the quality floor when a task type is set', () => {
    const m = model({ id: 'coder', quality: { overall: 0.6, tasks: { code: 0.9 } } });

    expect(checkModel(m, routingInput({ minQuality: 0.7 }))?.reason).toBe('min_quality');
    expect(checkModel(m, routingInput({ minQuality: 0.7, taskType: 'code' }))).toBeUndefined();
    expect(checkModel(m, routingInput({ minQuality: 0.7, taskType: 'math' }))?.detail).toBe('math quality 0.6 < 0.7');
  });

  it('excludes by estimated cost above the maximum', () => {
    const m = model({ id: 'pricey', priceUsd: { input: 10, output: 30 } }); // 1000 in + 1000 out = $0.04

    expect(checkModel(m, routingInput({ maxCostUsd: 0.05 }))).toBeUndefined();
    expect(checkModel(m, routingInput({ maxCostUsd: 0.01 }))).toEqual({
      modelId: 'pricey',
      reason: 'max_cost',
      detail: 'estimated $0.04 > $0.01',
    });
  });

  it('excludes a model marked unavailable in the context with its reason', () => {
    const context = { unavailable: new Map([['m', 'circuit open']]) };

    expect(checkModel(model({ id: 'm' }), routingInput(), context)).toEqual({
      modelId: 'm',
      reason: 'unavailable',
      detail: 'circuit open',
    });
  });

  it('ignores soft constraints when only the hard checks are asked for', () => {
    const m = model({ id: 'x', quality: { overall: 0.1 } });

    expect(checkModel(m, routingInput({ minQuality: 0.9, deny: ['x'] }), {}, HARD_CHECKS)).toBeUndefined();
  });
});

describe('applyConstraints', () => {
  it('splits models into eligible and excluded, one reason each', () => {
    const models = [model({ id: 'ok' }), model({ id: 'tiny', contextWindow: 100 }), model({ id: 'weak', quality: { overall: 0.1 } })];

    const { eligible, excluded } = applyConstraints(models, routingInput({ minQuality: 0.5 }));

    expect(eligible.map((m) => m.id)).toEqual(['ok']);
    expect(excluded.map((e) => [e.modelId, e.reason])).toEqual([
      ['tiny', 'context_window'],
      ['weak', 'min_quality'],
    ]);
  });
});

describe('qualityFor', () => {
  it('falls back to overall for an unscored task', () => {
    const m = model({ quality: { overall: 0.7, tasks: { code: 0.9 } } });

    expect(qualityFor(m, 'code')).toBe(0.9);
    expect(qualityFor(m, 'chat')).toBe(0.7);
    expect(qualityFor(m, undefined)).toBe(0.7);
  });
});
