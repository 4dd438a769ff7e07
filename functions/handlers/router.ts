// The router Lambda: OpenAI-compatible `/v1` behind API Gateway (REST, response streaming).
import middy from '@middy/core';
import { executionModeStreamifyResponse } from '@middy/core/StreamifyResponse';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { parameterPolicy, parseChatRequest } from '#core/chat/chat-request-schema.ts';
import { requestTokenEstimate } from '#core/limits/token-limiter.ts';
import type { RoutingOutcome } from '#core/chat/types.ts';
import { AuthenticationError, NotFoundError, RouterError } from '#core/shared/errors.ts';
import { listModels, findModel } from '#core/catalog/model-list.ts';
import { cacheMode, decodePathSegment, jsonBody, principalOf, routingHints } from './shared/http-event.ts';
import { openAiErrors } from './shared/openai-errors-middleware.ts';
import { json } from './shared/responses.ts';
import type { StreamingResponse } from './shared/responses.ts';
import { emitCallMetrics } from './shared/call-metrics.ts';
import { routerRuntime } from './shared/router-runtime.ts';
import { routeBatches } from './batches-api.ts';
import { routeFiles } from './files-api.ts';
import { routeMessages } from './messages-api.ts';
import { embeddings } from './embeddings-api.ts';
import { decisionHeaders } from './shared/decision-headers.ts';
import { sseBody } from './shared/sse.ts';
import { callHooks, callSignal, withCallSignal } from './shared/call-signal.ts';
import type { CallHooks, StreamingHandler } from './shared/call-signal.ts';

async function chatCompletions(event: APIGatewayProxyEvent, requestId: string, call: CallHooks): Promise<StreamingResponse> {
  const principal = principalOf(event);
  if (!principal) throw new AuthenticationError('Missing or invalid API key. Send Authorization: Bearer <key>.');
  const { config, catalog, chat, limits } = await routerRuntime();
  const body = jsonBody(event, config.maxBodyBytes);
  const request = parseChatRequest(body, parameterPolicy(catalog.routes, body));
  const ctx = { principal, requestId, hints: routingHints(event), cacheMode: cacheMode(event), ...call };
  // Tokens per minute: refused with a 429 before any work; the estimate is corrected with the call's usage.
  const limit = await limits?.admit(principal, requestId, requestTokenEstimate(request, catalog.defaults.assumedOutputTokens));
  const started = Date.now();
  try {
    if (request.stream) {
      const routed = await chat.stream(request, ctx);
      routed.cost.then((cost) => emitCallMetrics(routed.outcome, Date.now() - started, cost), () => undefined);
      return {
        statusCode: 200,
        headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...limit?.headers, ...decisionHeaders(routed.outcome, requestId) },
        body: sseBody(routed.chunks, requestId),
      };
    }
    const routed = await chat.complete(request, ctx);
    emitCallMetrics(routed.outcome, Date.now() - started, routed.costUsd);
    return json(200, routed.completion, { ...limit?.headers, ...decisionHeaders(routed.outcome, requestId, routed.costUsd) });
  } catch (error) {
    if (limits) (call.defer ?? ((work) => void work))(limits.settle(requestId, undefined));
    throw error;
  }
}

async function models(event: APIGatewayProxyEvent, requestId: string, id?: string): Promise<StreamingResponse> {
  if (!principalOf(event)) throw new AuthenticationError('Missing or invalid API key. Send Authorization: Bearer <key>.');
  const { catalog, chat } = await routerRuntime();
  // Health per model (available / circuit open / provider unhealthy), from the in-memory snapshot.
  const health = chat.routingContext();
  if (id === undefined) return json(200, listModels(catalog, health), { 'x-request-id': requestId });
  const model = findModel(catalog, id, health);
  if (!model) throw new NotFoundError(`The model '${id}' does not exist.`, 'model', 'model_not_found');
  return json(200, model, { 'x-request-id': requestId });
}

async function route(event: APIGatewayProxyEvent, context: Context): Promise<StreamingResponse> {
  const requestId = event.requestContext?.requestId ?? context.awsRequestId;
  const method = (event.httpMethod ?? 'GET').toUpperCase();
  const path = (event.path ?? '/').replace(/\/+$/, '') || '/';
  if (path === '/v1/chat/completions') {
    if (method !== 'POST') throw methodNotAllowed(method, 'POST');
    return chatCompletions(event, requestId, callHooks(context));
  }
  if (path === '/v1/models' || path.startsWith('/v1/models/')) {
    if (method !== 'GET') throw methodNotAllowed(method, 'GET');
    const raw = path.slice('/v1/models/'.length);
    const id = path === '/v1/models' ? undefined : decodePathSegment(raw) ?? raw;
    return models(event, requestId, id);
  }
  if (path === '/v1/embeddings') {
    if (method !== 'POST') throw methodNotAllowed(method, 'POST');
    return embeddings(event, requestId, callSignal(context));
  }
  if (path === '/v1/messages' || path === '/v1/messages/count_tokens') return routeMessages(event, method, path, requestId, callHooks(context));
  if (path === '/v1/batches' || path.startsWith('/v1/batches/')) return routeBatches(event, method, path, requestId);
  if (path === '/v1/files' || path.startsWith('/v1/files/')) return routeFiles(event, method, path, requestId);
  throw new NotFoundError(`Unknown path ${method} ${path}. The router serves /v1/chat/completions, /v1/messages, /v1/embeddings, /v1/models, /v1/batches and /v1/files (see docs/api.md).`, null, 'unknown_url');
}

function methodNotAllowed(method: string, allowed: string): RouterError {
  return new RouterError(`Method ${method} is not allowed here; use ${allowed}.`, {
    status: 405, type: 'invalid_request_error', code: 'method_not_allowed', headers: { allow: allowed },
  });
}

// Outside middy: only the streaming wrapper sees the response stream, so it turns a client that hung
// up (or the nearing function timeout) into the abort signal of the call.
const streamed = middy<APIGatewayProxyEvent, StreamingResponse, Error, Context>({
  executionMode: executionModeStreamifyResponse,
  // The response is streamed; middy's own early-timeout would cut a long answer short.
  timeoutEarlyInMillis: 0,
})
  .use(openAiErrors())
  .handler(route);

// middy types a streamify handler as (event, context); at run time it takes the response stream too.
export const handler = withCallSignal(streamed as unknown as StreamingHandler<APIGatewayProxyEvent>);
