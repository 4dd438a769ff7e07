// The cache judge through the real HTTP provider path: a route whose cache.semantic.verify is
// "differential+judge" asks the cheapest catalog model (a scripted OpenAI-format upstream) whether a
// reworded prompt the differential check cannot accept has the same answer as a cached one. Yes: a
// semantic hit with the similarity and the source request; no: a miss and a fresh answer; judge down: a
// miss, and the caller still gets 200. The judge's call is in the cost ledger, billed to the tenant.
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { costRecordsFor } from '../support/cost-records.ts';
import { completionBody, expectScriptsUsed, startFaultStack } from '../support/fault-stack.ts';
import type { FaultStack } from '../support/fault-stack.ts';
import type { RecordedRequest } from '../support/scripted-upstream.ts';
import { addTenant } from '../support/tenants.ts';

let f: FaultStack;

beforeAll(async () => {
  f = await startFaultStack(
    [{ id: 'judge', price: { input: 0.1, output: 0.2 } }, { id: 'answerer', price: { input: 5, output: 10 } }],
    {},
    { ask: { strategy: 'quality-first', allow: ['answerer'], cache: { semantic: { verify: 'differential+judge', minSimilarity: -1 } } } },
  );
});

afterAll(async () => {
  await f?.close();
});

afterEach(() => expectScriptsUsed(f));

let counter = 0;
/** A topic no other test uses, so every test starts from an empty scope. */
const topic = () => `zorblat-${++counter}-${Math.random().toString(36).slice(2, 7)}`;

async function ask(content: string, client: OpenAI = f.client) {
  const answer = await client.chat.completions.create({ model: 'ask', temperature: 0, messages: [{ role: 'user', content }] }).withResponse();
  await f.stack.settled();
  return answer;
}

const judgeAsked = (r: RecordedRequest) => JSON.stringify(r.json);

describe('cache judge (differential+judge)', () => {
  it('serves a reworded prompt the judge says yes to as a semantic hit, and bills the judge to the tenant', async () => {
    const t = topic();
    const tenant = `judged-${t}`;
    const client = new OpenAI({ baseURL: f.stack.baseUrl, apiKey: await addTenant(f.stack, tenant), maxRetries: 0, timeout: 30_000 });
    f.upstreams['answerer']!.enqueue({ body: completionBody(`The ${t} boils at 80 degrees.`) });
    const first = await ask(`What temperature does ${t} boil at?`, client);
    expect(first.response.headers.get('x-router-cache')).toBe('miss');

    f.upstreams['judge']!.enqueue({ body: completionBody('yes') });
    const second = await ask(`At which temperature will ${t} start boiling?`, client);

    expect(second.response.headers.get('x-router-cache')).toBe('semantic-hit');
    expect(second.response.headers.get('x-router-cache-source')).toBe(first.response.headers.get('x-request-id'));
    expect(Number(second.response.headers.get('x-router-cache-similarity'))).toBeGreaterThan(-1);
    expect(second.data.choices[0]?.message.content).toBe(`The ${t} boils at 80 degrees.`);
    const question = f.upstreams['judge']!.requests.at(-1)!;
    expect(question.json).toMatchObject({ model: 'judge-upstream', temperature: 0 });
    expect(judgeAsked(question)).toContain(`What temperature does ${t} boil at?`);
    expect(judgeAsked(question)).toContain(`At which temperature will ${t} start boiling?`);

    const records = await costRecordsFor(f.stack, tenant);
    const verification = records.find((r) => r['verifiedRequestId'] === second.response.headers.get('x-request-id'));
    expect(verification).toMatchObject({ tenantId: tenant, purpose: 'cache-verification', modelId: 'judge', cacheHit: false });
    expect((await costRecordsFor(f.stack, 'local')).some((r) => r['verifiedRequestId'] === second.response.headers.get('x-request-id'))).toBe(false);
    expect(verification?.['costUsd']).toBeGreaterThan(0);
    const hit = records.find((r) => r['requestId'] === second.response.headers.get('x-request-id'));
    expect(hit).toMatchObject({ cacheHit: true, cacheMatch: 'semantic', cacheVerifiedBy: 'judge', cacheSourceRequestId: first.response.headers.get('x-request-id'), costUsd: 0 });
  });

  it('never judges another tenant\'s entry: the same paraphrase from another tenant is a plain miss', async () => {
    const t = topic();
    f.upstreams['answerer']!.enqueue({ body: completionBody(`The ${t} boils at 80 degrees.`) });
    await ask(`What temperature does ${t} boil at?`);
    const other = new OpenAI({ baseURL: f.stack.baseUrl, apiKey: await addTenant(f.stack, `other-${t}`), maxRetries: 0, timeout: 30_000 });
    const judged = f.upstreams['judge']!.requests.length;
    f.upstreams['answerer']!.enqueue({ body: completionBody(`${t}: fresh for the other tenant.`) });
    const theirs = await ask(`At which temperature will ${t} start boiling?`, other);
    expect(theirs.response.headers.get('x-router-cache')).toBe('miss');
    expect(theirs.data.choices[0]?.message.content).toBe(`${t}: fresh for the other tenant.`);
    expect(f.upstreams['judge']!.requests.length).toBe(judged);
  });

  it('misses and fetches a fresh answer when the judge says no', async () => {
    const t = topic();
    f.upstreams['answerer']!.enqueue({ body: completionBody(`${t}: 80 degrees.`) });
    await ask(`What temperature does ${t} boil at?`);

    f.upstreams['judge']!.enqueue({ body: completionBody('No.') });
    f.upstreams['answerer']!.enqueue({ body: completionBody(`${t}: minus 20 degrees.`) });
    const second = await ask(`What temperature does ${t} freeze at?`);

    expect(second.response.headers.get('x-router-cache')).toBe('miss');
    expect(second.data.choices[0]?.message.content).toBe(`${t}: minus 20 degrees.`);
  });

  it('misses when the judge is down or answers neither yes nor no, and the caller still gets 200', async () => {
    const t = topic();
    f.upstreams['answerer']!.enqueue({ body: completionBody(`${t}: 80 degrees.`) });
    await ask(`What temperature does ${t} boil at?`);

    f.upstreams['judge']!.enqueue({ status: 503, body: { error: { message: 'overloaded', type: 'server_error' } } });
    f.upstreams['answerer']!.enqueue({ body: completionBody(`${t}: 80 degrees, fresh.`) });
    const down = await ask(`At which temperature will ${t} start boiling?`);
    expect(down.response.status).toBe(200);
    expect(down.response.headers.get('x-router-cache')).toBe('miss');
    expect(down.data.choices[0]?.message.content).toBe(`${t}: 80 degrees, fresh.`);

    f.upstreams['judge']!.enqueue({ body: completionBody('Probably the same question.') });
    f.upstreams['answerer']!.enqueue({ body: completionBody(`${t}: 80 degrees, again.`) });
    const vague = await ask(`Tell me the boiling temperature of ${t}.`);
    expect(vague.response.headers.get('x-router-cache')).toBe('miss');
  });

  it('misses when the judge does not answer within its time limit (3 s), and the caller still gets 200', async () => {
    const t = topic();
    f.upstreams['answerer']!.enqueue({ body: completionBody(`${t}: 80 degrees.`) });
    await ask(`What temperature does ${t} boil at?`);
    f.upstreams['judge']!.enqueue({ hang: true });
    f.upstreams['answerer']!.enqueue({ body: completionBody(`${t}: 80 degrees, after the judge gave up.`) });
    const late = await ask(`At which temperature will ${t} start boiling?`);
    expect(late.response.status).toBe(200);
    expect(late.response.headers.get('x-router-cache')).toBe('miss');
    expect(late.data.choices[0]?.message.content).toBe(`${t}: 80 degrees, after the judge gave up.`);
  });

  it('still serves a prompt the differential check accepts without asking the judge', async () => {
    const t = topic();
    f.upstreams['answerer']!.enqueue({ body: completionBody(`${t}: 80 degrees.`) });
    await ask(`What temperature does ${t} boil at?`);
    const before = f.upstreams['judge']!.requests.length;
    const again = await ask(`Please tell me: what temperature does ${t} boil at?`);
    expect(again.response.headers.get('x-router-cache')).toBe('semantic-hit');
    expect(f.upstreams['judge']!.requests.length).toBe(before);
  });
});
