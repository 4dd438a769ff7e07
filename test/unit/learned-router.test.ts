// The learned router's pure parts: features, task detection, scoring, thresholds and the decision.
import { describe, expect, it } from 'vitest';
import { DENSE_FEATURES, extractFeatures, hashString } from '#core/routing/learned/features.ts';
import type { DenseFeature } from '#core/routing/learned/features.ts';
import { detectTaskType } from '#core/routing/learned/task-type.ts';
import { compileRouter, scorePrompt } from '#core/routing/learned/model.ts';
import { shareForRecoveredGap, thresholdFor, thresholdForShare } from '#core/routing/learned/threshold.ts';
import { ScoreWindow } from '#core/routing/learned/score-window.ts';
import { encodeBytes, routerWeightsSchema } from '#core/routing/learned/weights.ts';
import type { RouterWeights } from '#core/routing/learned/weights.ts';
import { learnedPair, learnedRank } from '#core/routing/learned/decide.ts';
import { promptText } from '#core/routing/learned/prompt-text.ts';
import { shippedRouter } from '#core/routing/learned/shipped.ts';
import { planRoute } from '#core/routing/plan.ts';
import { parseCatalog } from '#core/catalog/catalog.ts';
import { catalogDoc, catalogOf, model, modelEntry, routingInput } from './routing-fixtures.ts';

const feature = (prompt: string, name: DenseFeature): number => extractFeatures(prompt, 0).dense[DENSE_FEATURES.indexOf(name)]!;

/** A 16-bucket text model: every idf 1, every coefficient `coef` (one signed byte times 0.01). */
const textModel = (coef = 0) => ({
  idfScale: 1,
  idf: encodeBytes(new Uint8Array(16).fill(1)),
  weightScale: 0.01,
  weights: encodeBytes(new Uint8Array(Int8Array.from({ length: 16 }, () => coef).buffer)),
});

/** Weights with one dense feature weighted, a zero text model, a flat calibration (score quantiles 0..1). */
function weights(overrides: Partial<RouterWeights> = {}, dense: Partial<Record<DenseFeature, number>> = {}): RouterWeights {
  const d = DENSE_FEATURES.length;
  return routerWeightsSchema.parse({
    format: 'llm-router/learned-router',
    version: 2,
    createdAt: '2026-11-30T00:00:00Z',
    pair: { strong: 's', weak: 'w' },
    protocol: {},
    features: { dense: [...DENSE_FEATURES], bucketCount: 16 },
    standardise: { mean: new Array(d).fill(0), std: new Array(d).fill(1) },
    bias: 0,
    dense: DENSE_FEATURES.map((n) => dense[n] ?? 0),
    text: textModel(),
    prior: { features: ['log_words'], weight: 0, level: 0 },
    quantiles: Array.from({ length: 101 }, (_, i) => i / 100),
    recoveredByShare: Array.from({ length: 21 }, (_, i) => Math.sqrt(i / 20)),
    ...overrides,
  });
}

const mc = 'What is 12 times 7?\nA. 74\nB. 84\nC. 94\nD. 104\nAnswer:';

describe('features', () => {
  it('reads difficulty from the question stem, so answer options do not change it', () => {
    const open = 'What is 12 times 7?';

    expect(feature(mc, 'has_options')).toBe(1);
    expect(feature(open, 'has_options')).toBe(0);
    expect(feature(mc, 'log_numbers')).toBeCloseTo(feature(open, 'log_numbers'), 12);
    expect(feature(mc, 'log_words')).toBeCloseTo(feature(open, 'log_words'), 12);
    expect(feature(mc, 'numeric_options')).toBe(1);
  });

  it('counts quantities, steps and length', () => {
    const easy = 'Tom has 3 apples.';
    const hard = 'Tom has 3 apples and buys 4 more each day for 5 days, then sells half. How many are left after 2 weeks?';

    expect(feature(hard, 'log_numbers')).toBeGreaterThan(feature(easy, 'log_numbers'));
    expect(feature(hard, 'step_words')).toBeGreaterThan(feature(easy, 'step_words'));
    expect(feature(hard, 'log_chars')).toBeGreaterThan(feature(easy, 'log_chars'));
  });

  it('hashes words, bigrams and character trigrams into the given bucket range, deterministically', () => {
    const a = extractFeatures('the quick brown fox', 64);
    const b = extractFeatures('the quick brown fox', 64);

    expect([...a.buckets]).toEqual([...b.buckets]);
    expect(a.buckets.length).toBe(4 + 3 + 16); // 4 words, 3 bigrams, one trigram per letter of " word "
    expect(a.buckets[0]).toBe(hashString('the') % 64);
    expect(a.buckets[1]).toBe(hashString('the quick') % 64);
    expect(a.buckets[2]).toBe(hashString('# th') % 64); // trigrams are hashed after a '#' marker
    expect(a.buckets[4]).toBe(hashString('#he ') % 64);
    expect([...a.buckets].every((x) => x >= 0 && x < 64)).toBe(true);
  });

  it('keeps the whole length of a very long prompt while scanning only its head', () => {
    const long = 'word '.repeat(50_000);

    expect(feature(long, 'log_chars')).toBeCloseTo(Math.log1p(long.length), 9);
    expect(Math.expm1(feature(long, 'log_words'))).toBeGreaterThan(40_000);
  });
});

describe('detectTaskType', () => {
  it.each([
    ['Write a Python function that parses a CSV file and returns a dict.', 'code'],
    ['```js\nconst x = foo(1);\n```\nWhy does this throw?', 'code'],
    ['A shop sells 3 pens for $2. How much do 12 pens cost?', 'math'],
    ['Translate into French: the weather is nice today.', 'translate'],
    ['Summarize the following article in three bullet points: ...', 'summarize'],
    ['Extract all dates and names from this email as JSON.', 'extract'],
    ['Explain why the argument is invalid and what conclusion follows logically.', 'reasoning'],
    ['Hi! How are you doing today?', 'chat'],
  ])('%s -> %s', (prompt, task) => {
    expect(detectTaskType(prompt)).toBe(task);
  });
});

describe('scorePrompt', () => {
  it('rises with a positively weighted feature on prompts in the training format', () => {
    const router = compileRouter(weights({}, { log_numbers: 0.1 }));
    const options = '\nA. 1\nB. 2\nC. 3\nD. 4\nAnswer:';

    const few = scorePrompt(router, `Add 2 and 3.${options}`).score;
    const many = scorePrompt(router, `Add 2, 3, 5, 7, 11, 13 and 17, then divide by 4.${options}`).score;

    expect(many).toBeGreaterThan(few);
    expect(few).toBeGreaterThan(0);
    expect(many).toBeLessThan(1);
  });

  it('uses the fitted model on multiple-choice prompts and only the out-of-format prior elsewhere', () => {
    // Every coefficient 0.05 and idf 1: the text term is 0.05 * sum(v) / |v| for the prompt's tf vector v.
    const router = compileRouter(weights({ bias: 0.2, text: textModel(5), prior: { features: ['log_words'], weight: 0.1, level: 0.3 } }, { log_words: 0.01 }));
    const open = 'What is 12 times 7 and then plus 3?';
    const counts = new Map<number, number>();
    for (const b of extractFeatures(mc, 16).buckets) counts.set(b, (counts.get(b) ?? 0) + 1);
    const v = [...counts.values()].map((tf) => 1 + Math.log(tf));
    const text = (0.05 * v.reduce((a, x) => a + x, 0)) / Math.sqrt(v.reduce((a, x) => a + x * x, 0));

    expect(scorePrompt(router, mc).score).toBeCloseTo(0.2 + text + 0.01 * feature(mc, 'log_words'), 12);
    expect(scorePrompt(compileRouter(weights({ bias: 0.2, text: textModel(5) })), mc).score).toBeCloseTo(0.2 + text, 12);
    expect(scorePrompt(router, open).score).toBeCloseTo(0.3 + 0.1 * feature(open, 'log_words'), 12);
  });

  it('scores with the shipped weights in well under a millisecond per prompt', () => {
    const router = shippedRouter('router-weights.v2');
    const { score, task } = scorePrompt(router, 'Solve the equation 3x + 5 = 20 for x.');

    expect(score).toBeGreaterThan(0);
    expect(score).toBeLessThan(1);
    expect(task).toBe('math');
  });
});

describe('thresholds', () => {
  const w = weights();

  it('maps a strong share to the matching quantile of training scores', () => {
    expect(thresholdForShare(w, 0.3).threshold).toBeCloseTo(0.7, 12);
    expect(thresholdForShare(w, 0.25).threshold).toBeCloseTo(0.75, 12);
    expect(thresholdForShare(w, 1).threshold).toBe(-Infinity);
    expect(thresholdForShare(w, 0).threshold).toBe(Infinity);
  });

  it('maps a quality level to the smallest share that recovers it on the calibration curve', () => {
    // recovered(share) = sqrt(share): 50% of the gap needs a 25% share.
    expect(shareForRecoveredGap(w, 0.5)).toBeCloseTo(0.25, 9);
    expect(thresholdFor(w, { recoveredGap: 0.5 }).threshold).toBeCloseTo(0.75, 9);
    expect(shareForRecoveredGap(w, 0)).toBe(0);
    expect(shareForRecoveredGap(w, 2)).toBe(1);
  });

  it('rejects weights whose features do not match this code', () => {
    expect(() => weights({ features: { dense: ['x'], bucketCount: 16 } })).toThrow(/dense feature names/);
  });
});

describe('traffic calibration', () => {
  it('has no threshold until it holds enough scores, then the quantile of the recent ones', () => {
    const window = new ScoreWindow(100, 50);
    for (let i = 0; i < 49; i += 1) window.add(i / 100);
    expect(window.thresholdForShare(0.3)).toBeUndefined();

    for (let i = 49; i < 100; i += 1) window.add(i / 100);
    // Scores 0.00 .. 0.99: the 30 highest are 0.70 .. 0.99.
    expect(window.thresholdForShare(0.3)).toBe(0.7);
    expect(window.thresholdForShare(0)).toBe(Infinity);
    expect(window.thresholdForShare(1)).toBe(-Infinity);
  });

  it('forgets scores older than its capacity', () => {
    const window = new ScoreWindow(100, 50);
    for (let i = 0; i < 100; i += 1) window.add(0.1);
    for (let i = 0; i < 100; i += 1) window.add(0.8 + i / 1000);

    expect(window.count).toBe(100);
    expect(window.thresholdForShare(0.5)).toBeCloseTo(0.85, 12);
  });

  it('takes the threshold from the window once it is full enough, from the training quantiles before', () => {
    const window = new ScoreWindow(100, 50);
    const w = weights();
    expect(thresholdFor(w, { strongShare: 0.3 }, window)).toEqual({ threshold: 0.7, strongShare: 0.3, calibration: 'training' });

    for (let i = 0; i < 100; i += 1) window.add(0.5 + i / 1000);
    expect(thresholdFor(w, { strongShare: 0.3 }, window)).toMatchObject({ strongShare: 0.3, calibration: 'traffic' });
    expect(thresholdFor(w, { strongShare: 0.3 }, window).threshold).toBeCloseTo(0.57, 12);
  });

  it('keeps the strong share of a route on traffic unlike the training prompts', () => {
    // Every prompt here scores above the training quantile for a 40% share (0.6), so without the
    // window all of them would go strong; with it, 4 of the 10 score levels do.
    const router = compileRouter(weights({ prior: { features: ['log_numbers'], weight: 0.2, level: 0.5 } }));
    const [tiny, mid, strong] = [0.6, 0.85, 0.95].map((overall, i) => model({ id: `m${i}`, quality: { overall }, priceUsd: { input: 10 ** i, output: 10 ** i } }));
    const picks = Array.from({ length: 400 }, (_, i) => {
      const prompt = `Add ${Array.from({ length: 1 + (i % 10) }, (_, k) => k + 2).join(', ')}.`;
      return learnedRank(router, [tiny!, mid!, strong!], routingInput({ strategy: 'learned', prompt, learned: { strongShare: 0.4 } })).decision;
    });

    expect(picks[0]).toMatch(/pick=strong; .*calibration=training$/);
    expect(picks.slice(0, 100).filter((d) => d.includes('pick=strong')).length).toBeGreaterThan(95);
    const late = picks.slice(300);
    expect(late.every((d) => d.endsWith('calibration=traffic'))).toBe(true);
    // 40%, plus at most one more score level when the quantile falls on a tie (ties go strong).
    const strongPicks = late.filter((d) => d.includes('pick=strong')).length;
    expect(strongPicks).toBeGreaterThanOrEqual(40);
    expect(strongPicks).toBeLessThanOrEqual(50);
  });
});

describe('learned decision', () => {
  const strong = model({ id: 'strong', quality: { overall: 0.95 }, priceUsd: { input: 10, output: 30 } });
  const mid = model({ id: 'mid', quality: { overall: 0.85 }, priceUsd: { input: 1, output: 2 } });
  const tiny = model({ id: 'tiny', quality: { overall: 0.6 }, priceUsd: { input: 0.1, output: 0.2 } });
  // Out of the training format only the prior counts: here, the number of quantities.
  const router = compileRouter(weights({ prior: { features: ['log_numbers'], weight: 0.2, level: 0.5 } }));

  it('pairs the best-quality model with the cheapest one above the quality floor', () => {
    const pair = learnedPair([tiny, mid, strong], routingInput({ strategy: 'learned' }));

    expect(pair.strong?.id).toBe('strong');
    expect(pair.cheap?.id).toBe('mid');
  });

  it('honours a pair named by the route', () => {
    const pair = learnedPair([tiny, mid, strong], routingInput({ strategy: 'learned', learned: { strong: 'mid', cheap: 'tiny' } }));

    expect(pair).toEqual({ strong: mid, cheap: tiny });
  });

  it('sends a prompt over the threshold to the strong model and one under it to the cheap one, the other next', () => {
    const input = (prompt: string) => routingInput({ strategy: 'learned', prompt, learned: { strongShare: 0.4 } });
    // quantiles are i/100, so share 0.4 -> threshold 0.6; 0 numbers -> score 0.5, 6 -> 0.5 + 0.2 * ln 7 = 0.889.
    const hard = learnedRank(router, [tiny, mid, strong], input('Add 2, 3, 5, 7, 11 and 13.'));
    const easy = learnedRank(router, [tiny, mid, strong], input('Say hello.'));

    expect(hard.candidates.map((c) => c.model.id)).toEqual(['strong', 'mid', 'tiny']);
    expect(hard.decision).toMatch(/^learned; pick=strong; score=0\.8\d\d; threshold=0\.600; share=0\.400; strong=strong; cheap=mid/);
    expect(easy.candidates.map((c) => c.model.id)).toEqual(['mid', 'strong', 'tiny']);
    expect(easy.decision).toMatch(/pick=cheap/);
  });

  it('uses the only eligible model when there is no pair', () => {
    const only = learnedRank(router, [mid], routingInput({ strategy: 'learned', prompt: 'x' }));

    expect(only.candidates.map((c) => c.model.id)).toEqual(['mid']);
    expect(only.decision).toMatch(/only one eligible model/);
  });
});

describe('promptText', () => {
  it('takes the last user message, text parts joined', () => {
    const text = promptText({
      model: 'auto',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: [{ type: 'text', text: 'second' }, { type: 'image_url', image_url: { url: 'data:,' } }, { type: 'text', text: 'part' }] },
      ],
    });

    expect(text).toBe('second\npart');
  });
});

describe('learned routes in the catalog', () => {
  const price = (input: number) => ({ currency: 'USD', inputPerMTok: input, outputPerMTok: input * 2 });
  const catalog = catalogOf([
    modelEntry('big', { quality: { overall: 0.95 }, pricing: price(10) }),
    modelEntry('big2', { quality: { overall: 0.9 }, pricing: price(8) }),
    modelEntry('mid', { quality: { overall: 0.85 }, pricing: price(1) }),
    modelEntry('low', { quality: { overall: 0.5 }, pricing: price(0.1) }),
  ]);

  it('makes `auto` a learned route when the catalog defines none', () => {
    expect(catalog.routes['auto']).toEqual({ strategy: 'learned' });
  });

  it('applies health exclusions before choosing the pair', () => {
    const input = routingInput({ strategy: 'learned', prompt: 'Hi', maxAttempts: 4 });

    const healthy = planRoute(catalog, input);
    const bigDown = planRoute(catalog, input, { unavailable: new Map([['big', 'circuit open']]) });

    expect(healthy.decision).toMatch(/strong=big; cheap=mid;/);
    expect(bigDown.decision).toMatch(/strong=big2; cheap=mid;/);
    expect(bigDown.candidates.map((c) => c.model.id)).not.toContain('big');
    expect(bigDown.excluded).toEqual([{ modelId: 'big', reason: 'unavailable', detail: 'circuit open' }]);
  });

  it('applies a cost ceiling before choosing the pair', () => {
    const plan = planRoute(catalog, routingInput({ strategy: 'learned', prompt: 'Hi', maxCostUsd: 0.01 }));

    expect(plan.decision).toMatch(/strong=mid; cheap=low;/);
  });

  it('validates the learned settings and the weights name', () => {
    const bad = catalogDoc({
      models: [modelEntry('a'), modelEntry('b')],
      routes: { both: { strategy: 'learned', learned: { strongShare: 0.3, recoveredGap: 0.5 } }, ghost: { strategy: 'learned', learned: { strong: 'nope' } } },
      defaults: { learnedWeights: 'router-weights.v9' },
    });

    expect(() => parseCatalog(bad)).toThrow(/set strongShare or recoveredGap, not both/);
    expect(() => parseCatalog(bad)).toThrow(/routes\.ghost\.learned\.strong: unknown model "nope"/);
    expect(() => parseCatalog(bad)).toThrow(/defaults\.learnedWeights: unknown weights "router-weights\.v9"/);
  });
});
