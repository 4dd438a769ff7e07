// Environment of the authorizer, read and checked once at cold start.
import * as z from 'zod';
import { parseEnv } from './env.ts';
import { envNames } from '#contracts/env.ts';
import { tenantTable } from '#contracts/tables.ts';

const schema = z.object({
  [tenantTable.envVar]: z.string().min(1),
  [envNames.stage]: z.string().regex(/^[a-z0-9-]+$/, 'a stage name such as dev'),
});

export interface AuthorizerConfig {
  tenantsTableName: string;
  stage: string;
}

/** Reads the authorizer's environment; throws one error listing every missing or invalid variable. */
export function readAuthorizerConfig(env: NodeJS.ProcessEnv = process.env): AuthorizerConfig {
  const values = parseEnv(schema, 'Authorizer', env) as Record<string, string>;
  return { tenantsTableName: values[tenantTable.envVar]!, stage: values[envNames.stage]! };
}
