// Table definitions shared by the CDK stack, the handlers and the local runtime, so they cannot drift.
// Every table has string keys `pk` and `sk` (sort key optional) and single-table-style prefixes.

export interface TableDefinition {
  /** Logical name; the CDK construct id and the local table name derive from it. */
  readonly name: string;
  /** Environment variable through which functions learn the physical table name. */
  readonly envVar: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  /** Attribute holding the expiry epoch seconds, when the table uses TTL. */
  readonly ttlAttribute?: string;
  /** Holds money or keys: deletion protection and RETAIN in the stack, PITR on. */
  readonly retain: boolean;
  readonly globalIndexes?: ReadonlyArray<{ name: string; partitionKey: string; sortKey?: string }>;
}

/** Response cache (exact and semantic entries); expires by TTL. */
export const cacheTable = {
  name: 'cache',
  envVar: 'TABLE_CACHE',
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  retain: false,
} as const satisfies TableDefinition;

/** Provider and deployment health: probe results and circuit-breaker state. */
export const healthTable = {
  name: 'health',
  envVar: 'TABLE_HEALTH',
  partitionKey: 'pk',
  sortKey: 'sk',
  retain: false,
} as const satisfies TableDefinition;

/** One item per billable call; exported to S3 with point-in-time export. */
export const costTable = {
  name: 'costs',
  envVar: 'TABLE_COSTS',
  partitionKey: 'pk',
  sortKey: 'sk',
  retain: true,
  globalIndexes: [{ name: 'byDay', partitionKey: 'day', sortKey: 'sk' }],
} as const satisfies TableDefinition;

/** Batch jobs, their items and results. */
export const jobTable = {
  name: 'jobs',
  envVar: 'TABLE_JOBS',
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  retain: false,
} as const satisfies TableDefinition;

/** Tenants, their API keys (hashes only), budgets and plans: written by operators, read by functions. */
export const tenantTable = {
  name: 'tenants',
  envVar: 'TABLE_TENANTS',
  partitionKey: 'pk',
  sortKey: 'sk',
  retain: true,
} as const satisfies TableDefinition;

/**
 * Counters the router and worker change: monthly budget spend and tokens per minute. Apart from the
 * tenants table so that their roles can update counters and nothing else (IAM cannot tell a counter
 * item from a key item in one table).
 */
export const usageTable = {
  name: 'usage',
  envVar: 'TABLE_USAGE',
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  retain: true,
} as const satisfies TableDefinition;

export const allTables: readonly TableDefinition[] = [cacheTable, healthTable, costTable, jobTable, tenantTable, usageTable];

/**
 * Key layout of the cost table. `timestamp` is when the request began (stable across its retries and
 * redeliveries); an answered call is keyed by its request alone (a request is answered at most once),
 * any other attempt by request and attempt number.
 */
export const costKeys = {
  pk: (tenantId: string) => `TENANT#${tenantId}`,
  sk: (timestamp: string, requestId: string, attempt?: number) => `CALL#${timestamp}#${requestId}${attempt === undefined ? '' : `#${attempt}`}`,
} as const;

// Key layout of the tenant table: contracts/tenant-table.ts.

/** Key layout of the usage table's token counters (budget counters: contracts/tenant-table.ts spend keys). */
export const usageKeys = {
  pk: (tenantId: string) => `TENANT#${tenantId}`,
  tokensSk: (windowStart: number) => `TPM#${new Date(windowStart).toISOString().slice(0, 16)}`,
} as const;
