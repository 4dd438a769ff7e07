// The model catalog file format. Validated once at start-up; every bad field is reported with its path.
import { z } from 'zod';

export const capabilitySchema = z.enum(['vision', 'tools', 'json', 'streaming', 'reasoning']);
export type Capability = z.infer<typeof capabilitySchema>;

export const strategySchema = z.enum(['cost-first', 'quality-first', 'balanced']);
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
  /** Typical latency to complete a short answer, used by `balanced` until live data exists. */
  latencyMs: z.number().positive().default(1500),
  /** Load-balancing weight among deployments of the same model. */
  weight: z.number().positive().default(1),
  /** Models to fall back to, in order, when this one is named explicitly and fails. */
  fallbacks: z.array(id).default([]),
});
export type CatalogModel = z.infer<typeof modelSchema>;

export const weightsSchema = z.strictObject({
  quality: z.number().nonnegative(),
  cost: z.number().nonnegative(),
  latency: z.number().nonnegative(),
});
export type BalancedWeights = z.infer<typeof weightsSchema>;

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
});
export type RouteConfig = z.infer<typeof routeSchema>;

export const catalogSchema = z.strictObject({
  version: z.literal(1),
  /** USD per unit of each non-USD currency used in prices, e.g. `{ "CNY": 0.14 }`. */
  currencyRates: z.record(z.string().regex(/^[A-Z]{3}$/), z.number().positive()).default({}),
  defaults: z.strictObject({
    strategy: strategySchema.default('balanced'),
    weights: weightsSchema.default({ quality: 0.5, cost: 0.3, latency: 0.2 }),
    /** Output tokens assumed when a request sets no max_tokens. */
    assumedOutputTokens: z.number().int().positive().default(1024),
    maxAttempts: z.number().int().min(1).max(10).default(3),
  }).prefault({}),
  providers: z.array(providerSchema).min(1),
  models: z.array(modelSchema).min(1),
  routes: z.record(id, routeSchema).default({}),
});
export type CatalogFile = z.infer<typeof catalogSchema>;
