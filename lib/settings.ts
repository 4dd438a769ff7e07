// CDK context accepted by the app, validated once so a typo fails `cdk synth` with the key's name.
import * as z from 'zod';
import { planLimitsSchema, resolvePlan } from '#core/limits/plans.ts';
import type { TenantPlan } from '#core/limits/plans.ts';

export const contextKeys = {
  stage: 'llm-router:stage',
  catalog: 'llm-router:catalog',
  alarmEmail: 'llm-router:alarm-email',
  defaultMonthlyBudgetUsd: 'llm-router:default-monthly-budget-usd',
  tenantPlans: 'llm-router:tenant-plans',
  providerKeysMaxAgeSeconds: 'llm-router:provider-keys-max-age-seconds',
  healthCheckReservedConcurrency: 'llm-router:health-check-reserved-concurrency',
} as const;

/** Context from `-c key=value` arrives as a string; an empty string means "not set". */
const unsetIfEmpty = (value: unknown) => (value === '' || value === null ? undefined : value);

/** Tenants whose usage plans the stack manages: `{"acme": "pro", "globex": {"plan": "free", "tokensPerMinute": 5000}}`. */
const tenantPlansSchema = z.preprocess(
  (value) => {
    if (typeof value !== 'string' || value.trim() === '') return unsetIfEmpty(value);
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value; // fails the record check below, with the key's name
    }
  },
  z.record(
    z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'tenant ids are letters, digits, _ . -'),
    z.union([z.string(), z.strictObject(planLimitsSchema.shape).partial().extend({ plan: z.string().default('standard') })]),
  ).optional(),
);

export const settingsSchema = z.object({
  [contextKeys.stage]: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'must be lowercase letters, digits and hyphens (e.g. "dev", "prod-eu")')
    .max(32, 'must be at most 32 characters')
    .default('dev'),
  [contextKeys.catalog]: z.string().min(1, 'must be a path to a catalog JSON file').default('catalog/default-catalog.json'),
  [contextKeys.alarmEmail]: z.preprocess(unsetIfEmpty, z.email('must be a valid email address').optional()),
  [contextKeys.defaultMonthlyBudgetUsd]: z.preprocess(
    unsetIfEmpty,
    z.coerce.number('must be a number').positive('must be a positive number of USD').finite().optional(),
  ),
  [contextKeys.tenantPlans]: tenantPlansSchema,
  [contextKeys.providerKeysMaxAgeSeconds]: z.preprocess(
    unsetIfEmpty,
    z.coerce.number('must be a number of seconds').int('must be a whole number of seconds').min(0).max(3600, 'must be at most 3600 (an hour)').default(300),
  ),
  [contextKeys.healthCheckReservedConcurrency]: z.preprocess(
    (value) => {
      const set = unsetIfEmpty(value);
      return typeof set === 'string' ? set.trim().toLowerCase() : set;
    },
    z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')], 'must be true or false').default(false),
  ),
});

export interface Settings {
  stage: string;
  catalogPath: string;
  alarmEmail: string | undefined;
  defaultMonthlyBudgetUsd: number | undefined;
  /** Usage plans managed by the stack, one per tenant (tenants created later get theirs from `admin`). */
  tenantPlans: Readonly<Record<string, TenantPlan>>;
  /** How long the functions keep provider keys before reading the secret again. */
  providerKeysMaxAgeSeconds: number;
  /** Reserve one concurrent execution for the health check (needs an account whose unreserved concurrency stays above Lambda's minimum). */
  healthCheckReservedConcurrency: boolean;
}

export class SettingsError extends Error {
  override name = 'SettingsError';
}

function tenantPlansFrom(raw: Record<string, string | ({ plan: string } & Record<string, unknown>)> | undefined): Record<string, TenantPlan> {
  const plans: Record<string, TenantPlan> = {};
  for (const [tenantId, entry] of Object.entries(raw ?? {})) {
    try {
      plans[tenantId] = typeof entry === 'string' ? resolvePlan(entry) : resolvePlan(entry.plan, (({ plan: _p, ...limits }) => limits)(entry));
    } catch (error) {
      throw new SettingsError(`Invalid CDK context:\n  - context "${contextKeys.tenantPlans}" tenant ${tenantId}: ${(error as Error).message}`);
    }
  }
  return plans;
}

/** Validates the context values (read with `get(key)`) and names every bad key in the error. */
export function parseSettings(get: (key: string) => unknown): Settings {
  const raw = Object.fromEntries(Object.values(contextKeys).map((key) => [key, get(key)]));
  const result = settingsSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `context "${String(issue.path[0] ?? '?')}" = ${JSON.stringify(raw[String(issue.path[0])])}: ${issue.message}`,
    );
    throw new SettingsError(`Invalid CDK context:\n  - ${lines.join('\n  - ')}`);
  }
  const data = result.data;
  return {
    stage: data[contextKeys.stage],
    catalogPath: data[contextKeys.catalog],
    alarmEmail: data[contextKeys.alarmEmail],
    defaultMonthlyBudgetUsd: data[contextKeys.defaultMonthlyBudgetUsd],
    tenantPlans: tenantPlansFrom(data[contextKeys.tenantPlans]),
    providerKeysMaxAgeSeconds: data[contextKeys.providerKeysMaxAgeSeconds],
    healthCheckReservedConcurrency: data[contextKeys.healthCheckReservedConcurrency],
  };
}
