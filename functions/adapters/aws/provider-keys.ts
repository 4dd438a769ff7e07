// Provider API keys: from Secrets Manager in AWS (one JSON secret), from environment variables locally.
// In AWS the keys follow the secret without a cold start: they are re-read when older than a bound
// (minutes, PROVIDER_KEYS_MAX_AGE_SECONDS), and at once when a provider refuses a key (401/403), at
// most once per `minReloadIntervalMs` so a key that is simply wrong cannot hammer Secrets Manager.
import type { Catalog } from '#core/catalog/catalog.ts';
import type { ProviderKeySource } from '#core/health/ports.ts';
import { systemClock } from '#core/shared/clock.ts';
import type { Clock } from '#core/shared/clock.ts';
import type { SecretValueReader } from './secrets-wire.ts';

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
export async function providerKeysFromSecret(catalog: Catalog, secretId: string, client: SecretValueReader): Promise<ProviderKeys> {
  const result = await client.getSecretValue({ SecretId: secretId });
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

export interface CachedKeysOptions {
  /** Reads every provider's key (one GetSecretValue). */
  load: () => Promise<ProviderKeys>;
  /** Keys older than this are re-read before use. */
  maxAgeMs: number;
  /** Least time between two re-reads forced by refused keys; 30 s by default. */
  minReloadIntervalMs?: number;
  clock?: Clock;
  /** Told when a re-read fails; the previous keys stay in use. */
  onReloadError?: (error: unknown) => void;
}

/** Provider keys cached for a bounded time, with a forced re-read when a provider refuses one. */
export class CachedProviderKeys implements ProviderKeySource {
  readonly #options: CachedKeysOptions;
  readonly #clock: Clock;
  #keys: ProviderKeys = new Map();
  #loadedAt = Number.NEGATIVE_INFINITY;
  #forcedAt = Number.NEGATIVE_INFINITY;
  #loading: Promise<void> | undefined;

  constructor(options: CachedKeysOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** The first read; unlike later re-reads, its failure is thrown (the cold start is retried). */
  async start(): Promise<this> {
    this.#keys = await this.#options.load();
    this.#loadedAt = this.#clock.now();
    return this;
  }

  async get(providerId: string): Promise<string | undefined> {
    if (this.#clock.now() - this.#loadedAt >= this.#options.maxAgeMs) await this.#reload();
    return this.#keys.get(providerId);
  }

  /** The keys as last read, without a re-read (for parts built once, such as the embedder). */
  snapshot(): ProviderKeys {
    return this.#keys;
  }

  async reload(): Promise<boolean> {
    const now = this.#clock.now();
    if (this.#loading) {
      await this.#loading;
      return true;
    }
    if (now - this.#forcedAt < (this.#options.minReloadIntervalMs ?? 30_000)) return false;
    this.#forcedAt = now;
    await this.#reload();
    return true;
  }

  /** One read at a time; callers arriving meanwhile share it. */
  #reload(): Promise<void> {
    this.#loading ??= this.#options
      .load()
      .then((keys) => {
        this.#keys = keys;
        this.#loadedAt = this.#clock.now();
      })
      .catch((error: unknown) => {
        // Keep serving the previous keys; try again after another full bound, not on every call.
        this.#loadedAt = this.#clock.now();
        this.#options.onReloadError?.(error);
      })
      .finally(() => {
        this.#loading = undefined;
      });
    return this.#loading;
  }
}

/** Keys that never change while the process runs (the local runtime reads them from the environment). */
export function staticProviderKeys(keys: ProviderKeys): ProviderKeySource & { snapshot(): ProviderKeys } {
  return {
    get: async (providerId) => keys.get(providerId),
    reload: async () => false,
    snapshot: () => keys,
  };
}
