// X-Ray active tracing on every function of the stack, with the role permissions to send segments,
// and nothing more: the only wildcard resource in a function's policy is X-Ray's.
import { beforeAll, describe, expect, it } from 'vitest';
import { synthStack, type Synthesized } from './support.ts';

type Resource = { Properties: Record<string, unknown> };
type Statement = { Action: string | string[]; Resource: unknown };

let synth: Synthesized;
beforeAll(() => {
  synth = synthStack();
});

describe('tracing', () => {
  it('turns on active tracing for every Lambda function in the stack', () => {
    const functions = synth.template.findResources('AWS::Lambda::Function') as Record<string, Resource>;
    expect(Object.keys(functions).length).toBeGreaterThanOrEqual(4);
    for (const [id, fn] of Object.entries(functions)) {
      expect(fn.Properties['TracingConfig'], id).toEqual({ Mode: 'Active' });
      expect((fn.Properties['Environment'] as { Variables: Record<string, string> }).Variables['POWERTOOLS_SERVICE_NAME'], id).toBe('llm-router');
    }
  });

  it("lets each function's role send trace segments, on X-Ray's only possible resource", () => {
    const functions = synth.template.findResources('AWS::Lambda::Function') as Record<string, Resource>;
    const policies = Object.values(synth.template.findResources('AWS::IAM::Policy') as Record<string, Resource>);
    for (const [id, fn] of Object.entries(functions)) {
      const role = (fn.Properties['Role'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const statements = policies
        .filter((p) => (p.Properties['Roles'] as Array<{ Ref: string }>).some((r) => r.Ref === role))
        .flatMap((p) => (p.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement);
      const xray = statements.find((s) => [s.Action].flat().includes('xray:PutTraceSegments'));
      expect(xray, id).toMatchObject({ Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' });
      const otherWildcards = statements.filter((s) => s !== xray && s.Resource === '*');
      expect(otherWildcards, id).toEqual([]);
    }
  });
});
