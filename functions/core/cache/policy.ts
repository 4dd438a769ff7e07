// When a request may be answered from (and stored in) the cache, per route and per tenant.
import type { ChatRequest } from '../chat/openai-types.ts';

/** The optional `cache` object of a catalog route. */
export type VerifyMode = 'differential' | 'judge' | 'differential+judge';

/** The object form of a route's `cache.semantic`: on, verified this way. */
export interface SemanticCacheSettings {
  verify?: VerifyMode | undefined;
  maxErrorRate?: number | undefined;
  minSimilarity?: number | undefined;
}

export interface RouteCacheSettings {
  enabled?: boolean | undefined;
  ttlSeconds?: number | undefined;
  semantic?: boolean | SemanticCacheSettings | undefined;
  threshold?: number | undefined;
  requireDeterministic?: boolean | undefined;
}

/** A tenant's overrides (tenants table item `TENANT#<id>` / `CACHE`). */
export interface TenantCacheSettings {
  enabled?: boolean | undefined;
  threshold?: number | undefined;
  semantic?: boolean | undefined;
}

export interface CachePolicy {
  enabled: boolean;
  ttlSeconds: number;
  /** Also serve verified answers to reworded prompts (differential.ts decides). */
  semantic: boolean;
  /** How semantic candidates are verified (a judge mode without a configured judge acts as `differential`). */
  verify: VerifyMode;
  /** Judge modes: the error bound per-entry thresholds keep unverified hits under (vCache's delta). */
  maxErrorRate: number;
  /** Judge modes: cosine under which a candidate is a miss without a judge call. */
  minSimilarity: number;
  /** Cosine a verified candidate must also reach under the configured embedder; 0 = no floor. */
  threshold: number;
  /** Only requests with an explicit temperature 0 and no tools are cached. */
  requireDeterministic: boolean;
}

export const DEFAULT_TTL_SECONDS = 86_400;

/**
 * Whether the semantic side is on when neither the route nor the deployment says. On: measured by
 * `npx node bench/cache.ts`, the differential check serves none of the 70 held-out near-misses and 83% of
 * the held-out paraphrases (the bar for turning it on by default is 0 and 80%). A route
 * (`cache.semantic: false`), a tenant (`semantic: false`) or the deployment (`ROUTER_SEMANTIC_CACHE=off`)
 * turns it off.
 */
export const DEFAULT_SEMANTIC = true;

/**
 * No cosine floor by default: on the tuning half the local embedder's cosine only cost paraphrase hits
 * (Chinese ones above all) and stopped no near-miss the differential check let through.
 */
export const DEFAULT_THRESHOLD = 0;

/** Default verification: the differential check alone (a judge needs a reachable model, which no deployment is guaranteed). */
export const DEFAULT_VERIFY: VerifyMode = 'differential';
export const DEFAULT_MAX_ERROR_RATE = 0.02;
export const DEFAULT_MIN_SIMILARITY = 0.5;

/**
 * Route settings over defaults; the tenant's threshold over the route's; the cache (or its semantic
 * side) is on only when neither the route nor the tenant switched it off.
 */
export function resolvePolicy(route: RouteCacheSettings | undefined, tenant: TenantCacheSettings | undefined, defaultSemantic = DEFAULT_SEMANTIC): CachePolicy {
  const semantic = typeof route?.semantic === 'object' ? route.semantic : undefined;
  return {
    enabled: (route?.enabled ?? true) && (tenant?.enabled ?? true),
    ttlSeconds: route?.ttlSeconds ?? DEFAULT_TTL_SECONDS,
    semantic: (semantic ? true : (route?.semantic as boolean | undefined) ?? defaultSemantic) && (tenant?.semantic ?? true),
    verify: semantic?.verify ?? DEFAULT_VERIFY,
    maxErrorRate: semantic?.maxErrorRate ?? DEFAULT_MAX_ERROR_RATE,
    minSimilarity: semantic?.minSimilarity ?? DEFAULT_MIN_SIMILARITY,
    threshold: tenant?.threshold ?? route?.threshold ?? DEFAULT_THRESHOLD,
    requireDeterministic: route?.requireDeterministic ?? true,
  };
}

/** Whether the request's answer can be reused under the policy. */
export function isCacheable(request: ChatRequest, policy: CachePolicy): boolean {
  if (!policy.enabled) return false;
  if ((request.n ?? 1) !== 1) return false;
  if (!policy.requireDeterministic) return true;
  return request.temperature === 0 && !request.tools?.length;
}
