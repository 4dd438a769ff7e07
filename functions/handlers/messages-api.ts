// POST /v1/messages (JSON and SSE) and /v1/messages/count_tokens: Anthropic's API in front of the chat
// use case (translation in core/messages), with errors in Anthropic's shape.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { estimateInputTokens } from '#core/pricing/tokens.ts';
import { fromChatCompletion } from '#core/messages/from-completion.ts';
import { messagesError } from '#core/messages/messages-errors.ts';
import { countTokensRequestSchema, messagesRequestSchema, parseMessagesBody } from '#core/messages/messages-request-schema.ts';
import { messagesStreamEvents } from '#core/messages/stream-events.ts';
import { toChatRequest } from '#core/messages/to-chat-request.ts';
import type { Principal } from '#core/auth/ports.ts';
import { RouterError } from '#core/shared/errors.ts';
import { emitCallMetrics } from './shared/call-metrics.ts';
import { decisionHeaders } from './shared/decision-headers.ts';
import { cacheMode, jsonBody, requirePrincipal, routingHints } from './shared/http-event.ts';
import { logger } from './shared/logger.ts';
import { json, methodNotAllowed } from './shared/responses.ts';
import type { StreamingResponse } from './shared/responses.ts';
import type { CallHooks } from './shared/call-signal.ts';
import { routerRuntime } from './shared/router-runtime.ts';
import { messagesSseBody } from './shared/sse.ts';

export async function routeMessages(event: APIGatewayProxyEvent, method: string, path: string, requestId: string, call: CallHooks = {}): Promise<StreamingResponse> {
  try {
    if (method !== 'POST') throw methodNotAllowed(method, 'POST');
    const principal = requirePrincipal(event, 'x-api-key: <key> or Authorization: Bearer <key>');
    return path === '/v1/messages/count_tokens' ? await countTokens(event, requestId) : await messages(event, principal, requestId, call);
  } catch (error) {
    const { status, headers, body } = messagesError(error, requestId);
    if (error instanceof RouterError) logger.info('request rejected', { status, code: error.code, param: error.param, requestId });
    else logger.error('unexpected error', { error: error as Error, requestId });
    return json(status, body, { ...headers, 'x-request-id': requestId });
  }
}

async function countTokens(event: APIGatewayProxyEvent, requestId: string): Promise<StreamingResponse> {
  const { config } = await routerRuntime();
  const request = parseMessagesBody(countTokensRequestSchema, jsonBody(event, config.maxBodyBytes));
  const chat = toChatRequest({ ...request, max_tokens: request.max_tokens ?? 1 });
  return json(200, { input_tokens: estimateInputTokens(chat) }, { 'x-request-id': requestId });
}

async function messages(event: APIGatewayProxyEvent, principal: Principal, requestId: string, call: CallHooks): Promise<StreamingResponse> {
  const { config, chat } = await routerRuntime();
  const request = parseMessagesBody(messagesRequestSchema, jsonBody(event, config.maxBodyBytes));
  const chatRequest = toChatRequest(request);
  const ctx = { principal, requestId, hints: routingHints(event), cacheMode: cacheMode(event), ...call };
  const started = Date.now();
  if (request.stream) {
    // include_usage: the final usage chunk becomes message_delta's usage.
    const routed = await chat.stream({ ...chatRequest, stream: true, stream_options: { include_usage: true } }, ctx);
    routed.cost.then((cost) => emitCallMetrics(routed.outcome, Date.now() - started, cost), () => undefined);
    const events = messagesStreamEvents(routed.chunks, { model: routed.outcome.modelId, estimatedInputTokens: estimateInputTokens(chatRequest) });
    return {
      statusCode: 200,
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...decisionHeaders(routed.outcome, requestId) },
      body: messagesSseBody(events, requestId),
    };
  }
  const routed = await chat.complete(chatRequest, ctx);
  emitCallMetrics(routed.outcome, Date.now() - started, routed.costUsd);
  return json(200, fromChatCompletion(routed.completion), decisionHeaders(routed.outcome, requestId, routed.costUsd));
}
