// Constraint filters: each model either passes or is excluded with one reason (the first that applies).
import type { ResolvedModel } from '../catalog/catalog.ts';
import { estimateCostUsd } from '../pricing/cost.ts';
import type { Exclusion, RoutingContext, RoutingInput } from './types.ts';

/** The quality that counts for this request: the task score when a task type is set and scored, else overall. */
export function qualityFor(model: ResolvedModel, taskType: string | undefined): number {
  if (taskType === undefined) return model.quality.overall;
  return model.quality.tasks[taskType] ?? model.quality.overall;
}

/** Expected cost of the request on this model, in USD: its prompt plus a typical answer (max_tokens when set). */
export function requestCostUsd(model: ResolvedModel, input: RoutingInput): number {
  return estimateCostUsd(model, input.estimatedInputTokens, input.expectedOutputTokens ?? input.requestedOutputTokens);
}

type Check = (model: ResolvedModel, input: RoutingInput, context: RoutingContext) => Exclusion | undefined;

const unavailable: Check = (model, _input, context) => {
  const why = context.unavailable?.get(model.id);
  return why === undefined ? undefined : { modelId: model.id, reason: 'unavailable', detail: why };
};

const notAllowed: Check = (model, input) =>
  input.allow && !input.allow.includes(model.id)
    ? { modelId: model.id, reason: 'not_allowed', detail: 'not in the allow list' }
    : undefined;

const denied: Check = (model, input) =>
  input.deny?.includes(model.id) ? { modelId: model.id, reason: 'denied', detail: 'in the deny list' } : undefined;

const capability: Check = (model, input) => {
  const missing = input.requiredCapabilities.filter((c) => !model.capabilities.includes(c));
  return missing.length === 0
    ? undefined
    : { modelId: model.id, reason: 'capability', detail: `needs ${missing.join(', ')}` };
};

const contextWindow: Check = (model, input) => {
  const needed = input.estimatedInputTokens + input.requestedOutputTokens;
  return needed > model.contextWindow
    ? { modelId: model.id, reason: 'context_window', detail: `needs ${needed} tokens, window ${model.contextWindow}` }
    : undefined;
};

const maxOutput: Check = (model, input) =>
  input.requestedOutputTokens > model.maxOutputTokens
    ? {
        modelId: model.id,
        reason: 'max_output',
        detail: `asks for ${input.requestedOutputTokens} output tokens, max ${model.maxOutputTokens}`,
      }
    : undefined;

const minQuality: Check = (model, input) => {
  if (input.minQuality === undefined) return undefined;
  const q = qualityFor(model, input.taskType);
  const label = input.taskType === undefined ? 'quality' : `${input.taskType} quality`;
  return q < input.minQuality
    ? { modelId: model.id, reason: 'min_quality', detail: `${label} ${q} < ${input.minQuality}` }
    : undefined;
};

const maxCost: Check = (model, input) => {
  if (input.maxCostUsd === undefined) return undefined;
  const cost = requestCostUsd(model, input);
  return cost > input.maxCostUsd
    ? { modelId: model.id, reason: 'max_cost', detail: `estimated $${cost} > $${input.maxCostUsd}` }
    : undefined;
};

/** Checks a model must pass whoever chose it: it can take the request and is reachable now. */
export const HARD_CHECKS: readonly Check[] = [unavailable, capability, contextWindow, maxOutput];
/** Checks that express the caller's or route's preferences. */
export const SOFT_CHECKS: readonly Check[] = [notAllowed, denied, minQuality, maxCost];
/** Every check, in the order reasons are reported. */
export const ALL_CHECKS: readonly Check[] = [notAllowed, denied, ...HARD_CHECKS, minQuality, maxCost];

/** The first exclusion that applies to the model, or undefined when it passes every check. */
export function checkModel(
  model: ResolvedModel,
  input: RoutingInput,
  context: RoutingContext = {},
  checks: readonly Check[] = ALL_CHECKS,
): Exclusion | undefined {
  for (const check of checks) {
    const exclusion = check(model, input, context);
    if (exclusion) return exclusion;
  }
  return undefined;
}

/** Splits models into those passing the checks and the exclusions of the rest. */
export function applyConstraints(
  models: readonly ResolvedModel[],
  input: RoutingInput,
  context: RoutingContext = {},
  checks: readonly Check[] = ALL_CHECKS,
): { eligible: ResolvedModel[]; excluded: Exclusion[] } {
  const eligible: ResolvedModel[] = [];
  const excluded: Exclusion[] = [];
  for (const model of models) {
    const exclusion = checkModel(model, input, context, checks);
    if (exclusion) excluded.push(exclusion);
    else eligible.push(model);
  }
  return { eligible, excluded };
}
