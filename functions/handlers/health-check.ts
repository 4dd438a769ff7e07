// The health-check Lambda, run every minute by EventBridge Scheduler (the event is ignored). The
// use case is core/health/run-health-check.ts; this file wires its ports once per cold start.
import middy from '@middy/core';
import { DynamoHealthStore } from '#adapters/dynamodb/health-store.ts';
import { probeProvider } from '#adapters/providers/probe.ts';
import { runHealthCheck } from '#core/health/run-health-check.ts';
import type { HealthCheckDeps, HealthCheckSummary } from '#core/health/run-health-check.ts';
import { systemClock } from '#core/shared/clock.ts';
import { documentClient } from './shared/aws-clients.ts';
import { loadCatalogAndKeys } from './shared/catalog-and-keys.ts';
import { coldStart } from './shared/cold-start.ts';
import { readHealthCheckConfig } from './shared/health-config.ts';
import { healthMetrics } from './shared/health-metrics.ts';
import { logger } from './shared/logger.ts';

export type { HealthCheckSummary } from '#core/health/run-health-check.ts';

/** Catalog, keys and store, built once per cold start; a failed start is retried on the next run. */
const healthCheckRuntime = coldStart(async (): Promise<HealthCheckDeps> => {
  const config = readHealthCheckConfig();
  const { catalog, keys } = await loadCatalogAndKeys(config.catalogPath, config);
  return {
    catalog,
    keys,
    store: new DynamoHealthStore({ tableName: config.healthTableName, client: documentClient() }),
    clock: systemClock,
    probe: (provider, apiKey) => probeProvider(provider, apiKey),
    metrics: healthMetrics(),
    log: logger,
  };
});

export const handler = middy<unknown, HealthCheckSummary>().handler(async () => {
  const summary = await runHealthCheck(await healthCheckRuntime());
  logger.info('health check done', { unhealthy: summary.unhealthy, providers: summary.providers.length });
  return summary;
});
