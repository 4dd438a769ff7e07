// Invokes the router Lambda handler in-process with an API Gateway proxy event, through the same
// streaming-response stand-in the local runtime uses: what the fuzz tests need to run thousands of
// cases without an HTTP round trip each. Call after the local stack started (it sets the environment).
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { PreludeParser } from '#local/awslambda-shim.ts';
import { lambdaContext } from '#local/lambda-context.ts';
import type { Principal } from '#core/auth/ports.ts';

type StreamingHandler = (event: APIGatewayProxyEvent, stream: Writable, context: Context) => Promise<unknown>;

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface InvokeRequest {
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
  principal: Principal;
}

/** A proxy event as API Gateway builds it after the authorizer allowed `principal`. */
export function proxyEvent(request: InvokeRequest): APIGatewayProxyEvent {
  const requestId = randomUUID();
  return {
    resource: '/{proxy+}', path: request.path, httpMethod: request.method,
    headers: { 'content-type': 'application/json', ...request.headers }, multiValueHeaders: {},
    queryStringParameters: null, multiValueQueryStringParameters: null, pathParameters: { proxy: request.path.replace(/^\//, '') },
    stageVariables: null, body: request.body ?? null, isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000', apiId: 'local', protocol: 'HTTP/1.1', httpMethod: request.method, path: `/local${request.path}`,
      stage: 'local', requestId, requestTimeEpoch: Date.now(), resourceId: 'local', resourcePath: '/{proxy+}',
      authorizer: { principalId: request.principal.keyId, tenantId: request.principal.tenantId, keyId: request.principal.keyId },
      identity: {
        sourceIp: '127.0.0.1', userAgent: 'fuzz', accessKey: null, accountId: null, apiKey: null, apiKeyId: null, caller: null,
        clientCert: null, cognitoAuthenticationProvider: null, cognitoAuthenticationType: null, cognitoIdentityId: null,
        cognitoIdentityPoolId: null, principalOrgId: null, user: null, userArn: null,
      },
    },
  };
}

/** Runs the handler and collects status, headers and the whole body. */
export async function invokeRouter(handler: unknown, request: InvokeRequest): Promise<Reply> {
  const event = proxyEvent(request);
  const reply: Reply = { status: 0, headers: {}, body: '' };
  const chunks: Buffer[] = [];
  const ended = new Promise<void>((resolve) => {
    const sink = new PreludeParser({
      onPrelude: (meta) => { reply.status = meta.statusCode ?? 200; reply.headers = meta.headers ?? {}; },
      onBody: (chunk) => { chunks.push(chunk); },
      onEnd: () => resolve(),
    });
    (handler as StreamingHandler)(event, sink, lambdaContext('fuzz', event.requestContext.requestId, 60_000))
      .catch(() => { reply.status = 502; resolve(); });
  });
  await ended;
  reply.body = Buffer.concat(chunks).toString('utf8');
  return reply;
}
