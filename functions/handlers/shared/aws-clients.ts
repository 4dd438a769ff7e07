// The AWS clients the functions share, configured once from the environment Lambda gives them
// (region, the role's credentials) or that the local runtime sets (stand-in endpoints).
import { DynamoWire } from '#adapters/aws/dynamodb-documents.ts';
import type { DynamoDocuments } from '#adapters/aws/dynamodb-commands.ts';
import { SqsWire } from '#adapters/aws/sqs-wire.ts';
import type { SqsCalls } from '#adapters/aws/sqs-wire.ts';
import { SecretsWire } from '#adapters/aws/secrets-wire.ts';
import type { SecretValueReader } from '#adapters/aws/secrets-wire.ts';
import type { AwsCredentials } from '#adapters/aws/sigv4.ts';
import { envNames, parseEnv } from '#contracts/env.ts';

export interface AwsClientConfig {
  region: string;
  credentials: AwsCredentials;
  dynamoEndpoint: string | undefined;
  sqsEndpoint: string | undefined;
  secretsEndpoint: string | undefined;
}

/** Region, credentials and endpoints from `env`; throws naming what is missing. */
export function awsClientConfig(env: Readonly<Record<string, string | undefined>>): AwsClientConfig {
  const v = parseEnv(['awsRegion', 'awsAccessKeyId', 'awsSecretAccessKey', 'awsSessionToken', 'awsEndpoint', 'dynamoEndpoint', 'sqsEndpoint', 'secretsEndpoint'], 'AWS client', env);
  if (!v.awsAccessKeyId || !v.awsSecretAccessKey) {
    throw new Error(`AWS client configuration is invalid: ${envNames.awsAccessKeyId} and ${envNames.awsSecretAccessKey} must be set (Lambda sets them from the function's role)`);
  }
  const dynamoEndpoint = v.dynamoEndpoint ?? v.awsEndpoint;
  const sqsEndpoint = v.sqsEndpoint ?? v.awsEndpoint;
  // A stand-in endpoint needs no real region; the regional default endpoint does.
  if (!v.awsRegion && !(dynamoEndpoint && sqsEndpoint)) throw new Error(`AWS client configuration is invalid: ${envNames.awsRegion} must be set`);
  return {
    region: v.awsRegion ?? 'us-east-1',
    credentials: { accessKeyId: v.awsAccessKeyId, secretAccessKey: v.awsSecretAccessKey, sessionToken: v.awsSessionToken },
    dynamoEndpoint,
    sqsEndpoint,
    secretsEndpoint: v.secretsEndpoint ?? v.awsEndpoint,
  };
}

let shared: DynamoDocuments | undefined;

/** The process-wide DynamoDB document client (created at first use, from process.env). */
export function documentClient(): DynamoDocuments {
  if (!shared) {
    const config = awsClientConfig(process.env);
    shared = new DynamoWire({ region: config.region, endpoint: config.dynamoEndpoint, credentials: config.credentials, maxAttempts: 3 });
  }
  return shared;
}

let sharedSqs: SqsCalls | undefined;

/** The process-wide SQS client (its endpoint from the environment, never from a queue URL's host). */
export function sqsClient(): SqsCalls {
  if (!sharedSqs) {
    const config = awsClientConfig(process.env);
    sharedSqs = new SqsWire({ region: config.region, endpoint: config.sqsEndpoint, credentials: config.credentials });
  }
  return sharedSqs;
}

let sharedSecrets: SecretValueReader | undefined;

/** The process-wide Secrets Manager reader (the provider keys' secret). */
export function secretsClient(): SecretValueReader {
  if (!sharedSecrets) {
    const config = awsClientConfig(process.env);
    sharedSecrets = new SecretsWire({ region: config.region, endpoint: config.secretsEndpoint, credentials: config.credentials });
  }
  return sharedSecrets;
}
