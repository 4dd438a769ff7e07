// The files HTTP operations (OpenAI's files API): parse the request, call the files use case, shape the response.
import { Readable } from 'node:stream';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import '../contracts/zod-en.ts';
import type { Principal } from '#core/auth/ports.ts';
import type { FilesService } from '#core/files/files-service.ts';
import { InvalidRequestError } from '#core/shared/errors.ts';
import { filesService } from './shared/files-runtime.ts';
import { decodePathSegment, queryOf, requirePrincipal } from './shared/http-event.ts';
import { multipartForm } from './shared/multipart.ts';
import { json } from './shared/responses.ts';
import { matchRoute } from './shared/route-table.ts';
import type { Route } from './shared/route-table.ts';
import type { StreamingResponse } from './shared/responses.ts';

type Run = (service: FilesService, event: APIGatewayProxyEvent, principal: Principal, requestId: string) => Promise<unknown>;

// Unknown query parameters are ignored, as on GET /v1/batches.
const listQuery = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10_000)), 10_000),
  order: z._default(z.enum(['asc', 'desc']), 'desc'),
  after: z.optional(z.string().check(z.minLength(1))),
  purpose: z.optional(z.string().check(z.minLength(1))),
});

const ROUTES: Array<Route<Run>> = [
  { method: 'POST', pattern: /^\/v1\/files$/, run: (s, e, p) => upload(s, e, p) },
  { method: 'GET', pattern: /^\/v1\/files$/, run: (s, e, p) => s.list(p, queryOf(e, listQuery, 'limit')) },
  { method: 'GET', pattern: /^\/v1\/files\/[^/]+$/, run: (s, e, p) => s.retrieve(p, fileIdOf(e)) },
  { method: 'DELETE', pattern: /^\/v1\/files\/[^/]+$/, run: (s, e, p) => s.delete(p, fileIdOf(e)) },
  { method: 'GET', pattern: /^\/v1\/files\/[^/]+\/content$/, run: (s, e, p, id) => content(s, e, p, id) },
];

/** Dispatches `/v1/files...`; the jobs function calls it for every path under /v1/files. */
export async function routeFiles(event: APIGatewayProxyEvent, method: string, path: string, requestId: string): Promise<StreamingResponse> {
  const route = matchRoute(ROUTES, method, path);
  const result = await route.run(await filesService(), event, requirePrincipal(event), requestId);
  return isResponse(result) ? result : json(200, result, { 'x-request-id': requestId });
}

async function upload(service: FilesService, event: APIGatewayProxyEvent, principal: Principal): Promise<unknown> {
  const form = await multipartForm(event, service.maxFileBytes + 64 * 1024);
  const purpose = form.fields.get('purpose');
  if (purpose === undefined) throw new InvalidRequestError("Missing required parameter: 'purpose'.", 'purpose', 'missing_required_parameter');
  if (!form.file) throw new InvalidRequestError("Missing required parameter: 'file' (a file part of the form).", 'file', 'missing_required_parameter');
  return service.upload(principal, { filename: form.file.name, purpose, content: form.file.content });
}

async function content(service: FilesService, event: APIGatewayProxyEvent, principal: Principal, requestId: string): Promise<StreamingResponse> {
  const { file, content: bytes } = await service.content(principal, fileIdOf(event));
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/jsonl', 'cache-control': 'no-store', 'content-disposition': `attachment; filename="${encodeURIComponent(file.filename)}"`, 'x-request-id': requestId },
    body: Readable.from([Buffer.from(bytes)]),
  };
}

const isResponse = (value: unknown): value is StreamingResponse => value instanceof Object && 'statusCode' in value && 'body' in value;

function fileIdOf(event: APIGatewayProxyEvent): string {
  const raw = (event.path ?? '').replace(/\/+$/, '').split('/')[3] ?? '';
  return decodePathSegment(raw) ?? raw;
}
