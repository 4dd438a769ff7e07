// Ranking strategies. Each takes the eligible models and returns them best-first with a score (higher is better).
// Ordering is total and deterministic: every comparison ends with a tie-break on the model id.
import type { BalancedWeights, Strategy } from '../catalog/catalog-schema.ts';
import type { ResolvedModel } from '../catalog/catalog.ts';
import { qualityFor, requestCostUsd } from './constraints.ts';
import type { Candidate, RoutingContext, RoutingInput } from './types.ts';

/** Floor for the log of a cost, so a free model does not send log(0) to -Infinity. */
const MIN_COST_USD = 1e-9;

interface Scored {
  model: ResolvedModel;
  quality: number;
  cost: number;
  latency: number;
}

const byId = (a: Scored, b: Scored): number => (a.model.id < b.model.id ? -1 : a.model.id > b.model.id ? 1 : 0);

function measure(models: readonly ResolvedModel[], input: RoutingInput, context: RoutingContext): Scored[] {
  return models.map((model) => ({
    model,
    quality: qualityFor(model, input.taskType),
    cost: requestCostUsd(model, input),
    latency: context.observedLatencyMs?.get(model.id) ?? model.latencyMs,
  }));
}

/** Min-max normaliser to 0..1; when every value is equal, all map to 1 (nobody is worse). */
function normaliser(values: number[], lowerIsBetter: boolean): (v: number) => number {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max - min;
  if (!(range > 0)) return () => 1;
  return lowerIsBetter ? (v) => (max - v) / range : (v) => (v - min) / range;
}

const logCost = (usd: number): number => Math.log(Math.max(usd, MIN_COST_USD));

const toCandidate = (s: Scored, score: number): Candidate => ({ model: s.model, score, estimatedCostUsd: s.cost });

/** Cheapest estimated cost first; ties by higher quality, then id. Score: normalised log-cost, 1 = cheapest. */
export function costFirst(models: readonly ResolvedModel[], input: RoutingInput, context: RoutingContext = {}): Candidate[] {
  const scored = measure(models, input, context);
  const norm = normaliser(scored.map((s) => logCost(s.cost)), true);
  scored.sort((a, b) => a.cost - b.cost || b.quality - a.quality || byId(a, b));
  return scored.map((s) => toCandidate(s, norm(logCost(s.cost))));
}

/** Best task-or-overall quality first; ties by lower cost, then id. Score: the quality. */
export function qualityFirst(models: readonly ResolvedModel[], input: RoutingInput, context: RoutingContext = {}): Candidate[] {
  const scored = measure(models, input, context);
  scored.sort((a, b) => b.quality - a.quality || a.cost - b.cost || byId(a, b));
  return scored.map((s) => toCandidate(s, s.quality));
}

/**
 * Weighted sum of min-max normalised quality (higher better), log cost (lower better; prices span 100x+)
 * and latency (lower better; observed EWMA when known, else the catalog's latencyMs), divided by the
 * weight total so scores stay in 0..1. All-zero weights fall back to quality alone.
 */
export function balanced(
  models: readonly ResolvedModel[],
  input: RoutingInput,
  context: RoutingContext = {},
  weights: BalancedWeights = input.weights,
): Candidate[] {
  const scored = measure(models, input, context);
  const total = weights.quality + weights.cost + weights.latency;
  const w = total > 0 ? weights : { quality: 1, cost: 0, latency: 0 };
  const sum = total > 0 ? total : 1;
  const q = normaliser(scored.map((s) => s.quality), false);
  const c = normaliser(scored.map((s) => logCost(s.cost)), true);
  const l = normaliser(scored.map((s) => s.latency), true);
  const ranked = scored.map((s) => ({
    s,
    score: (w.quality * q(s.quality) + w.cost * c(logCost(s.cost)) + w.latency * l(s.latency)) / sum,
  }));
  ranked.sort((a, b) => b.score - a.score || byId(a.s, b.s));
  return ranked.map(({ s, score }) => toCandidate(s, score));
}

/** Ranks eligible models with the named strategy, best first. */
export function rankModels(
  strategy: Strategy,
  models: readonly ResolvedModel[],
  input: RoutingInput,
  context: RoutingContext = {},
): Candidate[] {
  switch (strategy) {
    case 'cost-first':
      return costFirst(models, input, context);
    case 'quality-first':
      return qualityFirst(models, input, context);
    case 'balanced':
    // `learned` picks its pair in plan.ts (it needs the weights); anything ranked here is the rest.
    case 'learned':
      return balanced(models, input, context);
  }
}
