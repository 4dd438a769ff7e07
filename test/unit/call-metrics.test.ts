// The router's EMF lines follow the metric contract the dashboard and alarms read.
import { describe, expect, it } from 'vitest';
import { metricNamespace } from '#contracts/metrics.ts';
import type { RoutingOutcome } from '#core/chat/chat-service.ts';
import { emitCallMetrics } from '#handlers/shared/call-metrics.ts';

function outcome(overrides: Partial<RoutingOutcome> = {}): RoutingOutcome {
  return { modelId: 'gpt-5.4', providerId: 'openai', strategy: 'balanced', attempts: 1, failures: [], cache: 'miss', ...overrides };
}

describe('emitCallMetrics', () => {
  it('emits one EMF document with the Model dimension and the call metrics', () => {
    const lines: string[] = [];

    emitCallMetrics((l) => lines.push(l), outcome(), 812, 0.0123);

    expect(lines).toHaveLength(1);
    const doc = JSON.parse(lines[0]!);
    expect(doc._aws.CloudWatchMetrics[0].Namespace).toBe(metricNamespace);
    expect(doc._aws.CloudWatchMetrics[0].Dimensions).toEqual([['Model']]);
    expect(doc).toMatchObject({ Model: 'gpt-5.4', Requests: 1, LatencyMs: 812, CostUsd: 0.0123, CacheMiss: 1, Fallbacks: 0 });
    expect(doc.CacheHit).toBeUndefined();
  });

  it('counts fallbacks and cache hits, and skips cache metrics when the cache was bypassed', () => {
    const lines: string[] = [];
    const failure = { modelId: 'a', providerId: 'p', kind: 'server_error' as const, message: 'x' };

    emitCallMetrics((l) => lines.push(l), outcome({ cache: 'hit' }), 5, 0);
    emitCallMetrics((l) => lines.push(l), outcome({ cache: 'bypass', failures: [failure, failure] }), 5, 0.1);

    const [hit, bypass] = lines.map((l) => JSON.parse(l));
    expect(hit.CacheHit).toBe(1);
    expect(bypass.Fallbacks).toBe(2);
    expect(bypass.CacheHit).toBeUndefined();
    expect(bypass.CacheMiss).toBeUndefined();
  });

  it('emits nothing without a sink', () => {
    expect(() => emitCallMetrics(undefined, outcome(), 1, 1)).not.toThrow();
  });
});
