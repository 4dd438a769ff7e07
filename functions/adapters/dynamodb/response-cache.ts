// The response cache's item I/O on DynamoDB: exact answers by GetItem, LSH band buckets by one bounded
// Query each, entries by BatchWriteItem. Item layout in core/cache/keys.ts. What is looked up, in
// which order, and what counts as a hit is decided in core/cache/response-cache.ts.
import { BatchWriteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { createEmbedder } from '#adapters/embeddings/create-embedder.ts';
import { cacheTable, tenantTable } from '#contracts/tables.ts';
import type { Catalog } from '#core/catalog/catalog.ts';
import { cacheKeys, tenantCacheKeys } from '#core/cache/keys.ts';
import { ResponseCacheService } from '#core/cache/response-cache.ts';
import type { ResponseCacheOptions } from '#core/cache/response-cache.ts';
import type { BandCandidate, BandQuery, CacheEntry, CacheStore, StoredAnswer, TenantCacheSettingsSource } from '#core/cache/ports.ts';

export type { LookupStats } from '#core/cache/response-cache.ts';

const storedAnswerSchema = z.object({
  completion: z.string(),
  modelId: z.string(),
  providerId: z.string(),
  costUsd: z.number(),
  expiresAt: z.number(),
});

/** CacheStore on one DynamoDB table (`pk`, `sk`). */
export class DynamoCacheStore implements CacheStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.client = client;
    this.tableName = tableName;
  }

  async getAnswer(tenantId: string, hash: string): Promise<StoredAnswer | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: cacheKeys.exactPk(tenantId, hash), sk: cacheKeys.exactSk } }));
    const parsed = storedAnswerSchema.safeParse(Item);
    return parsed.success ? parsed.data : undefined;
  }

  async queryBand(query: BandQuery): Promise<BandCandidate[]> {
    const page = await this.client.send(new QueryCommand({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: 'expiresAt > :now',
      ExpressionAttributeValues: { ':pk': cacheKeys.bandPk(query.tenantId, query.scope, query.band, query.bits), ':now': query.liveAfter },
      ProjectionExpression: 'sk, vec',
      ScanIndexForward: false,
      Limit: query.limit,
    }));
    return (page.Items ?? [])
      .filter((item) => item['vec'] instanceof Uint8Array)
      .map((item) => ({ hash: cacheKeys.hashOfBandSk(String(item['sk'])), vec: item['vec'] as Uint8Array }));
  }

  async writeBatch(entries: readonly CacheEntry[]): Promise<CacheEntry[]> {
    const requests = entries.map((entry) => ({ PutRequest: { Item: toItem(entry) } }));
    const result = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
    const unprocessed = new Set((result.UnprocessedItems?.[this.tableName] ?? []).map((r) => `${String(r.PutRequest?.Item?.['pk'])}|${String(r.PutRequest?.Item?.['sk'])}`));
    return entries.filter((entry, i) => unprocessed.has(`${String(requests[i]!.PutRequest.Item['pk'])}|${String(requests[i]!.PutRequest.Item['sk'])}`));
  }
}

function toItem(entry: CacheEntry): Record<string, unknown> {
  if (entry.kind === 'band') {
    return { pk: cacheKeys.bandPk(entry.tenantId, entry.scope, entry.band, entry.bits), sk: cacheKeys.bandSk(entry.createdAtMs, entry.hash), vec: entry.vec, expiresAt: entry.expiresAt };
  }
  return {
    pk: cacheKeys.exactPk(entry.tenantId, entry.hash),
    sk: cacheKeys.exactSk,
    tenantId: entry.tenantId,
    route: entry.route,
    completion: entry.completion,
    modelId: entry.modelId,
    providerId: entry.providerId,
    costUsd: entry.costUsd,
    createdAt: entry.createdAt,
    expiresAt: entry.expiresAt,
  };
}

/** The `TENANT#<id>` / `CACHE` item of the tenants table. */
export class DynamoTenantCacheSettings implements TenantCacheSettingsSource {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.client = client;
    this.tableName = tableName;
  }

  async read(tenantId: string): Promise<unknown> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: tenantCacheKeys.pk(tenantId), sk: tenantCacheKeys.sk } }));
    return Item;
  }
}

export interface DynamoResponseCacheOptions extends Omit<ResponseCacheOptions, 'store' | 'tenantSettings'> {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Tenants table holding `TENANT#<id>` / `CACHE` settings items; omitted: no per-tenant settings. */
  tenantTableName?: string | undefined;
}

/** The core response cache wired to DynamoDB stores. */
export class DynamoResponseCache extends ResponseCacheService {
  constructor({ client, tableName, tenantTableName, ...options }: DynamoResponseCacheOptions) {
    super({
      ...options,
      store: new DynamoCacheStore(client, tableName),
      ...(tenantTableName ? { tenantSettings: new DynamoTenantCacheSettings(client, tenantTableName) } : {}),
    });
  }
}

/**
 * The router's cache from its environment: `TABLE_CACHE` (no table, no cache), `TABLE_TENANTS` for
 * per-tenant settings, `ROUTER_EMBEDDINGS` for the semantic side, `ROUTER_CACHE=off` to switch it off.
 */
export function responseCacheFromEnv(
  env: NodeJS.ProcessEnv, client: DynamoDBDocumentClient, catalog: Catalog, keys: ReadonlyMap<string, string | undefined>,
): DynamoResponseCache | undefined {
  const tableName = env[cacheTable.envVar];
  if (!tableName || env['ROUTER_CACHE'] === 'off') return undefined;
  const embedder = createEmbedder(env['ROUTER_EMBEDDINGS'], catalog, keys, env['AWS_REGION']);
  const tenantTableName = env[tenantTable.envVar];
  return new DynamoResponseCache({
    client,
    tableName,
    ...(tenantTableName ? { tenantTableName } : {}),
    ...(embedder ? { embedder } : {}),
    routeSettings: (route) => catalog.routes[route]?.cache,
  });
}
