// Calibration to the traffic actually routed. The weights' quantiles describe the training prompts
// (MMLU questions); other traffic has another score distribution (longer prompts, no answer options),
// so a fixed threshold would miss the route's strong share: "30% strong" sent ~80% of GSM8K's word
// problems strong. The window keeps the last scores this instance saw; once it holds enough of them,
// the threshold for share s is their (1 - s) quantile, so the share holds on any steady traffic.
// Pure in-memory state, per compiled router (per Lambda instance): no I/O, nothing persisted.

/** Scores kept (the most recent ones). */
export const WINDOW_SIZE = 1000;
/** Scores needed before the window replaces the training quantiles. */
export const WINDOW_MIN_SCORES = 200;
/** The sorted copy is rebuilt after this many new scores (amortises the sort to well under 1 µs a call). */
const RESORT_EVERY = 50;

export class ScoreWindow {
  private readonly ring: Float64Array;
  private sorted = new Float64Array(0);
  private next = 0;
  private size = 0;
  private sinceSort = 0;

  readonly capacity: number;
  readonly minScores: number;

  constructor(capacity = WINDOW_SIZE, minScores = WINDOW_MIN_SCORES) {
    this.capacity = capacity;
    this.minScores = minScores;
    this.ring = new Float64Array(capacity);
  }

  /** Records one routed prompt's score. */
  add(score: number): void {
    this.ring[this.next] = score;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
    this.sinceSort += 1;
  }

  get count(): number {
    return this.size;
  }

  /**
   * The score that a share `share` of the recent scores reaches or exceeds, or undefined while the
   * window holds fewer than `minScores` (then the training quantiles apply).
   */
  thresholdForShare(share: number): number | undefined {
    if (this.size < this.minScores) return undefined;
    if (this.sorted.length === 0 || this.sinceSort >= RESORT_EVERY) {
      this.sorted = this.ring.slice(0, this.size).sort();
      this.sinceSort = 0;
    }
    const n = this.sorted.length;
    const strong = Math.round(share * n);
    if (strong <= 0) return Infinity;
    if (strong >= n) return -Infinity;
    // The `strong` highest scores go strong: the threshold is the lowest of them.
    return this.sorted[n - strong]!;
  }
}
