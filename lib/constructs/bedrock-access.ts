// Bedrock permissions scoped to the catalog's bedrock models (no `bedrock:*` on `*`).
import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import type { CatalogFile } from '#core/catalog/catalog-schema.ts';

/** Cross-region inference profile ids start with a geography prefix: `us.anthropic.claude-...`. */
const inferenceProfilePrefix = /^(us|eu|apac|us-gov|jp|au|ca|global)\./;

export interface BedrockModelArns {
  /** Foundation-model and inference-profile ARNs. */
  resources: string[];
  /** True when a cross-region inference profile needs its model in every region. */
  anyRegion: boolean;
}

export function bedrockModelArns(stack: Stack, catalog: Pick<CatalogFile, 'providers' | 'models'>): BedrockModelArns {
  const regions = new Map(catalog.providers.filter((p) => p.kind === 'bedrock').map((p) => [p.id, p.region!]));
  const resources = new Set<string>();
  let anyRegion = false;
  for (const model of catalog.models) {
    const region = regions.get(model.provider);
    if (region === undefined) continue;
    const profile = inferenceProfilePrefix.exec(model.upstreamId);
    if (profile) {
      // An inference profile routes to the model in several regions of its geography.
      anyRegion = true;
      resources.add(`arn:${stack.partition}:bedrock:${region}:${stack.account}:inference-profile/${model.upstreamId}`);
      resources.add(`arn:${stack.partition}:bedrock:*::foundation-model/${model.upstreamId.slice(profile[0].length)}`);
    } else {
      resources.add(`arn:${stack.partition}:bedrock:${region}::foundation-model/${model.upstreamId}`);
    }
  }
  return { resources: [...resources].sort(), anyRegion };
}

/** Lets `grantee` invoke (and stream from) exactly the catalog's bedrock models; no-op without any. */
export function grantBedrockInvoke(
  grantee: iam.IGrantable & IConstruct & { readonly role?: iam.IRole | undefined },
  catalog: Pick<CatalogFile, 'providers' | 'models'>,
): BedrockModelArns {
  const arns = bedrockModelArns(Stack.of(grantee), catalog);
  if (arns.resources.length === 0) return arns;
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      resources: arns.resources,
    }),
  );
  const wildcards = arns.resources.filter((arn) => arn.includes(':bedrock:*::'));
  if (grantee.role) {
    for (const arn of wildcards) {
      const model = arn.slice(arn.indexOf('foundation-model/'));
      Validations.of(grantee.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:bedrock:*::${model}]`,
        reason: `A cross-region inference profile serves ${model} from any region of its geography, so that one model is allowed in every region (Bedrock's documented policy for inference profiles); no other model is.`,
      });
    }
  }
  return arns;
}
