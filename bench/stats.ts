// Small helpers shared by the benchmarks: percentiles and a fixed-concurrency request loop.

/** The q-quantile (0..1) of a list of numbers, nearest-rank. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/** Runs `total` calls of `task` with `concurrency` in flight; returns each call's duration in ms. */
export async function runConcurrent(total: number, concurrency: number, task: () => Promise<void>): Promise<number[]> {
  const durations: number[] = [];
  let started = 0;
  async function worker(): Promise<void> {
    while (started < total) {
      started += 1;
      const t0 = performance.now();
      await task();
      durations.push(performance.now() - t0);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  return durations;
}
