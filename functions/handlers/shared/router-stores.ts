// The router's optional stores from its parsed configuration (shared/config.ts): each is undefined
// when its table is not configured or the feature is switched off.
import type { DynamoDocuments } from '#adapters/aws/dynamodb-commands.ts';
import { DynamoBudgetGuard } from '#adapters/dynamodb/budget-guard.ts';
import { DynamoEmbeddingCache } from '#adapters/dynamodb/embedding-cache.ts';
import { DynamoResponseCache } from '#adapters/dynamodb/response-cache.ts';
import { createEmbedder } from '#adapters/embeddings/create-embedder.ts';
import type { Catalog } from '#core/catalog/catalog.ts';
import type { CacheVerifier } from '#core/cache/verifier.ts';
import type { BudgetConfig, CacheConfig } from './config.ts';

/** The response cache: exact hits, and verified semantic ones where the switches allow them. */
export function responseCacheFor(
  config: CacheConfig, client: DynamoDocuments, catalog: Catalog, keys: ReadonlyMap<string, string | undefined>,
  verifier?: CacheVerifier,
): DynamoResponseCache | undefined {
  if (!config.tableName || !config.enabled) return undefined;
  const embedder = createEmbedder(config.embedderSpec, catalog, keys, config.region);
  return new DynamoResponseCache({
    client,
    tableName: config.tableName,
    ...(config.tenantTableName ? { tenantTableName: config.tenantTableName } : {}),
    ...(embedder ? { embedder } : {}),
    // Used only by routes whose cache.semantic.verify names the judge.
    ...(verifier ? { verifier } : {}),
    ...(config.semanticByDefault === undefined ? {} : { semanticByDefault: config.semanticByDefault }),
    routeSettings: (route) => catalog.routes[route]?.cache,
  });
}

/** The embedding cache, on the cache table. */
export function embeddingCacheFor(config: CacheConfig, client: DynamoDocuments): DynamoEmbeddingCache | undefined {
  return config.tableName && config.enabled ? new DynamoEmbeddingCache(client, config.tableName) : undefined;
}

/** The budget guard on the tenants table, holds in the cost table and counters in the usage table. */
export function budgetGuardFor(config: BudgetConfig, client: DynamoDocuments): DynamoBudgetGuard | undefined {
  if (!config.tableName) return undefined;
  return new DynamoBudgetGuard({
    tableName: config.tableName,
    client,
    ...(config.holdsTableName ? { holdsTableName: config.holdsTableName } : {}),
    ...(config.countersTableName ? { countersTableName: config.countersTableName } : {}),
    ...(config.defaultMonthlyUsd !== undefined ? { defaultMonthlyUsd: config.defaultMonthlyUsd } : {}),
  });
}
