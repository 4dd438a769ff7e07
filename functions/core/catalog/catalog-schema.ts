// The model catalog file format. Validated once at start-up; every bad field is reported with its path.
import * as z from 'zod';

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

const id = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._:/-]*$/, 'letters, digits and . _ : / - only');
const score = z.number().min(0).max(1);
const price = z.number().nonnegative();

export const apiKeySourceSchema = z.strictObject({
  /** Environment variable that holds the key (local runs). */
  env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name'),
  /** Field of the provider-keys secret in Secrets Manager (AWS); defaults to `env`. */
  secretField: z.string().min(1).optional(),
});

export const providerSchema = z.strictObject({
  id,
  kind: z.enum(['openai-compatible', 'anthropic', 'bedrock']),
  /** Base URL up to and including the API version (`https://api.openai.com/v1`); not used by bedrock. */
  baseUrl: z.url().optional(),
  /** AWS region for bedrock. */
  region: z.string().min(1).optional(),
  apiKey: apiKeySourceSchema.optional(),
  /** Extra headers sent on every call (for example `anthropic-version`). */
  headers: z.record(z.string(), z.string()).optional(),
  timeoutMs: z.number().int().positive().max(900_000).optional(),
  /** Streaming: longest wait from the call start to the first content token; defaults.failover when unset. */
  firstTokenTimeoutMs: z.number().int().positive().max(900_000).optional(),
  /** Streaming: longest silence between two chunks before the stream counts as stalled; defaults.failover when unset. */
  streamIdleTimeoutMs: z.number().int().positive().max(900_000).optional(),
}).superRefine((p, ctx) => {
  if (p.kind !== 'bedrock' && !p.baseUrl) {
    ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: `required for kind "${p.kind}"` });
  }
  if (p.kind === 'bedrock' && !p.region) {
    ctx.addIssue({ code: 'custom', path: ['region'], message: 'required for kind "bedrock"' });
  }
});
export type CatalogProvider = z.infer<typeof providerSchema>;

export const pricingSchema = z.strictObject({
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code'),
  /** Price per 1M input tokens. */
  inputPerMTok: price,
  /** Price per 1M output tokens (reasoning tokens are billed as output). */
  outputPerMTok: price,
  /** Price per 1M cached input tokens; defaults to the input price. */
  cachedInputPerMTok: price.optional(),
});

export const modelSchema = z.strictObject({
  id,
  provider: id,
  /** The provider's own model id. */
  upstreamId: z.string().min(1),
  displayName: z.string().optional(),
  pricing: pricingSchema,
  contextWindow: z.number().int().positive(),
  maxOutputTokens: z.number().int().positive(),
  quality: z.strictObject({
    overall: score,
    /** Per task type (`code`, `math`, `chat`, `summarize`, `extract`, ...); falls back to overall. */
    tasks: z.record(z.string(), score).default({}),
  }),
  capabilities: z.array(capabilitySchema).default([]),
  /** Continues from a trailing assistant message, in this provider-specific form (see prefillSchema). */
  prefill: prefillSchema.optional(),
  /** Typical latency to complete a short answer, used by `balanced` until live data exists. */
  latencyMs: z.number().positive().default(1500),
  /** Load-balancing weight among deployments of the same model (models sharing a `group`). */
  weight: z.number().positive().default(1),
  /**
   * Logical model this entry is one deployment of (another key, region or provider). Models sharing
   * a group are addressable by the group name as `model`, and take one slot of a route's fallback
   * plan, their order inside it chosen by the load balancer.
   */
  group: id.optional(),
  /** Models to fall back to, in order, when this one is named explicitly and fails. */
  fallbacks: z.array(id).default([]),
  /** `chat` (default) serves chat completions and messages; `embedding` serves POST /v1/embeddings only. */
  kind: z.enum(['chat', 'embedding']).default('chat'),
  /** Embedding models: the length of the vectors they return by default. */
  dimensions: z.number().int().positive().optional(),
});
export type CatalogModel = z.infer<typeof modelSchema>;
export type ModelKind = CatalogModel['kind'];

export const weightsSchema = z.strictObject({
  quality: z.number().nonnegative(),
  cost: z.number().nonnegative(),
  latency: z.number().nonnegative(),
});
export type BalancedWeights = z.infer<typeof weightsSchema>;

/**
 * How semantic candidates are verified: the word-level differential check (default, free), a judge model
 * (the cheapest capable catalog model, asked yes/no, with per-entry thresholds learned vCache-style), or
 * both (the check serves what it accepts, the judge rules on what it cannot).
 */
export const semanticCacheSchema = z.strictObject({
  verify: z.enum(['differential', 'judge', 'differential+judge']).optional(),
  /** The error rate the judge modes keep served-without-verification answers under (vCache's delta); default 0.02. */
  maxErrorRate: z.number().gt(0).lt(1).optional(),
  /** Cosine below which a candidate is a miss without asking the judge; default 0.5. */
  minSimilarity: z.number().min(-1).max(1).optional(),
});

/** Response cache settings of a route; every field optional (defaults in core/cache/policy.ts). */
export const routeCacheSchema = z.strictObject({
  /** Default true. */
  enabled: z.boolean().optional(),
  /** How long an answer is reused; default 86400 (one day). */
  ttlSeconds: z.number().int().positive().max(31_536_000).optional(),
  /**
   * Also serve verified answers to reworded prompts; default true (ROUTER_SEMANTIC_CACHE=off: false). An
   * object turns them on and chooses how they are verified (core/cache/policy.ts, docs/caching.md).
   */
  semantic: z.union([z.boolean(), semanticCacheSchema]).optional(),
  /** Cosine floor a verified semantic match must also reach under the configured embedder; default 0 (none). */
  threshold: z.number().min(0).max(1).optional(),
  /** Cache only temperature-0 requests without tools; default true. */
  requireDeterministic: z.boolean().optional(),
});
export type RouteCacheConfig = z.infer<typeof routeCacheSchema>;

/**
 * Settings of the `learned` strategy (core/routing/learned/): the cost target that sets the threshold
 * (at most one of strongShare / recoveredGap; default strongShare 0.3) and, optionally, the pair.
 */
export const learnedRouteSchema = z.strictObject({
  /** Share of calls the stronger model should get on typical traffic, 0..1. */
  strongShare: score.optional(),
  /** Or: the share of the strong-vs-cheap quality gap to recover, 0..1 (the calibration picks the share). */
  recoveredGap: score.optional(),
  /** The stronger candidate; default: the best-quality eligible model. */
  strong: id.optional(),
  /** The cheaper candidate; default: the cheapest eligible model with quality >= cheapMinQuality. */
  cheap: id.optional(),
  /** Quality floor of the default cheap candidate; default 0.8. */
  cheapMinQuality: score.optional(),
}).refine((l) => l.strongShare === undefined || l.recoveredGap === undefined, { message: 'set strongShare or recoveredGap, not both' });
export type LearnedRouteConfig = z.infer<typeof learnedRouteSchema>;

export const routeSchema = z.strictObject({
  strategy: strategySchema,
  taskType: z.string().optional(),
  minQuality: score.optional(),
  maxCostUsd: z.number().positive().optional(),
  allow: z.array(id).optional(),
  deny: z.array(id).optional(),
  weights: weightsSchema.optional(),
  /** How many candidates the fallback plan keeps. */
  maxAttempts: z.number().int().min(1).max(10).optional(),
  /** Response cache settings for requests naming this route. */
  cache: routeCacheSchema.optional(),
  /** Settings of the `learned` strategy. */
  learned: learnedRouteSchema.optional(),
  /**
   * Request parameters beyond the router's own list that requests naming this route may send; they
   * are forwarded as sent (e.g. `web_search_options`). `store` here lets `store` reach the provider.
   */
  allowParameters: z.array(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'a parameter name such as web_search_options')).optional(),
});
export type RouteConfig = z.infer<typeof routeSchema>;

export const loadBalancingSchema = z.enum(['weighted', 'least-outstanding', 'latency']);
export type LoadBalancing = z.infer<typeof loadBalancingSchema>;

const ms = z.number().int().nonnegative();

/** Retry and failover bounds (see core/retry-policy.ts and the README's "Failover and health"). */
export const failoverSchema = z.strictObject({
  /** Upstream calls per request at most, retries included. */
  maxCalls: z.number().int().min(1).max(20).default(6),
  /** Time budget of a JSON request, all attempts and backoff included. */
  totalBudgetMs: ms.positive().max(840_000).default(120_000),
  /** Time budget of a stream until its first content token, all attempts included. */
  streamBudgetMs: ms.positive().max(840_000).default(60_000),
  /** Per-attempt time to first content token (streams), unless the provider sets its own. */
  firstTokenTimeoutMs: ms.positive().max(900_000).default(30_000),
  /** Per-attempt silence tolerated between stream chunks, unless the provider sets its own. */
  streamIdleTimeoutMs: ms.positive().max(900_000).default(30_000),
  /** Base of the jittered backoff before retrying a 5xx or a reset connection (0.5x to 1.5x). */
  retryBaseMs: ms.default(250),
  /** No retry ever follows sooner than this, whatever Retry-After says. */
  minBackoffMs: ms.default(100),
  /** A 429's Retry-After longer than this is not waited for: the router fails over instead. */
  maxRetryAfterMs: ms.default(10_000),
}).prefault({});
export type FailoverSettings = z.infer<typeof failoverSchema>;

export const circuitBreakerSchema = z.strictObject({
  failureThreshold: z.number().int().positive().optional(),
  errorRateThreshold: z.number().min(0).max(1).optional(),
  minCalls: z.number().int().positive().optional(),
  windowMs: ms.positive().optional(),
  bucketMs: ms.positive().optional(),
  cooldownMs: ms.positive().optional(),
  halfOpenSuccesses: z.number().int().positive().optional(),
});

export const catalogSchema = z.strictObject({
  version: z.literal(1),
  /** USD per unit of each non-USD currency used in prices, e.g. `{ "CNY": 0.14 }`. */
  currencyRates: z.record(z.string().regex(/^[A-Z]{3}$/), z.number().positive()).default({}),
  defaults: z.strictObject({
    strategy: strategySchema.default('balanced'),
    weights: weightsSchema.default({ quality: 0.5, cost: 0.3, latency: 0.2 }),
    /** Output tokens assumed when a request sets no max_tokens (context-window and max-output checks). */
    assumedOutputTokens: z.number().int().positive().default(1024),
    /**
     * A typical answer's length when a request sets no max_tokens: the expected cost that
     * `x-router-max-cost`, cost-first and the budget's "can it pay a typical answer" judge. Unset:
     * `assumedOutputTokens`.
     */
    expectedOutputTokens: z.number().int().positive().optional(),
    maxAttempts: z.number().int().min(1).max(10).default(3),
    /** How deployments of one group are ordered: weighted random, fewest in flight, or lowest latency EWMA. */
    loadBalancing: loadBalancingSchema.default('weighted'),
    failover: failoverSchema.prefault({}),
    /** Circuit-breaker settings; unset fields keep the defaults of core/circuit-breaker.ts. */
    circuitBreaker: circuitBreakerSchema.default({}),
    /** Weights of the `learned` strategy: a file shipped in catalog/ (core/routing/learned/shipped.ts). */
    learnedWeights: z.string().regex(/^router-weights\.v\d+$/, 'a shipped weights file such as router-weights.v2').default('router-weights.v2'),
  }).prefault({}),
  providers: z.array(providerSchema).min(1),
  models: z.array(modelSchema).min(1),
  routes: z.record(id, routeSchema).default({}),
});
export type CatalogFile = z.infer<typeof catalogSchema>;
