// cdk-nag AwsSolutions: the stack has no unacknowledged findings, and every acknowledgement says why.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { PolicyValidationPluginReport } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { synthStack, type Synthesized } from './support.ts';

// A synth takes ~2 s alone but over 25 s when the shared 2-core machine is loaded (seen at load 30).
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

let synth: Synthesized;
let report: PolicyValidationPluginReport;
beforeAll(() => {
  synth = synthStack();
  report = new AwsSolutionsChecks(synth.app).validateScope(synth.app);
});

describe('cdk-nag AwsSolutions', () => {
  it('reports zero unacknowledged findings', () => {
    const findings = report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} at ${JSON.stringify(r)}`),
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('gives every acknowledgement a real reason', () => {
    const acknowledgements = synth.stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => /acknowledg/i.test(m.type)).map((m) => JSON.stringify(m.data)));
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const ack of acknowledgements) {
      expect(ack).toMatch(/AwsSolutions-/);
      expect(ack.length, ack).toBeGreaterThan(80);
    }
  });

  it('still detects findings (the check is live, not vacuous)', () => {
    const { app, stack } = synthStack({ context: { 'llm-router:stage': 'nagcheck' } });
    // An unencrypted, non-SSL queue without a DLQ trips SQS3 and SQS4.
    new Queue(stack, 'Naked');
    const rules = new AwsSolutionsChecks(app).validateScope(app).violations.map((v) => v.ruleName);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']));
  });
});
