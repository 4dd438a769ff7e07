// A client that leaves before its JSON answer: the router ends the call as 499 (client closed request),
// the status the access log records, not a 200 that was never sent nor a 5xx that would count towards
// the server-error alarm (the billing of the call it cut is tested in test/unit/call-signal.test.ts).
import { expect, it } from 'vitest';
import { useTestStack } from '../support/local-stack-fixture.ts';

const accessLog: string[] = [];
// A slow simulated provider, so the client can leave while the call is in flight.
const { stack } = useTestStack({ simulated: { latencyMs: 400, tokensPerSecond: 5000, errorRate: 0 }, accessLog: (line) => accessLog.push(line) });

it('logs a request whose client left before the answer as 499, aborted', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  await expect(fetch(`${stack.baseUrl}/chat/completions`, {
    method: 'POST',
    signal: controller.signal,
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'Tell me a long story.' }] }),
  })).rejects.toThrow();
  await stack.settled();

  const line = accessLog.find((l) => l.includes('POST /v1/chat/completions'));
  expect(line).toMatch(/ 499 .*aborted/);
});
