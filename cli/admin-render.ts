// Text for `admin tenants list` and `admin tenants show`: money in USD, spend against budget, keys.
import type { BudgetSetting, SpendCounter, TenantOverview, TenantProfile } from '#adapters/dynamodb/tenant-repository.ts';

/** Cents from a cent up, six decimals below it (a single LLM call often costs less). */
export function usdText(n: number): string {
  return `$${n.toFixed(Math.abs(n) >= 0.01 || n === 0 ? 2 : 6)}`;
}

function budgetText(budget: BudgetSetting | undefined): string {
  if (!budget) return 'none (no limit unless the deployment sets a default budget)';
  const prefer = budget.preferCheaperAt !== undefined ? `, prefers cheaper models from ${Math.round(budget.preferCheaperAt * 100)} % of it` : '';
  return `${usdText(budget.monthlyUsd)} per month${prefer}`;
}

function spendText(spend: SpendCounter | undefined, budget: BudgetSetting | undefined): string {
  if (!spend) return budget ? `${usdText(0)} spent, ${usdText(0)} held, 0 calls` : 'not counted (spend is counted only under a budget)';
  const percent = budget && budget.monthlyUsd > 0 ? (spend.spentUsd / budget.monthlyUsd) * 100 : undefined;
  const share = percent === undefined ? '' : ` (${percent > 0 && percent < 0.1 ? 'under 0.1' : percent.toFixed(1)} % of the budget)`;
  return `${usdText(spend.spentUsd)} spent${share}, ${usdText(spend.reservedUsd)} held for calls in flight, ${spend.calls} calls`;
}

function alignRows(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

export function renderTenantList(
  tenants: Array<TenantProfile & { budget?: BudgetSetting; spend?: SpendCounter; activeKeys: number; revokedKeys: number }>, period: string,
): string {
  if (tenants.length === 0) return 'no tenants yet; create one with: npm run admin -- create-tenant <id>';
  const rows = [['tenant', 'name', 'budget/month', `spent ${period}`, `held ${period}`, 'keys']];
  for (const t of tenants) {
    rows.push([
      t.tenantId, t.name, t.budget ? usdText(t.budget.monthlyUsd) : '-',
      t.spend ? usdText(t.spend.spentUsd) : '-', t.spend ? usdText(t.spend.reservedUsd) : '-',
      `${t.activeKeys} active${t.revokedKeys ? `, ${t.revokedKeys} revoked` : ''}`,
    ]);
  }
  return `${alignRows(rows)}\n\n(spend is counted only for tenants under a budget; details: npm run admin -- tenants show <tenant>)`;
}

export function renderTenantOverview(o: TenantOverview, period: string): string {
  const spend = o.spend.find((s) => s.period === period);
  const lines = [
    `tenant   ${o.profile.tenantId}${o.profile.name !== o.profile.tenantId ? ` (${o.profile.name})` : ''}${o.profile.createdAt ? `, created ${o.profile.createdAt}` : ''}`,
    `plan     ${o.plan
      ? `${o.plan.name}: ${o.plan.requestsPerSecond} rps, burst ${o.plan.burst}, ${o.plan.monthlyRequests} requests a month, ${o.plan.tokensPerMinute} tokens a minute`
      : `none: no rate limits in the router, and 403 from API Gateway (npm run admin -- set-plan ${o.profile.tenantId} standard)`}`,
    `budget   ${budgetText(o.budget)}`,
    `${period}  ${spendText(spend, o.budget)}`,
    `cache    ${o.cacheSettings ? `tenant settings ${JSON.stringify(o.cacheSettings)}` : "the routes' settings"}`,
    '',
  ];
  if (o.keys.length === 0) {
    lines.push(`keys     none; issue one with: npm run admin -- issue-key ${o.profile.tenantId}`);
    return lines.join('\n');
  }
  const rows = [['key', 'state', 'created', 'budget/month', `spent ${period}`, `held ${period}`]];
  for (const k of o.keys) {
    const budget = o.keyBudgets.get(k.keyId);
    const keySpend = o.keySpend.get(k.keyId)?.find((s) => s.period === period);
    rows.push([
      k.keyId, k.revoked ? 'revoked' : 'active', k.createdAt ?? '-', budget ? usdText(budget.monthlyUsd) : '-',
      keySpend ? usdText(keySpend.spentUsd) : '-', keySpend ? usdText(keySpend.reservedUsd) : '-',
    ]);
  }
  lines.push(alignRows(rows));
  if (!o.budget && o.keyBudgets.size === 0) lines.push('', `spend is counted only under a budget: npm run admin -- set-budget ${o.profile.tenantId} <usd>`);
  return lines.join('\n');
}
