// Environment of the health-check function, read and checked once at cold start.
import { z } from 'zod';
import { parseEnv } from './env.ts';
import { envNames } from '#contracts/env.ts';
import { healthTable } from '#contracts/tables.ts';

const schema = z.object({
  [envNames.catalogPath]: z.string().min(1),
  [healthTable.envVar]: z.string().min(1),
  [envNames.providerSecretArn]: z.string().min(1).optional(),
});

export interface HealthCheckConfig {
  catalogPath: string;
  healthTableName: string;
  providerSecretArn: string | undefined;
}

/** Reads the health check's environment; throws one error listing every missing or invalid variable. */
export function readHealthCheckConfig(env: NodeJS.ProcessEnv = process.env): HealthCheckConfig {
  const values = parseEnv(schema, 'Health-check', env) as Record<string, string | undefined>;
  return {
    catalogPath: values[envNames.catalogPath]!,
    healthTableName: values[healthTable.envVar]!,
    providerSecretArn: values[envNames.providerSecretArn],
  };
}
