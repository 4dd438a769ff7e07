// The routing planner: constraints, then strategy ranking, into an ordered fallback plan.
import type { Catalog, ResolvedModel } from '../catalog/catalog.ts';
import { applyConstraints, checkModel, HARD_CHECKS, requestCostUsd, SOFT_CHECKS } from './constraints.ts';
import { rankModels } from './strategies.ts';
import { learnedRank } from './learned/decide.ts';
import { isShippedWeights } from './learned/shipped-names.ts';
import { shippedRouter } from './learned/shipped.ts';
import type { Candidate, Exclusion, RoutingContext, RoutingInput, RoutingPlan } from './types.ts';

/**
 * Plans which models to try, in order. Route mode: every catalog model through all constraints, ranked by
 * the strategy, truncated to maxAttempts. Model mode: the pinned model (hard constraints only: it was
 * chosen explicitly), then its catalog `fallbacks` in order that pass every constraint.
 */
export function planRoute(catalog: Catalog, input: RoutingInput, context: RoutingContext = {}): RoutingPlan {
  const maxAttempts = Math.max(1, input.maxAttempts);
  if (input.mode === 'model') return planPinned(catalog, input, context, maxAttempts);
  const { eligible, excluded } = applyConstraints(catalog.models, input, context);
  if (input.strategy === 'learned') {
    const name = input.learnedWeights ?? catalog.defaults.learnedWeights;
    if (isShippedWeights(name)) {
      const { candidates, decision } = learnedRank(shippedRouter(name), eligible, input, context);
      return { strategy: input.strategy, candidates: candidates.slice(0, maxAttempts), excluded, decision };
    }
  }
  const candidates = rankModels(input.strategy, eligible, input, context).slice(0, maxAttempts);
  return { strategy: input.strategy, candidates, excluded };
}

function planPinned(catalog: Catalog, input: RoutingInput, context: RoutingContext, maxAttempts: number): RoutingPlan {
  const candidates: Candidate[] = [];
  const excluded: Exclusion[] = [];
  const pinned = input.pinnedModelId === undefined ? undefined : catalog.modelsById.get(input.pinnedModelId);
  if (!pinned) return { strategy: input.strategy, candidates, excluded };

  const consider = (model: ResolvedModel, checks: typeof HARD_CHECKS): void => {
    const exclusion = checkModel(model, input, context, checks);
    if (exclusion) excluded.push(exclusion);
    else if (candidates.length < maxAttempts) {
      // Explicit order, not a ranking: score falls from 1 with position.
      candidates.push({ model, score: 1 / (candidates.length + 1), estimatedCostUsd: requestCostUsd(model, input) });
    }
  };
  consider(pinned, HARD_CHECKS);
  for (const id of pinned.fallbacks) {
    const fallback = catalog.modelsById.get(id);
    if (fallback && fallback.id !== pinned.id) consider(fallback, [...SOFT_CHECKS, ...HARD_CHECKS]);
  }
  return { strategy: input.strategy, candidates, excluded };
}

/** The 400 message for an empty plan: which constraint excluded which models, grouped by reason. */
export function explainNoRoute(plan: RoutingPlan): string {
  if (plan.excluded.length === 0) return 'No model satisfies the request: the route has no models.';
  const groups = new Map<string, string[]>();
  for (const e of plan.excluded) {
    const list = groups.get(e.reason) ?? [];
    list.push(`${e.modelId} (${e.detail})`);
    groups.set(e.reason, list);
  }
  const parts = [...groups].map(([reason, models]) => `${reason} excluded ${models.join(', ')}`);
  return `No model satisfies the request: ${parts.join('; ')}.`;
}
