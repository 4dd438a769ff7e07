// Port of the health feature as routing sees it: a live snapshot and an outcome sink.
import type { ProviderFailureKind } from '../shared/errors.ts';
import type { RoutingContext } from '../routing/types.ts';

/** Live provider health, read from an in-memory snapshot (never a store round trip per request). */
export interface HealthMonitor {
  current(): RoutingContext;
  /** Feeds a call outcome to the model's circuit breaker; never throws, never blocks. */
  recordOutcome(modelId: string, outcome: 'success' | ProviderFailureKind, latencyMs?: number): void;
}
