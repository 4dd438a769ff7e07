// Provider API keys: from Secrets Manager in AWS (one JSON secret, read once per cold start), from
// environment variables locally.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Catalog } from '#core/catalog/catalog.ts';

export type ProviderKeys = ReadonlyMap<string, string>;

/** Keys per provider id from environment variables named in the catalog. */
export function providerKeysFromEnv(catalog: Catalog, env: NodeJS.ProcessEnv): ProviderKeys {
  const keys = new Map<string, string>();
  for (const provider of catalog.providers.values()) {
    const value = provider.apiKey ? env[provider.apiKey.env] : undefined;
    if (value) keys.set(provider.id, value);
  }
  return keys;
}

/** Keys per provider id from a JSON secret whose fields are `apiKey.secretField ?? apiKey.env`. */
export async function providerKeysFromSecret(catalog: Catalog, secretId: string, client = new SecretsManagerClient({})): Promise<ProviderKeys> {
  const result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  let fields: Record<string, unknown>;
  try {
    fields = JSON.parse(result.SecretString ?? '{}') as Record<string, unknown>;
  } catch (error) {
    throw new Error(`Provider secret ${secretId} is not a JSON object of provider keys`, { cause: error });
  }
  const keys = new Map<string, string>();
  for (const provider of catalog.providers.values()) {
    if (!provider.apiKey) continue;
    const value = fields[provider.apiKey.secretField ?? provider.apiKey.env];
    if (typeof value === 'string' && value) keys.set(provider.id, value);
  }
  return keys;
}
