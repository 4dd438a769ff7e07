// The health-check use case with plain fakes: refused keys are re-read once per run, and only the
// providers whose key changed are probed again.
import { describe, expect, it } from 'vitest';
import { parseCatalog } from '#core/catalog/catalog.ts';
import type { CatalogProvider } from '#core/catalog/catalog-schema.ts';
import type { HealthData, HealthStore } from '#core/health/health-store.ts';
import type { ProbeResult, ProviderHealth } from '#core/health/provider-health.ts';
import type { ProviderCheck, ProviderKeySource } from '#core/health/ports.ts';
import { runHealthCheck } from '#core/health/run-health-check.ts';

const model = (id: string, provider: string) => ({
  id, provider, upstreamId: id, pricing: { currency: 'USD', inputPerMTok: 1, outputPerMTok: 1 },
  contextWindow: 1000, maxOutputTokens: 100, quality: { overall: 0.5 },
});
const catalog = parseCatalog({
  version: 1,
  providers: ['a', 'b', 'c'].map((id) => ({ id, kind: 'openai-compatible', baseUrl: `http://${id}.invalid/v1`, apiKey: { env: `${id.toUpperCase()}_KEY` } })),
  models: [model('a-1', 'a'), model('b-1', 'b'), model('c-1', 'c')],
});

function memoryStore(): HealthStore & { records: Map<string, ProviderHealth> } {
  const records = new Map<string, ProviderHealth>();
  return {
    records,
    getAll: async (): Promise<HealthData> => ({ providers: [...records.values()], breakers: new Map() }),
    putProviderHealth: async (record) => void records.set(record.providerId, record),
    updateBreaker: async () => { throw new Error('not used'); },
  };
}

/** Keys before and after one re-read; counts the re-reads. */
function rotatingKeys(before: Record<string, string>, after: Record<string, string>, canReload = true): ProviderKeySource & { reloads: number } {
  const source = {
    reloads: 0,
    get: async (id: string) => (source.reloads === 0 ? before[id] : after[id]),
    reload: async () => {
      if (!canReload) return false;
      source.reloads += 1;
      return true;
    },
  };
  return source;
}

/** A provider accepts only its `accepted` key; records every probe as `provider:key`. */
function prober(accepted: Record<string, string>, seen: string[]) {
  return async (provider: CatalogProvider, apiKey: string | undefined): Promise<ProbeResult> => {
    seen.push(`${provider.id}:${apiKey ?? '-'}`);
    return apiKey === accepted[provider.id] ? { ok: true, latencyMs: 1 } : { ok: false, latencyMs: 1, kind: 'authentication', error: '401' };
  };
}

const deps = (keys: ProviderKeySource, probe: ReturnType<typeof prober>, checks: ProviderCheck[] = []) => ({
  catalog, keys, store: memoryStore(), clock: { now: () => 1_700_000_000_000 }, probe,
  metrics: { providerChecked: (check: ProviderCheck) => void checks.push(check) },
  log: { warn: () => undefined },
});

describe('runHealthCheck', () => {
  it('re-reads the keys once for every refused provider and probes again those whose key changed', async () => {
    const keys = rotatingKeys({ a: 'a1', b: 'b1', c: 'c1' }, { a: 'a2', b: 'b1', c: 'c1' });
    const seen: string[] = [];
    const checks: ProviderCheck[] = [];

    const summary = await runHealthCheck(deps(keys, prober({ a: 'a2', b: 'b2', c: 'c1' }, seen), checks));

    expect(keys.reloads).toBe(1);
    expect(seen.sort()).toEqual(['a:a1', 'a:a2', 'b:b1', 'c:c1']);
    expect(summary.providers.map((p) => [p.providerId, p.ok])).toEqual([['a', true], ['b', false], ['c', true]]);
    expect(checks.map((c) => [c.providerId, c.unhealthyMetric])).toEqual([['a', 0], ['b', 1], ['c', 0]]);
  });

  it('makes no re-read when every key is accepted, and no second probe when no re-read was made', async () => {
    const accepted = rotatingKeys({ a: 'a1', b: 'b1', c: 'c1' }, {});
    await runHealthCheck(deps(accepted, prober({ a: 'a1', b: 'b1', c: 'c1' }, [])));
    expect(accepted.reloads).toBe(0);

    const paused = rotatingKeys({ a: 'a1', b: 'b1', c: 'c1' }, { a: 'a2' }, false);
    const seen: string[] = [];
    await runHealthCheck(deps(paused, prober({ a: 'a2', b: 'b1', c: 'c1' }, seen)));
    expect(seen.sort()).toEqual(['a:a1', 'b:b1', 'c:c1']);
  });
});
