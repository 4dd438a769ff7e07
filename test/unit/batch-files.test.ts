// Pure rules of OpenAI's file form of batches: the input file format (JSONL lines checked on upload),
// per-line planning for the batch's endpoint, the result-file line format, and file ids.
import { describe, expect, it } from 'vitest';
import { awaitsResultFiles, toBatchObject } from '#core/batch/batch-object.ts';
import { parseFileSubmission, planFileItems } from '#core/batch/file-submission.ts';
import type { ItemRecord, JobRecord } from '#core/batch/job-model.ts';
import { errorTypeOf, toResultLine } from '#core/batch/result-files.ts';
import { parseBatchInput } from '#core/files/batch-input.ts';
import type { LineProblem } from '#core/files/batch-input.ts';
import { InvalidEntriesError } from '#core/shared/invalid-entries-error.ts';
import { derivedFileId, FILE_ID_PATTERN, fileIdAt } from '#core/files/file-id.ts';
import { toFileList, toFileObject } from '#core/files/file-object.ts';
import { InvalidRequestError, RouterError } from '#core/shared/errors.ts';
import { catalogOf, modelEntry, sampleCatalog, sampleCatalogDoc } from '../support/catalog-fixtures.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const line = (over: Record<string, unknown> = {}) => JSON.stringify({
  custom_id: 'c1', method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-5.4-mini', messages: [{ role: 'user', content: 'hi' }] }, ...over,
});

function problemsOf(text: string): Array<[number, string]> {
  try {
    parseBatchInput(encode(text));
  } catch (error) {
    if (error instanceof InvalidEntriesError) return (error.entries as LineProblem[]).map((p) => [p.line, p.param]);
    throw error;
  }
  return [];
}

describe('batch input files (JSONL)', () => {
  it('parses every request line with its 1-based line number, skipping blank lines and CRLF endings', () => {
    const lines = parseBatchInput(encode(`${line()}\r\n\n${line({ custom_id: 'c2' })}\n`));
    expect(lines.map((l) => [l.line, l.customId, l.url])).toEqual([[1, 'c1', '/v1/chat/completions'], [3, 'c2', '/v1/chat/completions']]);
    expect(lines[0]!.body).toMatchObject({ model: 'gpt-5.4-mini' });
  });

  it('names the line and field of every problem', () => {
    expect(problemsOf([
      line(),
      '{"custom_id": ',
      '[1, 2]',
      line({ custom_id: '' }),
      line({ custom_id: 'c9', method: 'GET' }),
      line({ custom_id: 'c10', url: 'chat/completions' }),
      line({ custom_id: 'c11', body: 'text' }),
      line({ custom_id: 'c12', extra: true }),
      line(),
    ].join('\n'))).toEqual([[2, 'line'], [3, 'line'], [4, 'custom_id'], [5, 'method'], [6, 'url'], [7, 'body'], [8, 'extra'], [9, 'custom_id']]);
  });

  it('reports a duplicate custom_id with the line that first used it', () => {
    try {
      parseBatchInput(encode(`${line()}\n${line()}`));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidEntriesError);
      expect((error as RouterError).status).toBe(400);
      // The whole body, key order included: what the API has always answered.
      expect(JSON.stringify((error as InvalidEntriesError<'lines', LineProblem>).toBody())).toBe(JSON.stringify({ error: {
        message: "1 line(s) of the file are invalid; it was not stored. First: line 2 (custom_id): duplicate custom_id 'c1' (first on line 1)",
        type: 'invalid_request_error', param: 'file', code: 'invalid_file_lines',
        lines: [{ line: 2, param: 'custom_id', message: "duplicate custom_id 'c1' (first on line 1)" }],
      } }));
    }
  });

  it('refuses nesting past the body limit on the line that has it', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 80; i++) deep = [deep];
    expect(problemsOf(`${line()}\n${line({ custom_id: 'deep', body: { model: 'auto', messages: deep } })}`)).toEqual([[2, expect.any(String)]]);
  });

  it('refuses an empty file, too many lines, and bytes that are not UTF-8, naming file', () => {
    const codeOf = (fn: () => unknown) => { try { fn(); } catch (e) { return [(e as RouterError).param, (e as RouterError).code]; } return undefined; };
    expect(codeOf(() => parseBatchInput(encode(' \n\n')))).toEqual(['file', 'empty_file']);
    expect(codeOf(() => parseBatchInput(encode(`${line()}\n${line({ custom_id: 'c2' })}\n${line({ custom_id: 'c3' })}`), 2))).toEqual(['file', 'too_many_lines']);
    expect(codeOf(() => parseBatchInput(new Uint8Array([0x7b, 0xff, 0x7d])))).toEqual(['file', 'invalid_file']);
  });
});

describe('the file form of POST /v1/batches', () => {
  it('plans embeddings lines with the embeddings checks and marks their messages, leaving chat messages unmarked', () => {
    const embedding = (id: string, body: Record<string, unknown>) => JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/embeddings', body });
    const lines = parseBatchInput(encode([
      embedding('ok', { model: 'text-embedding-3-small', input: 'hello' }),
      embedding('chat-model', { model: 'gpt-5.4-mini', input: 'hello' }),
      embedding('tokens', { model: 'text-embedding-3-small', input: [[1, 2]] }),
    ].join('\n')));
    const ctx = { catalog: sampleCatalogWithEmbeddings(), hints: {}, jobId: 'batch_e', tenantId: 't', keyId: 'k' };
    const planned = planFileItems(lines, '/v1/embeddings', ctx);
    expect(planned.messages.map((m) => [m.customId, m.endpoint])).toEqual([['ok', '/v1/embeddings']]);
    expect(planned.rejected.map((r) => [r.customId, r.error.param, r.error.status])).toEqual([['chat-model', 'model', 400], ['tokens', 'input', 400]]);
    const chat = planFileItems(parseBatchInput(encode(line())), '/v1/chat/completions', ctx);
    expect(chat.messages[0]).not.toHaveProperty('endpoint');
  });

  it('takes input_file_id, endpoint, completion_window (default 24h) and metadata', () => {
    expect(parseFileSubmission({ input_file_id: 'file-x', endpoint: '/v1/chat/completions' })).toEqual({ inputFileId: 'file-x', endpoint: '/v1/chat/completions', completionWindow: '24h', metadata: {} });
    expect(parseFileSubmission({ input_file_id: 'f', endpoint: '/v1/chat/completions', completion_window: '24h', metadata: null }).metadata).toEqual({});
  });

  it('answers 400 naming the field', () => {
    const paramOf = (body: unknown) => { try { parseFileSubmission(body); } catch (e) { return [(e as InvalidRequestError).param, (e as InvalidRequestError).code]; } return undefined; };
    expect(paramOf({ input_file_id: 'f', endpoint: '/v1/completions' })).toEqual(['endpoint', 'unsupported_endpoint']);
    expect(paramOf({ input_file_id: 'f', endpoint: '/v1/responses' })).toEqual(['endpoint', 'unsupported_endpoint']);
    expect(paramOf({ input_file_id: 'f', endpoint: '/v1/chat/completions', completion_window: '7d' })).toEqual(['completion_window', 'invalid_value']);
    expect(paramOf({ input_file_id: '', endpoint: '/v1/chat/completions' })).toEqual(['input_file_id', 'invalid_value']);
    expect(paramOf({ input_file_id: 'f', endpoint: '/v1/chat/completions', items: [] })).toEqual(['items', 'invalid_value']);
    expect(paramOf({ input_file_id: 'f', endpoint: '/v1/chat/completions', metadata: { k: 1 } })).toEqual(['metadata.k', 'invalid_value']);
  });

  it('plans one item per line in line order: runnable lines queued, the others refused with a 400 naming the field', () => {
    const lines = parseBatchInput(encode([
      line({ custom_id: 'ok' }),
      line({ custom_id: 'model', body: { model: 'nope', messages: [{ role: 'user', content: 'x' }] } }),
      line({ custom_id: 'url', url: '/v1/embeddings' }),
      line({ custom_id: 'stream', body: { model: 'auto', stream: true, messages: [{ role: 'user', content: 'x' }] } }),
    ].join('\n')));
    const planned = planFileItems(lines, '/v1/chat/completions', { catalog: sampleCatalog(), hints: { strategy: 'cost-first' }, jobId: 'batch_j', tenantId: 't', keyId: 'k' });
    expect(planned.messages.map((m) => [m.itemId, m.customId, m.hints])).toEqual([['000000', 'ok', { strategy: 'cost-first' }]]);
    expect(planned.rejected.map((r) => [r.itemId, r.customId, r.error.param, r.error.status, r.error.code])).toEqual([
      ['000001', 'model', 'model', 404, 'model_not_found'], ['000002', 'url', 'url', 400, 'invalid_request'], ['000003', 'stream', 'stream', 400, 'invalid_value'],
    ]);
    expect(planned.rejected[1]!.error.message).toMatch(/^Line 3: /);
  });
});

const item = (over: Partial<ItemRecord>): ItemRecord => ({
  jobId: 'batch_abc', itemId: '000004', tenantId: 't', customId: 'cid', state: 'queued', attempts: 1, createdAt: 0, updatedAt: 0, ...over,
});

describe('result file lines (OpenAI batch output format)', () => {
  it('puts an answered item in the output file with status 200 and the completion', () => {
    const body = { id: 'chatcmpl-1', object: 'chat.completion' } as never;
    expect(toResultLine(item({ state: 'completed', response: { requestId: 'req-1', body, modelId: 'm', providerId: 'p', attempts: 1, costUsd: 0 } }))).toEqual({
      file: 'output', line: { id: 'batch_req_abc_000004', custom_id: 'cid', response: { status_code: 200, request_id: 'req-1', body }, error: null },
    });
  });

  it('puts a request refused with a status in the error file with that status and an OpenAI error body', () => {
    const result = toResultLine(item({ state: 'failed', error: { code: 'model_not_found', message: 'no model', status: 404, param: 'model' } }));
    expect(result).toEqual({
      file: 'error',
      line: { id: 'batch_req_abc_000004', custom_id: 'cid', error: null, response: { status_code: 404, request_id: 'batch_req_abc_000004', body: { error: { message: 'no model', type: 'invalid_request_error', param: 'model', code: 'model_not_found' } } } },
    });
    expect(toResultLine(item({ state: 'failed', error: { code: 'upstream', message: 'm', status: 502 } }))!.line.response!.body).toMatchObject({ error: { type: 'server_error', param: null } });
  });

  it('gives unanswered items (cancelled, expired, failed without a status) response null and an error code', () => {
    expect(toResultLine(item({ state: 'cancelled' }))!.line).toMatchObject({ response: null, error: { code: 'batch_cancelled' } });
    expect(toResultLine(item({ state: 'expired' }))!.line).toMatchObject({ response: null, error: { code: 'batch_expired' } });
    expect(toResultLine(item({ state: 'failed', error: { code: 'worker_lost', message: 'gone' } }))).toMatchObject({ file: 'error', line: { response: null, error: { code: 'worker_lost', message: 'gone' } } });
  });

  it('has no line for a pending item', () => {
    expect(toResultLine(item({ state: 'queued' }))).toBeUndefined();
    expect(toResultLine(item({ state: 'in_progress' }))).toBeUndefined();
  });

  it('maps statuses to OpenAI error types', () => {
    expect([400, 401, 403, 404, 429, 500, 503].map(errorTypeOf)).toEqual(['invalid_request_error', 'authentication_error', 'permission_error', 'invalid_request_error', 'rate_limit_error', 'server_error', 'server_error']);
  });
});

const job = (over: Partial<JobRecord> = {}): JobRecord => ({
  jobId: 'batch_1', tenantId: 't', keyId: 'k', endpoint: '/v1/chat/completions', completionWindow: '24h', metadata: {},
  createdAt: 1_700_000_000_000, deadline: 1_700_086_400_000, cancelRequested: false, finishedAt: 1_700_000_100_000,
  total: 2, queued: 0, inProgress: 0, completed: 2, failed: 0, cancelled: 0, expired: 0, ...over,
});

describe('batch objects of the file form', () => {
  it('reads finalizing until the result files are recorded, then completed with their ids', () => {
    const pending = job({ inputFileId: 'file-in' });
    expect(awaitsResultFiles(pending)).toBe(true);
    expect(toBatchObject(pending)).toMatchObject({ status: 'finalizing', input_file_id: 'file-in', output_file_id: null, finalizing_at: 1_700_000_100 });
    const done = job({ inputFileId: 'file-in', outputFileId: 'file-out', errorFileId: null, resultFilesAt: 1_700_000_101_000 });
    expect(awaitsResultFiles(done)).toBe(false);
    expect(toBatchObject(done)).toMatchObject({ status: 'completed', output_file_id: 'file-out', error_file_id: null, completed_at: 1_700_000_100 });
  });

  it('leaves jobs of the items form as they were (no files, never finalizing)', () => {
    expect(awaitsResultFiles(job())).toBe(false);
    expect(toBatchObject(job())).toMatchObject({ status: 'completed', input_file_id: null, output_file_id: null, finalizing_at: null });
    expect(toBatchObject(job({ inputFileId: 'file-in', queued: 1, completed: 1 })).status).toBe('in_progress');
  });
});

describe('file ids and objects', () => {
  it('are OpenAI-shaped and sort newest first', () => {
    const older = fileIdAt(1_700_000_000_000, 'zzzzzzzzzzzzzzzz');
    const newer = fileIdAt(1_700_000_000_001, '0');
    expect(older).toMatch(FILE_ID_PATTERN);
    expect(newer).toMatch(FILE_ID_PATTERN);
    expect([older, newer].sort()).toEqual([newer, older]);
  });

  it('derive the same id from the same seed and different ids from different seeds', () => {
    expect(derivedFileId(5, 'job:output')).toBe(derivedFileId(5, 'job:output'));
    expect(derivedFileId(5, 'job:output')).not.toBe(derivedFileId(5, 'job:error'));
    expect(derivedFileId(5, 'job:error')).toMatch(FILE_ID_PATTERN);
  });

  it('shape file objects and list pages as OpenAI does', () => {
    const stored = { id: 'file-a', tenantId: 't', filename: 'in.jsonl', purpose: 'batch' as const, bytes: 10, createdAt: 1_700_000_000_999 };
    expect(toFileObject(stored)).toEqual({ id: 'file-a', object: 'file', bytes: 10, created_at: 1_700_000_000, filename: 'in.jsonl', purpose: 'batch', status: 'processed', status_details: null });
    expect(toFileList([stored, { ...stored, id: 'file-b' }], true)).toMatchObject({ object: 'list', first_id: 'file-a', last_id: 'file-b', has_more: true });
    expect(toFileList([], false)).toEqual({ object: 'list', data: [], first_id: null, last_id: null, has_more: false });
  });
});

describe('upload edge (property-based)', () => {
  it('answers any bytes with a stored file or a 400 naming file, never another error', async () => {
    const { default: fc } = await import('fast-check');
    const { FilesService } = await import('#core/files/files-service.ts');
    const { MemoryFileStore } = await import('#adapters/files/memory-file-store.ts');
    const service = new FilesService({ files: new MemoryFileStore(), clock: { now: () => 1_700_000_000_000 }, newFileId: (at) => fileIdAt(at, String(Math.random()).slice(2)), maxFileBytes: 4096 });
    const jsonish = fc.oneof(
      fc.uint8Array({ maxLength: 600 }),
      fc.array(fc.oneof(fc.constant(line()), fc.json(), fc.string()), { maxLength: 6 }).map((rows) => encode(rows.join('\n'))),
    );
    await fc.assert(fc.asyncProperty(jsonish, async (content) => {
      try {
        const file = await service.upload({ tenantId: 't', keyId: 'k' }, { filename: 'f.jsonl', purpose: 'batch', content });
        expect(file.bytes).toBe(content.byteLength);
      } catch (error) {
        expect(error).toBeInstanceOf(RouterError);
        expect((error as RouterError).status).toBe(400);
        expect((error as RouterError).param).toBe('file');
      }
    }), { numRuns: 300 });
  });
});

/** The sample catalog plus one embedding model. */
function sampleCatalogWithEmbeddings() {
  const { models, ...rest } = sampleCatalogDoc() as { models: Record<string, unknown>[] };
  const provider = (models[0] as { provider: string }).provider;
  return catalogOf([...models, modelEntry('text-embedding-3-small', { provider, kind: 'embedding', dimensions: 1536, capabilities: [], pricing: { currency: 'USD', inputPerMTok: 0.02, outputPerMTok: 0 } })], rest);
}
