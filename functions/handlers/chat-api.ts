// POST /v1/chat/completions: parse, admit under the tenant's token limit, call the chat use case
// (JSON or SSE), and shape the response with the routing decision's headers.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { parameterPolicy, parseChatRequest } from '#core/chat/chat-request-schema.ts';
import { afterResponse } from '#core/chat/types.ts';
import { requestTokenEstimate } from '#core/limits/token-limiter.ts';
import { emitCallMetrics } from './shared/call-metrics.ts';
import type { CallHooks } from './shared/call-signal.ts';
import { decisionHeaders } from './shared/decision-headers.ts';
import { cacheMode, jsonBody, requirePrincipal, routingHints } from './shared/http-event.ts';
import { json } from './shared/responses.ts';
import type { StreamingResponse } from './shared/responses.ts';
import { routerRuntime } from './shared/router-runtime.ts';
import { sseBody } from './shared/sse.ts';

export async function chatCompletions(event: APIGatewayProxyEvent, requestId: string, call: CallHooks): Promise<StreamingResponse> {
  const principal = requirePrincipal(event);
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
    // The metric line (a stdout write on Lambda) waits for the response too.
    const latencyMs = Date.now() - started;
    void afterResponse(call.defer, async () => emitCallMetrics(routed.outcome, latencyMs, routed.costUsd));
    return json(200, routed.completion, { ...limit?.headers, ...decisionHeaders(routed.outcome, requestId, routed.costUsd) });
  } catch (error) {
    if (limits) void afterResponse(call.defer, () => limits.settle(requestId, undefined));
    throw error;
  }
}
