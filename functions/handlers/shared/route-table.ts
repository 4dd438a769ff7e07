// A small route table for the API's sub-resources: the route for a method and path, a 404 for an
// unknown path and a 405 (with Allow) for a known path called with another method.
import { NotFoundError, RouterError } from '#core/shared/errors.ts';

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
  const allowed = matching.map((r) => r.method).join(', ');
  throw new RouterError(`Method ${method} is not allowed here; use ${allowed}.`, {
    status: 405, type: 'invalid_request_error', code: 'method_not_allowed', headers: { allow: allowed },
  });
}
