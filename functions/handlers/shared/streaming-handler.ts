// The middy chain every streamed API function shares: response streaming, OpenAI-shaped errors, and
// outside middy the call signal (only the streaming wrapper sees the response stream, so it turns a
// client that hung up, or the nearing function timeout, into the abort signal of the call).
import middy from '@middy/core';
import { executionModeStreamifyResponse } from '@middy/core/StreamifyResponse';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { withCallSignal } from './call-signal.ts';
import type { StreamingHandler } from './call-signal.ts';
import { openAiErrors } from './openai-errors-middleware.ts';
import type { StreamingResponse } from './responses.ts';

/** A Lambda handler streaming what `route` answers. */
export function streamingHandler(route: (event: APIGatewayProxyEvent, context: Context) => Promise<StreamingResponse>): StreamingHandler<APIGatewayProxyEvent> {
  const streamed = middy<APIGatewayProxyEvent, StreamingResponse, Error, Context>({
    executionMode: executionModeStreamifyResponse,
    // The response is streamed; middy's own early-timeout would cut a long answer short.
    timeoutEarlyInMillis: 0,
  })
    .use(openAiErrors())
    .handler(route);
  // middy types a streamify handler as (event, context); at run time it takes the response stream too.
  return withCallSignal(streamed as unknown as StreamingHandler<APIGatewayProxyEvent>);
}
