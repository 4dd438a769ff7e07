// The catalog bundled with a function and the provider keys for it: from Secrets Manager in AWS
// (cached for a bounded time, re-read when a provider refuses a key), from environment variables locally.
// Every key loaded (at start and at each re-read) is registered with the redaction step, so it is
// scrubbed from every log line whatever its shape.
import { CachedProviderKeys, providerKeysFromEnv, providerKeysFromSecret, staticProviderKeys } from '#adapters/aws/provider-keys.ts';
import type { ProviderKeys } from '#adapters/aws/provider-keys.ts';
import type { Catalog } from '#core/catalog/catalog.ts';
import type { ProviderKeySource } from '#core/health/ports.ts';
import { registerSecrets } from '#core/shared/redact.ts';
import { secretsClient } from './aws-clients.ts';
import { readCatalogFile } from './catalog-file.ts';
import { logger } from './logger.ts';

export interface KeysConfig {
  providerSecretArn: string | undefined;
  providerKeysMaxAgeSeconds: number;
  /** Where keys are read by the names the catalog gives, when there is no secret. */
  providerKeyEnv: Readonly<Record<string, string | undefined>>;
}

export interface CatalogAndKeys {
  catalog: Catalog;
  keys: ProviderKeySource & { snapshot(): ProviderKeys };
}

/** Keys registered for redaction as soon as they are read. */
function redacted(keys: ProviderKeys): ProviderKeys {
  registerSecrets(keys.values());
  return keys;
}

/** Reads and validates the catalog file, then loads the keys of its providers. */
export async function loadCatalogAndKeys(catalogPath: string, config: KeysConfig): Promise<CatalogAndKeys> {
  const catalog = readCatalogFile(catalogPath);
  const secretArn = config.providerSecretArn;
  if (!secretArn) return { catalog, keys: staticProviderKeys(redacted(providerKeysFromEnv(catalog, config.providerKeyEnv))) };
  const keys = await new CachedProviderKeys({
    load: async () => redacted(await providerKeysFromSecret(catalog, secretArn, secretsClient())),
    maxAgeMs: config.providerKeysMaxAgeSeconds * 1000,
    onReloadError: (error) => logger.warn('provider keys could not be re-read; keeping the previous keys', { error: error as Error }),
  }).start();
  return { catalog, keys };
}
