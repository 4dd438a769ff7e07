// Port: where provider health records and circuit-breaker states are kept, shared by every router
// instance and the health-check function.
import type { BreakerState } from './circuit-breaker.ts';
import type { ProviderHealth } from './provider-health.ts';

/** Everything the store holds, read in one go. */
export interface HealthData {
  providers: ProviderHealth[];
  /** Breaker state per catalog model id. */
  breakers: Map<string, BreakerState>;
}

export interface HealthStore {
  /** Every provider record and breaker state. */
  getAll(): Promise<HealthData>;
  /** Writes (replaces) one provider's record. */
  putProviderHealth(record: ProviderHealth): Promise<void>;
  /**
   * Read-modify-write of one breaker with optimistic concurrency: `update` gets the stored state
   * (a fresh closed breaker when there is none) and may be called again after a conflict, so it
   * must be pure. Resolves with the state written.
   */
  updateBreaker(modelId: string, update: (state: BreakerState) => BreakerState): Promise<BreakerState>;
}

/** A breaker update kept losing to concurrent writers. */
export class BreakerConflictError extends Error {
  override name = 'BreakerConflictError';
  readonly modelId: string;
  constructor(modelId: string, attempts: number, cause?: unknown) {
    super(`Breaker state of ${modelId} changed concurrently ${attempts} times in a row; update dropped`, { cause });
    this.modelId = modelId;
  }
}
