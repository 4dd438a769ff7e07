// One tenant never sees another's files, through the local runtime and the official client: another
// tenant's file id answers 404 (never 403) for retrieve, content and delete, is absent from its list,
// cannot be batched, and a batch's result files are its owner's only. Embeddings stay per tenant too
// (the cache is not shared and each call is billed to its caller).
import OpenAI, { NotFoundError, toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import { costRecordsFor } from '../support/cost-records.ts';
import { startTestStack } from '../support/local-stack-fixture.ts';
import { addTenant } from '../support/tenants.ts';

let stack: LocalStack;
let alice: OpenAI;
let bob: OpenAI;

beforeAll(async () => {
  ({ stack } = await startTestStack());
  const client = async (tenant: string) => new OpenAI({ baseURL: stack.baseUrl, apiKey: await addTenant(stack, tenant), maxRetries: 0 });
  alice = await client('alice');
  bob = await client('bob');
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

const input = (id: string) => `${JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-5.4-mini', messages: [{ role: 'user', content: 'secret of alice' }] } })}\n`;
const upload = async (client: OpenAI, id: string) => client.files.create({ file: await toFile(Buffer.from(input(id)), `${id}.jsonl`), purpose: 'batch' });

async function notFound(call: () => Promise<unknown>): Promise<void> {
  const error = await call().then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(NotFoundError);
  expect((error as NotFoundError).status).toBe(404);
}

describe('files between tenants', () => {
  it("answers 404 for another tenant's file on retrieve, content and delete, and leaves it intact", async () => {
    const file = await upload(alice, 'a-1');
    await notFound(() => bob.files.retrieve(file.id));
    await notFound(() => bob.files.content(file.id));
    await notFound(() => bob.files.delete(file.id));
    expect(await alice.files.retrieve(file.id)).toEqual(file);
    expect(await (await alice.files.content(file.id)).text()).toBe(input('a-1'));
  });

  it("lists only the caller's own files, and refuses another tenant's id as a page cursor", async () => {
    const mine = await upload(alice, 'a-2');
    const theirs = await upload(bob, 'b-1');
    const aliceIds: string[] = [];
    for await (const f of alice.files.list()) aliceIds.push(f.id);
    const bobIds: string[] = [];
    for await (const f of bob.files.list()) bobIds.push(f.id);
    expect(aliceIds).toContain(mine.id);
    expect(aliceIds).not.toContain(theirs.id);
    expect(bobIds).toEqual([theirs.id]);
    const cursor = await bob.files.list({ after: mine.id }).catch((e) => e);
    expect(cursor.status).toBe(400);
    expect(cursor.param).toBe('after');
  });

  it("cannot batch another tenant's file, nor see the result files of another tenant's batch", async () => {
    const file = await upload(alice, 'a-3');
    await notFound(() => bob.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' }));
    const batch = await alice.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    await notFound(() => bob.batches.retrieve(batch.id));
    let done = batch;
    while (done.status !== 'completed') {
      await new Promise((r) => setTimeout(r, 100));
      done = await alice.batches.retrieve(batch.id);
    }
    expect(done.output_file_id).toBeTruthy();
    await notFound(() => bob.files.retrieve(done.output_file_id!));
    await notFound(() => bob.files.content(done.output_file_id!));
    await notFound(() => bob.files.delete(done.output_file_id!));
    const bobBatches: string[] = [];
    for await (const b of bob.batches.list()) bobBatches.push(b.id);
    expect(bobBatches).not.toContain(batch.id);
    expect((await (await alice.files.content(done.output_file_id!)).text()).split('\n').filter(Boolean)).toHaveLength(1);
  });
});

describe('embeddings between tenants', () => {
  it("never answers from another tenant's cache, and bills each call to its caller", async () => {
    const request = { model: 'text-embedding-3-small', input: 'isolation probe for embeddings' };
    const first = await alice.embeddings.create(request).withResponse();
    const again = await alice.embeddings.create(request).withResponse();
    expect(again.response.headers.get('x-router-cache')).toBe('hit');
    const theirs = await bob.embeddings.create(request).withResponse();
    expect(theirs.response.headers.get('x-router-cache')).toBe('miss');
    const bobRecords = (await costRecordsFor(stack, 'bob')).filter((r) => r['requestId'] === theirs.response.headers.get('x-request-id'));
    expect(bobRecords).toHaveLength(1);
    const aliceRecords = (await costRecordsFor(stack, 'alice')).filter((r) => r['requestId'] === first.response.headers.get('x-request-id'));
    expect(aliceRecords).toHaveLength(1);
    expect((await costRecordsFor(stack, 'alice')).some((r) => r['requestId'] === theirs.response.headers.get('x-request-id'))).toBe(false);
  });
});
