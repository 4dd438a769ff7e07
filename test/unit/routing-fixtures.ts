// Small factories for catalog and routing fixtures shared by the core unit tests.
import { parseCatalog } from '#core/catalog/catalog.ts';
import type { Catalog, ResolvedModel } from '#core/catalog/catalog.ts';
import type { CatalogFile } from '#core/catalog/catalog-schema.ts';
import type { RoutingInput } from '#core/routing/types.ts';

type ModelOverrides = Partial<Omit<ResolvedModel, 'quality' | 'priceUsd'>> & {
  quality?: Partial<ResolvedModel['quality']>;
  priceUsd?: Partial<ResolvedModel['priceUsd']>;
};

/** A resolved model with sensible defaults: $1 in / $2 out per 1M, 100k window, quality 0.8. */
export function model(overrides: ModelOverrides = {}): ResolvedModel {
  const { quality, priceUsd, ...rest } = overrides;
  const price = { input: 1, output: 2, ...priceUsd };
  return {
    id: 'm',
    kind: 'chat',
    provider: 'p',
    upstreamId: rest.id ?? 'm',
    pricing: { currency: 'USD', inputPerMTok: price.input, outputPerMTok: price.output },
    contextWindow: 100_000,
    maxOutputTokens: 8_000,
    capabilities: ['tools', 'json', 'streaming'],
    latencyMs: 1000,
    weight: 1,
    fallbacks: [],
    ...rest,
    quality: { overall: 0.8, tasks: {}, ...quality },
    priceUsd: { cachedInput: price.input, ...price },
  };
}

/** A routing input for route mode with 1000 input and 1000 output tokens and no constraints. */
export function routingInput(overrides: Partial<RoutingInput> = {}): RoutingInput {
  return {
    mode: 'route',
    routeName: 'auto',
    strategy: 'balanced',
    weights: { quality: 0.5, cost: 0.3, latency: 0.2 },
    maxAttempts: 3,
    estimatedInputTokens: 1000,
    requestedOutputTokens: 1000,
    requiredCapabilities: [],
    ...overrides,
  };
}

/** A catalog document (pre-validation) entry for one model. */
export function modelEntry(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    provider: 'p1',
    upstreamId: id,
    pricing: { currency: 'USD', inputPerMTok: 1, outputPerMTok: 2 },
    contextWindow: 100_000,
    maxOutputTokens: 8_000,
    quality: { overall: 0.8 },
    capabilities: ['tools'],
    ...overrides,
  };
}

/** A minimal valid catalog document; pass models/routes/rates to vary it. */
export function catalogDoc(overrides: Partial<Record<keyof CatalogFile, unknown>> = {}): Record<string, unknown> {
  return {
    version: 1,
    providers: [{ id: 'p1', kind: 'openai-compatible', baseUrl: 'https://api.example.com/v1', apiKey: { env: 'P1_KEY' } }],
    models: [modelEntry('a'), modelEntry('b')],
    ...overrides,
  };
}

/** Parses a catalog built from model entries (throws CatalogError if the fixture is invalid). */
export function catalogOf(models: Record<string, unknown>[], extra: Partial<Record<keyof CatalogFile, unknown>> = {}): Catalog {
  return parseCatalog(catalogDoc({ models, ...extra }));
}
