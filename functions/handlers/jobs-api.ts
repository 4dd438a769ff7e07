// The jobs Lambda: OpenAI's batch and files APIs (`/v1/batches`, `/v1/files`) behind the same
// authorizer as the router. A function of its own, so the router (chat traffic) carries neither the
// S3 and SQS clients nor their grants; streamed like the router, so batch results and file contents
// keep the streaming limits (a buffered answer stops at 6 MB).
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { normalisedPath } from '#contracts/jobs-paths.ts';
import { NotFoundError } from '#core/shared/errors.ts';
import { routeBatches } from './batches-api.ts';
import { routeFiles } from './files-api.ts';
import type { StreamingResponse } from './shared/responses.ts';
import { streamingHandler } from './shared/streaming-handler.ts';

async function route(event: APIGatewayProxyEvent, context: Context): Promise<StreamingResponse> {
  const requestId = event.requestContext?.requestId ?? context.awsRequestId;
  const method = (event.httpMethod ?? 'GET').toUpperCase();
  const path = normalisedPath(event.path);
  if (path === '/v1/batches' || path.startsWith('/v1/batches/')) return routeBatches(event, method, path, requestId);
  if (path === '/v1/files' || path.startsWith('/v1/files/')) return routeFiles(event, method, path, requestId);
  throw new NotFoundError(`Unknown path ${method} ${path}. This function serves /v1/batches and /v1/files (see docs/api.md).`, null, 'unknown_url');
}

export const handler = streamingHandler(route);
