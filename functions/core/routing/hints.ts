// Turns a chat request plus the x-router-* headers into a RoutingInput: picks the route or pinned model,
// validates the headers and lets them override the route's settings.
import { strategySchema } from '../catalog/catalog-schema.ts';
import type { Strategy } from '../catalog/catalog-schema.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { InvalidRequestError, NotFoundError } from '../shared/errors.ts';
import type { ChatRequest } from '../chat/openai-types.ts';
import { estimateInputTokens, requestedOutputTokens, requiredCapabilities } from '../pricing/tokens.ts';
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

/** Builds the routing input for a request; 404 for an unknown model or route, 400 for a bad header. */
export function resolveRoutingInput(catalog: Catalog, request: ChatRequest, hints: RoutingHints = {}): RoutingInput {
  const strategy = parseStrategy(hints.strategy);
  const taskType = parseTask(hints.task);
  const minQuality = parseNumber(hints.minQuality, HINT_HEADERS.minQuality, 'a number from 0 to 1', (n) => n >= 0 && n <= 1);
  const maxCostUsd = parseNumber(hints.maxCost, HINT_HEADERS.maxCost, 'a positive number of USD', (n) => n > 0);

  const name = typeof request.model === 'string' ? request.model : '';
  const estimates = {
    estimatedInputTokens: estimateInputTokens(request),
    requestedOutputTokens: requestedOutputTokens(request, catalog.defaults.assumedOutputTokens),
    requiredCapabilities: requiredCapabilities(request),
  };

  const route = Object.hasOwn(catalog.routes, name) ? catalog.routes[name] : undefined;
  if (route) {
    const prompt = promptText(request);
    // No task from the caller or the route: detect it, so quality scores per task apply to every strategy.
    const task = taskType ?? route.taskType ?? detectTaskType(prompt);
    return withOptional({
      mode: 'route',
      routeName: name,
      strategy: strategy ?? route.strategy,
      taskType: task,
      taskSource: taskType !== undefined ? 'header' : route.taskType !== undefined ? 'route' : 'detected',
      prompt,
      learned: route.learned,
      learnedWeights: catalog.defaults.learnedWeights,
      minQuality: minQuality ?? route.minQuality,
      maxCostUsd: maxCostUsd ?? route.maxCostUsd,
      allow: route.allow,
      deny: route.deny,
      weights: route.weights ?? catalog.defaults.weights,
      maxAttempts: route.maxAttempts ?? catalog.defaults.maxAttempts,
      ...estimates,
    });
  }
  if (catalog.modelsById.has(name)) {
    return withOptional({
      mode: 'model',
      pinnedModelId: name,
      strategy: strategy ?? catalog.defaults.strategy,
      taskType,
      taskSource: taskType !== undefined ? 'header' : undefined,
      minQuality,
      maxCostUsd,
      weights: catalog.defaults.weights,
      maxAttempts: catalog.defaults.maxAttempts,
      ...estimates,
    });
  }
  const routes = Object.keys(catalog.routes).sort().join(', ');
  throw new NotFoundError(
    `The model '${name}' does not exist or you do not have access to it. Use 'auto', a route (${routes}) or a model id from GET /v1/models.`,
    'model',
    'model_not_found',
  );
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
