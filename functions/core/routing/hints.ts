// Turns a chat request plus the x-router-* headers into a RoutingInput: picks the route or pinned model,
// validates the headers and lets them override the route's settings.
import { strategySchema } from '../catalog/catalog-schema.ts';
import type { Strategy } from '../catalog/catalog-schema.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { InvalidRequestError } from '../shared/errors.ts';
import type { ChatRequest } from '../chat/openai-types.ts';
import { estimateInputTokens, requestedOutputTokens, requiredCapabilities } from '../pricing/tokens.ts';
import { resolveTarget } from './target.ts';
import type { RouteTarget } from './target.ts';
import type { RoutingInput } from './types.ts';
import { detectTaskType } from './learned/task-type.ts';
import { promptText } from './learned/prompt-text.ts';

/** Raw routing header values, as received (unvalidated). */
export interface RoutingHints {
  /** `x-router-strategy` */
  strategy?: string;
  /** `x-router-task` */
  task?: string;
  /** `x-router-min-quality` */
  minQuality?: string;
  /** `x-router-max-cost` */
  maxCost?: string;
}

export const HINT_HEADERS = {
  strategy: 'x-router-strategy',
  task: 'x-router-task',
  minQuality: 'x-router-min-quality',
  maxCost: 'x-router-max-cost',
} as const;

const TASK_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;
const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Routing headers after validation. */
export interface ParsedHints {
  strategy?: Strategy;
  taskType?: string;
  minQuality?: number;
  maxCostUsd?: number;
}

/** Validates the x-router-* headers; 400 naming the header for a bad value. */
export function parseHints(hints: RoutingHints = {}): ParsedHints {
  return {
    strategy: parseStrategy(hints.strategy),
    taskType: parseTask(hints.task),
    minQuality: parseNumber(hints.minQuality, HINT_HEADERS.minQuality, 'a number from 0 to 1', (n) => n >= 0 && n <= 1),
    maxCostUsd: parseNumber(hints.maxCost, HINT_HEADERS.maxCost, 'a positive number of USD', (n) => n > 0),
  };
}

/** Builds the routing input for a request; 404 for an unknown model or route, 400 for a bad header. */
export function resolveRoutingInput(catalog: Catalog, request: ChatRequest, hints: RoutingHints = {}): RoutingInput {
  const parsed = parseHints(hints);
  return routingInputFor(catalog, resolveTarget(catalog, request.model), request, parsed);
}

/**
 * The routing input for a resolved target: the route's settings with the headers over them, or a
 * pinned model (a group is pinned on its first member, so that member's `fallbacks` follow).
 */
export function routingInputFor(catalog: Catalog, target: RouteTarget, request: ChatRequest, hints: ParsedHints): RoutingInput {
  const estimates = {
    estimatedInputTokens: estimateInputTokens(request),
    requestedOutputTokens: requestedOutputTokens(request, catalog.defaults.assumedOutputTokens),
    expectedOutputTokens: requestedOutputTokens(request, catalog.defaults.expectedOutputTokens ?? catalog.defaults.assumedOutputTokens),
    requiredCapabilities: requiredCapabilities(request),
  };
  if (target.kind === 'route') {
    const { route } = target;
    const prompt = promptText(request);
    // No task from the caller or the route: detect it, so quality scores per task apply to every strategy.
    const taskType = hints.taskType ?? route.taskType ?? detectTaskType(prompt);
    return withOptional({
      mode: 'route',
      routeName: target.name,
      strategy: hints.strategy ?? route.strategy,
      taskType,
      taskSource: hints.taskType !== undefined ? 'header' : route.taskType !== undefined ? 'route' : 'detected',
      prompt,
      learned: route.learned,
      learnedWeights: catalog.defaults.learnedWeights,
      minQuality: hints.minQuality ?? route.minQuality,
      maxCostUsd: hints.maxCostUsd ?? route.maxCostUsd,
      allow: route.allow,
      deny: route.deny,
      weights: route.weights ?? catalog.defaults.weights,
      maxAttempts: route.maxAttempts ?? catalog.defaults.maxAttempts,
      ...estimates,
    });
  }
  const pinned = target.kind === 'model' ? target.model : target.members[0]!;
  return withOptional({
    mode: 'model',
    pinnedModelId: pinned.id,
    strategy: hints.strategy ?? catalog.defaults.strategy,
    taskType: hints.taskType,
    taskSource: hints.taskType !== undefined ? 'header' : undefined,
    minQuality: hints.minQuality,
    maxCostUsd: hints.maxCostUsd,
    weights: catalog.defaults.weights,
    maxAttempts: catalog.defaults.maxAttempts,
    ...estimates,
  });
}

/** Drops undefined optional fields so the result also satisfies exactOptionalPropertyTypes-style checks. */
function withOptional(input: RoutingInput): RoutingInput {
  for (const key of Object.keys(input) as (keyof RoutingInput)[]) {
    if (input[key] === undefined) delete input[key];
  }
  return input;
}

const present = (raw: string | undefined): string | undefined => {
  const value = raw?.trim();
  return value === undefined || value === '' ? undefined : value;
};

function parseStrategy(raw: string | undefined): Strategy | undefined {
  const value = present(raw);
  if (value === undefined) return undefined;
  const parsed = strategySchema.safeParse(value.toLowerCase());
  if (parsed.success) return parsed.data;
  throw new InvalidRequestError(
    `Invalid ${HINT_HEADERS.strategy} header '${value}': expected one of ${strategySchema.options.join(', ')}.`,
    HINT_HEADERS.strategy,
  );
}

function parseTask(raw: string | undefined): string | undefined {
  const value = present(raw)?.toLowerCase();
  if (value === undefined) return undefined;
  if (TASK_PATTERN.test(value)) return value;
  throw new InvalidRequestError(
    `Invalid ${HINT_HEADERS.task} header '${value}': expected a task name such as code, math, chat, summarize, extract or reasoning.`,
    HINT_HEADERS.task,
  );
}

function parseNumber(
  raw: string | undefined,
  header: string,
  expected: string,
  valid: (n: number) => boolean,
): number | undefined {
  const value = present(raw);
  if (value === undefined) return undefined;
  const n = NUMBER_PATTERN.test(value) ? Number(value) : Number.NaN;
  if (Number.isFinite(n) && valid(n)) return n;
  throw new InvalidRequestError(`Invalid ${header} header '${value}': expected ${expected}.`, header);
}
