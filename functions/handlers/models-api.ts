// GET /v1/models and /v1/models/{id}: the catalog's models with their health, from the in-memory snapshot.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { findModel, listModels } from '#core/catalog/model-list.ts';
import { NotFoundError } from '#core/shared/errors.ts';
import { requirePrincipal } from './shared/http-event.ts';
import { json } from './shared/responses.ts';
import type { StreamingResponse } from './shared/responses.ts';
import { routerRuntime } from './shared/router-runtime.ts';

export async function models(event: APIGatewayProxyEvent, requestId: string, id?: string): Promise<StreamingResponse> {
  requirePrincipal(event);
  const { catalog, chat } = await routerRuntime();
  // Health per model (available / circuit open / provider unhealthy).
  const health = chat.routingContext();
  if (id === undefined) return json(200, listModels(catalog, health), { 'x-request-id': requestId });
  const model = findModel(catalog, id, health);
  if (!model) throw new NotFoundError(`The model '${id}' does not exist.`, 'model', 'model_not_found');
  return json(200, model, { 'x-request-id': requestId });
}
