// One tenant cannot hurt another, through the local runtime: per-tenant rate limits (requests per
// second and burst, monthly requests, tokens per minute) hold for the tenant at its limit and leave
// the others alone, and a hundred hostile requests open no breaker that every tenant shares.
import OpenAI, { APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import { startTestStack } from '../support/local-stack-fixture.ts';
import { addTenant } from '../support/tenants.ts';

let stack: LocalStack;
const keys: Record<string, string> = {};
const generous = { requestsPerSecond: 1000, burst: 1000, monthlyRequests: 1_000_000, tokensPerMinute: 10_000_000 };

beforeAll(async () => {
  ({ stack } = await startTestStack());
  keys['throttled'] = await addTenant(stack, 'throttled', { ...generous, requestsPerSecond: 0.01, burst: 3 });
  keys['tokens'] = await addTenant(stack, 'tokens', { ...generous, tokensPerMinute: 300 });
  keys['quota'] = await addTenant(stack, 'quota', { ...generous, monthlyRequests: 2 });
  keys['abuser'] = await addTenant(stack, 'abuser', generous);
  keys['bystander'] = await addTenant(stack, 'bystander');
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

const hello = { model: 'auto', messages: [{ role: 'user', content: 'Hello' }], max_tokens: 16 };

async function post(tenant: string, body: unknown, path = '/chat/completions'): Promise<Response> {
  return fetch(`${stack.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${keys[tenant]}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const client = (tenant: string) => new OpenAI({ baseURL: stack.baseUrl, apiKey: keys[tenant]!, maxRetries: 0 });

describe('requests per second and burst', () => {
  it('refuses the tenant past its burst with 429, Retry-After and x-ratelimit headers, and serves the others', async () => {
    const [throttled, bystander] = await Promise.all([
      Promise.all(Array.from({ length: 12 }, () => post('throttled', hello))),
      Promise.all(Array.from({ length: 6 }, () => post('bystander', hello))),
    ]);
    const ok = throttled.filter((r) => r.status === 200);
    const refused = throttled.filter((r) => r.status === 429);
    expect(ok).toHaveLength(3); // the burst; the bucket refills at 0.01 per second
    expect(refused).toHaveLength(9);
    const first = refused[0]!;
    expect(Number(first.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('3');
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(first.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+(ms|s|m\d+s)$/);
    expect(await first.json()).toMatchObject({ error: { type: 'rate_limit_error', code: 'rate_limit_exceeded' } });
    // The tenant at its limit takes nothing from the bystander.
    expect(bystander.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
  });

  it('refuses before reading the body: a throttled caller cannot make the router parse anything', async () => {
    const res = await post('throttled', 'not even json');
    expect(res.status).toBe(429);
  });
});

describe('monthly requests', () => {
  it('answers insufficient_quota once the month is spent, for that tenant only', async () => {
    expect((await post('quota', hello)).status).toBe(200);
    expect((await post('quota', hello)).status).toBe(200);
    const spent = await post('quota', hello);
    expect(spent.status).toBe(429);
    expect(await spent.json()).toMatchObject({ error: { type: 'insufficient_quota', code: 'insufficient_quota' } });
    expect((await post('bystander', hello)).status).toBe(200);
  });
});

describe('tokens per minute', () => {
  it("counts the tenant's tokens in the router and refuses the request that would exceed the minute", async () => {
    // About 200 prompt tokens: the first call fits the 300-token minute, and what it really used leaves no room for a second.
    const ask = { model: 'auto', messages: [{ role: 'user' as const, content: 'word '.repeat(200) }], max_tokens: 16 };
    const { response } = await client('tokens').chat.completions.create(ask).withResponse();
    expect(response.headers.get('x-ratelimit-limit-tokens')).toBe('300');
    expect(Number(response.headers.get('x-ratelimit-remaining-tokens'))).toBeLessThan(300);

    const refused = await client('tokens').chat.completions.create(ask).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(APIError);
    const error = refused as APIError;
    expect(error.status).toBe(429);
    expect(error.code).toBe('rate_limit_exceeded');
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(error.headers?.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(error.headers?.get('x-ratelimit-limit-tokens')).toBe('300');
    // At most the minute: `59s`, or `1m0s` when the window began less than a second ago (OpenAI's duration style).
    expect(error.headers?.get('x-ratelimit-reset-tokens')).toMatch(/^(\d+(ms|s)|1m0s)$/);
    // Another tenant's minute is its own.
    await expect(client('bystander').chat.completions.create(ask)).resolves.toMatchObject({ object: 'chat.completion' });
  });
});

// What a hostile tenant can send: every request the router could once be made to choke on.
function deepJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}
const abusive: Array<() => Promise<Response>> = [
  () => post('abuser', `{"model":"auto","messages":[{"role":"user","content":"x"}],"metadata":${deepJson(100_000)}}`),
  () => post('abuser', `{"model":"gpt-5.4","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f","parameters":${deepJson(100_000)}}}]}`),
  () => post('abuser', { ...hello, messages: [{ role: 'tool', content: 'x', tool_call_id: [null] }] }),
  () => post('abuser', { ...hello, messages: [{ role: 'user', content: 'x', tool_call_id: [null] }] }),
  () => post('abuser', { ...hello, stop: Array.from({ length: 50_000 }, () => null) }),
  () => post('abuser', { ...hello, store: true, web_search_options: { search_context_size: 'high' } }),
  () => post('abuser', { ...hello, modalities: ['audio'], audio: { voice: 'alloy', format: 'wav' } }),
  () => post('abuser', { ...hello, model: 'claude-sonnet-4.6', messages: [{ role: 'user', content: [{ type: 'mystery', data: deepJson(5000) }] }] }),
  () => post('abuser', `{"items":[{"custom_id":"a","body":{"model":"auto","messages":[{"role":"user","content":"x"}],"x":${deepJson(100_000)}}}]}`, '/batches'),
  () => fetch(`${stack.baseUrl}/models/%E0%A4%A`, { headers: { authorization: `Bearer ${keys['abuser']}` } }),
];

describe('a hostile tenant', () => {
  it('sends 100 abusive requests: every one is a 4xx, every model stays available, and the bystander is served', async () => {
    const replies: Response[] = [];
    for (let round = 0; round < 10; round++) replies.push(...await Promise.all(abusive.map((send) => send())));
    expect(replies).toHaveLength(100);
    for (const reply of replies) {
      expect(reply.status, await reply.clone().text().then((t) => t.slice(0, 200))).toBeGreaterThanOrEqual(400);
      expect(reply.status).toBeLessThan(500);
    }

    const models = await client('bystander').models.list();
    const listed = models.data as unknown as Array<{ id: string; status?: string }>;
    expect(listed.length).toBeGreaterThan(0);
    for (const model of listed.filter((m) => m.status !== undefined)) expect(model, model.id).toMatchObject({ status: 'available' });
    await expect(client('bystander').chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'still there?' }] }))
      .resolves.toMatchObject({ object: 'chat.completion' });
  }, 120_000);
});
