// The authorizer's configuration root: its environment, parsed once at cold start (declared in contracts/env.ts).
import { parseEnv } from '#contracts/env.ts';

export interface AuthorizerConfig {
  tenantsTableName: string;
  stage: string;
}

/** Reads the authorizer's environment; throws one error listing every missing or invalid variable. */
export function readAuthorizerConfig(env: Readonly<Record<string, string | undefined>> = process.env): AuthorizerConfig {
  const v = parseEnv(['tenantTable', 'stage'], 'Authorizer', env, ['tenantTable', 'stage']);
  return { tenantsTableName: v.tenantTable, stage: v.stage };
}
