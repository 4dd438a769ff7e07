// The `/v1/models` view of the catalog: concrete models plus the named routes (such as `auto`).
import type { Catalog, ResolvedModel } from './catalog.ts';
import type { ModelObject } from './openai-types.ts';

// Catalog entries have no creation time; a fixed epoch keeps the listing stable across cold starts.
const CREATED = 1_767_225_600;

function modelObject(model: ResolvedModel): ModelObject {
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
  };
}

/** The OpenAI list response for the catalog: models first, then routes. */
export function listModels(catalog: Catalog): { object: 'list'; data: ModelObject[] } {
  const routes = Object.entries(catalog.routes).map(([id, route]): ModelObject => ({
    id, object: 'model', created: CREATED, owned_by: 'llm-router', route: { strategy: route.strategy },
  }));
  return { object: 'list', data: [...catalog.models.map(modelObject), ...routes] };
}

/** One model or route by id, or undefined. */
export function findModel(catalog: Catalog, id: string): ModelObject | undefined {
  return listModels(catalog).data.find((m) => m.id === id);
}
