// The x-router-* response headers that report a routing decision, on every chat-shaped endpoint.
import type { RoutingOutcome } from '#core/chat/types.ts';

export function decisionHeaders(outcome: RoutingOutcome, requestId: string, costUsd?: number): Record<string, string> {
  const headers: Record<string, string> = {
    'x-request-id': requestId,
    'x-router-model': outcome.modelId,
    'x-router-provider': outcome.providerId,
    'x-router-strategy': outcome.strategy,
    'x-router-attempts': String(outcome.attempts),
    'x-router-cache': outcome.cache,
  };
  if (costUsd !== undefined) headers['x-router-cost-usd'] = costUsd.toFixed(8);
  if (outcome.task !== undefined) headers['x-router-task'] = outcome.task;
  if (outcome.decision !== undefined) headers['x-router-decision'] = outcome.decision;
  // The budget was nearly used up: the answer's max_tokens was lowered to what the budget still covers.
  if (outcome.maxTokensCap !== undefined) headers['x-router-max-tokens-capped'] = String(outcome.maxTokensCap);
  if (outcome.cacheSource?.requestId) headers['x-router-cache-source'] = outcome.cacheSource.requestId;
  if (outcome.cacheSource?.similarity !== undefined) headers['x-router-cache-similarity'] = outcome.cacheSource.similarity.toFixed(4);
  return headers;
}
