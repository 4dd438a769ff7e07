// The response cache's item I/O on DynamoDB: exact answers by GetItem, the semantic entries of one
// content signature by one bounded Query, entries by BatchWriteItem. Item layout in core/cache/keys.ts.
// What is looked up, in which order, and what counts as a hit is decided in core/cache/response-cache.ts.
import { BatchWriteCommand, GetCommand, QueryCommand, UpdateCommand } from '../aws/dynamodb-commands.ts';
import type { DynamoDocuments } from '../aws/dynamodb-commands.ts';
import * as z from 'zod/mini';
import '../../contracts/zod-en.ts';
import type { Catalog } from '#core/catalog/catalog.ts';
import { cacheKeys, tenantCacheKeys } from '#core/cache/keys.ts';
import { ResponseCacheService } from '#core/cache/response-cache.ts';
import type { ResponseCacheOptions } from '#core/cache/response-cache.ts';
import type { CacheEntry, CacheStore, SemanticCandidate, SemanticEntryKey, SemanticPage, SemanticQuery, StoredAnswer, TenantCacheSettingsSource } from '#core/cache/ports.ts';

export type { LookupStats } from '#core/cache/response-cache.ts';

const storedAnswerSchema = z.object({
  completion: z.string(),
  modelId: z.string(),
  providerId: z.string(),
  costUsd: z.number(),
  expiresAt: z.number(),
  requestId: z.optional(z.string()),
});

const semanticItemSchema = z.extend(storedAnswerSchema, {
  sk: z.string(),
  text: z.string(),
  vec: z.optional(z.instanceof(Uint8Array)),
  embedderId: z.optional(z.string()),
  /** Judge modes: the entry's verified samples (core/cache/entry-threshold.ts). */
  obs: z.optional(z.string()),
});

/** CacheStore on one DynamoDB table (`pk`, `sk`). */
export class DynamoCacheStore implements CacheStore {
  private readonly client: DynamoDocuments;
  private readonly tableName: string;

  constructor(client: DynamoDocuments, tableName: string) {
    this.client = client;
    this.tableName = tableName;
  }

  async getAnswer(tenantId: string, hash: string): Promise<StoredAnswer | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: cacheKeys.exactPk(tenantId, hash), sk: cacheKeys.exactSk } }));
    const parsed = storedAnswerSchema.safeParse(Item);
    return parsed.success ? parsed.data : undefined;
  }

  async querySemantic(query: SemanticQuery): Promise<SemanticPage> {
    const pk = cacheKeys.semanticPk(query.tenantId, query.scope, query.signature);
    const page = await this.client.send(new QueryCommand({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: 'expiresAt > :now',
      ExpressionAttributeValues: { ':pk': pk, ':now': query.liveAfter },
      ScanIndexForward: false,
      Limit: query.limit,
      ...(query.after ? { ExclusiveStartKey: { pk, sk: cacheKeys.semanticSk(query.after.createdAtMs, query.after.hash) } } : {}),
    }));
    const candidates: SemanticCandidate[] = [];
    for (const item of page.Items ?? []) {
      const parsed = semanticItemSchema.safeParse(item);
      if (!parsed.success) continue;
      const { sk, obs, ...rest } = parsed.data;
      candidates.push({ ...rest, ...cursorOf(sk), ...(obs !== undefined ? { observations: obs } : {}) });
    }
    const last = page.LastEvaluatedKey?.['sk'];
    return { candidates, ...(typeof last === 'string' ? { next: cursorOf(last) } : {}) };
  }

  async writeBatch(entries: readonly CacheEntry[]): Promise<CacheEntry[]> {
    const requests = entries.map((entry) => ({ PutRequest: { Item: toItem(entry) } }));
    const result = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
    const unprocessed = new Set((result.UnprocessedItems?.[this.tableName] ?? []).map((r) => `${String(r.PutRequest?.Item?.['pk'])}|${String(r.PutRequest?.Item?.['sk'])}`));
    return entries.filter((entry, i) => unprocessed.has(`${String(requests[i]!.PutRequest.Item['pk'])}|${String(requests[i]!.PutRequest.Item['sk'])}`));
  }

  /** One conditional UpdateItem: the samples are replaced only if no other lookup changed them meanwhile. */
  async recordObservations(entry: SemanticEntryKey, previous: string | undefined, next: string): Promise<void> {
    try {
      await this.client.send(new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: cacheKeys.semanticPk(entry.tenantId, entry.scope, entry.signature), sk: cacheKeys.semanticSk(entry.createdAtMs, entry.hash) },
        UpdateExpression: 'SET obs = :next',
        ConditionExpression: previous === undefined ? 'attribute_exists(pk) AND attribute_not_exists(obs)' : 'obs = :previous',
        ExpressionAttributeValues: { ':next': next, ...(previous === undefined ? {} : { ':previous': previous }) },
      }));
    } catch (error) {
      // Another lookup's sample won, or the entry expired: this one is dropped.
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
}

function cursorOf(sk: string): { createdAtMs: number; hash: string } {
  return { createdAtMs: Number(sk.slice(0, sk.indexOf('#'))), hash: cacheKeys.hashOfSemanticSk(sk) };
}

function toItem(entry: CacheEntry): Record<string, unknown> {
  const answer = {
    completion: entry.completion,
    modelId: entry.modelId,
    providerId: entry.providerId,
    costUsd: entry.costUsd,
    expiresAt: entry.expiresAt,
    ...(entry.requestId ? { requestId: entry.requestId } : {}),
  };
  if (entry.kind === 'semantic') {
    return {
      pk: cacheKeys.semanticPk(entry.tenantId, entry.scope, entry.signature),
      sk: cacheKeys.semanticSk(entry.createdAtMs, entry.hash),
      text: entry.text,
      ...(entry.vec ? { vec: entry.vec, embedderId: entry.embedderId } : {}),
      ...answer,
    };
  }
  return { pk: cacheKeys.exactPk(entry.tenantId, entry.hash), sk: cacheKeys.exactSk, tenantId: entry.tenantId, route: entry.route, createdAt: entry.createdAt, ...answer };
}

/** The `TENANT#<id>` / `CACHE` item of the tenants table. */
export class DynamoTenantCacheSettings implements TenantCacheSettingsSource {
  private readonly client: DynamoDocuments;
  private readonly tableName: string;

  constructor(client: DynamoDocuments, tableName: string) {
    this.client = client;
    this.tableName = tableName;
  }

  async read(tenantId: string): Promise<unknown> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: tenantCacheKeys.pk(tenantId), sk: tenantCacheKeys.sk } }));
    return Item;
  }
}

export interface DynamoResponseCacheOptions extends Omit<ResponseCacheOptions, 'store' | 'tenantSettings'> {
  client: DynamoDocuments;
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

