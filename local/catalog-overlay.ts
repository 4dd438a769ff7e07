// The local runtime's catalog: the real catalog, with every provider that has no key pointed at a
// simulated upstream on loopback. Providers with keys stay real.
import type { CatalogFile, CatalogProvider } from '#core/catalog/catalog-schema.ts';
import { envNames } from '#contracts/env.ts';

export const SIMULATED_KEY_ENV = envNames.simulatedProviderKey;

export interface SimulatedUpstreams {
  openaiCompatible: string;
  anthropic: string;
}

export interface ProviderMode {
  id: string;
  kind: CatalogProvider['kind'];
  mode: 'real' | 'simulated';
  /** Where the simulated provider answers, and in which wire format. */
  simulatedBy?: string;
}

function hasCredentials(provider: CatalogProvider, env: NodeJS.ProcessEnv): boolean {
  if (provider.kind === 'bedrock') return Boolean(env[envNames.awsAccessKeyId] || env[envNames.awsProfile]);
  return Boolean(provider.apiKey && env[provider.apiKey.env]);
}

/** Rewrites keyless providers to the simulated upstreams; reports which providers are which. */
export function overlayCatalog(file: CatalogFile, env: NodeJS.ProcessEnv, upstreams: SimulatedUpstreams): { catalog: CatalogFile; modes: ProviderMode[] } {
  const modes: ProviderMode[] = [];
  const providers = file.providers.map((provider): CatalogProvider => {
    if (hasCredentials(provider, env)) {
      modes.push({ id: provider.id, kind: provider.kind, mode: 'real' });
      return provider;
    }
    // Bedrock has no HTTP simulator of its own here; it is simulated in the OpenAI format.
    const kind = provider.kind === 'anthropic' ? 'anthropic' : 'openai-compatible';
    const baseUrl = kind === 'anthropic' ? upstreams.anthropic : upstreams.openaiCompatible;
    modes.push({ id: provider.id, kind: provider.kind, mode: 'simulated', simulatedBy: `${kind} at ${baseUrl}` });
    const { region: _region, ...rest } = provider;
    return { ...rest, kind, baseUrl, apiKey: { env: SIMULATED_KEY_ENV } };
  });
  return { catalog: { ...file, providers }, modes };
}
