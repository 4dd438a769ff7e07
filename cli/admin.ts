// `npm run admin -- <command>`: tenants, API keys and budgets in the tenants table, through the tenant
// repository (the same key shapes the router reads). `npm run admin -- --help` lists the commands;
// `npm run admin -- <command> --help` shows one command's options and an example.
import { tenantTable, usageTable } from '#contracts/tables.ts';
import { TenantExistsError, TenantRepository } from '#adapters/dynamodb/tenant-repository.ts';
import { budgetPeriod } from '#core/budget/budget.ts';
import { generateApiKey, hashApiKey, keyIdFromHash } from '#core/auth/api-keys.ts';
import { renderTenantList, renderTenantOverview } from './admin-render.ts';
import { sdkDocuments } from './sdk-documents.ts';
import { helpText, parseCommand, stringOption, UsageError } from './command.ts';
import type { CommandSpec, OptionSpec, Parsed } from './command.ts';
import { dynamoTarget, tableName } from './dynamo.ts';
import { runMain } from './io.ts';
import { applyPlan, planFromFlags, planOptionSpecs } from './tenant-plans.ts';
import type { Io } from './io.ts';

const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const KEY_ID = /^key_[0-9a-f]{12}$/;
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

const tableOptions: Record<string, OptionSpec> = {
  local: { type: 'boolean', description: 'use the local runtime (finds a running `npm start` by itself, else opens .local-data)' },
  table: { type: 'string', value: '<name>', description: 'tenants table name (default: TABLE_TENANTS, the stack output TenantsTableName)' },
  endpoint: { type: 'string', value: '<url>', description: 'DynamoDB endpoint, with --local (default: found in .local-data/runtime.json)' },
  'data-dir': { type: 'string', value: '<dir>', description: 'data folder of the local runtime (default: ROUTER_DATA_DIR or .local-data)' },
};

interface Context {
  tenants: TenantRepository;
  io: Io;
  now: () => Date;
  env: NodeJS.ProcessEnv;
}

type AdminCommand =
  | { spec: CommandSpec; usesTable: true; run(ctx: Context, parsed: Parsed): Promise<void> }
  /** Commands that need no table (new-key). */
  | { spec: CommandSpec; usesTable: false; run(ctx: Pick<Context, 'io'>, parsed: Parsed): Promise<void> };

const usd = (n: number): string => `$${n.toFixed(2)}`;

/** Thrown by the dry run's repository at its first call: the command's own argument checks passed. */
class ArgumentsChecked extends Error {}

/**
 * Runs the command once against a repository that stops it at its first call, with its output
 * dropped: every argument check a command makes before touching the table (tenant ids, amounts,
 * periods, plans) then fails before any I/O, so a bad input never opens (or creates) the local data
 * folder or connects to AWS. The commands touch nothing but the table before their first table call.
 */
async function checkArguments(command: Extract<AdminCommand, { usesTable: true }>, parsed: Parsed, env: NodeJS.ProcessEnv, now: () => Date): Promise<void> {
  const stop = (): never => { throw new ArgumentsChecked(); };
  const tenants = new Proxy({}, { get: () => stop }) as TenantRepository;
  const silent: Io = { out: () => undefined, err: () => undefined };
  await command.run({ tenants, io: silent, now, env }, parsed).catch((error: unknown) => {
    if (!(error instanceof ArgumentsChecked)) throw error;
  });
}

function tenantIdArg(value: string | undefined, invocation: string): string {
  if (!value || !TENANT_ID.test(value)) throw new UsageError(`tenant id '${value ?? ''}' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`, invocation);
  return value;
}

function keyIdArg(value: string | undefined, invocation: string): string {
  if (!value || !KEY_ID.test(value)) throw new UsageError(`key id '${value ?? ''}' must look like key_0123456789ab (see list-keys)`, invocation);
  return value;
}

async function requireTenant(ctx: Context, tenantId: string): Promise<void> {
  if (!(await ctx.tenants.getTenant(tenantId))) throw new Error(`no tenant ${tenantId}; create it with: npm run admin -- create-tenant ${tenantId}`);
}

function spec(name: string, args: string | undefined, summary: string, options: Record<string, OptionSpec>, examples: string[], notes?: string[]): CommandSpec {
  return { invocation: `npm run admin -- ${name}`, ...(args ? { args } : {}), summary, options, examples, ...(notes ? { notes } : {}) };
}

export const commands: Record<string, AdminCommand> = {
  'create-tenant': {
    spec: spec('create-tenant', '<tenant>', 'Creates a tenant: who is billed, and who owns API keys and budgets.',
      { name: { type: 'string', value: '<name>', description: 'display name (default: the id)' }, ...planOptionSpecs, ...tableOptions },
      ['npm run admin -- create-tenant acme --name "Acme Inc" --local', 'npm run admin -- create-tenant acme --plan pro --rest-api-id <RestApiId> --stage prod']),
    usesTable: true,
    async run(ctx, { values, positionals }) {
      const tenantId = tenantIdArg(positionals[0], this.spec.invocation);
      const plan = planFromFlags(stringOption(values, 'plan'), values as Record<string, string | undefined>); // checked before anything is written
      try {
        await ctx.tenants.putTenant({ tenantId, name: stringOption(values, 'name') ?? tenantId, createdAt: ctx.now().toISOString() });
      } catch (error) {
        if (error instanceof TenantExistsError) throw new Error(`tenant ${tenantId} already exists (see: npm run admin -- tenants show ${tenantId})`);
        throw error;
      }
      ctx.io.out(`created tenant ${tenantId}; next: npm run admin -- issue-key ${tenantId}`);
      await applyPlan(ctx, tenantId, plan, values as Record<string, string | undefined>);
    },
  },
  'set-plan': {
    spec: spec('set-plan', '<tenant> <plan>', "Sets a tenant's rate-limit plan (free, standard, pro or custom, any limit overridable); with --rest-api-id also its own API Gateway usage plan.",
      { ...planOptionSpecs, ...tableOptions },
      ['npm run admin -- set-plan acme pro --tokens-per-minute 500000 --rest-api-id <RestApiId> --stage prod']),
    usesTable: true,
    async run(ctx, { values, positionals }) {
      const tenantId = tenantIdArg(positionals[0], this.spec.invocation);
      const plan = planFromFlags(positionals[1], values as Record<string, string | undefined>);
      await requireTenant(ctx, tenantId);
      await applyPlan(ctx, tenantId, plan, values as Record<string, string | undefined>);
    },
  },
  'issue-key': {
    spec: spec('issue-key', '<tenant>', 'Issues an API key for a tenant and prints it once; only its SHA-256 hash is stored.', tableOptions,
      ['npm run admin -- issue-key acme --local']),
    usesTable: true,
    async run(ctx, { positionals }) {
      const tenantId = tenantIdArg(positionals[0], this.spec.invocation);
      await requireTenant(ctx, tenantId);
      const key = generateApiKey();
      const keyHash = hashApiKey(key);
      const keyId = keyIdFromHash(keyHash);
      await ctx.tenants.putKey({ tenantId, keyId, keyHash, createdAt: ctx.now().toISOString() });
      ctx.io.out(`issued ${keyId} for tenant ${tenantId}. The key is shown only this once; store it now:\n${key}`);
    },
  },
  'new-key': {
    spec: spec('new-key', undefined, 'Prints a new random API key and stores nothing: a value for ROUTER_API_KEY of the local runtime. To give a tenant a key, use issue-key.', {},
      ['ROUTER_API_KEY=$(npm run --silent admin -- new-key) npm start']),
    usesTable: false,
    async run(ctx) {
      ctx.io.out(generateApiKey());
    },
  },
  'revoke-key': {
    spec: spec('revoke-key', '<keyId>', 'Revokes an API key by its id (key_…, from list-keys or tenants show).', tableOptions,
      ['npm run admin -- revoke-key key_0123456789ab --local'],
      ['Takes effect within about six minutes on AWS (300 s authorizer cache plus 60 s key cache), within a minute locally.']),
    usesTable: true,
    async run(ctx, { positionals }) {
      const keyId = keyIdArg(positionals[0], this.spec.invocation);
      const found = await ctx.tenants.findKey(keyId);
      if (!found || !(await ctx.tenants.revokeKey(found.keyHash, ctx.now().toISOString()))) throw new Error(`no key ${keyId}`);
      ctx.io.out(`revoked ${keyId} of tenant ${found.tenantId}: takes effect within about six minutes on AWS (authorizer and key caches), within a minute locally`);
    },
  },
  'set-budget': {
    spec: spec('set-budget', '<tenant> <usd>', 'Sets the monthly budget (USD) of a tenant, or of one of its keys with --key. Calls that would go over it get 429 insufficient_quota.', {
      key: { type: 'string', value: '<keyId>', description: 'budget of this key instead of the tenant' },
      'prefer-cheaper-at': { type: 'string', value: '<0..1>', description: 'share of the budget from which routing prefers cheaper models' },
      ...tableOptions,
    }, ['npm run admin -- set-budget acme 25 --local', 'npm run admin -- set-budget acme 5 --key key_0123456789ab --prefer-cheaper-at 0.8 --local']),
    usesTable: true,
    async run(ctx, { values, positionals }) {
      const tenantId = tenantIdArg(positionals[0], this.spec.invocation);
      const usdText = positionals[1]!;
      const monthlyUsd = Number(usdText);
      if (!/^\d+(\.\d+)?$/.test(usdText) || !Number.isFinite(monthlyUsd)) throw new UsageError(`budget must be a non-negative number of USD, got '${usdText}'`, this.spec.invocation);
      const preferText = stringOption(values, 'prefer-cheaper-at');
      const preferCheaperAt = preferText === undefined ? undefined : Number(preferText);
      if (preferCheaperAt !== undefined && !(preferCheaperAt >= 0 && preferCheaperAt <= 1)) throw new UsageError(`--prefer-cheaper-at must be between 0 and 1, got '${preferText}'`, this.spec.invocation);
      const keyText = stringOption(values, 'key');
      const keyId = keyText === undefined ? undefined : keyIdArg(keyText, this.spec.invocation);
      await requireTenant(ctx, tenantId);
      await ctx.tenants.setBudget(tenantId, { monthlyUsd, ...(preferCheaperAt !== undefined ? { preferCheaperAt } : {}), ...(keyId ? { keyId } : {}) }, ctx.now().toISOString());
      ctx.io.out(`monthly budget of ${keyId ? `key ${keyId} of tenant ${tenantId}` : `tenant ${tenantId}`} set to ${usd(monthlyUsd)} (routers pick it up within a minute)`);
    },
  },
  'list-keys': {
    spec: spec('list-keys', '<tenant>', "Lists a tenant's key ids (never the keys) with their creation time and state.", tableOptions,
      ['npm run admin -- list-keys acme --local']),
    usesTable: true,
    async run(ctx, { positionals }) {
      const tenantId = tenantIdArg(positionals[0], this.spec.invocation);
      const keys = await ctx.tenants.keysOf(tenantId);
      if (keys.length === 0) {
        ctx.io.out(`tenant ${tenantId} has no keys`);
        return;
      }
      ctx.io.out(keys.map((k) => `${k.keyId}  ${k.createdAt ?? '-'}  ${k.revoked ? 'revoked' : 'active'}`).join('\n'));
    },
  },
  'tenants list': {
    spec: spec('tenants list', undefined, 'Lists every tenant with its monthly budget, its spend this month and its keys.', {
      period: { type: 'string', value: '<yyyy-mm>', description: 'month of the spend column (default: this month, UTC)' }, ...tableOptions,
    }, ['npm run admin -- tenants list --local']),
    usesTable: true,
    async run(ctx, { values }) {
      const period = periodOption(values, ctx, this.spec.invocation);
      ctx.io.out(renderTenantList(await ctx.tenants.listTenants(period), period));
    },
  },
  'tenants show': {
    spec: spec('tenants show', '<tenant>', "Shows one tenant: name, usage plan, budget, spent and held this month, and every key with its own budget and spend.", {
      period: { type: 'string', value: '<yyyy-mm>', description: 'month to show (default: this month, UTC)' }, ...tableOptions,
    }, ['npm run admin -- tenants show acme --local']),
    usesTable: true,
    async run(ctx, { values, positionals }) {
      const tenantId = tenantIdArg(positionals[0], this.spec.invocation);
      const period = periodOption(values, ctx, this.spec.invocation);
      const overview = await ctx.tenants.overview(tenantId);
      if (!overview) throw new Error(`no tenant ${tenantId} (see: npm run admin -- tenants list)`);
      ctx.io.out(renderTenantOverview(overview, period));
    },
  },
};

function periodOption(values: Parsed['values'], ctx: Context, invocation: string): string {
  const period = stringOption(values, 'period') ?? budgetPeriod(ctx.now().getTime());
  if (!PERIOD.test(period)) throw new UsageError(`--period must look like 2026-11, got '${period}'`, invocation);
  return period;
}

export function overviewHelp(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  return [
    'usage: npm run admin -- <command> [arguments] [options]',
    '',
    'Tenants, API keys and budgets. Add --local for the local runtime (npm start); on AWS set',
    'TABLE_TENANTS to the stack output TenantsTableName (or pass --table).',
    '',
    'commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.spec.summary.split('. ')[0]!.replace(/\.$/, '')}`),
    '',
    'Run `npm run admin -- <command> --help` for its options and an example.',
    '',
    'example:',
    '  npm run admin -- create-tenant acme --local && npm run admin -- issue-key acme --local',
    '',
  ].join('\n');
}

/** Splits `tenants show acme` into the command name and the rest. */
function commandOf(argv: readonly string[]): { name: string | undefined; rest: string[] } {
  const positional = argv.filter((a) => !a.startsWith('-'));
  const first = positional[0];
  if (first === undefined) return { name: undefined, rest: [...argv] };
  const twoWord = first === 'tenants' && positional[1] !== undefined ? `tenants ${positional[1]}` : undefined;
  const name = twoWord ?? first;
  const words = name.split(' ');
  const rest = [...argv];
  for (const word of words) rest.splice(rest.indexOf(word), 1);
  return { name, rest };
}

export async function admin(argv: string[], io: Io, env: NodeJS.ProcessEnv = process.env, now: () => Date = () => new Date()): Promise<void> {
  const { name, rest } = commandOf(argv);
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  if (name === undefined || (name === 'tenants' && wantsHelp)) {
    if (wantsHelp) {
      io.out(overviewHelp());
      return;
    }
    throw new UsageError(`missing command; one of: ${Object.keys(commands).join(', ')}`, 'npm run admin --');
  }
  const command = commands[name];
  if (!command) {
    const hint = name === 'tenants' ? 'tenants needs list or show' : `unknown command '${name}'; one of: ${Object.keys(commands).join(', ')}`;
    throw new UsageError(hint, 'npm run admin --');
  }
  const parsed = parseCommand(command.spec, rest);
  if (parsed.help) {
    io.out(helpText(command.spec));
    return;
  }
  if (command.usesTable === false) {
    await command.run({ io }, parsed);
    return;
  }
  const local = parsed.values['local'] === true;
  const endpoint = stringOption(parsed.values, 'endpoint');
  const dataDir = stringOption(parsed.values, 'data-dir');
  const table = stringOption(parsed.values, 'table');
  if ((endpoint || dataDir) && !local) throw new UsageError('--endpoint and --data-dir go with --local', command.spec.invocation);
  // Resolve the table name before connecting, so a missing table name fails without any I/O.
  if (!local && !table && !env[tenantTable.envVar]) {
    throw new UsageError(`no tenants table: add --local for the local runtime, or set ${tenantTable.envVar} (stack output TenantsTableName), or pass --table`, command.spec.invocation);
  }
  await checkArguments(command, parsed, env, now);
  const target = await dynamoTarget({ local, ...(endpoint ? { endpoint } : {}), ...(dataDir ? { dataDir } : {}), env });
  try {
    // Spend counters live in the usage table (the functions may change nothing else); read them from there.
    const usage = local || env[usageTable.envVar] ? tableName(target, usageTable, { local, env }) : undefined;
    const tenants = new TenantRepository(sdkDocuments(target.documents), tableName(target, tenantTable, { ...(table ? { table } : {}), local, env }), usage);
    await command.run({ tenants, io, now, env }, parsed);
  } finally {
    await target.close();
  }
}

if (import.meta.main) runMain((io) => admin(process.argv.slice(2), io));
