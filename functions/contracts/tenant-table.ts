// Every key shape of the tenants table, in one place: the router's key store, budget guard and cache
// settings, the local runtime's seed and the admin CLI all build and parse keys through this module
// (the DynamoDB reads and writes of the CLI live in adapters/dynamodb/tenant-repository.ts).
//
//   pk TENANT#<tenant>   sk TENANT                           { tenantId, name, createdAt }
//   pk TENANT#<tenant>   sk BUDGET                           { monthlyUsd, preferCheaperAt?, updatedAt }
//   pk TENANT#<tenant>   sk BUDGET#KEY#<keyId>               same, for one key
//   pk TENANT#<tenant>   sk SPEND#<yyyy-mm>                  { reservedUsd, spentUsd, committedUsd, limitUsd, calls }
//   pk TENANT#<tenant>   sk SPEND#KEY#<keyId>#<yyyy-mm>      same, for one key
//   pk TENANT#<tenant>   sk CACHE                            { enabled?, threshold?, semantic? }
//   pk TENANT#<tenant>   sk PLAN                             { plan, requestsPerSecond, burst, monthlyRequests, tokensPerMinute }
// Spend counters (SPEND#...) live in the usage table under the same keys (contracts/tables.ts usageTable).
//   pk KEY#<sha256 of the key>   sk KEY                      { tenantId, keyId, createdAt, revoked? }
//   pk KEYID#<keyId>     sk KEYID                            { tenantId, keyId, keyHash }   (finds a key by its id)
// Everything about one tenant except its keys shares one partition, so one Query reads it.

const TENANT = 'TENANT#';
const KEY = 'KEY#';
const BUDGET = 'BUDGET';
const KEY_BUDGET = 'BUDGET#KEY#';
const SPEND = 'SPEND#';
const KEY_SPEND = 'SPEND#KEY#';

export interface ItemKey {
  pk: string;
  sk: string;
}

export const tenantTableKeys = {
  tenantPk: (tenantId: string): string => `${TENANT}${tenantId}`,
  profileSk: 'TENANT',
  profile: (tenantId: string): ItemKey => ({ pk: `${TENANT}${tenantId}`, sk: 'TENANT' }),

  apiKeyPk: (keyHash: string): string => `${KEY}${keyHash}`,
  apiKeySk: 'KEY',
  apiKey: (keyHash: string): ItemKey => ({ pk: `${KEY}${keyHash}`, sk: 'KEY' }),
  /** The key hash of a `KEY#<hash>` partition key. */
  keyHashOfPk: (pk: string): string => pk.slice(KEY.length),

  keyLookup: (keyId: string): ItemKey => ({ pk: `KEYID#${keyId}`, sk: 'KEYID' }),

  /** Every budget sort key starts with this (`begins_with` reads the tenant's and its keys' budgets). */
  budgetSkPrefix: BUDGET,
  tenantBudgetSk: BUDGET,
  keyBudgetSk: (keyId: string): string => `${KEY_BUDGET}${keyId}`,
  tenantBudget: (tenantId: string): ItemKey => ({ pk: `${TENANT}${tenantId}`, sk: BUDGET }),
  keyBudget: (tenantId: string, keyId: string): ItemKey => ({ pk: `${TENANT}${tenantId}`, sk: `${KEY_BUDGET}${keyId}` }),

  tenantSpendSk: (period: string): string => `${SPEND}${period}`,
  keySpendSk: (keyId: string, period: string): string => `${KEY_SPEND}${keyId}#${period}`,

  /** The tenant's rate-limit plan: `{ plan, requestsPerSecond, burst, monthlyRequests, tokensPerMinute }`. */
  planSk: 'PLAN',
  plan: (tenantId: string): ItemKey => ({ pk: `${TENANT}${tenantId}`, sk: 'PLAN' }),

  cacheSettingsSk: 'CACHE',
  cacheSettings: (tenantId: string): ItemKey => ({ pk: `${TENANT}${tenantId}`, sk: 'CACHE' }),
} as const;

/** What an item in a tenant's partition is, read from its sort key. */
export type TenantItemKind =
  | { kind: 'profile' }
  | { kind: 'budget'; keyId?: string }
  | { kind: 'spend'; period: string; keyId?: string }
  | { kind: 'cache' }
  | { kind: 'other' };

/** Parses a sort key of a `TENANT#<id>` partition. */
export function tenantItemKind(sk: string): TenantItemKind {
  if (sk === tenantTableKeys.profileSk) return { kind: 'profile' };
  if (sk === tenantTableKeys.cacheSettingsSk) return { kind: 'cache' };
  if (sk === BUDGET) return { kind: 'budget' };
  if (sk.startsWith(KEY_BUDGET)) return { kind: 'budget', keyId: sk.slice(KEY_BUDGET.length) };
  if (sk.startsWith(KEY_SPEND)) {
    const rest = sk.slice(KEY_SPEND.length);
    const cut = rest.lastIndexOf('#');
    return cut > 0 ? { kind: 'spend', keyId: rest.slice(0, cut), period: rest.slice(cut + 1) } : { kind: 'other' };
  }
  if (sk.startsWith(SPEND)) return { kind: 'spend', period: sk.slice(SPEND.length) };
  return { kind: 'other' };
}

/** The tenant id of a `TENANT#<id>` partition key, or undefined for any other partition. */
export function tenantIdOfPk(pk: string): string | undefined {
  return pk.startsWith(TENANT) ? pk.slice(TENANT.length) : undefined;
}
