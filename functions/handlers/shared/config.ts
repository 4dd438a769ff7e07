// The router function's configuration root: its environment, parsed once at cold start (names,
// types and defaults are declared in contracts/env.ts), shaped into the plain options its adapters take.
import { parseEnv } from '#contracts/env.ts';
import type { EnvKey, EnvValues } from '#contracts/env.ts';

export interface CacheConfig {
  /** The cache table; undefined (or `ROUTER_CACHE=off`): no response or embedding cache. */
  tableName: string | undefined;
  enabled: boolean;
  /** `ROUTER_SEMANTIC_CACHE`; undefined: the cache's own default (core/cache/policy.ts). */
  semanticByDefault: boolean | undefined;
  /** `ROUTER_EMBEDDINGS`, resolved against the catalog by adapters/embeddings/create-embedder.ts. */
  embedderSpec: string;
  region: string | undefined;
  /** Tenants table with per-tenant cache settings. */
  tenantTableName: string | undefined;
}

export interface BudgetConfig {
  /** Where budgets are configured; undefined: no budgets at all. */
  tableName: string | undefined;
  holdsTableName: string | undefined;
  countersTableName: string | undefined;
  defaultMonthlyUsd: number | undefined;
}

export interface RouterConfig {
  catalogPath: string;
  costTableName: string;
  healthTableName: string;
  providerSecretArn: string | undefined;
  providerKeysMaxAgeSeconds: number;
  /** Where provider keys are read when there is no secret (the names come from the catalog). */
  providerKeyEnv: Readonly<Record<string, string | undefined>>;
  maxBodyBytes: number;
  /** How long a cost record waits for others to share its transaction (ms). */
  costBatchMs: number;
  /** Plans and budgets (read only); with the usage table, tokens-per-minute limits are enforced. */
  tenantsTableName: string | undefined;
  /** Spend and token counters. */
  usageTableName: string | undefined;
  cache: CacheConfig;
  budget: BudgetConfig;
}

type Env = Readonly<Record<string, string | undefined>>;

const cacheKeys = ['cacheTable', 'cache', 'semanticCache', 'embeddings', 'awsRegion', 'tenantTable'] as const satisfies EnvKey[];
const budgetKeys = ['tenantTable', 'costTable', 'usageTable', 'defaultMonthlyBudgetUsd'] as const satisfies EnvKey[];

function cacheConfigOf(v: EnvValues<(typeof cacheKeys)[number]>): CacheConfig {
  return {
    tableName: v.cacheTable, enabled: v.cache, semanticByDefault: v.semanticCache,
    embedderSpec: v.embeddings, region: v.awsRegion, tenantTableName: v.tenantTable,
  };
}

function budgetConfigOf(v: EnvValues<(typeof budgetKeys)[number]>): BudgetConfig {
  return { tableName: v.tenantTable, holdsTableName: v.costTable, countersTableName: v.usageTable, defaultMonthlyUsd: v.defaultMonthlyBudgetUsd };
}

/** The cache's settings alone (the router reads them with the rest). */
export function readCacheConfig(env: Env): CacheConfig {
  return cacheConfigOf(parseEnv(cacheKeys, 'Router', env));
}

/** The budget guard's settings alone (the router reads them with the rest). */
export function readBudgetConfig(env: Env): BudgetConfig {
  return budgetConfigOf(parseEnv(budgetKeys, 'Router', env));
}

/**
 * Whether X-Ray tracing can be on: in Lambda (the Powertools Tracer's own rule) and not switched off.
 * Elsewhere the tracer is not even loaded: the X-Ray SDK installs an async hook that every promise of
 * the process pays for (about 0.45 ms of CPU per request in the local runtime, bench/README.md).
 */
export function tracingPossible(env: Env = process.env): boolean {
  const v = parseEnv(['executionEnv', 'traceEnabled'], 'Tracing', env);
  return Boolean(v.executionEnv) && v.traceEnabled?.toLowerCase() !== 'false';
}

/** Reads the router's environment; throws one error listing every missing or invalid variable. */
export function readRouterConfig(env: Env = process.env): RouterConfig {
  const v = parseEnv(
    ['catalogPath', 'costTable', 'healthTable', 'providerSecretArn', 'providerKeysMaxAgeSeconds', 'maxBodyBytes', 'costBatchMs', 'tenantTable', 'usageTable', ...cacheKeys, ...budgetKeys],
    'Router', env, ['catalogPath', 'costTable', 'healthTable'],
  );
  return {
    catalogPath: v.catalogPath,
    costTableName: v.costTable,
    healthTableName: v.healthTable,
    providerSecretArn: v.providerSecretArn,
    providerKeysMaxAgeSeconds: v.providerKeysMaxAgeSeconds,
    providerKeyEnv: env,
    maxBodyBytes: v.maxBodyBytes,
    costBatchMs: v.costBatchMs,
    tenantsTableName: v.tenantTable,
    usageTableName: v.usageTable,
    cache: cacheConfigOf(v),
    budget: budgetConfigOf(v),
  };
}
