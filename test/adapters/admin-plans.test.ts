// `admin create-tenant --plan` and `admin set-plan` against dynalite: the plan item the router and the
// local runtime read, validation before anything is written.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin } from '../../cli/admin.ts';
import { capturingIo } from '../../cli/io.ts';
import { tenantTableKeys } from '#contracts/tenant-table.ts';
import { PLAN_PRESETS } from '#core/limits/plans.ts';
import { startTenantTable, type TenantTableFixture } from '../support/tenant-table.ts';

let table: TenantTableFixture;
beforeAll(async () => {
  table = await startTenantTable('admin-plans');
});
afterAll(async () => {
  await table?.close();
});

const run = (...argv: string[]) => admin([...argv, '--local', '--table', table.tableName, '--endpoint', table.endpoint], capturingIo(), {});
const item = async (tenantId: string, sk: string) =>
  (await table.documents.send(new GetCommand({ TableName: table.tableName, Key: { pk: tenantTableKeys.tenantPk(tenantId), sk } }))).Item;

describe('tenant plans from the admin command', () => {
  it('create-tenant attaches the standard plan by default, or the one named with overrides', async () => {
    await run('create-tenant', 'plain');
    expect(await item('plain', tenantTableKeys.planSk)).toMatchObject({ plan: 'standard', ...PLAN_PRESETS['standard'] });
    await run('create-tenant', 'acme', '--plan', 'free', '--tokens-per-minute', '500');
    expect(await item('acme', tenantTableKeys.planSk)).toMatchObject({ plan: 'free', ...PLAN_PRESETS['free'], tokensPerMinute: 500 });
  });

  it('set-plan replaces the plan of an existing tenant', async () => {
    await run('set-plan', 'acme', 'pro', '--rps', '75');
    expect(await item('acme', tenantTableKeys.planSk)).toMatchObject({ plan: 'pro', requestsPerSecond: 75, burst: PLAN_PRESETS['pro']!.burst });
    await expect(run('set-plan', 'ghost', 'pro')).rejects.toThrow(/no tenant ghost/);
  });

  it('checks the plan before writing anything', async () => {
    await expect(run('create-tenant', 'typo', '--plan', 'platinum')).rejects.toThrow(/unknown plan 'platinum'/);
    expect(await item('typo', tenantTableKeys.profileSk)).toBeUndefined();
    await expect(run('create-tenant', 'bad', '--plan', 'custom', '--rps', 'fast')).rejects.toThrow(/--rps must be a number/);
  });

  it('asks for the stage when told to create the gateway plan', async () => {
    await expect(run('set-plan', 'acme', 'free', '--rest-api-id', 'abc123')).rejects.toThrow(/--stage/);
  });
});
