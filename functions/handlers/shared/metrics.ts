// The one Powertools Metrics instance every handler uses, and the only way metric documents leave a
// function. Powertools writes EMF through its own `Console` on process.stdout, so under the Lambda
// runtime's JSON log format (LoggingConfig.LogFormat JSON: the runtime wraps console.* output as
// {"timestamp","level","requestId","message"}) the document is still the top-level log line that
// CloudWatch extracts metrics from. A `console.log` of the same line would be wrapped and lost.
import { Metrics } from '@aws-lambda-powertools/metrics';
import { parseEnv } from '#contracts/env.ts';
import { metricNamespace, metricUnits } from '#contracts/metrics.ts';
import type { MetricDimension, MetricName } from '#contracts/metrics.ts';
import { logger } from './logger.ts';

type Unit = Parameters<Metrics['addMetric']>[1];

// Powertools' own warnings (invalid timestamp, dimension overwritten) go to the shared JSON logger.
const metrics = new Metrics({ namespace: metricNamespace, serviceName: 'llm-router', logger });
// Powertools adds a `service` dimension by default; the contract's alarms and dashboard read the
// single dimension sets [Model] and [Provider], so a metric with an extra dimension would be invisible to them.
metrics.clearDefaultDimensions();

export interface MetricDocument {
  dimensions: Partial<Record<MetricDimension, string>>;
  values: Partial<Record<MetricName, number>>;
  /** Epoch ms the values describe; now by default. */
  timestamp?: number;
  /** Plain (non-metric) properties written into the document, searchable in Logs Insights. */
  properties?: Record<string, string>;
}

let enabled: boolean | undefined;
/** `ROUTER_METRICS`, read once: at the first document, after the local runtime has set it. */
function metricsOn(): boolean {
  enabled ??= parseEnv(['metrics'], 'Metrics', process.env).metrics;
  return enabled;
}

/**
 * Writes one EMF document at once. Each document is flushed as soon as it is complete (one per
 * call, one per provider per health check), inside the invocation that produced it, so nothing is
 * buffered across invocations. `ROUTER_METRICS=off` silences them (the local runtime).
 */
export function publishMetrics(doc: MetricDocument): void {
  if (!metricsOn()) return;
  // addDimension..publishStoredMetrics run without an await in between: concurrent calls of one
  // invocation (batch records, streams finishing) cannot mix their dimensions or values.
  for (const [name, value] of Object.entries(doc.dimensions)) if (value !== undefined) metrics.addDimension(name, value);
  for (const [name, value] of Object.entries(doc.values) as Array<[MetricName, number | undefined]>) {
    if (value !== undefined) metrics.addMetric(name, metricUnits[name] as Unit, value);
  }
  for (const [key, value] of Object.entries(doc.properties ?? {})) metrics.addMetadata(key, value);
  if (doc.timestamp !== undefined) metrics.setTimestamp(doc.timestamp);
  metrics.publishStoredMetrics();
}
