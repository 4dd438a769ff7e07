// The health check's alarm metric in the Embedded Metric Format (contract: functions/contracts/metrics.ts).
import { emfLine, metricDimensions, metricNames } from '#contracts/metrics.ts';
import type { HealthMetrics } from '#core/health/ports.ts';

/** One ProviderUnhealthy document per provider, written by `emit` (stdout in Lambda). */
export function emfHealthMetrics(emit: (line: string) => void = (line) => console.log(line)): HealthMetrics {
  return {
    providerChecked(check, at) {
      const doc = emfLine({ [metricDimensions.provider]: check.providerId }, { [metricNames.providerUnhealthy]: check.unhealthyMetric }, at);
      // Probe latency and status ride along as plain (non-metric) EMF properties.
      emit(JSON.stringify({ ...doc, status: check.status, probeLatencyMs: check.latencyMs, probeSkipped: check.skipped }));
    },
  };
}
