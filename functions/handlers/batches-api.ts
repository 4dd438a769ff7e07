// The batch HTTP operations: parse the request, call the batch use case, shape the response.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import '../contracts/zod-en.ts';
import { batchIdSchema } from '#contracts/batch-message.ts';
import type { BatchService } from '#core/batch/batch-service.ts';
import type { Principal } from '#core/auth/ports.ts';
import { NotFoundError } from '#core/shared/errors.ts';
import { batchService } from './shared/batch-runtime.ts';
import { decodePathSegment, jsonBody, queryOf, requirePrincipal, routingHints } from './shared/http-event.ts';
import { isAsyncIterable, jsonl } from './shared/jsonl.ts';
import { json } from './shared/responses.ts';
import { matchRoute } from './shared/route-table.ts';
import type { Route } from './shared/route-table.ts';
import type { StreamingResponse } from './shared/responses.ts';

/** Lambda's synchronous payload limit: larger submissions never arrive whole. */
export const BATCH_MAX_BODY_BYTES = 6 * 1024 * 1024;

type Run = (service: BatchService, event: APIGatewayProxyEvent, principal: Principal) => Promise<unknown>;

const listQuery = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
  after: z.optional(batchIdSchema),
});

const ROUTES: Array<Route<Run>> = [
  { method: 'POST', pattern: /^\/v1\/batches$/, run: (s, e, p) => s.create(p, jsonBody(e, BATCH_MAX_BODY_BYTES), routingHints(e)) },
  { method: 'GET', pattern: /^\/v1\/batches$/, run: (s, e, p) => listOf(s, p, queryOf(e, listQuery, 'limit')) },
  { method: 'GET', pattern: /^\/v1\/batches\/[^/]+$/, run: (s, e, p) => s.retrieve(p, batchIdOf(e)) },
  { method: 'GET', pattern: /^\/v1\/batches\/[^/]+\/results$/, run: (s, e, p) => s.results(p, batchIdOf(e)) },
  { method: 'POST', pattern: /^\/v1\/batches\/[^/]+\/cancel$/, run: (s, e, p) => s.cancel(p, batchIdOf(e)) },
];

/** Dispatches `/v1/batches...`; the jobs function calls it for every path under /v1/batches. */
export async function routeBatches(event: APIGatewayProxyEvent, method: string, path: string, requestId: string): Promise<StreamingResponse> {
  const route = matchRoute(ROUTES, method, path);
  const result = await route.run(await batchService(), event, requirePrincipal(event));
  if (isAsyncIterable(result)) return jsonl(result, requestId);
  return json(200, result, { 'x-request-id': requestId });
}

const listOf = (service: BatchService, principal: Principal, query: z.infer<typeof listQuery>) => service.list(principal, query.limit, query.after);

function batchIdOf(event: APIGatewayProxyEvent): string {
  const path = (event.path ?? '').replace(/\/+$/, '');
  const raw = path.split('/')[3] ?? '';
  const id = decodePathSegment(raw) ?? raw;
  if (!batchIdSchema.safeParse(id).success) throw new NotFoundError(`No batch found with id '${id}'.`, 'batch_id', 'batch_not_found');
  return id;
}
