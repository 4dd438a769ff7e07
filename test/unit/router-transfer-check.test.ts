// The out-of-format transfer check (cli/router/transfer-check.ts) on synthetic outcome data whose
// answer depends on one signal only, so the check must find it, and must find it on unseen subjects.
import { describe, expect, it } from 'vitest';
import { DENSE_FEATURES } from '../../functions/core/routing/learned/features.ts';
import { stemOf, transferCheck } from '../../cli/router/transfer-check.ts';
import type { Benchmark, Item } from '../../cli/router/datasets.ts';

const options = '\nA. first\nB. second\nC. third\nD. fourth\nAnswer:';

/** Long questions need the strong model, on short ones both are right; in every subject alike. */
function lengthDriven(): Benchmark {
  const items: Item[] = [];
  for (let i = 0; i < 240; i += 1) {
    const words = 5 + ((i * 37) % 120);
    const long = words > 65;
    items.push({
      id: `s/${i}`,
      prompt: `${'Consider the case '.repeat(Math.ceil(words / 3))}what follows?${options}`,
      group: `subject-${i % 12}`,
      strong: 1,
      weak: long ? 0 : 1,
      rows: 1,
    });
  }
  return { name: 'synthetic', items, scale: 100 };
}

describe('stemOf', () => {
  it('removes the answer options and the trailing Answer: cue, keeping the question', () => {
    expect(stemOf(`What is 2 + 2?${options}`)).toBe('What is 2 + 2?');
    expect(stemOf('Name a prime number.')).toBe('Name a prime number.');
  });
});

describe('transferCheck', () => {
  const report = transferCheck(lengthDriven());

  it('scores every dense feature once, best first', () => {
    expect(report.single.map((s) => s.feature).sort()).toEqual([...DENSE_FEATURES].sort());
    for (let i = 1; i < report.single.length; i += 1) expect(report.single[i - 1]!.apgr).toBeGreaterThanOrEqual(report.single[i]!.apgr);
  });

  it('finds the length signal alone and in a ridge fitted on other subjects', () => {
    // A perfect ranking scores 0.75 here (half the prompts need the strong model: the curve rises to
    // strong at 50% and stays there); a random one 0.5.
    expect(report.single.find((s) => s.feature === 'log_chars')!.apgr).toBeGreaterThan(0.72);
    const random = report.single.find((s) => s.feature === 'latex')!; // constant here: ranks by index only
    expect(random.apgr).toBeLessThan(0.65);
    expect(report.fittedUnseenSubjects).toBeGreaterThan(0.72);
  });
});
