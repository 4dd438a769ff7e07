// What the request's `model` names: a route, a concrete model, or a deployment group. The one
// place that resolves that name; planning and batch validation both go through it.
import type { RouteConfig } from '../catalog/catalog-schema.ts';
import type { Catalog, ResolvedModel } from '../catalog/catalog.ts';
import { NotFoundError } from '../shared/errors.ts';

export type RouteTarget =
  | { kind: 'route'; name: string; route: RouteConfig }
  | { kind: 'model'; model: ResolvedModel }
  /** Catalog models sharing a `group` are deployments of one logical model. */
  | { kind: 'group'; name: string; members: ResolvedModel[] };

/** Members of a group, in catalog order; empty when `name` is not a group. */
export function groupMembers(catalog: Catalog, name: string): ResolvedModel[] {
  return catalog.models.filter((m) => m.group === name);
}

/** Resolves `model` (route names first, then model ids, then groups); 404 `model_not_found` otherwise. */
export function resolveTarget(catalog: Catalog, name: unknown): RouteTarget {
  const id = typeof name === 'string' ? name : '';
  if (Object.hasOwn(catalog.routes, id)) return { kind: 'route', name: id, route: catalog.routes[id]! };
  const model = catalog.modelsById.get(id);
  if (model) return { kind: 'model', model };
  const members = groupMembers(catalog, id);
  if (members.length > 0) return { kind: 'group', name: id, members };
  const routes = Object.keys(catalog.routes).sort().join(', ');
  throw new NotFoundError(
    `The model '${id}' does not exist or you do not have access to it. Use 'auto', a route (${routes}) or a model id from GET /v1/models.`,
    'model',
    'model_not_found',
  );
}
