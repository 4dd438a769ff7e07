// Per-call CloudWatch metrics in the Embedded Metric Format (the contract is functions/contracts/metrics.ts).
// EMF is a structured log line: no SDK call, no latency on the request path.
import { emfLine, metricDimensions, metricNames } from '#contracts/metrics.ts';
import type { RoutingOutcome } from '#core/chat/types.ts';

export type MetricsSink = (line: string) => void;

/** Where EMF lines go: stdout in Lambda; `ROUTER_METRICS=off` silences them (the local runtime). */
export function defaultSink(): MetricsSink | undefined {
  return process.env['ROUTER_METRICS'] === 'off' ? undefined : (line) => console.log(line);
}

/** Emits the metrics of one completed call. */
export function emitCallMetrics(sink: MetricsSink | undefined, outcome: RoutingOutcome, latencyMs: number, costUsd: number): void {
  if (!sink) return;
  const hit = outcome.cache === 'hit' || outcome.cache === 'semantic-hit';
  const cacheConsulted = hit || outcome.cache === 'miss';
  sink(JSON.stringify(emfLine({ [metricDimensions.model]: outcome.modelId }, {
    [metricNames.requests]: 1,
    [metricNames.latencyMs]: latencyMs,
    [metricNames.costUsd]: costUsd,
    ...(cacheConsulted ? { [hit ? metricNames.cacheHit : metricNames.cacheMiss]: 1 } : {}),
    [metricNames.fallbacks]: outcome.failures.length,
  })));
}
