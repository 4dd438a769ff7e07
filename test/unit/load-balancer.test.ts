// Ordering deployments of one group: weighted random (seeded), least-outstanding and latency.
import { describe, expect, it } from 'vitest';
import { parseCatalog } from '#core/catalog/catalog.ts';
import { InFlight, orderDeployments, weightedOrder } from '#core/routing/load-balancer.ts';
import { seededRandom } from '#core/shared/seeded-random.ts';

const catalog = parseCatalog({
  version: 1,
  providers: [{ id: 'p', kind: 'openai-compatible', baseUrl: 'https://p.example/v1' }],
  models: [
    { id: 'east', weight: 3, latencyMs: 900 },
    { id: 'west', weight: 1, latencyMs: 300 },
    { id: 'south', weight: 1, latencyMs: 600 },
  ].map((m) => ({ ...m, provider: 'p', upstreamId: 'u', group: 'g', pricing: { currency: 'USD', inputPerMTok: 1, outputPerMTok: 1 }, contextWindow: 1000, maxOutputTokens: 100, quality: { overall: 0.5 } })),
});
const models = catalog.models;
const ids = (list: readonly { id: string }[]) => list.map((m) => m.id);


describe('weightedOrder', () => {
  it('returns every item once', () => {
    expect(ids(weightedOrder(models, seededRandom(1))).sort()).toEqual(['east', 'south', 'west']);
  });

  it('puts an item first in proportion to its weight', () => {
    const random = seededRandom(42);
    const first = new Map<string, number>();
    for (let i = 0; i < 5000; i++) {
      const id = weightedOrder(models, random)[0]!.id;
      first.set(id, (first.get(id) ?? 0) + 1);
    }
    expect(first.get('east')! / 5000).toBeGreaterThan(0.55);
    expect(first.get('east')! / 5000).toBeLessThan(0.65);
    expect(first.get('west')! / 5000).toBeGreaterThan(0.15);
    expect(first.get('south')! / 5000).toBeGreaterThan(0.15);
  });

  it('follows the random source exactly', () => {
    expect(ids(weightedOrder(models, () => 0))).toEqual(['east', 'west', 'south']);
    expect(ids(weightedOrder(models, () => 0.99))).toEqual(['south', 'west', 'east']);
  });
});

describe('orderDeployments', () => {
  it('least-outstanding puts the deployment with the fewest calls in flight first', () => {
    const inFlight = new InFlight();
    inFlight.start('east');
    inFlight.start('east');
    const endWest = inFlight.start('west');
    const order = orderDeployments(models, { mode: 'least-outstanding', random: () => 0, outstanding: (id) => inFlight.count(id) });
    expect(ids(order)).toEqual(['south', 'west', 'east']);
    endWest();
    endWest(); // idempotent
    expect(inFlight.count('west')).toBe(0);
    expect(inFlight.count('east')).toBe(2);
  });

  it('latency prefers the lowest observed EWMA, falling back to the catalog latency', () => {
    const observed = new Map([['east', 100]]);
    const order = orderDeployments(models, { mode: 'latency', random: () => 0.5, latencyMs: (id) => observed.get(id) });
    expect(ids(order)).toEqual(['east', 'west', 'south']);
  });

  it('weighted is the default random order; a single deployment is returned as is', () => {
    expect(ids(orderDeployments(models, { mode: 'weighted', random: () => 0 }))).toEqual(['east', 'west', 'south']);
    expect(ids(orderDeployments([models[1]!], { mode: 'weighted', random: () => 0 }))).toEqual(['west']);
  });
});
