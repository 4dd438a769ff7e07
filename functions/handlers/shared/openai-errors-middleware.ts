// middy middleware: any error becomes an OpenAI-shaped response; details of unexpected ones stay in the log.
import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { RouterError } from '#core/shared/errors.ts';
import { logger } from './logger.ts';
import { errorResponse } from './responses.ts';
import type { StreamingResponse } from './responses.ts';

type RouterRequest = Request<APIGatewayProxyEvent, StreamingResponse, Error, Context>;

export function openAiErrors(): MiddlewareObj<APIGatewayProxyEvent, StreamingResponse, Error, Context> {
  const onError = async (request: RouterRequest): Promise<void> => {
    const requestId = request.event.requestContext?.requestId ?? request.context.awsRequestId;
    if (request.error instanceof RouterError) {
      logger.info('request rejected', { status: request.error.status, code: request.error.code, param: request.error.param, requestId });
    } else {
      logger.error('unexpected error', { error: request.error as Error, requestId });
    }
    request.response = errorResponse(request.error, requestId);
  };
  return { onError };
}
