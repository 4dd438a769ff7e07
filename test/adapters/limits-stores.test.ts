// The plan store and the per-minute token counter against dynalite (the real DynamoDB wire protocol),
// and the usage-plan provisioner against a scripted API Gateway client: no local server speaks the
// API Gateway protocol, so its SDK calls are answered by a stand-in that records them.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoPlanStore } from '#adapters/dynamodb/plan-store.ts';
import { DynamoTokenWindowStore } from '#adapters/dynamodb/token-window-store.ts';
import { provisionTenantUsagePlan } from '#adapters/aws/usage-plan-provisioner.ts';
import type { ApiGatewaySender } from '#adapters/aws/usage-plan-provisioner.ts';
import { tenantTableKeys } from '#contracts/tenant-table.ts';
import { usagePlanKeyValue, usagePlanName } from '#contracts/usage-plans.ts';
import { PLAN_PRESETS } from '#core/limits/plans.ts';
import { startTenantTable, type TenantTableFixture } from '../support/tenant-table.ts';

let table: TenantTableFixture;
beforeAll(async () => {
  table = await startTenantTable('limits-test');
});
afterAll(async () => {
  await table?.close();
});

describe('DynamoPlanStore', () => {
  it("reads a tenant's plan item, and nothing for a tenant without one", async () => {
    await table.documents.send(new PutCommand({ TableName: table.tableName, Item: { pk: tenantTableKeys.tenantPk('acme'), sk: tenantTableKeys.planSk, plan: 'pro', ...PLAN_PRESETS['pro'] } }));
    const store = new DynamoPlanStore({ tableName: table.tableName, client: table.store });
    expect(await store.planFor('acme')).toEqual({ name: 'pro', ...PLAN_PRESETS['pro'] });
    expect(await store.planFor('nobody')).toBeUndefined();
  });
});

describe('DynamoTokenWindowStore', () => {
  it('admits concurrent takes only up to the limit, per tenant and minute', async () => {
    const store = new DynamoTokenWindowStore({ tableName: table.tableName, client: table.store });
    const minute = 1_700_000_040_000;
    const takes = await Promise.all(Array.from({ length: 10 }, () => store.take('t1', minute, 30, 100)));
    expect(takes.filter((t) => t.admitted)).toHaveLength(3);
    expect((await store.take('t2', minute, 30, 100)).admitted).toBe(true);
    expect((await store.take('t1', minute + 60_000, 30, 100)).admitted).toBe(true);
    await store.adjust('t1', minute, -60);
    expect(await store.take('t1', minute, 30, 100)).toEqual({ admitted: true, used: 60 });
  });
});

describe('provisionTenantUsagePlan', () => {
  function scripted(existing: { key?: boolean; plan?: boolean; linked?: boolean }) {
    const calls: Array<{ command: string; input: Record<string, unknown> }> = [];
    const sender: ApiGatewaySender = {
      send: (async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        const name = command.constructor.name;
        calls.push({ command: name, input: command.input });
        const planName = usagePlanName('prod', 'acme');
        if (name === 'GetApiKeysCommand') return { items: existing.key ? [{ id: 'key1', name: planName }] : [] };
        if (name === 'CreateApiKeyCommand') return { id: 'key1' };
        if (name === 'GetUsagePlansCommand') return { items: existing.plan ? [{ id: 'plan1', name: planName }] : [{ id: 'other', name: 'x' }] };
        if (name === 'CreateUsagePlanCommand') return { id: 'plan1' };
        if (name === 'GetUsagePlanKeysCommand') return { items: existing.linked ? [{ id: 'key1' }] : [] };
        return {};
      }) as unknown as ApiGatewaySender['send'],
    };
    return { sender, calls };
  }

  it('creates the key with the value the authorizer derives, the plan on the stage, and links them', async () => {
    const { sender, calls } = scripted({});
    const result = await provisionTenantUsagePlan(sender, { restApiId: 'api1', stage: 'prod' }, 'acme', PLAN_PRESETS['free']!);
    expect(result).toEqual({ usagePlanId: 'plan1', apiKeyId: 'key1', created: { plan: true, key: true, link: true } });
    const byName = Object.fromEntries(calls.map((c) => [c.command, c.input]));
    expect(byName['CreateApiKeyCommand']).toMatchObject({ value: usagePlanKeyValue('prod', 'acme'), enabled: true });
    expect(byName['CreateUsagePlanCommand']).toMatchObject({
      apiStages: [{ apiId: 'api1', stage: 'prod' }],
      throttle: { rateLimit: PLAN_PRESETS['free']!.requestsPerSecond, burstLimit: PLAN_PRESETS['free']!.burst },
      quota: { limit: PLAN_PRESETS['free']!.monthlyRequests, period: 'MONTH' },
    });
    expect(byName['CreateUsagePlanKeyCommand']).toEqual({ usagePlanId: 'plan1', keyId: 'key1', keyType: 'API_KEY' });
  });

  it('updates an existing plan in place and creates nothing twice', async () => {
    const { sender, calls } = scripted({ key: true, plan: true, linked: true });
    const result = await provisionTenantUsagePlan(sender, { restApiId: 'api1', stage: 'prod' }, 'acme', PLAN_PRESETS['pro']!);
    expect(result.created).toEqual({ plan: false, key: false, link: false });
    expect(calls.map((c) => c.command).filter((c) => c.startsWith('Create'))).toEqual([]);
    const update = calls.find((c) => c.command === 'UpdateUsagePlanCommand')!.input;
    expect(update['patchOperations']).toContainEqual({ op: 'replace', path: '/throttle/rateLimit', value: String(PLAN_PRESETS['pro']!.requestsPerSecond) });
  });
});
