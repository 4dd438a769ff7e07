// Ports of the health feature: what routing reads (a live snapshot) and what the scheduled health
// check needs from the outside (a prober, the provider keys, a metrics sink, a log).
import type { CatalogProvider } from '../catalog/catalog-schema.ts';
import type { ProviderFailureKind } from '../shared/errors.ts';
import type { RoutingContext } from '../routing/types.ts';
import type { HealthStatus, ProbeResult } from './provider-health.ts';

/** Live provider health, read from an in-memory snapshot (never a store round trip per request). */
export interface HealthMonitor {
  current(): RoutingContext;
  /** Feeds a call outcome to the model's circuit breaker; never throws, never blocks. */
  recordOutcome(modelId: string, outcome: 'success' | ProviderFailureKind, latencyMs?: number): void;
}

/** Checks one provider at no token cost; never throws, the failure is in the result. */
export type ProviderProbe = (provider: CatalogProvider, apiKey: string | undefined) => Promise<ProbeResult>;

/** The API keys of the catalog providers, which may change while the process runs (key rotation). */
export interface ProviderKeySource {
  /** The provider's current key, if one is configured. */
  get(providerId: string): Promise<string | undefined>;
  /**
   * Re-reads the keys now because a provider refused one; resolves false when no re-read was made
   * (one was made too recently, or keys cannot change).
   */
  reload(): Promise<boolean>;
}

/** What one health-check run found for one provider. */
export interface ProviderCheck {
  providerId: string;
  status: HealthStatus;
  ok: boolean;
  skipped: boolean;
  latencyMs: number;
  /** The value of the provider's alarm metric: 1 when the probe failed, it is unhealthy or a circuit is open. */
  unhealthyMetric: 0 | 1;
  error?: string;
}

/** Where the health check reports each provider's alarm metric (CloudWatch EMF in Lambda). */
export interface HealthMetrics {
  providerChecked(check: ProviderCheck, at: number): void;
}

/** Warnings of the health feature (store failures, status changes); the handlers' logger fits. */
export interface HealthLog {
  warn(message: string, extra: Record<string, unknown>): void;
}
