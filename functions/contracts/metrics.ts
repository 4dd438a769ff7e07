// Custom CloudWatch metrics: the contract between the handlers (which emit them with the Embedded
// Metric Format) and the stack (whose alarms and dashboard read them). Names must match exactly.
//
// Contract
// - Namespace `LlmRouter` for every metric below.
// - Request metrics are emitted by the router and the batch worker once per completed call, with the
//   single dimension set [Model] (Model = catalog model id that served the call; for cache
//   metrics, the requested model, or `auto` when the router chose). The dashboard sums over models
//   with SEARCH, so do not emit an extra dimension-less copy.
//     Requests    Count         1 per call
//     LatencyMs   Milliseconds  end-to-end latency of the call
//     CostUsd     None          cost of the call in USD (0 for cache hits)
//     CacheHit    Count         1 when served from the response cache
//     CacheMiss   Count         1 when the cache was consulted and missed
//     Fallbacks   Count         number of fallback attempts after the first candidate failed (0 if none)
// - Provider health is emitted by the health-check function on every run (every minute), once per
//   catalog provider, with the single dimension set [Provider] (Provider = catalog provider id):
//     ProviderUnhealthy  Count  1 when the provider's probe failed or its circuit is open, else 0
//   The stack alarms per catalog provider on Maximum >= 1 for 3 consecutive minutes.
//
// - No other dimension (Powertools' default `service` dimension is cleared): an alarm or SEARCH on
//   [Provider] or [Model] does not see a metric published under [service, Provider].
// Handlers publish through functions/handlers/shared/metrics.ts (Powertools Metrics), which writes
// each document on stdout itself: a `console.log` line would be wrapped by the Lambda runtime's
// JSON log format and never become a metric.

export const metricNamespace = 'LlmRouter';

export const metricNames = {
  requests: 'Requests',
  latencyMs: 'LatencyMs',
  costUsd: 'CostUsd',
  cacheHit: 'CacheHit',
  cacheMiss: 'CacheMiss',
  fallbacks: 'Fallbacks',
  providerUnhealthy: 'ProviderUnhealthy',
} as const;
export type MetricName = (typeof metricNames)[keyof typeof metricNames];

export const metricDimensions = {
  model: 'Model',
  provider: 'Provider',
} as const;
export type MetricDimension = (typeof metricDimensions)[keyof typeof metricDimensions];

export const metricUnits = {
  Requests: 'Count',
  LatencyMs: 'Milliseconds',
  CostUsd: 'None',
  CacheHit: 'Count',
  CacheMiss: 'Count',
  Fallbacks: 'Count',
  ProviderUnhealthy: 'Count',
} as const satisfies Record<MetricName, string>;

/** The shape of one published document, as CloudWatch reads it (tests parse stdout with it). */
export interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: Array<{
      Namespace: string;
      Dimensions: string[][];
      Metrics: Array<{ Name: string; Unit: string }>;
    }>;
  };
  [field: string]: unknown;
}
