// From a route's cost target to a score threshold. The weights carry the distribution of scores on
// the training prompts (101 quantiles) and, per strong share, the share of the quality gap recovered on
// held-back training prompts; a target is either "at most s of calls strong" or "recover q of the gap".
import type { ScoreWindow } from './score-window.ts';
import type { RouterWeights } from './weights.ts';

export type CostTarget = { strongShare: number } | { recoveredGap: number };

export interface Threshold {
  threshold: number;
  /** The share of calls expected to go strong at this threshold. */
  strongShare: number;
  /** Where the threshold came from: the recent traffic's scores, or the training prompts' quantiles. */
  calibration: 'traffic' | 'training';
}

/** The default when a route sets no target: the stronger model for about a third of calls. */
export const DEFAULT_TARGET: CostTarget = { strongShare: 0.3 };

/** Threshold for a strong share s: the (1 - s) quantile of training scores; 1.0 share means always strong. */
export function thresholdForShare(weights: RouterWeights, share: number): Threshold {
  const s = Math.min(1, Math.max(0, share));
  const q = weights.quantiles;
  if (s >= 1) return { threshold: -Infinity, strongShare: 1, calibration: 'training' };
  if (s <= 0) return { threshold: Infinity, strongShare: 0, calibration: 'training' };
  // Linear interpolation between the stored percentiles.
  const pos = 100 * (1 - s);
  const lo = Math.floor(pos);
  const hi = Math.min(100, lo + 1);
  const t = q[lo]! + (q[hi]! - q[lo]!) * (pos - lo);
  return { threshold: t, strongShare: s, calibration: 'training' };
}

/** Smallest strong share whose measured recovered gap reaches `gap` (linear between the 5% grid points). */
export function shareForRecoveredGap(weights: RouterWeights, gap: number): number {
  const curve = weights.recoveredByShare;
  if (gap <= curve[0]!) return 0;
  for (let i = 1; i < curve.length; i += 1) {
    const a = curve[i - 1]!;
    const b = curve[i]!;
    if (b >= gap) return (i - 1 + (b > a ? (gap - a) / (b - a) : 1)) / (curve.length - 1);
  }
  return 1;
}

/**
 * Threshold for a route's cost target: the share (given, or the smallest that recovers the gap on the
 * training calibration curve), then the score that share of recent traffic reaches when `window`
 * holds enough scores, else the training quantile.
 */
export function thresholdFor(weights: RouterWeights, target: CostTarget, window?: ScoreWindow): Threshold {
  const share = 'strongShare' in target ? target.strongShare : shareForRecoveredGap(weights, target.recoveredGap);
  const fromTraffic = share > 0 && share < 1 ? window?.thresholdForShare(share) : undefined;
  if (fromTraffic !== undefined) return { threshold: fromTraffic, strongShare: share, calibration: 'traffic' };
  return thresholdForShare(weights, share);
}
