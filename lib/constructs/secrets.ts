// The Secrets Manager secret holding the providers' API keys, as one JSON object.
import { SecretValue, Validations } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { CatalogFile } from '#core/catalog/catalog-schema.ts';

/** Secret fields the catalog expects: each provider's `apiKey.secretField ?? apiKey.env`. */
export function providerSecretFields(catalog: Pick<CatalogFile, 'providers'>): string[] {
  const fields = catalog.providers.flatMap((p) => (p.apiKey ? [p.apiKey.secretField ?? p.apiKey.env] : []));
  return [...new Set(fields)].sort();
}

export interface ProviderSecretProps {
  stage: string;
  catalog: Pick<CatalogFile, 'providers'>;
}

export class ProviderSecret extends Construct {
  readonly secret: secretsmanager.Secret;
  readonly fields: readonly string[];

  constructor(scope: Construct, id: string, props: ProviderSecretProps) {
    super(scope, id);
    this.fields = providerSecretFields(props.catalog);
    // The initial value is a constant `{}`: the real keys are put with `aws secretsmanager
    // put-secret-value` after the first deploy. Keeping the template value constant means a deploy
    // (for example after adding a provider to the catalog) never overwrites the keys already set.
    // The expected fields are listed in the description and in the ProviderSecretFields output.
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: `LLM router (${props.stage}) provider API keys, a JSON object with fields: ${
        this.fields.join(', ') || '(none)'
      }`,
      secretStringValue: SecretValue.unsafePlainText('{}'),
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Holds third-party LLM provider API keys (OpenAI, Anthropic, ...), which can only be rotated in the providers\' consoles; a rotation Lambda cannot issue new ones. Rotate out of band and put-secret-value.',
    });
  }

  grantRead(grantee: IGrantable): void {
    this.secret.grantRead(grantee);
  }
}
