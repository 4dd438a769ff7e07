// Why a request has no candidate: the request itself (nothing could ever serve it: 400) or health
// (models that fit exist, but every one is behind an open breaker or an unhealthy provider: 503 with
// Retry-After). OpenAI SDKs never retry a 400, and an outage is not the caller's fault.
import type { Catalog } from '../catalog/catalog.ts';
import type { ChatRequest } from '../chat/openai-types.ts';
import { NoRouteError, ServiceUnavailableError } from '../shared/errors.ts';
import type { RouterError } from '../shared/errors.ts';
import type { RoutingHints } from './hints.ts';
import { explainNoRoute } from './plan.ts';
import { planSlots } from './plan-slots.ts';
import type { SlottedPlan } from './plan-slots.ts';
import type { RoutingContext } from './types.ts';

/** Retry-After when no breaker says when it half-opens. */
const DEFAULT_RETRY_AFTER_S = 30;

/** The error for an empty plan made under `context` at `now` (epoch ms). */
export function unroutableError(catalog: Catalog, request: ChatRequest, hints: RoutingHints, context: RoutingContext, plan: SlottedPlan, now: number): RouterError {
  const healthOnly = plan.excluded.some((e) => e.reason === 'unavailable');
  if (healthOnly) {
    const healthy = planSlots(catalog, request, hints, { ...context, unavailable: new Map(), retryAt: new Map() });
    if (healthy.candidates.length > 0) {
      const times = healthy.candidates.map((c) => context.retryAt?.get(c.model.id)).filter((t): t is number => t !== undefined);
      const seconds = times.length ? Math.max(1, Math.ceil((Math.min(...times) - now) / 1000)) : DEFAULT_RETRY_AFTER_S;
      const models = healthy.candidates.map((c) => c.model.id).join(', ');
      return new ServiceUnavailableError(`Every model that can serve this request is temporarily unavailable (${models}); retry in ${seconds} s.`, seconds);
    }
  }
  return new NoRouteError(explainNoRoute(plan), [...new Set(plan.excluded.map((e) => e.reason))]);
}
