// Environment of the health-check function, read and checked once at cold start.
import * as z from 'zod';
import { parseEnv } from './env.ts';
import { envNames } from '#contracts/env.ts';
import { healthTable } from '#contracts/tables.ts';

const schema = z.object({
  [envNames.catalogPath]: z.string().min(1),
  [healthTable.envVar]: z.string().min(1),
  [envNames.providerSecretArn]: z.string().min(1).optional(),
  [envNames.providerKeysMaxAgeSeconds]: z.coerce.number().min(0).default(300),
});

export interface HealthCheckConfig {
  catalogPath: string;
  healthTableName: string;
  providerSecretArn: string | undefined;
  providerKeysMaxAgeSeconds: number;
}

/** Reads the health check's environment; throws one error listing every missing or invalid variable. */
export function readHealthCheckConfig(env: NodeJS.ProcessEnv = process.env): HealthCheckConfig {
  const values = parseEnv(schema, 'Health-check', env) as Record<string, unknown>;
  return {
    catalogPath: values[envNames.catalogPath] as string,
    healthTableName: values[healthTable.envVar] as string,
    providerSecretArn: values[envNames.providerSecretArn] as string | undefined,
    providerKeysMaxAgeSeconds: values[envNames.providerKeysMaxAgeSeconds] as number,
  };
}
