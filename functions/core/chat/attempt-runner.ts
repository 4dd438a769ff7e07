// The failover loop: walks a plan's slots (a slot's deployments in the load balancer's order),
// retrying or failing over after each failure as the retry policy decides, skipping deployments
// whose breaker opened, within a bounded number of calls and a time budget. Also owns the
// per-attempt timeout arithmetic.
import type { Catalog, ResolvedModel } from '../catalog/catalog.ts';
import { classifyFailure, cutByCallerError, failureToRouterError, toAttemptFailure } from '../failover/attempt-failure.ts';
import type { AttemptFailure } from '../failover/attempt-failure.ts';
import { decideAfterFailure, defaultFailoverSettings, fitsAfterContextFailure } from '../failover/retry-policy.ts';
import type { FailoverSettings } from '../failover/retry-policy.ts';
import type { HealthMonitor } from '../health/ports.ts';
import { InFlight, orderDeployments } from '../routing/load-balancer.ts';
import type { LoadBalancing } from '../routing/load-balancer.ts';
import type { SlottedPlan } from '../routing/plan-slots.ts';
import type { Clock } from '../shared/clock.ts';
import type { ProviderCallOptions } from './ports.ts';
import { abortEnding } from './types.ts';
import type { AttemptWindow, CallEnding, ChatCallContext } from './types.ts';

export interface AttemptRunnerDeps {
  catalog: Catalog;
  clock: Clock;
  /** Provider health and circuit breakers; routing skips what it reports unavailable. */
  health?: HealthMonitor;
  /** Called for every failed attempt, so the caller can log and count it. */
  /** `cutByCaller`: the attempt ended because the caller left or the function's deadline came, not by the provider's doing. */
  onAttemptFailed?: (failure: AttemptFailure, cause: { cutByCaller: boolean }) => void;
  /** Upper bound for one attempt when the provider sets none. */
  attemptTimeoutMs?: number;
  /** Overrides the catalog's `defaults.failover`. */
  failover?: Partial<FailoverSettings>;
  /** Overrides the catalog's `defaults.loadBalancing`. */
  loadBalancing?: LoadBalancing;
  /** Waits between retries; injectable so tests need no real waits. */
  sleep?: (ms: number) => Promise<void>;
  /** 0 <= x < 1, for backoff jitter and weighted balancing; Math.random by default. */
  random?: () => number;
}

export type CallKind = 'json' | 'stream';

export interface RunOptions {
  /**
   * A refused request (bad_request, content_policy) moves on to the next candidate instead of
   * stopping: a continuation one provider refuses (its prefill form) another may take.
   */
  refusalFailsOver?: boolean;
  /** Attempts of this request made before this walk (a continuation's): its numbers follow theirs. */
  attemptsBefore?: number;
}

/**
 * One attempt on `model`; `done` tells the balancer the call is no longer in flight. `attempt` is its
 * 1-based number within the request, unique across windows (each batch delivery has its own range).
 */
export type Attempt<T> = (model: ResolvedModel, options: ProviderCallOptions, failures: AttemptFailure[], done: () => void, attempt: number) => Promise<T>;

/** Told about each failed attempt once its ending is known (failed_over when another attempt followed). */
export type FailedAttempt = (model: ResolvedModel, failure: AttemptFailure, failuresBefore: AttemptFailure[], attempt: number, ending: CallEnding) => void;

const DEFAULT_ATTEMPT_TIMEOUT_MS = 120_000;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class AttemptRunner {
  private readonly deps: AttemptRunnerDeps;
  private readonly settings: FailoverSettings;
  /** Calls in flight per model, in this instance's memory (least-outstanding balancing). */
  private readonly inFlight = new InFlight();

  constructor(deps: AttemptRunnerDeps) {
    this.deps = deps;
    this.settings = { ...defaultFailoverSettings, ...deps.catalog.defaults.failover, ...deps.failover };
  }

  /**
   * Runs `call` along the plan until an attempt answers, the policy stops, `maxCalls` calls were
   * made or the time budget is spent; then throws the router error the failures amount to.
   */
  async run<T>(plan: SlottedPlan, ctx: ChatCallContext, kind: CallKind, window: AttemptWindow, call: Attempt<T>, onFailed?: FailedAttempt, runOptions: RunOptions = {}): Promise<T> {
    const started = this.deps.clock.now();
    const budgetMs = kind === 'json' ? this.settings.totalBudgetMs : this.settings.streamBudgetMs;
    const remaining = (): number => budgetMs - (this.deps.clock.now() - started);
    const random = this.deps.random ?? Math.random;
    const failures: AttemptFailure[] = [];
    let calls = 0;
    let minContextWindow: number | undefined;
    let spent = false;
    // A failed attempt's ending is known once the next one starts (failed_over) or the walk ends (failed).
    let pending: { model: ResolvedModel; failure: AttemptFailure; attempt: number; ending: CallEnding | undefined } | undefined;
    const flush = (generic: CallEnding): void => {
      if (!pending) return;
      onFailed?.(pending.model, pending.failure, failures.slice(0, failures.indexOf(pending.failure)), pending.attempt, pending.ending ?? generic);
      pending = undefined;
    };
    walk: for (const slot of windowOf(plan.slots, window)) {
      const ordered = orderDeployments(slot, {
        mode: this.deps.loadBalancing ?? this.deps.catalog.defaults.loadBalancing ?? 'weighted',
        random,
        outstanding: (id) => this.inFlight.count(id),
        latencyMs: (id) => this.deps.health?.current().observedLatencyMs?.get(id),
      });
      for (const model of ordered) {
        if (!fitsAfterContextFailure(model.contextWindow, minContextWindow)) continue;
        for (let retries = 0; ; retries++) {
          if (calls >= this.settings.maxCalls) break walk;
          // The client left before this call began (during the cache lookup, a judge call): nothing is
          // sent, so nothing is billed; the hold is released as for any call that never answered.
          if (ctx.signal?.aborted) break walk;
          if (remaining() <= 0) {
            spent = true;
            break walk;
          }
          calls += 1;
          // Unique within the request: a window further down the plan (a batch redelivery) numbers
          // its attempts after every attempt the earlier windows could have made.
          const attempt = (window.startAt ?? 0) * this.settings.maxCalls + (runOptions.attemptsBefore ?? 0) + calls;
          flush('failed_over');
          const done = this.inFlight.start(model.id);
          try {
            return await call(model, this.callOptions(model, ctx, kind, remaining()), failures, done, attempt);
          } catch (error) {
            done();
            // A call the caller cut (client gone, function deadline) says nothing about the model: it
            // never counts against its breaker, or clients that leave could open a healthy model's.
            const failure = this.noteFailure(error, model, failures, ctx.signal?.aborted === true);
            pending = { model, failure, attempt, ending: abortEnding(ctx.signal) ?? (failure.kind === 'timeout' ? 'timeout' : undefined) };
            if (ctx.signal?.aborted) break walk;
            const decision = decideAfterFailure(failure, { retries, remainingMs: remaining(), contextWindow: model.contextWindow, random }, this.settings);
            if (decision.action === 'stop') {
              if (!runOptions.refusalFailsOver || classifyFailure(failure.kind) !== 'refused') break walk;
              break;
            }
            // A deployment whose breaker just opened is not retried, whatever the error class.
            if (decision.action === 'retry' && !this.deps.health?.current().unavailable?.has(model.id)) {
              await (this.deps.sleep ?? realSleep)(decision.delayMs);
              continue;
            }
            if (decision.action === 'failover' && decision.minContextWindow !== undefined) {
              minContextWindow = Math.max(minContextWindow ?? 0, decision.minContextWindow);
            }
            break;
          }
        }
      }
    }
    flush('failed');
    const cut = abortEnding(ctx.signal);
    if (cut) throw cutByCallerError(cut, failures);
    throw failureToRouterError(failures, spent ? budgetMs : undefined);
  }

  /** Records a failed attempt (breaker unless the caller cut it, log hook) and returns it. */
  private noteFailure(error: unknown, model: ResolvedModel, failures: AttemptFailure[], cutByCaller: boolean): AttemptFailure {
    const failure = toAttemptFailure(error, model.id, model.provider);
    failures.push(failure);
    if (!cutByCaller) this.deps.health?.recordOutcome(model.id, failure.kind);
    this.deps.onAttemptFailed?.(failure, { cutByCaller });
    return failure;
  }

  /** Per-attempt bounds: the provider's (or default) timeouts, never beyond the remaining budget. */
  private callOptions(model: ResolvedModel, ctx: ChatCallContext, kind: CallKind, remainingMs: number): ProviderCallOptions {
    const provider = this.deps.catalog.providers.get(model.provider);
    const bound = Math.max(1, Math.floor(remainingMs));
    const timeoutMs = Math.min(provider?.timeoutMs ?? this.deps.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS, bound);
    const options: ProviderCallOptions = { timeoutMs };
    if (kind === 'stream') {
      options.firstTokenTimeoutMs = Math.min(provider?.firstTokenTimeoutMs ?? this.settings.firstTokenTimeoutMs, bound);
      options.idleTimeoutMs = provider?.streamIdleTimeoutMs ?? this.settings.streamIdleTimeoutMs;
    }
    if (ctx.signal) options.signal = ctx.signal;
    return options;
  }
}

function windowOf<T>(candidates: readonly T[], window: AttemptWindow): T[] {
  const start = candidates.length ? (window.startAt ?? 0) % candidates.length : 0;
  const rotated = [...candidates.slice(start), ...candidates.slice(0, start)];
  return rotated.slice(0, window.maxAttempts ?? rotated.length);
}
