// `npm run admin -- <command>`: tenants, API keys and budgets in the tenants table.
//   create-tenant <id> [--name <name>] [--plan <plan> ...]   (plans: cli/tenant-plans.ts)
//   set-plan <tenant> <plan> [...]
//   issue-key <tenant>                 prints the new key once; only its SHA-256 hash is stored
//   revoke-key <keyId>
//   set-budget <tenant> <usd> [--key <keyId>] [--prefer-cheaper-at <0..1>]
//   list-keys <tenant>
// Table: --table <name> or TABLE_TENANTS (AWS); --local [--endpoint url] for the local runtime.
//
// Items written: { pk: KEY#<hash>, sk: KEY, tenantId, keyId, createdAt, revoked? } (what the authorizer reads)
// and a lookup { pk: KEYID#<keyId>, sk: KEYID, tenantId, keyHash } so revoke-key finds a key by its id
// (keys without the lookup, such as the local runtime's seeded key, are found by a scan).
import { parseArgs } from 'node:util';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { budgetKeys } from '#adapters/dynamodb/budget-guard.ts';
import { tenantKeys, tenantTable } from '#contracts/tables.ts';
import { generateApiKey, hashApiKey, keyIdFromHash } from '#core/auth/api-keys.ts';
import { dynamoTarget, LOCAL_TABLE_PREFIX } from './dynamo.ts';
import { runMain } from './io.ts';
import { applyPlan, planFromFlags, planOptions, planUsage } from './tenant-plans.ts';
import type { Io } from './io.ts';

export const usage = [
  'usage: npm run admin -- <command> [--table <name> | --local [--endpoint <url>]]',
  planUsage,
  '  issue-key <tenant>',
  '  revoke-key <keyId>',
  '  set-budget <tenant> <usd> [--key <keyId>] [--prefer-cheaper-at <0..1>]',
  '  list-keys <tenant>',
].join('\n');

export const keyLookup = { pk: (keyId: string) => `KEYID#${keyId}`, sk: 'KEYID' } as const;

const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

interface Context {
  db: DynamoDBDocumentClient;
  table: string;
  io: Io;
  now: () => string;
}

export async function admin(argv: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      table: { type: 'string' }, local: { type: 'boolean' }, endpoint: { type: 'string' },
      name: { type: 'string' }, key: { type: 'string' }, 'prefer-cheaper-at': { type: 'string' },
      ...planOptions,
    },
  });
  const [command, ...rest] = positionals;
  const arity: Record<string, number> = { 'set-plan': 2, 'create-tenant': 1, 'issue-key': 1, 'revoke-key': 1, 'set-budget': 2, 'list-keys': 1 };
  if (!command || arity[command] === undefined || rest.length !== arity[command]) throw new Error(usage);
  const target = await dynamoTarget({ ...(values.local ? { local: true } : {}), ...(values.endpoint ? { endpoint: values.endpoint } : {}), env });
  try {
    const table = values.table ?? (values.local ? target.localTables?.[tenantTable.name] ?? LOCAL_TABLE_PREFIX + tenantTable.name : env[tenantTable.envVar]);
    if (!table) throw new Error(`no table: pass --table <name>, set ${tenantTable.envVar}, or use --local`);
    const ctx: Context = { db: target.documents, table, io, now: () => new Date().toISOString() };
    const [a, b] = rest as [string, string | undefined];
    const planCtx = { ...ctx, env };
    if (command === 'create-tenant') {
      const plan = planFromFlags(values.plan, values); // checked before anything is written
      await createTenant(ctx, a, values.name);
      await applyPlan(planCtx, a, plan, values);
    } else if (command === 'set-plan') {
      await requireTenant(ctx, a);
      await applyPlan(planCtx, a, planFromFlags(b, values), values);
    }
    else if (command === 'issue-key') await issueKey(ctx, a);
    else if (command === 'revoke-key') await revokeKey(ctx, a);
    else if (command === 'set-budget') await setBudget(ctx, a, b!, values.key, values['prefer-cheaper-at']);
    else await listKeys(ctx, a);
  } finally {
    await target.close();
  }
}

async function createTenant(ctx: Context, tenantId: string, name: string | undefined): Promise<void> {
  if (!TENANT_ID.test(tenantId)) throw new Error(`tenant id must match ${TENANT_ID}`);
  try {
    await ctx.db.send(new PutCommand({
      TableName: ctx.table,
      Item: { pk: tenantKeys.tenantPk(tenantId), sk: tenantKeys.tenantSk, tenantId, name: name ?? tenantId, createdAt: ctx.now() },
      ConditionExpression: 'attribute_not_exists(pk)',
    }));
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new Error(`tenant ${tenantId} already exists`);
    throw error;
  }
  ctx.io.out(`created tenant ${tenantId}`);
}

async function requireTenant(ctx: Context, tenantId: string): Promise<void> {
  const { Item } = await ctx.db.send(new GetCommand({ TableName: ctx.table, Key: { pk: tenantKeys.tenantPk(tenantId), sk: tenantKeys.tenantSk } }));
  if (!Item) throw new Error(`no tenant ${tenantId}; create it with: npm run admin -- create-tenant ${tenantId}`);
}

async function issueKey(ctx: Context, tenantId: string): Promise<void> {
  await requireTenant(ctx, tenantId);
  const key = generateApiKey();
  const keyHash = hashApiKey(key);
  const keyId = keyIdFromHash(keyHash);
  const createdAt = ctx.now();
  await ctx.db.send(new PutCommand({
    TableName: ctx.table,
    Item: { pk: tenantKeys.keyPk(keyHash), sk: tenantKeys.keySk, tenantId, keyId, createdAt },
    ConditionExpression: 'attribute_not_exists(pk)',
  }));
  await ctx.db.send(new PutCommand({ TableName: ctx.table, Item: { pk: keyLookup.pk(keyId), sk: keyLookup.sk, tenantId, keyId, keyHash, createdAt } }));
  ctx.io.out(`issued ${keyId} for tenant ${tenantId}. The key is shown only this once; store it now:\n${key}`);
}

async function findKeyHash(ctx: Context, keyId: string): Promise<{ keyHash: string; tenantId: string } | undefined> {
  const { Item } = await ctx.db.send(new GetCommand({ TableName: ctx.table, Key: { pk: keyLookup.pk(keyId), sk: keyLookup.sk } }));
  if (Item && typeof Item['keyHash'] === 'string') return { keyHash: Item['keyHash'], tenantId: String(Item['tenantId']) };
  for (const item of await scanKeys(ctx, { keyId })) {
    return { keyHash: String(item['pk']).slice('KEY#'.length), tenantId: String(item['tenantId']) };
  }
  return undefined;
}

async function revokeKey(ctx: Context, keyId: string): Promise<void> {
  const found = await findKeyHash(ctx, keyId);
  if (!found) throw new Error(`no key ${keyId}`);
  await ctx.db.send(new UpdateCommand({
    TableName: ctx.table,
    Key: { pk: tenantKeys.keyPk(found.keyHash), sk: tenantKeys.keySk },
    UpdateExpression: 'SET revoked = :yes, revokedAt = :now',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: { ':yes': true, ':now': ctx.now() },
  }));
  ctx.io.out(`revoked ${keyId} of tenant ${found.tenantId} (cached authorizations may last up to a minute)`);
}

async function setBudget(ctx: Context, tenantId: string, usdText: string, keyId: string | undefined, preferText: string | undefined): Promise<void> {
  const monthlyUsd = Number(usdText);
  if (!/^\d+(\.\d+)?$/.test(usdText) || !Number.isFinite(monthlyUsd)) throw new Error(`budget must be a non-negative number of USD, got '${usdText}'`);
  const preferCheaperAt = preferText === undefined ? undefined : Number(preferText);
  if (preferCheaperAt !== undefined && !(preferCheaperAt >= 0 && preferCheaperAt <= 1)) throw new Error('--prefer-cheaper-at must be between 0 and 1');
  await requireTenant(ctx, tenantId);
  await ctx.db.send(new PutCommand({
    TableName: ctx.table,
    Item: {
      pk: budgetKeys.pk(tenantId), sk: keyId ? budgetKeys.keyBudgetSk(keyId) : budgetKeys.tenantBudgetSk,
      monthlyUsd, ...(preferCheaperAt !== undefined ? { preferCheaperAt } : {}), updatedAt: ctx.now(),
    },
  }));
  ctx.io.out(`monthly budget of ${keyId ? `key ${keyId} of tenant ${tenantId}` : `tenant ${tenantId}`} set to $${usdText} (routers pick it up within a minute)`);
}

async function scanKeys(ctx: Context, by: { tenantId?: string; keyId?: string }): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await ctx.db.send(new ScanCommand({
      TableName: ctx.table,
      FilterExpression: `sk = :sk AND ${by.keyId !== undefined ? 'keyId = :v' : 'tenantId = :v'}`,
      ExpressionAttributeValues: { ':sk': tenantKeys.keySk, ':v': by.keyId ?? by.tenantId },
      ExclusiveStartKey: startKey,
    }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Lists key ids (never hashes) with their state; a scan, as the tenants table is small. */
async function listKeys(ctx: Context, tenantId: string): Promise<void> {
  const keys = (await scanKeys(ctx, { tenantId }))
    .map((item) => ({ keyId: String(item['keyId'] ?? ''), createdAt: String(item['createdAt'] ?? ''), revoked: item['revoked'] === true }))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  if (keys.length === 0) {
    ctx.io.out(`tenant ${tenantId} has no keys`);
    return;
  }
  ctx.io.out(keys.map((k) => `${k.keyId}  ${k.createdAt || '-'}  ${k.revoked ? 'revoked' : 'active'}`).join('\n'));
}

if (import.meta.main) runMain((io) => admin(process.argv.slice(2), io));
