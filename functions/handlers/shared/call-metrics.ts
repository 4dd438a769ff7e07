// Per-call CloudWatch metrics of the router and the batch worker (contract: functions/contracts/metrics.ts).
// EMF is a structured log line: no SDK call, no latency on the request path.
import { metricDimensions, metricNames } from '#contracts/metrics.ts';
import type { RoutingOutcome } from '#core/chat/types.ts';
import { publishMetrics } from './metrics.ts';
import type { MetricDocument } from './metrics.ts';

/** Where a metric document goes; Powertools Metrics on stdout in Lambda. */
export type MetricsSink = (doc: MetricDocument) => void;

/** The metric document of one completed call. */
export function callMetrics(outcome: RoutingOutcome, latencyMs: number, costUsd: number): MetricDocument {
  const hit = outcome.cache === 'hit' || outcome.cache === 'semantic-hit';
  const cacheConsulted = hit || outcome.cache === 'miss';
  return {
    dimensions: { [metricDimensions.model]: outcome.modelId },
    values: {
      [metricNames.requests]: 1,
      [metricNames.latencyMs]: latencyMs,
      [metricNames.costUsd]: costUsd,
      ...(cacheConsulted ? { [hit ? metricNames.cacheHit : metricNames.cacheMiss]: 1 } : {}),
      [metricNames.fallbacks]: outcome.failures.length,
    },
  };
}

/** Emits the metrics of one completed call. */
export function emitCallMetrics(outcome: RoutingOutcome, latencyMs: number, costUsd: number, sink: MetricsSink = publishMetrics): void {
  sink(callMetrics(outcome, latencyMs, costUsd));
}
