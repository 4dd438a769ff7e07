// Provider health from scheduled probes, and the routing context built from health and breakers.
// A provider turns unhealthy after 3 consecutive failed probes and healthy again only after 2
// consecutive successes (hysteresis, so a flapping provider does not flip every minute); in
// between, a healthy provider with failed probes is 'degraded' and still routable.
import type { Catalog } from '../catalog/catalog.ts';
import { breakerStatus, defaultBreakerSettings } from './circuit-breaker.ts';
import type { BreakerSettings, BreakerState } from './circuit-breaker.ts';
import type { ProviderFailureKind } from '../shared/errors.ts';
import type { RoutingContext } from '../routing/types.ts';

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

/** Probe-derived health of one catalog provider. */
export interface ProviderHealth {
  providerId: string;
  status: HealthStatus;
  /** EWMA of successful probe latency, ms; absent until a probe succeeded. */
  latencyMs?: number;
  /** Reason of the last failed probe. */
  lastError?: string;
  consecutiveSuccesses: number;
  consecutiveFailures: number;
  /** Epoch ms of the last probe. */
  checkedAt: number;
}

/** What one probe found. `skipped` means the provider cannot be probed cheaply (bedrock). */
export interface ProbeResult {
  ok: boolean;
  latencyMs: number;
  error?: string;
  kind?: ProviderFailureKind;
  skipped?: boolean;
}

export interface HealthRules {
  unhealthyAfter: number;
  healthyAfter: number;
  /** Weight of the newest probe latency in the EWMA. */
  latencyAlpha: number;
}

/** The health check's schedule (EventBridge `rate(1 minute)` in AWS, the same locally). */
export const PROBE_INTERVAL_MS = 60_000;

export const defaultHealthRules: HealthRules = { unhealthyAfter: 3, healthyAfter: 2, latencyAlpha: 0.3 };

/** The record after one probe; `previous` is undefined for a provider never probed before. */
export function applyProbe(
  previous: ProviderHealth | undefined,
  providerId: string,
  probe: ProbeResult,
  now: number,
  rules: HealthRules = defaultHealthRules,
): ProviderHealth {
  const base: ProviderHealth = previous ?? { providerId, status: 'healthy', consecutiveSuccesses: 0, consecutiveFailures: 0, checkedAt: now };
  if (probe.skipped) return { ...base, providerId, checkedAt: now };
  if (probe.ok) {
    const successes = base.consecutiveSuccesses + 1;
    const latencyMs = base.latencyMs === undefined ? probe.latencyMs : rules.latencyAlpha * probe.latencyMs + (1 - rules.latencyAlpha) * base.latencyMs;
    const status: HealthStatus = base.status === 'unhealthy' && successes < rules.healthyAfter ? 'unhealthy' : 'healthy';
    return { ...base, providerId, status, latencyMs: Math.round(latencyMs), consecutiveSuccesses: successes, consecutiveFailures: 0, checkedAt: now };
  }
  const failures = base.consecutiveFailures + 1;
  const status: HealthStatus = failures >= rules.unhealthyAfter || base.status === 'unhealthy' ? 'unhealthy' : 'degraded';
  const lastError = probe.error ?? (probe.kind ? `probe failed (${probe.kind})` : 'probe failed');
  return { ...base, providerId, status, lastError, consecutiveSuccesses: 0, consecutiveFailures: failures, checkedAt: now };
}

/**
 * The planner's live context: `unavailable` holds models whose provider is unhealthy or whose
 * breaker is open; `observedLatencyMs` holds the EWMA of real call latency when calls were
 * recorded, else the probe latency when it is above the catalog's figure (a probe round trip is a
 * lower bound for a call, so a fast probe never makes a model look faster than the catalog says).
 */
export function routingContextFrom(
  healthRecords: readonly ProviderHealth[],
  breakerStates: ReadonlyMap<string, BreakerState>,
  catalog: Catalog,
  now: number,
  settings: BreakerSettings = defaultBreakerSettings,
): RoutingContext {
  const byProvider = new Map(healthRecords.map((r) => [r.providerId, r] as const));
  const unavailable = new Map<string, string>();
  const retryAt = new Map<string, number>();
  const observedLatencyMs = new Map<string, number>();
  for (const model of catalog.models) {
    const health = byProvider.get(model.provider);
    const breaker = breakerStates.get(model.id);
    if (health?.status === 'unhealthy') {
      unavailable.set(model.id, `provider ${model.provider} unhealthy${health.lastError ? `: ${health.lastError}` : ''}`);
      // The next scheduled probe may find it healthy again.
      retryAt.set(model.id, Math.max(now, health.checkedAt + PROBE_INTERVAL_MS));
    } else if (breaker && breakerStatus(breaker, now, settings) === 'open') {
      const reopensIn = Math.max(0, (breaker.openedAt ?? 0) + settings.cooldownMs - now);
      retryAt.set(model.id, now + reopensIn);
      unavailable.set(model.id, `circuit open${breaker.lastFailureKind ? ` (${breaker.lastFailureKind})` : ''}, retry in ${Math.ceil(reopensIn / 1000)} s`);
    }
    if (breaker?.latencyEwmaMs !== undefined) observedLatencyMs.set(model.id, Math.round(breaker.latencyEwmaMs));
    else if (health?.latencyMs !== undefined && health.latencyMs > model.latencyMs) observedLatencyMs.set(model.id, health.latencyMs);
  }
  return { unavailable, retryAt, observedLatencyMs };
}

/** Whether the provider's alarm metric should read 1: probe failed, unhealthy, or a model's breaker open. */
export function providerAlarming(
  record: ProviderHealth,
  probe: ProbeResult,
  breakerStates: ReadonlyMap<string, BreakerState>,
  catalog: Catalog,
  now: number,
  settings: BreakerSettings = defaultBreakerSettings,
): boolean {
  if (!probe.ok || record.status === 'unhealthy') return true;
  return catalog.models.some((m) => {
    const breaker = m.provider === record.providerId ? breakerStates.get(m.id) : undefined;
    return breaker !== undefined && breakerStatus(breaker, now, settings) === 'open';
  });
}
