// The weights files shipped with the router, bundled at build time (tens of KB, no I/O at run time),
// validated and compiled once on first use.
import v2 from '../../../../catalog/router-weights.v2.json' with { type: 'json' };
import { compileRouter } from './model.ts';
import type { CompiledRouter } from './model.ts';
import type { ShippedWeightsName } from './shipped-names.ts';
import { routerWeightsSchema } from './weights.ts';

const FILES: Record<ShippedWeightsName, unknown> = { 'router-weights.v2': v2 };
const compiled = new Map<ShippedWeightsName, CompiledRouter>();

/** The compiled router of a shipped weights file. */
export function shippedRouter(name: ShippedWeightsName): CompiledRouter {
  let router = compiled.get(name);
  if (!router) {
    router = compileRouter(routerWeightsSchema.parse(FILES[name]));
    compiled.set(name, router);
  }
  return router;
}
