// A small route table for the API's sub-resources: the route for a method and path, a 404 for an
// unknown path and a 405 (with Allow) for a known path called with another method.
import { NotFoundError } from '#core/shared/errors.ts';
import { methodNotAllowed } from './responses.ts';

export interface Route<R> {
  method: string;
  pattern: RegExp;
  run: R;
}

export function matchRoute<R>(routes: ReadonlyArray<Route<R>>, method: string, path: string): Route<R> {
  const matching = routes.filter((r) => r.pattern.test(path));
  if (matching.length === 0) throw new NotFoundError(`Unknown path ${method} ${path}.`, null, 'unknown_url');
  const route = matching.find((r) => r.method === method);
  if (route) return route;
  throw methodNotAllowed(method, matching.map((r) => r.method).join(', '));
}
