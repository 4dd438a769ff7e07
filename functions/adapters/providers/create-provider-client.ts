// Builds the client for one catalog provider from its `kind`, traced: each call is one X-Ray subsegment.
import type { CatalogProvider } from '#core/catalog/catalog-schema.ts';
import type { ProviderClient } from '#core/chat/ports.ts';
import type { ProviderKeySource } from '#core/health/ports.ts';
import { AnthropicClient } from './anthropic.ts';
import { BedrockClient } from './bedrock.ts';
import { KeyedProviderClient } from './keyed-provider-client.ts';
import { OpenAiCompatibleClient } from './openai-compatible.ts';
import { tracedProviderClient } from './traced-provider-client.ts';
import { powertoolsSpans } from '../tracing/tracer.ts';
import type { SpanTracer } from '../tracing/tracer.ts';

export interface ProviderClientOverrides {
  /** Replaces the catalog's baseUrl (local runs pointing at a simulated upstream). */
  baseUrl?: string;
  /** Bedrock endpoint override (tests, VPC endpoints). */
  bedrockEndpoint?: string;
  /** Static AWS credentials for bedrock; the SDK's default chain when absent. */
  bedrockCredentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Where attempt subsegments go; the process-wide Powertools Tracer by default. */
  spans?: SpanTracer;
}

export function createProviderClient(provider: CatalogProvider, apiKey: string | undefined, overrides: ProviderClientOverrides = {}): ProviderClient {
  return tracedProviderClient(createUntracedClient(provider, apiKey, overrides), overrides.spans ?? powertoolsSpans());
}

function createUntracedClient(provider: CatalogProvider, apiKey: string | undefined, overrides: ProviderClientOverrides): ProviderClient {
  const baseUrl = overrides.baseUrl ?? provider.baseUrl;
  switch (provider.kind) {
    case 'openai-compatible':
    case 'anthropic': {
      // The catalog schema guarantees baseUrl for these kinds; this guards hand-built providers.
      if (!baseUrl) throw new Error(`provider ${provider.id}: baseUrl is required for kind "${provider.kind}"`);
      const options = { providerId: provider.id, baseUrl, apiKey, headers: provider.headers, timeoutMs: provider.timeoutMs };
      return provider.kind === 'anthropic' ? new AnthropicClient(options) : new OpenAiCompatibleClient(options);
    }
    case 'bedrock':
      if (!provider.region) throw new Error(`provider ${provider.id}: region is required for kind "bedrock"`);
      return new BedrockClient({
        providerId: provider.id,
        region: provider.region,
        endpoint: overrides.bedrockEndpoint,
        credentials: overrides.bedrockCredentials,
        timeoutMs: provider.timeoutMs,
      });
  }
}

/** The client for one provider, reading its key from `keys` on every call (bedrock uses IAM, no key). */
export function createKeyedProviderClient(provider: CatalogProvider, keys: ProviderKeySource, overrides: ProviderClientOverrides = {}): ProviderClient {
  if (provider.kind === 'bedrock' || !provider.apiKey) return createProviderClient(provider, undefined, overrides);
  return new KeyedProviderClient(provider.id, keys, (apiKey) => createProviderClient(provider, apiKey, overrides));
}
