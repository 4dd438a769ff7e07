// The health check's alarm metric, one document per provider (contract: functions/contracts/metrics.ts).
import { metricDimensions, metricNames } from '#contracts/metrics.ts';
import type { HealthMetrics } from '#core/health/ports.ts';
import { publishMetrics } from './metrics.ts';
import type { MetricsSink } from './call-metrics.ts';

/** ProviderUnhealthy per provider through `sink` (Powertools Metrics on stdout in Lambda). */
export function healthMetrics(sink: MetricsSink = publishMetrics): HealthMetrics {
  return {
    providerChecked(check, at) {
      sink({
        dimensions: { [metricDimensions.provider]: check.providerId },
        values: { [metricNames.providerUnhealthy]: check.unhealthyMetric },
        timestamp: at,
        // Probe latency and status ride along as plain (non-metric) properties.
        properties: { status: check.status, probeLatencyMs: String(check.latencyMs), probeSkipped: String(check.skipped) },
      });
    },
  };
}
