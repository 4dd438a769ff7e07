// The health-check Lambda, run every minute by EventBridge Scheduler (the event is ignored): probes
// every catalog provider in parallel, applies the probe rule to each provider's previous record,
// writes the records to the health table and emits one ProviderUnhealthy EMF line per provider.
import middy from '@middy/core';
import type { ProviderKeys } from '#adapters/aws/provider-keys.ts';
import { DynamoHealthStore } from '#adapters/dynamodb/health-store.ts';
import { probeProvider } from '#adapters/providers/probe.ts';
import { emfLine, metricDimensions, metricNames } from '#contracts/metrics.ts';
import type { Catalog } from '#core/catalog/catalog.ts';
import type { CatalogProvider } from '#core/catalog/catalog-schema.ts';
import { applyProbe, providerAlarming } from '#core/health/provider-health.ts';
import type { HealthStatus, ProbeResult, ProviderHealth } from '#core/health/provider-health.ts';
import type { HealthStore } from '#core/health/health-store.ts';
import { systemClock } from '#core/shared/clock.ts';
import type { Clock } from '#core/shared/clock.ts';
import { loadCatalogAndKeys } from './shared/catalog-and-keys.ts';
import { coldStart } from './shared/cold-start.ts';
import { readHealthCheckConfig } from './shared/health-config.ts';
import { logger } from './shared/logger.ts';

export interface HealthCheckDeps {
  catalog: Catalog;
  keys: ProviderKeys;
  store: HealthStore;
  clock?: Clock;
  probe?: (provider: CatalogProvider, apiKey: string | undefined) => Promise<ProbeResult>;
  /** Where EMF lines go; stdout (console.log) in Lambda. */
  emit?: (line: string) => void;
}

export interface ProviderCheck {
  providerId: string;
  status: HealthStatus;
  ok: boolean;
  skipped: boolean;
  latencyMs: number;
  unhealthyMetric: 0 | 1;
  error?: string;
}

export interface HealthCheckSummary {
  checkedAt: string;
  providers: ProviderCheck[];
  unhealthy: string[];
}

/** Raised after a run whose records could not all be written; the metrics were still emitted. */
export class HealthCheckWriteError extends Error {
  override name = 'HealthCheckWriteError';
  constructor(providerIds: string[], cause?: unknown) {
    super(`Could not write the health record of: ${providerIds.join(', ')}`, { cause });
  }
}

/** One health-check run over every catalog provider. */
export async function runHealthCheck(deps: HealthCheckDeps): Promise<HealthCheckSummary> {
  const clock = deps.clock ?? systemClock;
  const probe = deps.probe ?? ((provider, key) => probeProvider(provider, key));
  const emit = deps.emit ?? ((line: string) => console.log(line));
  const previous = await deps.store.getAll();
  const before = new Map(previous.providers.map((r) => [r.providerId, r] as const));
  const providers = [...deps.catalog.providers.values()];
  const probes = await Promise.all(providers.map((p) => probe(p, deps.keys.get(p.id))));
  const now = clock.now();
  const records = providers.map((p, i) => applyProbe(before.get(p.id), p.id, probes[i]!, now));
  const writes = await Promise.allSettled(records.map((r) => deps.store.putProviderHealth(r)));

  const checks = records.map((record, i): ProviderCheck => {
    const result = probes[i]!;
    const alarming = providerAlarming(record, result, previous.breakers, deps.catalog, now);
    const doc = emfLine({ [metricDimensions.provider]: record.providerId }, { [metricNames.providerUnhealthy]: alarming ? 1 : 0 }, now);
    // Probe latency and status ride along as plain (non-metric) EMF properties.
    emit(JSON.stringify({ ...doc, status: record.status, probeLatencyMs: result.latencyMs, probeSkipped: result.skipped === true }));
    return {
      providerId: record.providerId,
      status: record.status,
      ok: result.ok,
      skipped: result.skipped === true,
      latencyMs: result.latencyMs,
      unhealthyMetric: alarming ? 1 : 0,
      ...(result.ok ? {} : { error: record.lastError }),
    };
  });
  logTransitions(records, before);

  const failed = writes.flatMap((w, i) => (w.status === 'rejected' ? [{ id: records[i]!.providerId, reason: w.reason as unknown }] : []));
  if (failed.length > 0) throw new HealthCheckWriteError(failed.map((f) => f.id), failed[0]!.reason);
  return {
    checkedAt: new Date(now).toISOString(),
    providers: checks,
    unhealthy: checks.filter((c) => c.status === 'unhealthy').map((c) => c.providerId),
  };
}

function logTransitions(records: readonly ProviderHealth[], before: ReadonlyMap<string, ProviderHealth>): void {
  for (const record of records) {
    const was = before.get(record.providerId)?.status;
    if (was !== undefined && was !== record.status) {
      logger.warn('provider health changed', { providerId: record.providerId, from: was, to: record.status, lastError: record.lastError });
    }
  }
}

/** Catalog, keys and store, built once per cold start; a failed start is retried on the next run. */
const healthCheckRuntime = coldStart(async (): Promise<HealthCheckDeps> => {
  const config = readHealthCheckConfig();
  const { catalog, keys } = await loadCatalogAndKeys(config.catalogPath, config.providerSecretArn);
  return { catalog, keys, store: new DynamoHealthStore({ tableName: config.healthTableName }) };
});

export const handler = middy<unknown, HealthCheckSummary>().handler(async () => {
  const summary = await runHealthCheck(await healthCheckRuntime());
  logger.info('health check done', { unhealthy: summary.unhealthy, providers: summary.providers.length });
  return summary;
});
