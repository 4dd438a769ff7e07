// Small factories for catalogs and routing inputs. Tests build the catalog they need here instead of
// reading catalog/default-catalog.json, so a price or model change in the shipped catalog never breaks
// a unit test (test/unit/catalog.test.ts is the one place that validates the shipped file itself).
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

/** A catalog document (pre-validation) entry for one provider; openai-compatible unless overridden. */
export function providerEntry(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    kind: 'openai-compatible',
    baseUrl: `https://${id}.example.com/v1`,
    apiKey: { env: `${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_KEY` },
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

const usd = (inputPerMTok: number, cachedInputPerMTok: number, outputPerMTok: number) =>
  ({ currency: 'USD', inputPerMTok, cachedInputPerMTok, outputPerMTok });
const allCapabilities = ['vision', 'tools', 'json', 'streaming', 'reasoning'];

/**
 * A multi-provider catalog document shaped like the shipped one (model ids, fallbacks, the four routes,
 * a CNY-priced model at 0.14 USD/CNY), with prices fixed here: tests that quote these prices stay
 * true whatever the shipped catalog charges.
 */
export function sampleCatalogDoc(): Record<string, unknown> {
  return {
    version: 1,
    currencyRates: { CNY: 0.14 },
    defaults: { strategy: 'balanced', weights: { quality: 0.5, cost: 0.3, latency: 0.2 }, maxAttempts: 3 },
    providers: [
      providerEntry('openai'),
      providerEntry('anthropic', { kind: 'anthropic' }),
      providerEntry('gemini'),
      providerEntry('zhipu'),
    ],
    models: [
      modelEntry('gpt-5.4', {
        provider: 'openai', pricing: usd(2.5, 0.25, 15), contextWindow: 1_050_000, maxOutputTokens: 128_000,
        quality: { overall: 0.93 }, capabilities: allCapabilities, latencyMs: 2500, fallbacks: ['claude-sonnet-4.6', 'gemini-3-flash-preview'],
      }),
      modelEntry('gpt-5.4-mini', {
        provider: 'openai', pricing: usd(0.75, 0.075, 4.5), contextWindow: 400_000, maxOutputTokens: 128_000,
        quality: { overall: 0.82 }, capabilities: allCapabilities, latencyMs: 1200, fallbacks: ['gemini-3-flash-preview', 'gpt-5.4'],
      }),
      modelEntry('claude-sonnet-4.6', {
        provider: 'anthropic', upstreamId: 'claude-sonnet-4-6', pricing: usd(3, 0.3, 15), contextWindow: 1_000_000, maxOutputTokens: 128_000,
        quality: { overall: 0.92 }, capabilities: allCapabilities, latencyMs: 2200, fallbacks: ['gpt-5.4', 'gemini-3-flash-preview'],
      }),
      modelEntry('gemini-3-flash-preview', {
        provider: 'gemini', pricing: usd(0.5, 0.05, 3), contextWindow: 1_048_576, maxOutputTokens: 65_536,
        quality: { overall: 0.86 }, capabilities: allCapabilities, latencyMs: 900, fallbacks: ['gpt-5.4-mini'],
      }),
      modelEntry('glm-5', {
        provider: 'zhipu', pricing: { currency: 'CNY', inputPerMTok: 4, cachedInputPerMTok: 1, outputPerMTok: 18 },
        contextWindow: 200_000, maxOutputTokens: 128_000, quality: { overall: 0.87 },
        capabilities: ['tools', 'json', 'streaming', 'reasoning'], latencyMs: 2600, fallbacks: ['gpt-5.4-mini'],
      }),
    ],
    routes: {
      auto: { strategy: 'balanced' },
      cheap: { strategy: 'cost-first', minQuality: 0.7 },
      best: { strategy: 'quality-first' },
      fast: { strategy: 'balanced', weights: { quality: 0.25, cost: 0.15, latency: 0.6 } },
    },
  };
}

/** The parsed {@link sampleCatalogDoc}. */
export function sampleCatalog(): Catalog {
  return parseCatalog(sampleCatalogDoc());
}

/** Two providers with one model each: `cheap` (pa) always ranks before `pricey` (pb) under cost-first. */
export function cheapAndPriceyCatalog(): Catalog {
  return parseCatalog({
    version: 1,
    providers: [
      { id: 'pa', kind: 'openai-compatible', baseUrl: 'https://a.example/v1' },
      { id: 'pb', kind: 'openai-compatible', baseUrl: 'https://b.example/v1' },
    ],
    models: [
      { id: 'cheap', provider: 'pa', upstreamId: 'cheap-up', pricing: { currency: 'USD', inputPerMTok: 1, outputPerMTok: 2 }, contextWindow: 100_000, maxOutputTokens: 4096, quality: { overall: 0.7 } },
      { id: 'pricey', provider: 'pb', upstreamId: 'pricey-up', pricing: { currency: 'USD', inputPerMTok: 10, outputPerMTok: 30 }, contextWindow: 100_000, maxOutputTokens: 4096, quality: { overall: 0.9 } },
    ],
    routes: { auto: { strategy: 'cost-first' } },
  });
}
