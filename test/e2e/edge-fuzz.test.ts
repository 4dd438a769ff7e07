// Property-based tests of the HTTP edge: arbitrary bodies, headers, paths and query strings always
// get a well-formed OpenAI error with a 4xx (or a 200 for the rare valid request), never a 500.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import { startTestStack } from '../support/local-stack-fixture.ts';

let stack: LocalStack;

beforeAll(async () => {
  ({ stack } = await startTestStack());
});

afterAll(async () => {
  await stack?.close();
});

interface Reply { status: number; body: string }

async function send(path: string, init: RequestInit): Promise<Reply> {
  const res = await fetch(`${stack.baseUrl.replace(/\/v1$/, '')}${path}`, init);
  return { status: res.status, body: await res.text() };
}

function expectWellFormed(reply: Reply): void {
  expect(reply.status, reply.body).toBeLessThan(500);
  if (reply.status >= 400) {
    const parsed = JSON.parse(reply.body) as { error?: { message?: unknown; type?: unknown } };
    expect(typeof parsed.error?.message).toBe('string');
    expect(typeof parsed.error?.type).toBe('string');
    expect(reply.body).not.toMatch(/\n\s+at .+:\d+:\d+/);
  }
}

const auth = () => ({ authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' });

// Request-shaped JSON: mostly the right keys with arbitrary values, so validation goes deep.
const message = fc.record({
  role: fc.oneof(fc.constantFrom('system', 'user', 'assistant', 'tool', 'developer'), fc.string()),
  content: fc.oneof(fc.string(), fc.constant(null), fc.array(fc.record({ type: fc.constantFrom('text', 'image_url', 'x'), text: fc.anything(), image_url: fc.anything() }, { requiredKeys: ['type'] }))),
  tool_call_id: fc.string(),
}, { requiredKeys: ['role'] });
const chatLike = fc.record({
  model: fc.oneof(fc.constantFrom('auto', 'cheap', 'gpt-5.4', 'nope'), fc.anything()),
  messages: fc.oneof(fc.array(message, { maxLength: 3 }), fc.anything()),
  stream: fc.oneof(fc.boolean(), fc.anything()),
  temperature: fc.oneof(fc.double(), fc.anything()),
  max_tokens: fc.oneof(fc.integer(), fc.anything()),
  tools: fc.anything(),
  n: fc.anything(),
}, { requiredKeys: [] });

describe('fuzzing the HTTP edge', () => {
  it('never answers 5xx to arbitrary chat bodies', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(chatLike, fc.anything()), async (body) => {
      const payload = JSON.stringify(body) ?? 'undefined';
      expectWellFormed(await send('/v1/chat/completions', { method: 'POST', headers: auth(), body: payload }));
    }), { numRuns: 150 });
  });

  it('never answers 5xx to arbitrary bytes as a body', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
      expectWellFormed(await send('/v1/chat/completions', { method: 'POST', headers: auth(), body: bytes }));
    }), { numRuns: 100 });
  });

  it('never answers 5xx to arbitrary routing headers', async () => {
    const headerValue = fc.string({ maxLength: 40 }).filter((v) => /^[\x20-\x7e]*$/.test(v));
    await fc.assert(fc.asyncProperty(
      fc.record({ strategy: headerValue, task: headerValue, min: headerValue, max: headerValue, cache: headerValue }),
      async (h) => {
        const reply = await send('/v1/chat/completions', {
          method: 'POST',
          headers: { ...auth(), 'x-router-strategy': h.strategy, 'x-router-task': h.task, 'x-router-min-quality': h.min, 'x-router-max-cost': h.max, 'x-router-cache': h.cache },
          body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'hi' }], max_tokens: 16 }),
        });
        expectWellFormed(reply);
      },
    ), { numRuns: 100 });
  });

  it('never answers 5xx to arbitrary paths, methods and query strings', async () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9._~%-]{0,12}$/);
    await fc.assert(fc.asyncProperty(
      fc.array(segment, { maxLength: 4 }),
      fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
      fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.string({ maxLength: 10 })),
      async (segments, method, query) => {
        const qs = new URLSearchParams(query).toString();
        const path = `/v1/${segments.join('/')}${qs ? `?${qs}` : ''}`;
        expectWellFormed(await send(path, { method, headers: auth(), ...(method === 'GET' ? {} : { body: '{}' }) }));
      },
    ), { numRuns: 100 });
  });
});
