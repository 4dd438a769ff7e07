// Environment read and checked once, at cold start, with a message naming whatever is missing.
import * as z from 'zod';
import { parseEnv } from './env.ts';
import { costTable, healthTable, tenantTable, usageTable } from '#contracts/tables.ts';
import { envNames } from '#contracts/env.ts';

const schema = z.object({
  [envNames.catalogPath]: z.string().min(1),
  [costTable.envVar]: z.string().min(1),
  [healthTable.envVar]: z.string().min(1),
  [envNames.providerSecretArn]: z.string().min(1).optional(),
  [envNames.providerKeysMaxAgeSeconds]: z.coerce.number().min(0).default(300),
  [envNames.maxBodyBytes]: z.coerce.number().int().positive().default(4 * 1024 * 1024),
  [tenantTable.envVar]: z.string().min(1).optional(),
  [usageTable.envVar]: z.string().min(1).optional(),
});

export interface RouterConfig {
  catalogPath: string;
  costTableName: string;
  healthTableName: string;
  providerSecretArn: string | undefined;
  providerKeysMaxAgeSeconds: number;
  maxBodyBytes: number;
  /** Plans and budgets (read only); with the usage table, tokens-per-minute limits are enforced. */
  tenantsTableName: string | undefined;
  /** Spend and token counters. */
  usageTableName: string | undefined;
}

/** Reads the router's environment; throws one error listing every missing or invalid variable. */
export function readRouterConfig(env: NodeJS.ProcessEnv = process.env): RouterConfig {
  const values = parseEnv(schema, 'Router', env) as Record<string, unknown>;
  return {
    catalogPath: values[envNames.catalogPath] as string,
    costTableName: values[costTable.envVar] as string,
    healthTableName: values[healthTable.envVar] as string,
    providerSecretArn: values[envNames.providerSecretArn] as string | undefined,
    providerKeysMaxAgeSeconds: values[envNames.providerKeysMaxAgeSeconds] as number,
    maxBodyBytes: values[envNames.maxBodyBytes] as number,
    tenantsTableName: values[tenantTable.envVar] as string | undefined,
    usageTableName: values[usageTable.envVar] as string | undefined,
  };
}
