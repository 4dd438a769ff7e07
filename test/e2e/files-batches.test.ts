// OpenAI's files and batch API through the local runtime with the official `openai` client, as an
// OpenAI batch user would call it: files.create -> batches.create({input_file_id}) -> poll
// batches.retrieve -> files.content(output_file_id); bad lines end in the error file; list paging;
// upload validation; cancel.
import OpenAI, { BadRequestError, NotFoundError, toFile } from 'openai';
import type { Batch } from 'openai/resources/batches';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesEnv } from '#contracts/files.ts';
import type { LocalStack } from '#local/local-stack.ts';
import { costRecordsFor } from '../support/cost-records.ts';
import { startTestStack } from '../support/local-stack-fixture.ts';

let stack: LocalStack;
let client: OpenAI;
/** Uploads larger than this are refused (set before the router's cold start reads it). */
const MAX_FILE_BYTES = 200 * 1024;

beforeAll(async () => {
  process.env[filesEnv.maxBytes] = String(MAX_FILE_BYTES);
  ({ stack, client } = await startTestStack());
});

afterAll(async () => {
  delete process.env[filesEnv.maxBytes];
  await stack?.close();
});

const FINAL = new Set(['completed', 'failed', 'cancelled', 'expired']);

const chatLine = (customId: string, body: Record<string, unknown> = {}, url = '/v1/chat/completions') =>
  JSON.stringify({ custom_id: customId, method: 'POST', url, body: { model: 'gpt-5.4-mini', messages: [{ role: 'user', content: `question ${customId}` }], ...body } });

async function upload(lines: string[], name = 'input.jsonl'): Promise<OpenAI.FileObject> {
  return client.files.create({ file: await toFile(Buffer.from(`${lines.join('\n')}\n`), name), purpose: 'batch' });
}

async function untilFinal(id: string): Promise<Batch> {
  for (;;) {
    const batch = await client.batches.retrieve(id);
    if (FINAL.has(batch.status)) return batch;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function jsonl(fileId: string | null | undefined): Promise<any[]> {
  if (!fileId) return [];
  const text = await (await client.files.content(fileId)).text();
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

describe('files.create -> batches.create -> batches.retrieve -> files.content', () => {
  it('runs every line and writes one output line per input line, in OpenAI result format', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `req-${i}`);
    const input = await upload(ids.map((id) => chatLine(id)), 'questions.jsonl');
    expect(input).toMatchObject({ object: 'file', purpose: 'batch', filename: 'questions.jsonl', status: 'processed' });
    expect(input.id).toMatch(/^file-[0-9a-z]{22}$/);
    expect(input.bytes).toBe(Buffer.byteLength(`${ids.map((id) => chatLine(id)).join('\n')}\n`));
    expect(Math.abs(input.created_at - Date.now() / 1000)).toBeLessThan(600);

    const created = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { run: 'e2e' } });
    expect(created).toMatchObject({ object: 'batch', input_file_id: input.id, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { run: 'e2e' } });
    expect(['validating', 'in_progress', 'finalizing']).toContain(created.status);

    const done = await untilFinal(created.id);
    expect(done.status).toBe('completed');
    expect(done.request_counts).toMatchObject({ total: 8, completed: 8, failed: 0 });
    expect(done.error_file_id).toBeNull();
    expect(done.output_file_id).toMatch(/^file-/);
    expect(done.finalizing_at).toBeTypeOf('number');
    expect(done.completed_at).toBeTypeOf('number');

    const lines = await jsonl(done.output_file_id);
    expect(lines).toHaveLength(ids.length);
    expect(lines.map((l) => l.custom_id).sort()).toEqual([...ids].sort());
    for (const line of lines) {
      expect(line.id).toMatch(/^batch_req_/);
      expect(line.error).toBeNull();
      expect(line.response).toMatchObject({ status_code: 200, request_id: line.id, body: { object: 'chat.completion' } });
    }
    // Every answered line is billed once, under its line id.
    const costs = await costRecordsFor(stack, 'local');
    expect(lines.every((l) => costs.filter((c) => c['requestId'] === l.id).length === 1)).toBe(true);

    const output = await client.files.retrieve(done.output_file_id!);
    expect(output).toMatchObject({ object: 'file', purpose: 'batch_output', status: 'processed', filename: `${done.id}_output.jsonl` });
    // Reading again does not write the result files again.
    expect((await client.batches.retrieve(done.id)).output_file_id).toBe(done.output_file_id);
  });

  it('puts lines it cannot run in the error file: one output or error line per input line', async () => {
    const input = await upload([
      chatLine('good-1'),
      chatLine('unknown-model', { model: 'no-such-model' }),
      chatLine('bad-temperature', { temperature: 7 }),
      chatLine('wrong-url', {}, '/v1/embeddings'),
      chatLine('good-2'),
    ]);
    const created = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    const done = await untilFinal(created.id);
    expect(done.status).toBe('completed');
    expect(done.request_counts).toMatchObject({ total: 5, completed: 2, failed: 3 });
    const output = await jsonl(done.output_file_id);
    const errors = await jsonl(done.error_file_id);
    expect(output.map((l) => l.custom_id).sort()).toEqual(['good-1', 'good-2']);
    expect(errors.map((l) => l.custom_id).sort()).toEqual(['bad-temperature', 'unknown-model', 'wrong-url']);
    const byId = Object.fromEntries(errors.map((l) => [l.custom_id, l]));
    for (const line of errors) {
      expect(line.error).toBeNull();
      expect(line.id).toMatch(/^batch_req_/);
      expect(line.response.request_id).toBe(line.id);
      expect(line.response.body.error.type).toBe('invalid_request_error');
    }
    // Each refused line carries the status, code and param /v1/chat/completions would have answered with.
    expect(byId['unknown-model'].response).toMatchObject({ status_code: 404, body: { error: { param: 'model', code: 'model_not_found' } } });
    expect(byId['bad-temperature'].response).toMatchObject({ status_code: 400, body: { error: { param: 'temperature' } } });
    expect(byId['wrong-url'].response).toMatchObject({ status_code: 400, body: { error: { param: 'url', code: 'invalid_request' } } });
  });

  it('ends a batch whose every line is refused failed, with only an error file', async () => {
    const input = await upload([chatLine('x', { model: 'no-such-model' })]);
    const done = await untilFinal((await client.batches.create({ input_file_id: input.id, endpoint: '/v1/chat/completions', completion_window: '24h' })).id);
    expect(done.status).toBe('failed');
    expect(done.output_file_id).toBeNull();
    expect(await jsonl(done.error_file_id)).toHaveLength(1);
  });

  it('cancels: each input line ends answered in the output file or batch_cancelled in the error file', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `c-${i}`);
    const input = await upload(ids.map((id) => chatLine(id)));
    const created = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    const cancelling = await client.batches.cancel(created.id);
    expect(['cancelling', 'cancelled', 'finalizing']).toContain(cancelling.status);
    const done = await untilFinal(created.id);
    expect(done.status).toBe('cancelled');
    expect(done.cancelled_at).toBeTypeOf('number');
    const output = await jsonl(done.output_file_id);
    const errors = await jsonl(done.error_file_id);
    expect([...output, ...errors].map((l) => l.custom_id).sort()).toEqual([...ids].sort());
    expect(errors.filter((l) => l.error?.code === 'batch_cancelled' && l.response === null)).toHaveLength((done.request_counts as unknown as { cancelled: number }).cancelled);
    expect(output).toHaveLength(done.request_counts!.completed);
  });
});

describe('a file-form batch of embeddings', () => {
  const embeddingLine = (customId: string, input: unknown, model = 'text-embedding-3-small') =>
    JSON.stringify({ custom_id: customId, method: 'POST', url: '/v1/embeddings', body: { model, input } });

  it('runs /v1/embeddings lines: OpenAI embedding lists in the output file, one cost record per line, bad lines in the error file', async () => {
    const input = await upload([
      embeddingLine('e-1', 'first text to embed'),
      embeddingLine('e-2', ['two', 'texts']),
      embeddingLine('e-chat-model', 'x', 'gpt-5.4-mini'),
      embeddingLine('e-empty', ''),
      chatLine('e-wrong-url'),
    ]);
    const created = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/embeddings', completion_window: '24h' });
    expect(created.endpoint).toBe('/v1/embeddings');
    const done = await untilFinal(created.id);
    expect(done.status).toBe('completed');
    expect(done.request_counts).toMatchObject({ total: 5, completed: 2, failed: 3 });
    const output = Object.fromEntries((await jsonl(done.output_file_id)).map((l) => [l.custom_id, l]));
    expect(Object.keys(output).sort()).toEqual(['e-1', 'e-2']);
    expect(output['e-1'].response).toMatchObject({ status_code: 200, body: { object: 'list', model: 'text-embedding-3-small' } });
    expect(output['e-1'].response.body.data).toHaveLength(1);
    expect(output['e-1'].response.body.data[0].embedding).toHaveLength(1536);
    expect(output['e-2'].response.body.data.map((d: { index: number }) => d.index)).toEqual([0, 1]);
    expect(output['e-2'].response.body.usage.prompt_tokens).toBeGreaterThan(0);
    const errors = Object.fromEntries((await jsonl(done.error_file_id)).map((l) => [l.custom_id, l]));
    expect(Object.keys(errors).sort()).toEqual(['e-chat-model', 'e-empty', 'e-wrong-url']);
    expect(errors['e-chat-model'].response).toMatchObject({ status_code: 400, body: { error: { param: 'model' } } });
    expect(errors['e-empty'].response).toMatchObject({ status_code: 400, body: { error: { param: 'input' } } });
    expect(errors['e-wrong-url'].response).toMatchObject({ status_code: 400, body: { error: { param: 'url' } } });
    const costs = await costRecordsFor(stack, 'local');
    for (const line of Object.values(output) as any[]) {
      const records = costs.filter((c) => c['requestId'] === line.id);
      expect(records).toHaveLength(1);
      expect(records[0]!['modelId']).toBe('text-embedding-3-small');
      expect(records[0]!['inputTokens']).toBe(line.response.body.usage.prompt_tokens);
    }
  });
});

describe('batches.create with a file: bad requests', () => {
  it('answers 400 naming endpoint for an endpoint the worker does not run, and completion_window when malformed', async () => {
    const input = await upload([chatLine('a')]);
    const endpoint = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/responses', completion_window: '24h' }).catch((e) => e);
    expect(endpoint).toBeInstanceOf(BadRequestError);
    expect(endpoint.param).toBe('endpoint');
    expect(endpoint.code).toBe('unsupported_endpoint');
    const window = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/chat/completions', completion_window: '48h' as '24h' }).catch((e) => e);
    expect(window).toBeInstanceOf(BadRequestError);
    expect(window.param).toBe('completion_window');
  });

  it('answers 404 naming input_file_id for a file that does not exist, and 400 for a result file as input', async () => {
    const missing = await client.batches.create({ input_file_id: 'file-0000000000000000000000', endpoint: '/v1/chat/completions', completion_window: '24h' }).catch((e) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing.param).toBe('input_file_id');
    const done = await untilFinal((await client.batches.create({ input_file_id: (await upload([chatLine('o')])).id, endpoint: '/v1/chat/completions', completion_window: '24h' })).id);
    const output = await client.batches.create({ input_file_id: done.output_file_id!, endpoint: '/v1/chat/completions', completion_window: '24h' }).catch((e) => e);
    expect(output).toBeInstanceOf(BadRequestError);
    expect(output.param).toBe('input_file_id');
  });

  it('keeps the items and input forms working beside it', async () => {
    const res = await fetch(`${stack.baseUrl}/batches`, {
      method: 'POST', headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ custom_id: 'i', body: { model: 'gpt-5.4-mini', messages: [{ role: 'user', content: 'hi' }] } }] }),
    });
    const batch = await res.json() as Batch;
    expect(res.status).toBe(200);
    expect(batch.input_file_id).toBeNull();
    const done = await untilFinal(batch.id);
    expect(done.status).toBe('completed');
    // No result files for the items form: its results stay at GET /v1/batches/{id}/results.
    expect(done.output_file_id).toBeNull();
  });
});

describe('files.create validation', () => {
  const refused = async (content: string, purpose = 'batch'): Promise<BadRequestError> => {
    const error = await client.files.create({ file: await toFile(Buffer.from(content), 'bad.jsonl'), purpose: purpose as 'batch' }).catch((e) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    return error as BadRequestError;
  };

  it('names every bad line with its number and field, and stores nothing', async () => {
    const before = (await client.files.list()).data.length;
    const error = await refused([chatLine('ok'), '{not json', JSON.stringify({ method: 'POST', url: '/v1/chat/completions', body: {} }), chatLine('ok'), JSON.stringify({ custom_id: 'g', method: 'GET', url: '/v1/chat/completions', body: {} })].join('\n'));
    expect(error.param).toBe('file');
    expect(error.code).toBe('invalid_file_lines');
    const lines = (error.error as { lines: Array<{ line: number; param: string }> }).lines;
    expect(lines.map((l) => [l.line, l.param])).toEqual([[2, 'line'], [3, 'custom_id'], [4, 'custom_id'], [5, 'method']]);
    expect((await client.files.list()).data.length).toBe(before);
  });

  it('refuses an empty file, a file that is not UTF-8, another purpose, and a file over the size limit', async () => {
    expect((await refused('\n\n')).code).toBe('empty_file');
    const notUtf8 = await client.files.create({ file: await toFile(Buffer.from([0xff, 0xfe, 0x00, 0x41]), 'x.jsonl'), purpose: 'batch' }).catch((e) => e);
    expect(notUtf8.param).toBe('file');
    expect(notUtf8.code).toBe('invalid_file');
    const purpose = await refused(chatLine('p'), 'fine-tune');
    expect(purpose.param).toBe('purpose');
    const big = await refused(Array.from({ length: 2000 }, (_, i) => chatLine(`big-${i}`)).join('\n'));
    expect(big.param).toBe('file');
    expect(big.code).toBe('file_too_large');
  });

  it('answers 400 naming file when the form has no file part', async () => {
    const form = new FormData();
    form.set('purpose', 'batch');
    const res = await fetch(`${stack.baseUrl}/files`, { method: 'POST', headers: { authorization: `Bearer ${stack.apiKey}` }, body: form });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: unknown }).error).toMatchObject({ param: 'file', code: 'missing_required_parameter', type: 'invalid_request_error' });
  });
});

describe('POST /v1/files with broken bodies', () => {
  const post = (body: RequestInit['body'] | undefined, contentType?: string) => fetch(`${stack.baseUrl}/files`, {
    method: 'POST', headers: { authorization: `Bearer ${stack.apiKey}`, ...(contentType ? { 'content-type': contentType } : {}) }, ...(body === undefined ? {} : { body }),
  });

  it('answers every malformed upload with a 400 in OpenAI shape, never a 5xx', async () => {
    const boundary = 'XyZ';
    const cases: Array<[RequestInit['body'] | undefined, string | undefined]> = [
      [undefined, undefined],
      ['{"purpose":"batch"}', 'application/json'],
      ['no boundary', 'multipart/form-data'],
      [`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jsonl"\r\n\r\n{"trunc`, `multipart/form-data; boundary=${boundary}`],
      [`--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbatch\r\n--${boundary}--\r\n`, `multipart/form-data; boundary=${boundary}`],
      [Buffer.from([0xff, 0x00, 0x13, 0x37]), `multipart/form-data; boundary=${boundary}`],
    ];
    for (const [body, type] of cases) {
      const res = await post(body, type);
      expect(res.status, `${type}: ${String(body).slice(0, 40)}`).toBe(400);
      const error = ((await res.json()) as { error: { type: string; message: string } }).error;
      expect(error.type).toBe('invalid_request_error');
      expect(error.message).not.toMatch(/at .*\.ts:\d+/);
    }
  });
});

describe('files.list, retrieve, content, delete', () => {
  it('lists newest first, pages with has_more and after (for await), filters by purpose, and orders asc', async () => {
    const uploaded = [];
    for (let i = 0; i < 5; i++) uploaded.push(await upload([chatLine(`l-${i}`)], `list-${i}.jsonl`));
    const first = await client.files.list({ limit: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.has_more).toBe(true);
    expect(first.data[0]!.id).toBe(uploaded[4]!.id);
    const all: string[] = [];
    for await (const file of client.files.list({ limit: 2 })) all.push(file.id);
    expect(new Set(all).size).toBe(all.length);
    expect(all.slice(0, 5)).toEqual(uploaded.map((f) => f.id).reverse());
    const asc: string[] = [];
    for await (const file of client.files.list({ limit: 3, order: 'asc' })) asc.push(file.id);
    expect(asc).toEqual([...all].reverse());
    const outputs = await client.files.list({ purpose: 'batch_output' });
    expect(outputs.data.length).toBeGreaterThan(0);
    expect(outputs.data.every((f) => f.purpose === 'batch_output')).toBe(true);
  });

  it('retrieves, reads back the exact bytes, and deletes (then 404 everywhere)', async () => {
    const lines = [chatLine('r-1'), chatLine('r-2 ünïcødé')];
    const file = await upload(lines, 'keep.jsonl');
    expect(await client.files.retrieve(file.id)).toEqual(file);
    expect(await (await client.files.content(file.id)).text()).toBe(`${lines.join('\n')}\n`);
    expect(await client.files.delete(file.id)).toEqual({ id: file.id, object: 'file', deleted: true });
    for (const call of [() => client.files.retrieve(file.id), () => client.files.content(file.id), () => client.files.delete(file.id)]) {
      const error = await call().catch((e) => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.code).toBe('file_not_found');
    }
    expect((await client.files.list()).data.map((f) => f.id)).not.toContain(file.id);
  });

  it('answers 404 for ids that are not file ids and 400 for a bad list query', async () => {
    expect(await client.files.retrieve('../../etc/passwd').catch((e) => e)).toBeInstanceOf(NotFoundError);
    const bad = await client.files.list({ limit: 0 }).catch((e) => e);
    expect(bad).toBeInstanceOf(BadRequestError);
    expect(bad.param).toBe('limit');
  });
});

describe('batches.list', () => {
  it('pages newest first with has_more and after, and for await visits each batch once', async () => {
    const input = await upload([chatLine('page')]);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await client.batches.create({ input_file_id: input.id, endpoint: '/v1/chat/completions', completion_window: '24h' })).id);
    const first = await client.batches.list({ limit: 2 });
    expect(first.data.map((b) => b.id)).toEqual([ids[2], ids[1]]);
    expect(first.has_more).toBe(true);
    const seen: string[] = [];
    for await (const batch of client.batches.list({ limit: 2 })) seen.push(batch.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, 3)).toEqual([...ids].reverse());
    for (const id of ids) await untilFinal(id);
  });
});
