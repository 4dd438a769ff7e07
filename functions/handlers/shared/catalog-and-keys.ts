// The catalog bundled with a function and the provider keys for it: from Secrets Manager in AWS,
// from environment variables locally.
import { readFileSync } from 'node:fs';
import { providerKeysFromEnv, providerKeysFromSecret } from '#adapters/aws/provider-keys.ts';
import type { ProviderKeys } from '#adapters/aws/provider-keys.ts';
import { parseCatalog } from '#core/catalog/catalog.ts';
import type { Catalog } from '#core/catalog/catalog.ts';
import { registerSecrets } from '#core/shared/redact.ts';

/** Reads and validates the catalog file, then loads the keys of its providers. */
export async function loadCatalogAndKeys(catalogPath: string, providerSecretArn: string | undefined): Promise<{ catalog: Catalog; keys: ProviderKeys }> {
  const catalog = parseCatalog(JSON.parse(readFileSync(catalogPath, 'utf8')));
  const keys = providerSecretArn
    ? await providerKeysFromSecret(catalog, providerSecretArn)
    : providerKeysFromEnv(catalog, process.env);
  // Whatever their shape, the keys this instance holds are redacted from every log line.
  registerSecrets(keys.values());
  return { catalog, keys };
}
