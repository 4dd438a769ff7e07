// The one Secrets Manager call the functions make (GetSecretValue, to read the provider keys), over its
// JSON protocol (AWS JSON 1.1) through AwsJsonClient: the SDK client and its runtime (~200 KiB of the
// router's start-up) stay out of the functions.
import { jsonServiceClient } from './aws-json-client.ts';
import type { AwsJsonClient, ServiceClientOptions } from './aws-json-client.ts';

export interface GetSecretValueOutput {
  SecretString?: string;
  VersionId?: string;
}

/** What the provider-key loader needs of Secrets Manager. */
export interface SecretValueReader {
  getSecretValue(input: { SecretId: string }): Promise<GetSecretValueOutput>;
}

export type SecretsWireOptions = ServiceClientOptions;

export class SecretsWire implements SecretValueReader {
  readonly #client: AwsJsonClient;

  constructor(options: SecretsWireOptions) {
    this.#client = jsonServiceClient({ name: 'secretsmanager', targetPrefix: 'secretsmanager', jsonVersion: '1.1' }, options);
  }

  getSecretValue(input: { SecretId: string }): Promise<GetSecretValueOutput> {
    return this.#client.call<GetSecretValueOutput>('GetSecretValue', input);
  }
}
