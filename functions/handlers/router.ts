// The router Lambda: OpenAI-compatible `/v1` behind API Gateway (REST, response streaming). It only
// dispatches by path; each endpoint parses, calls its use case and shapes the response in its own file.
// `/v1/batches` and `/v1/files` are served by the jobs function (jobs-api.ts), not here.
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { NotFoundError } from '#core/shared/errors.ts';
import { chatCompletions } from './chat-api.ts';
import { embeddings } from './embeddings-api.ts';
import { routeMessages } from './messages-api.ts';
import { models } from './models-api.ts';
import { callHooks, callSignal } from './shared/call-signal.ts';
import { decodePathSegment } from './shared/http-event.ts';
import { methodNotAllowed } from './shared/responses.ts';
import type { StreamingResponse } from './shared/responses.ts';
import { streamingHandler } from './shared/streaming-handler.ts';

async function route(event: APIGatewayProxyEvent, context: Context): Promise<StreamingResponse> {
  const requestId = event.requestContext?.requestId ?? context.awsRequestId;
  const method = (event.httpMethod ?? 'GET').toUpperCase();
  const path = (event.path ?? '/').replace(/\/+$/, '') || '/';
  const only = (allowed: string): void => {
    if (method !== allowed) throw methodNotAllowed(method, allowed);
  };
  if (path === '/v1/chat/completions') {
    only('POST');
    return chatCompletions(event, requestId, callHooks(context));
  }
  if (path === '/v1/models' || path.startsWith('/v1/models/')) {
    only('GET');
    const raw = path.slice('/v1/models/'.length);
    return models(event, requestId, path === '/v1/models' ? undefined : decodePathSegment(raw) ?? raw);
  }
  if (path === '/v1/embeddings') {
    only('POST');
    return embeddings(event, requestId, callSignal(context));
  }
  if (path === '/v1/messages' || path === '/v1/messages/count_tokens') return routeMessages(event, method, path, requestId, callHooks(context));
  throw new NotFoundError(`Unknown path ${method} ${path}. The API serves /v1/chat/completions, /v1/messages, /v1/embeddings, /v1/models, /v1/batches and /v1/files (see docs/api.md).`, null, 'unknown_url');
}

export const handler = streamingHandler(route);
