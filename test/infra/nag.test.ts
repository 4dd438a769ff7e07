// cdk-nag AwsSolutions: the stack has no unacknowledged findings, and every acknowledgement says why.
import { describe, expect, it } from 'vitest';
import { AwsSolutionsChecks } from 'cdk-nag';
import { synthStack } from './support.ts';

describe('cdk-nag AwsSolutions', () => {
  const { app, stack } = synthStack();
  const report = new AwsSolutionsChecks(app).validateScope(app);

  it('reports zero unacknowledged findings', () => {
    const findings = report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} ${JSON.stringify(r)}`),
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('gives every acknowledgement a real reason', () => {
    const acknowledgements = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => /acknowledg/i.test(m.type)).map((m) => m.data as unknown));
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const ack of acknowledgements) {
      const text = JSON.stringify(ack);
      expect(text).toMatch(/AwsSolutions-/);
      expect(text.length).toBeGreaterThan(80);
    }
  });
});
