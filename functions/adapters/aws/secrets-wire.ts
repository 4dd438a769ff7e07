// The one Secrets Manager call the functions make (GetSecretValue, to read the provider keys), over its
// JSON protocol (AWS JSON 1.1) through AwsJsonClient: the SDK client and its runtime (~200 KiB of the
// router's start-up) stay out of the functions.
import { AwsJsonClient, regionalEndpoint } from './aws-json-client.ts';
import type { AwsCredentials } from './sigv4.ts';

export interface GetSecretValueOutput {
  SecretString?: string;
  VersionId?: string;
}

/** What the provider-key loader needs of Secrets Manager. */
export interface SecretValueReader {
  getSecretValue(input: { SecretId: string }): Promise<GetSecretValueOutput>;
}

export interface SecretsWireOptions {
  readonly region: string;
  /** Unset: the region's public endpoint. */
  readonly endpoint?: string | undefined;
  readonly credentials: AwsCredentials;
}

export class SecretsWire implements SecretValueReader {
  readonly #client: AwsJsonClient;

  constructor(options: SecretsWireOptions) {
    this.#client = new AwsJsonClient({
      service: 'secretsmanager', region: options.region, endpoint: options.endpoint ?? regionalEndpoint('secretsmanager', options.region),
      credentials: options.credentials, targetPrefix: 'secretsmanager', jsonVersion: '1.1',
    });
  }

  getSecretValue(input: { SecretId: string }): Promise<GetSecretValueOutput> {
    return this.#client.call<GetSecretValueOutput>('GetSecretValue', input);
  }
}
