// The `/v1/models` view of the catalog: concrete models plus the named routes (such as `auto`).
import type { Catalog, ResolvedModel } from './catalog.ts';
import type { ModelObject } from '../chat/openai-types.ts';
import type { RoutingContext } from '../routing/types.ts';

/** Routability of a model now: from the provider's probe health and the model's circuit breaker. */
export type ModelStatus = 'available' | 'circuit_open' | 'provider_unhealthy';

function health(model: ResolvedModel, context: RoutingContext): { status: ModelStatus; status_detail?: string } {
  const why = context.unavailable?.get(model.id);
  if (why === undefined) return { status: 'available' };
  return { status: why.startsWith('circuit open') ? 'circuit_open' : 'provider_unhealthy', status_detail: why };
}

// Catalog entries have no creation time; a fixed epoch keeps the listing stable across cold starts.
const CREATED = 1_767_225_600;

function modelObject(model: ResolvedModel, context: RoutingContext): ModelObject {
  return {
    id: model.id,
    object: 'model',
    created: CREATED,
    owned_by: model.provider,
    context_window: model.contextWindow,
    max_output_tokens: model.maxOutputTokens,
    capabilities: model.capabilities,
    pricing_usd_per_mtok: model.priceUsd,
    quality: model.quality.overall,
    ...(model.group === undefined ? {} : { group: model.group }),
    ...health(model, context),
  };
}

/** The OpenAI list response for the catalog: models (with their health in `context`) first, then routes. */
export function listModels(catalog: Catalog, context: RoutingContext = {}): { object: 'list'; data: ModelObject[] } {
  const routes = Object.entries(catalog.routes).map(([id, route]): ModelObject => ({
    id, object: 'model', created: CREATED, owned_by: 'llm-router', route: { strategy: route.strategy },
  }));
  return { object: 'list', data: [...catalog.models.map((m) => modelObject(m, context)), ...routes] };
}

/** One model or route by id, or undefined. */
export function findModel(catalog: Catalog, id: string, context: RoutingContext = {}): ModelObject | undefined {
  return listModels(catalog, context).data.find((m) => m.id === id);
}
