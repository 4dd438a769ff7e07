// The health-check function's configuration root: its environment, parsed once at cold start (declared in contracts/env.ts).
import { parseEnv } from '#contracts/env.ts';

export interface HealthCheckConfig {
  catalogPath: string;
  healthTableName: string;
  providerSecretArn: string | undefined;
  providerKeysMaxAgeSeconds: number;
  /** Where provider keys are read when there is no secret (the names come from the catalog). */
  providerKeyEnv: Readonly<Record<string, string | undefined>>;
}

/** Reads the health check's environment; throws one error listing every missing or invalid variable. */
export function readHealthCheckConfig(env: Readonly<Record<string, string | undefined>> = process.env): HealthCheckConfig {
  const v = parseEnv(['catalogPath', 'healthTable', 'providerSecretArn', 'providerKeysMaxAgeSeconds'], 'Health-check', env, ['catalogPath', 'healthTable']);
  return {
    catalogPath: v.catalogPath,
    healthTableName: v.healthTable,
    providerSecretArn: v.providerSecretArn,
    providerKeysMaxAgeSeconds: v.providerKeysMaxAgeSeconds,
    providerKeyEnv: env,
  };
}
