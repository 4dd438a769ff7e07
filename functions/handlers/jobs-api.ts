// The jobs Lambda: OpenAI's batch and files APIs (`/v1/batches`, `/v1/files`) behind the same
// authorizer as the router. A function of its own, so the router (chat traffic) carries neither the
// S3 and SQS clients nor their grants; streamed like the router, so batch results and file contents
// keep the streaming limits (a buffered answer stops at 6 MB).
import middy from '@middy/core';
import { executionModeStreamifyResponse } from '@middy/core/StreamifyResponse';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { normalisedPath } from '#contracts/jobs-paths.ts';
import { NotFoundError } from '#core/shared/errors.ts';
import { routeBatches } from './batches-api.ts';
import { routeFiles } from './files-api.ts';
import { withCallSignal } from './shared/call-signal.ts';
import type { StreamingHandler } from './shared/call-signal.ts';
import { openAiErrors } from './shared/openai-errors-middleware.ts';
import type { StreamingResponse } from './shared/responses.ts';

async function route(event: APIGatewayProxyEvent, context: Context): Promise<StreamingResponse> {
  const requestId = event.requestContext?.requestId ?? context.awsRequestId;
  const method = (event.httpMethod ?? 'GET').toUpperCase();
  const path = normalisedPath(event.path);
  if (path === '/v1/batches' || path.startsWith('/v1/batches/')) return routeBatches(event, method, path, requestId);
  if (path === '/v1/files' || path.startsWith('/v1/files/')) return routeFiles(event, method, path, requestId);
  throw new NotFoundError(`Unknown path ${method} ${path}. This function serves /v1/batches and /v1/files (see docs/api.md).`, null, 'unknown_url');
}

const streamed = middy<APIGatewayProxyEvent, StreamingResponse, Error, Context>({
  executionMode: executionModeStreamifyResponse,
  // Results and file contents are streamed; middy's own early-timeout would cut them short.
  timeoutEarlyInMillis: 0,
})
  .use(openAiErrors())
  .handler(route);

// middy types a streamify handler as (event, context); at run time it takes the response stream too.
export const handler = withCallSignal(streamed as unknown as StreamingHandler<APIGatewayProxyEvent>);
