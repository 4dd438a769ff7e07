// CDK app: validates the context, loads the catalog, checks the stack with cdk-nag (AwsSolutions).
//   npx cdk synth -c llm-router:stage=prod -c llm-router:alarm-email=ops@example.com
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CatalogError } from '#core/shared/errors.ts';
import { loadCatalog } from '../lib/catalog-loader.ts';
import { RouterStack } from '../lib/router-stack.ts';
import { contextKeys, parseSettings, SettingsError } from '../lib/settings.ts';

const app = new App();
try {
  const settings = parseSettings((key) => app.node.tryGetContext(key));
  const { file, catalog } = await loadCatalog(settings.catalogPath).catch((error: unknown) => {
    if (error instanceof CatalogError) {
      error.message = `${settings.catalogPath} (context "${contextKeys.catalog}"): ${error.message}`;
    }
    throw error;
  });

  new RouterStack(app, `LlmRouter-${settings.stage}`, {
    settings,
    catalog,
    catalogFile: file,
    description: `OpenAI-compatible multi-model LLM router (${settings.stage})`,
    // Environment-agnostic: the account and region come from the deploying credentials.
  });
} catch (error) {
  // Configuration mistakes get their message, not a stack trace.
  if (error instanceof SettingsError || error instanceof CatalogError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
