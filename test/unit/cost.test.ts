import { describe, expect, it } from 'vitest';
import { costUsd, estimateCostUsd } from '#core/pricing/cost.ts';
import type { Usage } from '#core/chat/openai-types.ts';
import { model, sampleCatalog } from '../support/catalog-fixtures.ts';

const usage = (overrides: Partial<Usage> = {}): Usage => ({
  prompt_tokens: 0,
  completion_tokens: 0,
  total_tokens: 0,
  ...overrides,
});

describe('costUsd', () => {
  const gpt = model({ id: 'gpt', priceUsd: { input: 2.5, cachedInput: 0.25, output: 15 } });

  it('prices input and output per 1M tokens', () => {
    expect(costUsd(gpt, usage({ prompt_tokens: 1_000_000, completion_tokens: 1_000_000 }))).toBe(17.5);
    expect(costUsd(gpt, usage({ prompt_tokens: 1000, completion_tokens: 500 }))).toBe(0.01);
  });

  it('prices cached prompt tokens at the cached price and only the rest at the input price', () => {
    const cost = costUsd(gpt, usage({ prompt_tokens: 10_000, completion_tokens: 0, prompt_tokens_details: { cached_tokens: 8_000 } }));

    expect(cost).toBe(0.007); // 2000 * 2.5e-6 + 8000 * 0.25e-6
  });

  it('does not bill reasoning tokens twice (they are part of completion_tokens)', () => {
    const withReasoning = usage({ prompt_tokens: 100, completion_tokens: 1000, completion_tokens_details: { reasoning_tokens: 800 } });
    const without = usage({ prompt_tokens: 100, completion_tokens: 1000 });

    expect(costUsd(gpt, withReasoning)).toBe(costUsd(gpt, without));
    expect(costUsd(gpt, withReasoning)).toBe(0.01525);
  });

  it('never counts more cached tokens than prompt tokens', () => {
    expect(costUsd(gpt, usage({ prompt_tokens: 100, prompt_tokens_details: { cached_tokens: 500 } }))).toBe(0.000025);
  });

  it('rounds away float noise', () => {
    const m = model({ priceUsd: { input: 0.1, cachedInput: 0.1, output: 0.2 } });

    expect(costUsd(m, usage({ prompt_tokens: 1_000_000, completion_tokens: 1_000_000 }))).toBe(0.3);
  });

  it('bills a CNY-priced model in USD at the catalog rate', () => {
    const glm = sampleCatalog().modelsById.get('glm-5');
    if (!glm) throw new Error('glm-5 missing from the sample catalog');

    // 4 CNY in, 1 CNY cached, 18 CNY out per 1M at 0.14 USD/CNY
    const cost = costUsd(glm, usage({ prompt_tokens: 1_000_000, completion_tokens: 1_000_000, prompt_tokens_details: { cached_tokens: 500_000 } }));

    expect(cost).toBe(2.87); // 0.28 uncached + 0.07 cached + 2.52 output
  });
});

describe('estimateCostUsd', () => {
  it('prices estimated input and output tokens without cache hits', () => {
    const m = model({ priceUsd: { input: 3, cachedInput: 0.3, output: 15 } });

    expect(estimateCostUsd(m, 2000, 1000)).toBe(0.021);
    expect(estimateCostUsd(m, 0, 0)).toBe(0);
  });
});
