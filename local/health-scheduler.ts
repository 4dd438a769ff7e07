// Runs the health check on its production schedule (every minute) inside the local runtime: first
// run at once, the next one `intervalMs` after the previous one started (or at once if it ran
// longer), never two at a time. A failed run is reported and the schedule goes on.
export interface HealthSchedulerOptions {
  /** 60 s by default, like the EventBridge schedule. */
  intervalMs?: number;
  /** Runs one health check, e.g. `() => handler({}, context)`. */
  invoke: () => Promise<unknown>;
  onError?: (error: unknown) => void;
}

export interface HealthScheduler {
  /** Completed runs (successful or failed). */
  readonly runs: number;
  /** Stops scheduling and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

/** Starts the schedule; the timer does not keep the process alive on its own. */
export function startHealthScheduler(options: HealthSchedulerOptions): HealthScheduler {
  const intervalMs = options.intervalMs ?? 60_000;
  const onError = options.onError ?? ((error: unknown) => console.error('health check run failed:', error instanceof Error ? error.message : error));
  let stopped = false;
  let runs = 0;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;

  const tick = (): void => {
    timer = undefined;
    if (stopped) return;
    const started = Date.now();
    inFlight = (async () => {
      try {
        await options.invoke();
      } catch (error) {
        onError(error);
      } finally {
        runs += 1;
      }
    })().finally(() => {
      inFlight = undefined;
      if (stopped) return;
      timer = setTimeout(tick, Math.max(0, started + intervalMs - Date.now()));
      timer.unref();
    });
  };
  tick();

  return {
    get runs() {
      return runs;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}
