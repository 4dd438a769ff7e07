// Shapes shared by the routing steps: what to route (input), live signals (context), and the result (plan).
import type { BalancedWeights, Capability, LearnedRouteConfig, Strategy } from '../catalog/catalog-schema.ts';
import type { ResolvedModel } from '../catalog/catalog.ts';

/** Everything the planner needs about one request, resolved from the body, the route and the headers. */
export interface RoutingInput {
  /** 'route': pick among the catalog by strategy; 'model': a concrete model was named. */
  mode: 'route' | 'model';
  routeName?: string;
  pinnedModelId?: string;
  strategy: Strategy;
  taskType?: string;
  /** Where taskType came from: the x-router-task header, the route, or detected from the prompt. */
  taskSource?: 'header' | 'route' | 'detected';
  /** The text the learned strategy scores (last user message). */
  prompt?: string;
  /** The route's `learned` settings. */
  learned?: LearnedRouteConfig;
  /** Weights of the learned strategy (catalog defaults.learnedWeights). */
  learnedWeights?: string;
  minQuality?: number;
  maxCostUsd?: number;
  allow?: string[];
  deny?: string[];
  weights: BalancedWeights;
  maxAttempts: number;
  estimatedInputTokens: number;
  requestedOutputTokens: number;
  /** Output of a typical answer (max_tokens when set): what cost estimates use. `requestedOutputTokens` when unset. */
  expectedOutputTokens?: number;
  requiredCapabilities: Capability[];
}

/** Live signals the planner may use; both are optional so the planner stays usable with plain values. */
export interface RoutingContext {
  /** Observed latency (EWMA, ms) per model id; overrides the catalog's latencyMs in `balanced`. */
  observedLatencyMs?: ReadonlyMap<string, number>;
  /** Models that must not be tried now, with the reason (for example "circuit open"). */
  unavailable?: ReadonlyMap<string, string>;
  /** Epoch ms at which an unavailable model is tried again (its breaker half-opens), when known. */
  retryAt?: ReadonlyMap<string, number>;
}

/** One model of the fallback plan. Higher score is better; scores compare only within one plan. */
export interface Candidate {
  model: ResolvedModel;
  score: number;
  estimatedCostUsd: number;
}

export type ExclusionReason =
  | 'context_window'
  | 'max_output'
  | 'capability'
  | 'denied'
  | 'not_allowed'
  | 'min_quality'
  | 'max_cost'
  | 'unavailable';

/** Why a model was left out of the plan. */
export interface Exclusion {
  modelId: string;
  reason: ExclusionReason;
  detail: string;
}

/** The routing decision: the ordered fallback plan and what was excluded. */
export interface RoutingPlan {
  strategy: Strategy;
  /** Ordered fallback plan, length <= maxAttempts; empty when nothing qualifies. */
  candidates: Candidate[];
  excluded: Exclusion[];
  /** Why the first candidate was chosen (the learned strategy explains its decision). */
  decision?: string;
}
