// Orders the deployments of one logical model (catalog models sharing a `group`) for one request.
// Pure apart from the in-flight counter, which lives in memory per router instance (one Lambda
// execution environment): counts are not shared between instances, which is fine for spreading
// load but means least-outstanding balances only what this instance sends.
import type { LoadBalancing } from '../catalog/catalog-schema.ts';
import type { ResolvedModel } from '../catalog/catalog.ts';

export type { LoadBalancing };

export interface BalancerInput {
  mode: LoadBalancing;
  /** 0 <= x < 1; injectable for tests. */
  random: () => number;
  /** Calls in flight per model id (least-outstanding). */
  outstanding?: (modelId: string) => number;
  /** Observed latency EWMA per model id, ms (latency); the catalog's latencyMs when unknown. */
  latencyMs?: (modelId: string) => number | undefined;
}

/** Weighted random order without replacement: each pick is proportional to `weight`. */
export function weightedOrder<T extends { weight: number }>(items: readonly T[], random: () => number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (pool.length > 0) {
    const total = pool.reduce((sum, item) => sum + item.weight, 0);
    let roll = random() * total;
    let index = pool.length - 1;
    for (let i = 0; i < pool.length; i++) {
      roll -= pool[i]!.weight;
      if (roll < 0) {
        index = i;
        break;
      }
    }
    out.push(pool.splice(index, 1)[0]!);
  }
  return out;
}

/**
 * The order in which to try the deployments. Ties under least-outstanding and latency keep the
 * weighted random order, so equal deployments still share the load.
 */
export function orderDeployments(models: readonly ResolvedModel[], input: BalancerInput): ResolvedModel[] {
  if (models.length <= 1) return [...models];
  const base = weightedOrder(models, input.random);
  if (input.mode === 'least-outstanding') {
    const count = (m: ResolvedModel): number => input.outstanding?.(m.id) ?? 0;
    return base.sort((a, b) => count(a) - count(b));
  }
  if (input.mode === 'latency') {
    const latency = (m: ResolvedModel): number => input.latencyMs?.(m.id) ?? m.latencyMs;
    return base.sort((a, b) => latency(a) - latency(b));
  }
  return base;
}

/** Calls in flight per model id, for least-outstanding balancing. */
export class InFlight {
  readonly #counts = new Map<string, number>();

  count(modelId: string): number {
    return this.#counts.get(modelId) ?? 0;
  }

  /** Counts a call as started; the returned function ends it (idempotent). */
  start(modelId: string): () => void {
    this.#counts.set(modelId, this.count(modelId) + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const left = this.count(modelId) - 1;
      if (left <= 0) this.#counts.delete(modelId);
      else this.#counts.set(modelId, left);
    };
  }
}
