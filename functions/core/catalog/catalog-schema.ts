// The model catalog file format. Validated once at start-up; every bad field is reported with its path.
import * as z from 'zod/mini';
import '../../contracts/zod-en.ts';

export const capabilitySchema = z.enum(['vision', 'tools', 'json', 'streaming', 'reasoning']);
export type Capability = z.infer<typeof capabilitySchema>;

/**
 * How a model continues an answer from a final assistant message (a stream broken mid-answer is
 * continued on it): `assistant` sends the trailing assistant turn as it is (Anthropic Messages,
 * Bedrock Converse, servers that continue a final assistant message by default); `prefix` marks it
 * `prefix: true` (DeepSeek prefix completion, beta base URL); `partial` marks it `partial: true`
 * (DashScope / Qwen). Unset: the model cannot continue one, and is never asked to.
 */
export const prefillSchema = z.enum(['assistant', 'prefix', 'partial']);
export type PrefillForm = z.infer<typeof prefillSchema>;

export const strategySchema = z.enum(['cost-first', 'quality-first', 'balanced', 'learned']);
export type Strategy = z.infer<typeof strategySchema>;

const id = z.string().check(z.regex(/^[a-zA-Z0-9][a-zA-Z0-9._:/-]*$/, 'letters, digits and . _ : / - only'));
const score = z.number().check(z.minimum(0), z.maximum(1));
const price = z.number().check(z.nonnegative());

export const apiKeySourceSchema = z.strictObject({
  /** Environment variable that holds the key (local runs). */
  env: z.string().check(z.regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name')),
  /** Field of the provider-keys secret in Secrets Manager (AWS); defaults to `env`. */
  secretField: z.optional(z.string().check(z.minLength(1))),
});

export const providerSchema = z.strictObject({
  id,
  kind: z.enum(['openai-compatible', 'anthropic', 'bedrock']),
  /** Base URL up to and including the API version (`https://api.openai.com/v1`); not used by bedrock. */
  baseUrl: z.optional(z.url()),
  /** AWS region for bedrock. */
  region: z.optional(z.string().check(z.minLength(1))),
  apiKey: z.optional(apiKeySourceSchema),
  /** Extra headers sent on every call (for example `anthropic-version`). */
  headers: z.optional(z.record(z.string(), z.string())),
  timeoutMs: z.optional(z.number().check(z.int(), z.positive(), z.maximum(900_000))),
  /** Streaming: longest wait from the call start to the first content token; defaults.failover when unset. */
  firstTokenTimeoutMs: z.optional(z.number().check(z.int(), z.positive(), z.maximum(900_000))),
  /** Streaming: longest silence between two chunks before the stream counts as stalled; defaults.failover when unset. */
  streamIdleTimeoutMs: z.optional(z.number().check(z.int(), z.positive(), z.maximum(900_000))),
}).check(z.superRefine((p, ctx) => {
  if (p.kind !== 'bedrock' && !p.baseUrl) {
    ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: `required for kind "${p.kind}"` });
  }
  if (p.kind === 'bedrock' && !p.region) {
    ctx.addIssue({ code: 'custom', path: ['region'], message: 'required for kind "bedrock"' });
  }
}));
export type CatalogProvider = z.infer<typeof providerSchema>;

export const pricingSchema = z.strictObject({
  currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code')),
  /** Price per 1M input tokens. */
  inputPerMTok: price,
  /** Price per 1M output tokens (reasoning tokens are billed as output). */
  outputPerMTok: price,
  /** Price per 1M cached input tokens; defaults to the input price. */
  cachedInputPerMTok: z.optional(price),
});

export const modelSchema = z.strictObject({
  id,
  provider: id,
  /** The provider's own model id. */
  upstreamId: z.string().check(z.minLength(1)),
  displayName: z.optional(z.string()),
  pricing: pricingSchema,
  contextWindow: z.number().check(z.int(), z.positive()),
  maxOutputTokens: z.number().check(z.int(), z.positive()),
  quality: z.strictObject({
    overall: score,
    /** Per task type (`code`, `math`, `chat`, `summarize`, `extract`, ...); falls back to overall. */
    tasks: z._default(z.record(z.string(), score), {}),
  }),
  capabilities: z._default(z.array(capabilitySchema), []),
  /** Continues from a trailing assistant message, in this provider-specific form (see prefillSchema). */
  prefill: z.optional(prefillSchema),
  /** Typical latency to complete a short answer, used by `balanced` until live data exists. */
  latencyMs: z._default(z.number().check(z.positive()), 1500),
  /** Load-balancing weight among deployments of the same model (models sharing a `group`). */
  weight: z._default(z.number().check(z.positive()), 1),
  /**
   * Logical model this entry is one deployment of (another key, region or provider). Models sharing
   * a group are addressable by the group name as `model`, and take one slot of a route's fallback
   * plan, their order inside it chosen by the load balancer.
   */
  group: z.optional(id),
  /** Models to fall back to, in order, when this one is named explicitly and fails. */
  fallbacks: z._default(z.array(id), []),
  /** `chat` (default) serves chat completions and messages; `embedding` serves POST /v1/embeddings only. */
  kind: z._default(z.enum(['chat', 'embedding']), 'chat'),
  /** Embedding models: the length of the vectors they return by default. */
  dimensions: z.optional(z.number().check(z.int(), z.positive())),
});
export type CatalogModel = z.infer<typeof modelSchema>;
export type ModelKind = CatalogModel['kind'];

export const weightsSchema = z.strictObject({
  quality: z.number().check(z.nonnegative()),
  cost: z.number().check(z.nonnegative()),
  latency: z.number().check(z.nonnegative()),
});
export type BalancedWeights = z.infer<typeof weightsSchema>;

/**
 * How semantic candidates are verified: the word-level differential check (default, free), a judge model
 * (the cheapest capable catalog model, asked yes/no, with per-entry thresholds learned vCache-style), or
 * both (the check serves what it accepts, the judge rules on what it cannot).
 */
export const semanticCacheSchema = z.strictObject({
  verify: z.optional(z.enum(['differential', 'judge', 'differential+judge'])),
  /** The error rate the judge modes keep served-without-verification answers under (vCache's delta); default 0.02. */
  maxErrorRate: z.optional(z.number().check(z.gt(0), z.lt(1))),
  /** Cosine below which a candidate is a miss without asking the judge; default 0.5. */
  minSimilarity: z.optional(z.number().check(z.minimum(-1), z.maximum(1))),
});

/** Response cache settings of a route; every field optional (defaults in core/cache/policy.ts). */
export const routeCacheSchema = z.strictObject({
  /** Default true. */
  enabled: z.optional(z.boolean()),
  /** How long an answer is reused; default 86400 (one day). */
  ttlSeconds: z.optional(z.number().check(z.int(), z.positive(), z.maximum(31_536_000))),
  /**
   * Also serve verified answers to reworded prompts; default true (ROUTER_SEMANTIC_CACHE=off: false). An
   * object turns them on and chooses how they are verified (core/cache/policy.ts, docs/caching.md).
   */
  semantic: z.optional(z.union([z.boolean(), semanticCacheSchema])),
  /** Cosine floor a verified semantic match must also reach under the configured embedder; default 0 (none). */
  threshold: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  /** Cache only temperature-0 requests without tools; default true. */
  requireDeterministic: z.optional(z.boolean()),
});
export type RouteCacheConfig = z.infer<typeof routeCacheSchema>;

/**
 * Settings of the `learned` strategy (core/routing/learned/): the cost target that sets the threshold
 * (at most one of strongShare / recoveredGap; default strongShare 0.3) and, optionally, the pair.
 */
export const learnedRouteSchema = z.strictObject({
  /** Share of calls the stronger model should get on typical traffic, 0..1. */
  strongShare: z.optional(score),
  /** Or: the share of the strong-vs-cheap quality gap to recover, 0..1 (the calibration picks the share). */
  recoveredGap: z.optional(score),
  /** The stronger candidate; default: the best-quality eligible model. */
  strong: z.optional(id),
  /** The cheaper candidate; default: the cheapest eligible model with quality >= cheapMinQuality. */
  cheap: z.optional(id),
  /** Quality floor of the default cheap candidate; default 0.8. */
  cheapMinQuality: z.optional(score),
}).check(z.refine((l) => l.strongShare === undefined || l.recoveredGap === undefined, { message: 'set strongShare or recoveredGap, not both' }));
export type LearnedRouteConfig = z.infer<typeof learnedRouteSchema>;

export const routeSchema = z.strictObject({
  strategy: strategySchema,
  taskType: z.optional(z.string()),
  minQuality: z.optional(score),
  maxCostUsd: z.optional(z.number().check(z.positive())),
  allow: z.optional(z.array(id)),
  deny: z.optional(z.array(id)),
  weights: z.optional(weightsSchema),
  /** How many candidates the fallback plan keeps. */
  maxAttempts: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(10))),
  /** Response cache settings for requests naming this route. */
  cache: z.optional(routeCacheSchema),
  /** Settings of the `learned` strategy. */
  learned: z.optional(learnedRouteSchema),
  /**
   * Request parameters beyond the router's own list that requests naming this route may send; they
   * are forwarded as sent (e.g. `web_search_options`). `store` here lets `store` reach the provider.
   */
  allowParameters: z.optional(z.array(z.string().check(z.regex(/^[a-z][a-z0-9_]{0,63}$/, 'a parameter name such as web_search_options')))),
});
export type RouteConfig = z.infer<typeof routeSchema>;

export const loadBalancingSchema = z.enum(['weighted', 'least-outstanding', 'latency']);
export type LoadBalancing = z.infer<typeof loadBalancingSchema>;

const ms = z.number().check(z.int(), z.nonnegative());
/** `ms` that must be above zero, at most `max` (classic zod's `ms.positive().max(max)`: the checks in that order). */
const positiveMs = (max: number) => z.number().check(z.int(), z.nonnegative(), z.positive(), z.maximum(max));

/** Retry and failover bounds (see core/retry-policy.ts and the README's "Failover and health"). */
export const failoverSchema = z.prefault(z.strictObject({
  /** Upstream calls per request at most, retries included. */
  maxCalls: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(20)), 6),
  /** Time budget of a JSON request, all attempts and backoff included. */
  totalBudgetMs: z._default(positiveMs(840_000), 120_000),
  /** Time budget of a stream until its first content token, all attempts included. */
  streamBudgetMs: z._default(positiveMs(840_000), 60_000),
  /** Per-attempt time to first content token (streams), unless the provider sets its own. */
  firstTokenTimeoutMs: z._default(positiveMs(900_000), 30_000),
  /** Per-attempt silence tolerated between stream chunks, unless the provider sets its own. */
  streamIdleTimeoutMs: z._default(positiveMs(900_000), 30_000),
  /** Base of the jittered backoff before retrying a 5xx or a reset connection (0.5x to 1.5x). */
  retryBaseMs: z._default(ms, 250),
  /** No retry ever follows sooner than this, whatever Retry-After says. */
  minBackoffMs: z._default(ms, 100),
  /** A 429's Retry-After longer than this is not waited for: the router fails over instead. */
  maxRetryAfterMs: z._default(ms, 10_000),
}), {});
export type FailoverSettings = z.infer<typeof failoverSchema>;

export const circuitBreakerSchema = z.strictObject({
  failureThreshold: z.optional(z.number().check(z.int(), z.positive())),
  errorRateThreshold: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  minCalls: z.optional(z.number().check(z.int(), z.positive())),
  windowMs: z.optional(z.number().check(z.int(), z.nonnegative(), z.positive())),
  bucketMs: z.optional(z.number().check(z.int(), z.nonnegative(), z.positive())),
  cooldownMs: z.optional(z.number().check(z.int(), z.nonnegative(), z.positive())),
  halfOpenSuccesses: z.optional(z.number().check(z.int(), z.positive())),
});

export const catalogSchema = z.strictObject({
  version: z.literal(1),
  /** USD per unit of each non-USD currency used in prices, e.g. `{ "CNY": 0.14 }`. */
  currencyRates: z._default(z.record(z.string().check(z.regex(/^[A-Z]{3}$/)), z.number().check(z.positive())), {}),
  defaults: z.prefault(z.strictObject({
    strategy: z._default(strategySchema, 'balanced'),
    weights: z._default(weightsSchema, { quality: 0.5, cost: 0.3, latency: 0.2 }),
    /** Output tokens assumed when a request sets no max_tokens (context-window and max-output checks). */
    assumedOutputTokens: z._default(z.number().check(z.int(), z.positive()), 1024),
    /**
     * A typical answer's length when a request sets no max_tokens: the expected cost that
     * `x-router-max-cost`, cost-first and the budget's "can it pay a typical answer" judge. Unset:
     * `assumedOutputTokens`.
     */
    expectedOutputTokens: z.optional(z.number().check(z.int(), z.positive())),
    maxAttempts: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(10)), 3),
    /** How deployments of one group are ordered: weighted random, fewest in flight, or lowest latency EWMA. */
    loadBalancing: z._default(loadBalancingSchema, 'weighted'),
    failover: z.prefault(failoverSchema, {}),
    /** Circuit-breaker settings; unset fields keep the defaults of core/circuit-breaker.ts. */
    circuitBreaker: z._default(circuitBreakerSchema, {}),
    /** Weights of the `learned` strategy: a file shipped in catalog/ (core/routing/learned/shipped.ts). */
    learnedWeights: z._default(z.string().check(z.regex(/^router-weights\.v\d+$/, 'a shipped weights file such as router-weights.v2')), 'router-weights.v2'),
  }), {}),
  providers: z.array(providerSchema).check(z.minLength(1)),
  models: z.array(modelSchema).check(z.minLength(1)),
  routes: z._default(z.record(id, routeSchema), {}),
});
export type CatalogFile = z.infer<typeof catalogSchema>;
