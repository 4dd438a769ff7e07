// The `learned` strategy: between a strong and a cheap candidate (both already past every constraint,
// health and budget check), call the strong one only when the prompt's score reaches the route's
// threshold. The other of the pair comes next in the fallback plan, then the rest ranked by `balanced`.
import type { ResolvedModel } from '../../catalog/catalog.ts';
import { qualityFor, requestCostUsd } from '../constraints.ts';
import { balanced } from '../strategies.ts';
import type { Candidate, RoutingContext, RoutingInput } from '../types.ts';
import { scorePrompt } from './model.ts';
import type { CompiledRouter } from './model.ts';
import { DEFAULT_TARGET, thresholdFor } from './threshold.ts';
import type { CostTarget } from './threshold.ts';

/** Quality floor of the default cheap candidate. */
export const DEFAULT_CHEAP_MIN_QUALITY = 0.8;

export interface LearnedRanking {
  candidates: Candidate[];
  /** Why the first candidate was chosen, for `x-router-decision` and the cost record. */
  decision: string;
}

/** Best of `models` by `better` (a strict "a beats b"), in one pass; undefined when empty. */
function best(models: readonly ResolvedModel[], better: (a: ResolvedModel, b: ResolvedModel) => boolean): ResolvedModel | undefined {
  let top: ResolvedModel | undefined;
  for (const m of models) if (top === undefined || better(m, top)) top = m;
  return top;
}

/** The pair: the route's named models when eligible, else best quality (strong) and cheapest good-enough (cheap). */
export function learnedPair(eligible: readonly ResolvedModel[], input: RoutingInput): { strong?: ResolvedModel; cheap?: ResolvedModel } {
  const named = (id: string | undefined) => (id === undefined ? undefined : eligible.find((m) => m.id === id));
  const quality = (m: ResolvedModel) => qualityFor(m, input.taskType);
  const cost = (m: ResolvedModel) => requestCostUsd(m, input);
  // The same orders as quality-first and cost-first, ties ending on the id, without sorting everything.
  const byQuality = (a: ResolvedModel, b: ResolvedModel) => quality(a) > quality(b) || (quality(a) === quality(b) && (cost(a) < cost(b) || (cost(a) === cost(b) && a.id < b.id)));
  const byCost = (a: ResolvedModel, b: ResolvedModel) => cost(a) < cost(b) || (cost(a) === cost(b) && (quality(a) > quality(b) || (quality(a) === quality(b) && a.id < b.id)));
  const strong = named(input.learned?.strong) ?? best(eligible, byQuality);
  if (!strong) return {};
  const others = eligible.filter((m) => m !== strong);
  const floor = input.learned?.cheapMinQuality ?? DEFAULT_CHEAP_MIN_QUALITY;
  const namedCheap = named(input.learned?.cheap);
  const cheap = (namedCheap !== strong ? namedCheap : undefined) ?? best(others.filter((m) => quality(m) >= floor), byCost) ?? best(others, byCost);
  return cheap ? { strong, cheap } : { strong };
}

function targetOf(input: RoutingInput): CostTarget {
  if (input.learned?.recoveredGap !== undefined) return { recoveredGap: input.learned.recoveredGap };
  if (input.learned?.strongShare !== undefined) return { strongShare: input.learned.strongShare };
  return DEFAULT_TARGET;
}

const fixed = (n: number): string => (Number.isFinite(n) ? n.toFixed(3) : n > 0 ? 'inf' : '-inf');

/** Ranks eligible models for the learned strategy and explains the choice. */
export function learnedRank(router: CompiledRouter, eligible: readonly ResolvedModel[], input: RoutingInput, context: RoutingContext = {}): LearnedRanking {
  const { strong, cheap } = learnedPair(eligible, input);
  if (!strong) return { candidates: [], decision: 'learned; no eligible model' };
  const rest = balanced(eligible.filter((m) => m !== strong && m !== cheap), input, context).map((c) => c.model);
  const toCandidates = (models: ResolvedModel[]): Candidate[] =>
    models.map((model, i) => ({ model, score: 1 / (i + 1), estimatedCostUsd: requestCostUsd(model, input) }));
  if (!cheap) return { candidates: toCandidates([strong, ...rest]), decision: `learned; pick=strong; only one eligible model; strong=${strong.id}` };

  const { score } = scorePrompt(router, input.prompt ?? '');
  const target = targetOf(input);
  const { threshold, strongShare, calibration } = thresholdFor(router.weights, target, router.window);
  router.window.add(score);
  const goStrong = score >= threshold;
  const ordered = goStrong ? [strong, cheap, ...rest] : [cheap, strong, ...rest];
  const targetText = 'recoveredGap' in target ? `recoveredGap=${target.recoveredGap} share=${strongShare.toFixed(3)}` : `share=${strongShare.toFixed(3)}`;
  const decision = `learned; pick=${goStrong ? 'strong' : 'cheap'}; score=${fixed(score)}; threshold=${fixed(threshold)}; ${targetText}; strong=${strong.id}; cheap=${cheap.id}; weights=v${router.weights.version}; calibration=${calibration}`;
  return { candidates: toCandidates(ordered), decision };
}
