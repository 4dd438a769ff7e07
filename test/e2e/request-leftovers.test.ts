// Nothing a request sets up outlives it: after answers, full streams, clients that leave mid-stream and
// calls that fail over (a third of simulated calls fail), the router's process holds no more timers
// and no more process-wide listeners than before. A deadline, stall watchdog or hang-up listener left
// armed per request would show here as one more timer (the attempt timeout is minutes long) or
// listener per request; bench/soak.ts measures the heap side under sustained load.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import { startTestStack } from '../support/local-stack-fixture.ts';

let stack: LocalStack;

beforeAll(async () => {
  // Slow enough streams (200 tokens/s) that a client leaving after its first event leaves mid-stream.
  ({ stack } = await startTestStack({ simulated: { latencyMs: 2, tokensPerSecond: 200, errorRate: 0.3 } }));
});
afterAll(async () => {
  await stack?.close();
});

type Kind = 'json' | 'stream' | 'abandoned';

async function call(kind: Kind, n: number): Promise<number> {
  const controller = new AbortController();
  const res = await fetch(`${stack.baseUrl}/chat/completions`, {
    method: 'POST',
    signal: controller.signal,
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'cheap', max_tokens: 64, stream: kind !== 'json', messages: [{ role: 'user', content: `Leftovers ${n}` }] }),
  });
  if (kind === 'abandoned' && res.body) {
    const reader = res.body.getReader();
    await reader.read();
    controller.abort();
    await reader.cancel().catch(() => undefined);
    return res.status;
  }
  await res.arrayBuffer();
  return res.status;
}

/** Ref'd timers (what keeps an event loop alive; unref'd pool timers are not counted). */
const timers = (): number => process.getActiveResourcesInfo().filter((type) => type === 'Timeout').length;
const processListeners = (): number => process.eventNames().reduce((sum, name) => sum + process.listenerCount(name), 0);

describe('per-request state after the request', () => {
  it('leaves no timers or process listeners behind after answers, streams, hang-ups and failovers', async () => {
    // Warm-up: clients, caches and the health scheduler are created once, at the first requests.
    for (const kind of ['json', 'stream', 'abandoned'] as const) await call(kind, -1);
    const baseline = { timers: timers(), listeners: processListeners() };

    const kinds: Kind[] = Array.from({ length: 60 }, (_, i) => (['json', 'stream', 'abandoned'] as const)[i % 3]!);
    const statuses: number[] = [];
    for (let i = 0; i < kinds.length; i += 6) {
      statuses.push(...await Promise.all(kinds.slice(i, i + 6).map((kind, j) => call(kind, i + j))));
    }
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(50);

    // Settling (cost records written, upstream sockets closed) takes a moment: wait for it, and fail
    // when what is left never goes away.
    await vi.waitFor(() => {
      expect(timers()).toBeLessThanOrEqual(baseline.timers);
      expect(processListeners()).toBeLessThanOrEqual(baseline.listeners);
    }, { timeout: 10_000, interval: 50 });
  });
});
