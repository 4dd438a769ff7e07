// Shared fixtures for the infrastructure tests: a small catalog and a synthesized stack.
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { catalogSchema, type CatalogFile } from '#core/catalog/catalog-schema.ts';
import { RouterStack } from '../../lib/router-stack.ts';
import { parseSettings, type Settings } from '../../lib/settings.ts';

const model = (id: string, provider: string, upstreamId: string) => ({
  id,
  provider,
  upstreamId,
  pricing: { currency: 'USD', inputPerMTok: 1, outputPerMTok: 2 },
  contextWindow: 128_000,
  maxOutputTokens: 8_192,
  quality: { overall: 0.8 },
});

export const fixtureCatalog: CatalogFile = catalogSchema.parse({
  version: 1,
  providers: [
    { id: 'openai', kind: 'openai-compatible', baseUrl: 'https://api.openai.com/v1', apiKey: { env: 'OPENAI_API_KEY' } },
    {
      id: 'anthropic',
      kind: 'anthropic',
      baseUrl: 'https://api.anthropic.com',
      apiKey: { env: 'ANTHROPIC_API_KEY', secretField: 'anthropic' },
    },
    { id: 'bedrock', kind: 'bedrock', region: 'us-east-1' },
  ],
  models: [
    model('gpt-4o-mini', 'openai', 'gpt-4o-mini'),
    model('claude-sonnet', 'anthropic', 'claude-sonnet-4-5'),
    model('nova-lite', 'bedrock', 'amazon.nova-lite-v1:0'),
    model('claude-bedrock', 'bedrock', 'us.anthropic.claude-3-5-haiku-20241022-v1:0'),
  ],
});

export interface SynthOptions {
  context?: Record<string, unknown>;
  nag?: boolean;
}

export interface Synthesized {
  app: App;
  stack: RouterStack;
  template: Template;
  settings: Settings;
}

/** Synthesizes the stack without bundling (no esbuild run, so the catalog copy hook does not run). */
export function synthStack(options: SynthOptions = {}): Synthesized {
  const context = { 'aws:cdk:bundling-stacks': [], ...options.context };
  const app = new App({ context });
  const settings = parseSettings((key) => app.node.tryGetContext(key));
  const stack = new RouterStack(app, `LlmRouter-${settings.stage}`, {
    settings,
    catalog: fixtureCatalog,
    catalogFile: '/nonexistent/catalog.json',
  });
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, template: Template.fromStack(stack), settings };
}

/** Logical id of the only resource of `type` whose logical id starts with `prefix`. */
export function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} starting with ${prefix}, found: ${ids.join(', ') || 'none'}`);
  return ids[0]!;
}

/** One statement of an IAM policy document, as synthesised. */
export interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** Statements of every IAM policy attached to the role whose logical id starts with `rolePrefix`. */
export function statementsOf(template: Template, rolePrefix: string): PolicyStatement[] {
  const roleId = logicalId(template, 'AWS::IAM::Role', rolePrefix);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as PolicyStatement[]);
}
