// The scheduled health check: probes every catalog provider in parallel, applies the probe rule to
// each provider's previous record, writes the records and reports one alarm metric per provider.
import type { Catalog } from '../catalog/catalog.ts';
import type { CatalogProvider } from '../catalog/catalog-schema.ts';
import type { Clock } from '../shared/clock.ts';
import type { HealthStore } from './health-store.ts';
import { applyProbe, providerAlarming } from './provider-health.ts';
import type { ProbeResult, ProviderHealth } from './provider-health.ts';
import type { HealthLog, HealthMetrics, ProviderCheck, ProviderKeySource, ProviderProbe } from './ports.ts';

export type { ProviderCheck } from './ports.ts';

export interface HealthCheckDeps {
  catalog: Catalog;
  keys: ProviderKeySource;
  store: HealthStore;
  clock: Clock;
  probe: ProviderProbe;
  metrics: HealthMetrics;
  log: HealthLog;
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
  const previous = await deps.store.getAll();
  const before = new Map(previous.providers.map((r) => [r.providerId, r] as const));
  const providers = [...deps.catalog.providers.values()];
  const probes = await probeAll(providers, deps);
  const now = deps.clock.now();
  const records = providers.map((p, i) => applyProbe(before.get(p.id), p.id, probes[i]!, now));
  const writes = await Promise.allSettled(records.map((r) => deps.store.putProviderHealth(r)));

  const checks = records.map((record, i): ProviderCheck => {
    const result = probes[i]!;
    const alarming = providerAlarming(record, result, previous.breakers, deps.catalog, now);
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
  for (const check of checks) deps.metrics.providerChecked(check, now);
  logTransitions(records, before, deps.log);

  const failed = writes.flatMap((w, i) => (w.status === 'rejected' ? [{ id: records[i]!.providerId, reason: w.reason as unknown }] : []));
  if (failed.length > 0) throw new HealthCheckWriteError(failed.map((f) => f.id), failed[0]!.reason);
  return {
    checkedAt: new Date(now).toISOString(),
    providers: checks,
    unhealthy: checks.filter((c) => c.status === 'unhealthy').map((c) => c.providerId),
  };
}

/**
 * Probes every provider with its current key. A refused key (401/403) may have been rotated since
 * the keys were read: the keys are re-read once for the whole run, and only the providers whose key
 * changed are probed again, so a key put into the secret counts at the next run.
 */
async function probeAll(providers: readonly CatalogProvider[], deps: HealthCheckDeps): Promise<ProbeResult[]> {
  const keys = await Promise.all(providers.map((p) => deps.keys.get(p.id)));
  const probes = await Promise.all(providers.map((p, i) => deps.probe(p, keys[i])));
  const refused = probes.flatMap((probe, i) => (probe.kind === 'authentication' ? [i] : []));
  if (refused.length === 0 || !(await deps.keys.reload())) return probes;
  await Promise.all(refused.map(async (i) => {
    const fresh = await deps.keys.get(providers[i]!.id);
    if (fresh !== keys[i]) probes[i] = await deps.probe(providers[i]!, fresh);
  }));
  return probes;
}

function logTransitions(records: readonly ProviderHealth[], before: ReadonlyMap<string, ProviderHealth>, log: HealthLog): void {
  for (const record of records) {
    const was = before.get(record.providerId)?.status;
    if (was !== undefined && was !== record.status) {
      log.warn('provider health changed', { providerId: record.providerId, from: was, to: record.status, lastError: record.lastError });
    }
  }
}
