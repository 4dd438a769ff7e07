// POST /v1/embeddings: OpenAI's embeddings endpoint in front of the catalog's embedding models.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { embeddingsResponse } from '#core/embeddings/encode.ts';
import { parseEmbeddingsRequest } from '#core/embeddings/embeddings-request-schema.ts';
import { emitCallMetrics } from './shared/call-metrics.ts';
import { decisionHeaders } from './shared/decision-headers.ts';
import { cacheMode, jsonBody, requirePrincipal, routingHints } from './shared/http-event.ts';
import { json } from './shared/responses.ts';
import type { StreamingResponse } from './shared/responses.ts';
import { routerRuntime } from './shared/router-runtime.ts';

export async function embeddings(event: APIGatewayProxyEvent, requestId: string, signal?: AbortSignal): Promise<StreamingResponse> {
  const principal = requirePrincipal(event);
  const { config, embeddings: service } = await routerRuntime();
  const request = parseEmbeddingsRequest(jsonBody(event, config.maxBodyBytes));
  const started = Date.now();
  const routed = await service.embed(request, { principal, requestId, hints: routingHints(event), cacheMode: cacheMode(event), ...(signal ? { signal } : {}) });
  emitCallMetrics(routed.outcome, Date.now() - started, routed.costUsd);
  const body = embeddingsResponse(routed.vectors, routed.modelId, routed.promptTokens, request.encoding_format ?? 'float');
  return json(200, body, decisionHeaders(routed.outcome, requestId, routed.costUsd));
}
