// KeyStore backed by the tenant table: one item per API key, addressed by the key's SHA-256 hash.
import { GetCommand } from '../aws/dynamodb-commands.ts';
import type { DynamoDocuments } from '../aws/dynamodb-commands.ts';
import { tenantTableKeys } from '#contracts/tenant-table.ts';
import { constantTimeEqual, hashApiKey, isApiKeyFormat, keyIdFromHash } from '#core/auth/api-keys.ts';
import type { KeyStore, Principal } from '#core/auth/ports.ts';
import type { Clock } from '#core/shared/clock.ts';
import { systemClock } from '#core/shared/clock.ts';

/** The stored item: `{ pk: KEY#<hash>, sk: 'KEY', tenantId, keyId, revoked? }`. */
interface KeyItem {
  pk: string;
  sk: string;
  tenantId?: unknown;
  keyId?: unknown;
  revoked?: unknown;
}

export interface DynamoKeyStoreOptions {
  tableName: string;
  client: DynamoDocuments;
  /** How long a lookup (hit or miss) is remembered; 60 s by default. Bounds revocation delay. */
  cacheTtlMs?: number;
  /** Entries kept at most; the oldest are dropped first. */
  maxCacheEntries?: number;
  clock?: Clock;
}

interface CacheEntry {
  record: Principal | undefined;
  expiresAt: number;
}

export class DynamoKeyStore implements KeyStore {
  readonly #tableName: string;
  readonly #client: DynamoDocuments;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #clock: Clock;
  readonly #cache = new Map<string, CacheEntry>();

  constructor(options: DynamoKeyStoreOptions) {
    this.#tableName = options.tableName;
    this.#client = options.client;
    this.#ttlMs = options.cacheTtlMs ?? 60_000;
    this.#maxEntries = options.maxCacheEntries ?? 1_000;
    this.#clock = options.clock ?? systemClock;
  }

  /** Resolves a presented key to its tenant, or undefined when malformed, unknown or revoked (one GetItem, cached). */
  async authenticate(apiKey: string): Promise<Principal | undefined> {
    if (!isApiKeyFormat(apiKey)) return undefined;
    const hash = hashApiKey(apiKey);
    const now = this.#clock.now();
    const cached = this.#cache.get(hash);
    if (cached && cached.expiresAt > now) return cached.record;

    const record = await this.#fetch(hash);
    this.#remember(hash, { record, expiresAt: now + this.#ttlMs });
    return record;
  }

  async #fetch(hash: string): Promise<Principal | undefined> {
    const pk = tenantTableKeys.apiKeyPk(hash);
    const { Item } = await this.#client.send(
      new GetCommand({ TableName: this.#tableName, Key: { pk, sk: tenantTableKeys.apiKeySk } }),
    );
    const item = Item as KeyItem | undefined;
    if (!item || !constantTimeEqual(String(item.pk), pk)) return undefined;
    if (item.revoked === true || typeof item.tenantId !== 'string' || item.tenantId === '') return undefined;
    const keyId = typeof item.keyId === 'string' && item.keyId !== '' ? item.keyId : keyIdFromHash(hash);
    return { tenantId: item.tenantId, keyId };
  }

  #remember(hash: string, entry: CacheEntry): void {
    this.#cache.delete(hash);
    this.#cache.set(hash, entry);
    while (this.#cache.size > this.#maxEntries) {
      const oldest = this.#cache.keys().next().value;
      if (oldest === undefined) break;
      this.#cache.delete(oldest);
    }
  }
}
