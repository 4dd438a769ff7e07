// The per-call metric documents follow the metric contract the dashboard and alarms read.
import { describe, expect, it } from 'vitest';
import { metricDimensions } from '#contracts/metrics.ts';
import type { RoutingOutcome } from '#core/chat/types.ts';
import { callMetrics, emitCallMetrics } from '#handlers/shared/call-metrics.ts';
import type { MetricDocument } from '#handlers/shared/metrics.ts';

function outcome(overrides: Partial<RoutingOutcome> = {}): RoutingOutcome {
  return { modelId: 'gpt-5.4', providerId: 'openai', strategy: 'balanced', attempts: 1, failures: [], cache: 'miss', ...overrides };
}

describe('callMetrics', () => {
  it('carries the Model dimension and the call metrics', () => {
    const docs: MetricDocument[] = [];

    emitCallMetrics(outcome(), 812, 0.0123, (doc) => docs.push(doc));

    expect(docs).toHaveLength(1);
    expect(docs[0]!.dimensions).toEqual({ [metricDimensions.model]: 'gpt-5.4' });
    expect(docs[0]!.values).toEqual({ Requests: 1, LatencyMs: 812, CostUsd: 0.0123, CacheMiss: 1, Fallbacks: 0 });
  });

  it('counts fallbacks and cache hits, and skips cache metrics when the cache was bypassed', () => {
    const failure = { modelId: 'a', providerId: 'p', kind: 'server_error' as const, message: 'x' };

    const hit = callMetrics(outcome({ cache: 'hit' }), 5, 0);
    const semantic = callMetrics(outcome({ cache: 'semantic-hit' }), 5, 0);
    const bypass = callMetrics(outcome({ cache: 'bypass', failures: [failure, failure] }), 5, 0.1);

    expect(hit.values.CacheHit).toBe(1);
    expect(hit.values.CacheMiss).toBeUndefined();
    expect(semantic.values.CacheHit).toBe(1);
    expect(semantic.values.CacheMiss).toBeUndefined();
    expect(bypass.values.Fallbacks).toBe(2);
    expect(bypass.values.CacheHit).toBeUndefined();
    expect(bypass.values.CacheMiss).toBeUndefined();
  });
});
