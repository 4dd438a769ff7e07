// Vector helpers and the local embedder.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { features, LocalEmbedder } from '#core/cache/local-embedder.ts';
import { cosine, dequantise, l2Normalise, quantise } from '#core/cache/vector.ts';

const embedder = new LocalEmbedder();
const sim = (a: string, b: string) => cosine(embedder.embedSync(a), embedder.embedSync(b));

describe('vectors', () => {
  it('keeps cosine through int8 quantisation to within 0.01', () => {
    fc.assert(fc.property(fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: 8, maxLength: 64 }), fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: 64, maxLength: 64 }), (a, b) => {
      const x = l2Normalise(a.concat(Array(64 - a.length).fill(0.5)));
      const y = l2Normalise(b);
      expect(Math.abs(cosine(dequantise(quantise(x)), y) - cosine(x, y))).toBeLessThan(0.01);
    }));
  });
});

describe('LocalEmbedder', () => {
  it('scores paraphrases above its threshold', () => {
    expect(sim('What is the capital of France?', "What's the capital of France?")).toBeGreaterThanOrEqual(embedder.defaultThreshold);
    expect(sim('How do I center a div in CSS?', 'How can I center a div with CSS?')).toBeGreaterThanOrEqual(embedder.defaultThreshold);
  });

  it('keeps negation, other numbers and other entities below its threshold', () => {
    expect(sim('Is it safe to eat raw eggs?', 'Is it not safe to eat raw eggs?')).toBeLessThan(embedder.defaultThreshold);
    expect(sim('Can dogs eat grapes?', "Can't dogs eat grapes?")).toBeLessThan(embedder.defaultThreshold);
    expect(sim('What is 17 times 23?', 'What is 17 times 24?')).toBeLessThan(embedder.defaultThreshold);
    expect(sim('What year did World War II end?', 'What year did World War I end?')).toBeLessThan(embedder.defaultThreshold);
    expect(sim('What is the capital of France?', 'What is the capital of Germany?')).toBeLessThan(embedder.defaultThreshold);
  });

  it('weighs numbers and negations heavily', () => {
    const f = features("Don't add 2 and 3");
    expect(f.find((x) => x.name === '!neg')?.weight).toBe(3);
    expect(f.find((x) => x.name === '#2')?.weight).toBe(3);
    expect(embedder.embedSync('anything').length).toBe(512);
  });
});
