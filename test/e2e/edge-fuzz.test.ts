// Property-based fuzz of the HTTP surface: paths with arbitrary (and malformed) percent-encoding,
// chat and batch bodies whose every field may have the wrong type (nulls inside arrays included),
// nesting far past any limit and huge arrays. No answer may be a 5xx, every 4xx is a well-formed
// OpenAI error without a stack trace. Most cases invoke the router handler in-process (the same
// handler, stand-ins and simulated providers as `npm start`); a share goes through real HTTP.
// The seed is printed; rerun one with FUZZ_SEED=<seed>. FUZZ_RUNS scales the in-process share.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isJobsApiPath } from '#contracts/jobs-paths.ts';
import type { LocalStack } from '#local/local-stack.ts';
import { startTestStack } from '../support/local-stack-fixture.ts';
import { invokeRouter } from '../support/invoke-router.ts';
import type { Reply } from '../support/invoke-router.ts';

const seed = Number(process.env['FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const IN_PROCESS_RUNS = Number(process.env['FUZZ_RUNS'] ?? 10_000);
const HTTP_RUNS = 400;

let stack: LocalStack;
let handler: unknown;
let jobsHandler: unknown;
const statuses = new Map<number, number>();
const principal = { tenantId: 'local', keyId: 'key_fuzz' };

beforeAll(async () => {
  console.log(`edge fuzz seed ${seed} (rerun with FUZZ_SEED=${seed})`);
  ({ stack } = await startTestStack());
  ({ handler } = await import('#handlers/router.ts'));
  ({ handler: jobsHandler } = await import('#handlers/jobs-api.ts'));
}, 60_000);

afterAll(async () => {
  console.log(`edge fuzz seed ${seed}: statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  await stack?.close();
});

function expectWellFormed(reply: Reply, what: string): void {
  statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
  expect(reply.status, `${what} -> ${reply.body.slice(0, 300)}`).toBeLessThan(500);
  expect(reply.status).toBeGreaterThanOrEqual(200);
  if (reply.status >= 400) {
    const parsed = JSON.parse(reply.body) as { error?: { message?: unknown; type?: unknown } };
    expect(typeof parsed.error?.message).toBe('string');
    expect(typeof parsed.error?.type).toBe('string');
    expect(reply.body).not.toMatch(/\n\s+at .+:\d+:\d+/);
  }
}

// ---- values ----------------------------------------------------------------------------------
// Raw JSON text is spliced in where JSON.stringify could not build it (100,000 levels deep).
const RAW = '\u0000raw:';
// Mostly just past the limit (cheap), now and then 100,000 levels (what broke serialisation before).
const depths = fc.oneof({ weight: 19, arbitrary: fc.integer({ min: 60, max: 300 }) }, { weight: 1, arbitrary: fc.constant(100_000) });
const deep = depths.chain((depth) =>
  fc.constantFrom(`${'['.repeat(depth)}${']'.repeat(depth)}`, `${'{"a":'.repeat(depth)}null${'}'.repeat(depth)}`, `${'[{"x":'.repeat(depth >> 1)}1${'}]'.repeat(depth >> 1)}`)
    .map((json) => RAW + json));
const lengths = fc.oneof({ weight: 19, arbitrary: fc.integer({ min: 4_090, max: 4_200 }) }, { weight: 1, arbitrary: fc.constant(100_000) });
const hugeArray = lengths.chain((n) => fc.constantFrom(RAW + `[${Array(n).fill('null').join(',')}]`, RAW + `[${Array(n).fill('"x"').join(',')}]`));
const nullsInArray = fc.array(fc.oneof(fc.constant(null), fc.string(), fc.integer()), { minLength: 1, maxLength: 4 }).map((a) => [null, ...a]);
const wrong = fc.oneof(
  { weight: 3, arbitrary: fc.anything({ maxDepth: 3 }) },
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: nullsInArray },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: hugeArray },
  { weight: 1, arbitrary: fc.constantFrom(true, 0, -1, 1e308, '', {}, [], [[]], '__proto__', 'constructor') },
);
/** The right value most of the time, anything wrong the rest. */
const field = <T>(right: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: right }, { weight: 2, arbitrary: wrong });

const part = fc.record({
  type: field(fc.constantFrom('text', 'image_url', 'input_audio', 'file', 'refusal', 'x')),
  text: field(fc.string({ maxLength: 20 })),
  image_url: field(fc.record({ url: field(fc.webUrl()), detail: field(fc.constantFrom('auto', 'low')) }, { requiredKeys: [] })),
}, { requiredKeys: ['type'] });
const toolCall = fc.record({
  id: field(fc.string({ minLength: 1, maxLength: 8 })), type: field(fc.constant('function')),
  function: field(fc.record({ name: field(fc.string({ maxLength: 8 })), arguments: field(fc.json({ maxDepth: 2 })) })),
}, { requiredKeys: [] });
const message = fc.record({
  role: field(fc.constantFrom('system', 'developer', 'user', 'assistant', 'tool')),
  content: field(fc.oneof(fc.string({ maxLength: 40 }), fc.constant(null), fc.array(part, { maxLength: 3 }))),
  tool_call_id: field(fc.string({ maxLength: 8 })),
  tool_calls: field(fc.array(toolCall, { maxLength: 2 })),
  name: field(fc.string({ maxLength: 8 })),
}, { requiredKeys: ['role', 'content'] });
const tool = fc.record({
  type: field(fc.constant('function')),
  function: field(fc.record({ name: field(fc.stringMatching(/^[a-z_]{1,10}$/)), parameters: field(fc.json({ maxDepth: 3 }).map((j) => ({ type: 'object', x: JSON.parse(j) as unknown }))) }, { requiredKeys: ['name'] })),
}, { requiredKeys: ['type'] });
const chatBody = fc.record({
  model: field(fc.constantFrom('auto', 'cheap', 'best', 'fast', 'gpt-5.4', 'claude-sonnet-4.6', 'nope')),
  messages: field(fc.array(message, { maxLength: 3 })),
  stream: field(fc.boolean()),
  stream_options: field(fc.record({ include_usage: field(fc.boolean()) }, { requiredKeys: [] })),
  max_tokens: field(fc.integer({ min: 1, max: 64 })),
  temperature: field(fc.double({ min: 0, max: 2, noNaN: true })),
  top_p: field(fc.double({ min: 0, max: 1, noNaN: true })),
  n: field(fc.constant(1)),
  stop: field(fc.array(fc.string({ maxLength: 4 }), { maxLength: 4 })),
  seed: field(fc.integer()),
  user: field(fc.string({ maxLength: 8 })),
  tools: field(fc.array(tool, { maxLength: 2 })),
  tool_choice: field(fc.constantFrom('auto', 'none', 'required')),
  response_format: field(fc.record({ type: field(fc.constantFrom('text', 'json_object', 'json_schema')) })),
  logit_bias: field(fc.dictionary(fc.stringMatching(/^\d{1,5}$/), fc.integer({ min: -100, max: 100 }), { maxKeys: 3 })),
  store: field(fc.boolean()),
  web_search_options: wrong,
  modalities: wrong,
}, { requiredKeys: [] });
const batchItem = fc.record({
  custom_id: field(fc.string({ minLength: 1, maxLength: 8 })),
  body: field(chatBody),
  method: field(fc.constant('POST')),
  url: field(fc.constant('/v1/chat/completions')),
}, { requiredKeys: [] });
const batchBody = fc.oneof(
  fc.record({ items: field(fc.array(batchItem, { maxLength: 3 })), metadata: field(fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 3 })), completion_window: field(fc.constant('24h')) }, { requiredKeys: [] }),
  fc.record({ input: field(fc.array(batchItem, { maxLength: 3 }).map((items) => items.map((i) => JSON.stringify(i)).join('\n'))) }, { requiredKeys: [] }),
);

/** Serialises with raw splices; JSON.stringify alone cannot hold 100,000 levels. */
function toJson(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'string' && v.startsWith(RAW)) {
      raws.push(v.slice(RAW.length));
      return `${RAW}${raws.length - 1}`;
    }
    return v;
  }) ?? 'null';
  return text.replace(/"\\u0000raw:(\d+)"/g, (_m, i: string) => raws[Number(i)]!);
}

// ---- paths -----------------------------------------------------------------------------------
const hex = fc.constantFrom(...'0123456789abcdefABCDEFzZ%'.split(''));
const encoded = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9._~-]{0,10}$/),
  fc.array(hex, { maxLength: 2 }).map((h) => `%${h.join('')}`), // malformed: `%`, `%Z`, `%E`
  fc.uint8Array({ minLength: 1, maxLength: 4 }).map((b) => [...b].map((x) => `%${x.toString(16).padStart(2, '0').toUpperCase()}`).join('')),
  fc.constantFrom('%E0%A4%A', '%ZZ', '%', '%00', '%2F', '..', '.', '%C0%AF', '%FF%FE'),
);
const segment = fc.array(encoded, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(''));
const path = fc.oneof(
  fc.tuple(fc.constantFrom('/v1/models/', '/v1/batches/', '/v1/batches/batch_x/', '/v1/', '/v1/chat/'), fc.array(segment, { maxLength: 3 }))
    .map(([prefix, segs]) => prefix + segs.join('/')),
  fc.constantFrom('/v1/chat/completions', '/v1/models', '/v1/batches', '/v1/batches/%E0%A4%A/results', '/v1/batches/%ZZ/cancel', '/'),
);

type Case = { method: string; path: string; body?: string; headers?: Record<string, string> };
const chatCase = chatBody.map((b): Case => ({ method: 'POST', path: '/v1/chat/completions', body: toJson(b) }));
// A valid request with exactly one field made wrong: reaches deeper into routing and the providers.
const validChat = { model: 'auto', messages: [{ role: 'user', content: 'hi' }], max_tokens: 8 };
const oneWrongField = fc.tuple(fc.constantFrom('model', 'messages', 'stream', 'max_tokens', 'tools', 'tool_choice', 'stop', 'response_format', 'stream_options', 'temperature', 'user', 'store', 'extra'), wrong, fc.boolean())
  .map(([key, value, stream]): Case => ({ method: 'POST', path: '/v1/chat/completions', body: toJson({ ...validChat, stream, [key]: value }) }));
const oneWrongMessageField = fc.tuple(fc.constantFrom('role', 'content', 'tool_call_id', 'name', 'tool_calls'), wrong)
  .map(([key, value]): Case => ({ method: 'POST', path: '/v1/chat/completions', body: toJson({ ...validChat, messages: [{ role: 'user', content: 'hi', [key]: value }] }) }));
const batchCase = batchBody.map((b): Case => ({ method: 'POST', path: '/v1/batches', body: toJson(b) }));
const pathCase = fc.tuple(path, fc.constantFrom('GET', 'POST', 'DELETE', 'PUT')).map(([p, method]): Case => ({ method, path: p, ...(method === 'GET' ? {} : { body: '{}' }) }));
const headerValue = fc.string({ maxLength: 30 }).filter((v) => /^[\x20-\x7e]*$/.test(v));
const headerCase = fc.record({ strategy: headerValue, task: headerValue, min: headerValue, max: headerValue, cache: headerValue }).map((h): Case => ({
  method: 'POST', path: '/v1/chat/completions',
  headers: { 'x-router-strategy': h.strategy, 'x-router-task': h.task, 'x-router-min-quality': h.min, 'x-router-max-cost': h.max, 'x-router-cache': h.cache },
  body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'hi' }], max_tokens: 8 }),
}));
// Weights keep valid requests (the costly ones: a real routed call each) to a few percent, so the
// run stays near a minute on a loaded machine; the valid paths are covered by the other e2e tests.
const anyCase = fc.oneof(
  { weight: 8, arbitrary: chatCase },
  { weight: 4, arbitrary: oneWrongField },
  { weight: 2, arbitrary: oneWrongMessageField },
  { weight: 6, arbitrary: batchCase },
  { weight: 6, arbitrary: pathCase },
  { weight: 2, arbitrary: headerCase },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b): Case => ({ method: 'POST', path: '/v1/chat/completions', body: Buffer.from(b).toString('latin1') })) },
);

describe('fuzzing the HTTP surface', () => {
  it(`never answers 5xx in-process (${IN_PROCESS_RUNS} cases)`, async () => {
    await fc.assert(fc.asyncProperty(anyCase, async (c) => {
      // The function API Gateway routes the path to: the jobs function for /v1/batches and /v1/files.
      const target = isJobsApiPath(c.path.split('?')[0]) ? jobsHandler : handler;
      expectWellFormed(await invokeRouter(target, { ...c, principal }), `${c.method} ${c.path}`);
    }), { seed, numRuns: IN_PROCESS_RUNS, endOnFailure: true });
  }, 600_000);

  it(`never answers 5xx through real HTTP (${HTTP_RUNS} cases)`, async () => {
    const origin = stack.baseUrl.replace(/\/v1$/, '');
    await fc.assert(fc.asyncProperty(anyCase, async (c) => {
      const res = await fetch(`${origin}${c.path}`, {
        method: c.method,
        headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json', ...c.headers },
        ...(c.body === undefined ? {} : { body: c.body }),
      });
      expectWellFormed({ status: res.status, headers: {}, body: await res.text() }, `${c.method} ${c.path}`);
    }), { seed: seed + 1, numRuns: HTTP_RUNS, endOnFailure: true });
  }, 600_000);
});
