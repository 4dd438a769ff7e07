// Deployment groups in the fallback plan. Catalog models sharing a `group` are deployments of one
// logical model: a request may name the group as `model`, and in a plan the group's eligible
// deployments take one slot (at the position of its best-ranked member); the load balancer picks
// their order per request. A model without a group is a slot of its own.
import type { Catalog, ResolvedModel } from '../catalog/catalog.ts';
import type { ChatRequest } from '../chat/openai-types.ts';
import { checkModel, HARD_CHECKS, requestCostUsd } from './constraints.ts';
import { parseHints, routingInputFor } from './hints.ts';
import type { RoutingHints } from './hints.ts';
import { planRoute } from './plan.ts';
import { resolveTarget } from './target.ts';
import type { RoutingContext, RoutingPlan } from './types.ts';

export interface SlottedPlan extends RoutingPlan {
  /** 'pinned' when a model or group was named, else the strategy. */
  strategyLabel: string;
  /** The fallback plan as slots; each slot holds one model or the deployments of one group. */
  slots: ResolvedModel[][];
  /** The task type routing used (header, route or detected), for `x-router-task`. */
  taskType?: string;
}

/**
 * Plans the request. A group name is planned like its first member named explicitly (so that
 * member's `fallbacks` follow), with every deployment of the group that passes the hard checks in
 * the first slot.
 */
export function planSlots(catalog: Catalog, request: ChatRequest, hints: RoutingHints, context: RoutingContext = {}): SlottedPlan {
  const parsed = parseHints(hints);
  const target = resolveTarget(catalog, request.model);
  const input = routingInputFor(catalog, target, request, parsed);
  const named = target.kind === 'group' ? target.members : [];
  const name = target.kind === 'group' ? target.name : undefined;
  const slotsWanted = Math.max(1, input.maxAttempts);
  // Plan over every model, then cut by slots: a group counts once against maxAttempts.
  const plan = planRoute(catalog, { ...input, maxAttempts: Math.max(slotsWanted, catalog.models.length) }, context);
  let candidates = plan.candidates;
  const slots: ResolvedModel[][] = [];
  if (named.length > 0) {
    const members = named.filter((m) => checkModel(m, input, context, HARD_CHECKS) === undefined);
    const excluded = named.filter((m) => !members.includes(m)).map((m) => checkModel(m, input, context, HARD_CHECKS)!);
    plan.excluded.push(...excluded.filter((e) => !plan.excluded.some((x) => x.modelId === e.modelId)));
    if (members.length > 0) slots.push(members);
    candidates = candidates.filter((c) => c.model.group !== name);
  }
  const byKey = new Map<string, ResolvedModel[]>();
  for (const { model } of candidates) {
    const key = model.group === undefined ? `model:${model.id}` : `group:${model.group}`;
    const slot = byKey.get(key);
    if (slot) slot.push(model);
    else {
      const fresh = [model];
      byKey.set(key, fresh);
      slots.push(fresh);
    }
  }
  const kept = slots.slice(0, slotsWanted);
  const ranked = new Map(plan.candidates.map((c) => [c.model.id, c] as const));
  const finalCandidates = kept.flat().map((model) => ranked.get(model.id) ?? { model, score: 0, estimatedCostUsd: requestCostUsd(model, input) });
  return {
    strategy: plan.strategy,
    candidates: finalCandidates,
    excluded: plan.excluded,
    slots: kept,
    strategyLabel: input.mode === 'model' ? 'pinned' : plan.strategy,
    ...(plan.decision !== undefined ? { decision: plan.decision } : {}),
    ...(input.taskType !== undefined ? { taskType: input.taskType } : {}),
  };
}
