// The router's in-memory view of provider health and breaker states. `current()` is synchronous and
// never waits on DynamoDB: it returns the last loaded view and, when that is older than the TTL,
// starts a refresh in the background. Call outcomes update the local breaker at once and are
// written through to the store asynchronously, coalesced per model (one write in flight per model;
// outcomes arriving meanwhile go into the next write). Successes that change nothing routing acts on
// (a closed breaker with no recent failure) may wait `successWriteDelayMs` and go in one write, so a
// healthy model costs the hot path no store call per request. Store errors are logged, never thrown.
import type { Catalog } from '../catalog/catalog.ts';
import { closedBreaker, countsAgainstHealth, defaultBreakerSettings, recordOutcome } from './circuit-breaker.ts';
import type { BreakerSettings, BreakerState, CallOutcome } from './circuit-breaker.ts';
import { routingContextFrom } from './provider-health.ts';
import type { ProviderHealth } from './provider-health.ts';
import type { HealthStore } from './health-store.ts';
import type { HealthLog } from './ports.ts';
import { systemClock } from '../shared/clock.ts';
import type { Clock } from '../shared/clock.ts';
import type { RoutingContext } from '../routing/types.ts';

/** Kept for callers that named the snapshot's log type. */
export type SnapshotLog = HealthLog;

export interface HealthSnapshotOptions {
  store: HealthStore;
  catalog: Catalog;
  clock?: Clock;
  /** Age after which `current()` triggers a background refresh; 5 s by default. */
  ttlMs?: number;
  breakerSettings?: BreakerSettings;
  /**
   * How long successes on a healthy model (closed breaker, no failure since the last success) wait
   * to be written together; failures, and successes after a failure, are written at once. 0 (the
   * default) writes every outcome through at once.
   */
  successWriteDelayMs?: number;
  /** Where store failures are reported (the handlers' logger in Lambda). */
  log: HealthLog;
}

interface PendingOutcome {
  outcome: CallOutcome;
  at: number;
  latencyMs?: number;
}

/** How long a computed context is reused before breaker cooldowns are re-evaluated. */
const RECOMPUTE_MS = 1000;

/** The router's live health view: a HealthMonitor over the shared health store. */
export class HealthSnapshot {
  readonly #store: HealthStore;
  readonly #catalog: Catalog;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #settings: BreakerSettings;
  readonly #log: SnapshotLog;
  #providers: ProviderHealth[] = [];
  #breakers = new Map<string, BreakerState>();
  #lastAttemptAt = Number.NEGATIVE_INFINITY;
  #refreshing: Promise<void> | undefined;
  #first: Promise<void> | undefined;
  #context: RoutingContext = {};
  #contextAt = Number.NEGATIVE_INFINITY;
  readonly #pending = new Map<string, PendingOutcome[]>();
  readonly #writing = new Map<string, Promise<void>>();
  readonly #successDelayMs: number;
  /** Models whose successes wait for a coalesced write. */
  readonly #delayed = new Map<string, ReturnType<typeof setTimeout>>();
  /** Models with an outcome waiting that other instances should learn at once (a failure, a recovery). */
  readonly #urgent = new Set<string>();

  constructor(options: HealthSnapshotOptions) {
    this.#store = options.store;
    this.#catalog = options.catalog;
    this.#clock = options.clock ?? systemClock;
    this.#ttlMs = options.ttlMs ?? 5000;
    this.#settings = options.breakerSettings ?? defaultBreakerSettings;
    this.#log = options.log;
    this.#successDelayMs = options.successWriteDelayMs ?? 0;
  }

  /** Resolves once the first load finished (successfully or not); never rejects. */
  ready(): Promise<void> {
    return this.#first ?? this.refresh();
  }

  /** The routing context from the last load plus local outcomes; refreshes in the background when stale. */
  current(): RoutingContext {
    const now = this.#clock.now();
    if (now - this.#lastAttemptAt >= this.#ttlMs) void this.refresh();
    if (now - this.#contextAt >= RECOMPUTE_MS) {
      this.#context = routingContextFrom(this.#providers, this.#breakers, this.#catalog, now, this.#settings);
      this.#contextAt = now;
    }
    return this.#context;
  }

  /** Loads from the store now (joins a refresh already running); never rejects. */
  refresh(): Promise<void> {
    if (this.#refreshing) return this.#refreshing;
    this.#lastAttemptAt = this.#clock.now();
    const run = this.#load().finally(() => {
      this.#refreshing = undefined;
    });
    this.#refreshing = run;
    this.#first ??= run;
    return run;
  }

  /** Applies a call outcome to the model's breaker locally and writes it through in the background. */
  recordOutcome(modelId: string, outcome: CallOutcome, latencyMs?: number): void {
    if (outcome !== 'success' && !countsAgainstHealth(outcome)) return;
    const at = this.#clock.now();
    const entry: PendingOutcome = latencyMs === undefined ? { outcome, at } : { outcome, at, latencyMs };
    const before = this.#breakers.get(modelId) ?? closedBreaker(at);
    this.#breakers.set(modelId, this.#apply(before, [entry]));
    this.#contextAt = Number.NEGATIVE_INFINITY;
    const queue = this.#pending.get(modelId);
    if (queue) queue.push(entry);
    else this.#pending.set(modelId, [entry]);
    const routine = outcome === 'success' && before.status === 'closed' && before.consecutiveFailures === 0;
    if (!routine) this.#urgent.add(modelId);
    this.#schedule(modelId);
  }

  /** Starts the model's write now, or (only routine successes waiting) once the delay passed. */
  #schedule(modelId: string): void {
    if (this.#writing.has(modelId)) return; // the write in flight schedules what waits when it ends
    if (!this.#urgent.has(modelId) && this.#successDelayMs > 0) {
      if (this.#delayed.has(modelId)) return;
      const timer = setTimeout(() => this.#writeDelayed(modelId), this.#successDelayMs);
      // A waiting write never keeps a process alive; an instance that stops loses at most these successes.
      (timer as { unref?: () => void }).unref?.();
      this.#delayed.set(modelId, timer);
      return;
    }
    this.#cancelDelay(modelId);
    this.#startWrite(modelId);
  }

  /** Resolves when every outcome recorded so far has been written (or its write failed). */
  async flush(): Promise<void> {
    while (this.#writing.size > 0 || this.#delayed.size > 0) {
      for (const modelId of [...this.#delayed.keys()]) this.#writeDelayed(modelId);
      await Promise.all(this.#writing.values());
    }
  }

  #writeDelayed(modelId: string): void {
    if (this.#writing.has(modelId)) return; // stays delayed: the loop in flush() comes back for it
    this.#cancelDelay(modelId);
    if (this.#pending.has(modelId)) this.#startWrite(modelId);
  }

  #cancelDelay(modelId: string): void {
    const timer = this.#delayed.get(modelId);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#delayed.delete(modelId);
  }

  #apply(state: BreakerState, outcomes: readonly PendingOutcome[]): BreakerState {
    return outcomes.reduce((s, o) => recordOutcome(s, o.outcome, o.at, this.#settings, o.latencyMs), state);
  }

  #startWrite(modelId: string): void {
    const batch = this.#pending.get(modelId) ?? [];
    this.#pending.delete(modelId);
    this.#urgent.delete(modelId);
    const write = this.#store
      .updateBreaker(modelId, (stored) => this.#apply(stored, batch))
      .then((written) => {
        // Outcomes recorded while the write was in flight stay applied on top of what was written.
        this.#breakers.set(modelId, this.#apply(written, this.#pending.get(modelId) ?? []));
        this.#contextAt = Number.NEGATIVE_INFINITY;
      })
      .catch((error: unknown) => {
        this.#log.warn('breaker write-through failed', { modelId, outcomes: batch.length, error: describe(error) });
      })
      .finally(() => {
        this.#writing.delete(modelId);
        if (this.#pending.has(modelId)) this.#schedule(modelId);
      });
    this.#writing.set(modelId, write);
  }

  async #load(): Promise<void> {
    try {
      const data = await this.#store.getAll();
      const breakers = new Map(data.breakers);
      // Models with writes queued or in flight keep the local state, which already includes them.
      for (const modelId of new Set([...this.#pending.keys(), ...this.#writing.keys()])) {
        const local = this.#breakers.get(modelId);
        if (local) breakers.set(modelId, local);
      }
      this.#providers = data.providers;
      this.#breakers = breakers;
      this.#contextAt = Number.NEGATIVE_INFINITY;
    } catch (error) {
      this.#log.warn('health snapshot refresh failed; keeping the previous view', { error: describe(error) });
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
