// The two SQS calls the batch queue makes, over SQS's JSON protocol (AWS JSON 1.0) through
// AwsJsonClient: no SDK in the functions for them.
import { AwsJsonClient, regionalEndpoint } from './aws-json-client.ts';
import type { AwsCredentials } from './sigv4.ts';

export interface SendMessageBatchInput {
  QueueUrl: string;
  Entries: Array<{ Id: string; MessageBody: string }>;
}

export interface SendMessageBatchOutput {
  Successful?: Array<{ Id?: string; MessageId?: string }>;
  Failed?: Array<{ Id?: string; Code?: string; Message?: string; SenderFault?: boolean }>;
}

export interface ChangeMessageVisibilityInput {
  QueueUrl: string;
  ReceiptHandle: string;
  VisibilityTimeout: number;
}

/** What the batch queue adapter needs of SQS. */
export interface SqsCalls {
  sendMessageBatch(input: SendMessageBatchInput): Promise<SendMessageBatchOutput>;
  changeMessageVisibility(input: ChangeMessageVisibilityInput): Promise<void>;
}

export interface SqsWireOptions {
  readonly region: string;
  /** Unset: the region's public endpoint (never the queue URL's host: a stand-in's URLs name none). */
  readonly endpoint?: string | undefined;
  readonly credentials: AwsCredentials;
}

export class SqsWire implements SqsCalls {
  readonly #client: AwsJsonClient;

  constructor(options: SqsWireOptions) {
    this.#client = new AwsJsonClient({
      service: 'sqs', region: options.region, endpoint: options.endpoint ?? regionalEndpoint('sqs', options.region),
      credentials: options.credentials, targetPrefix: 'AmazonSQS', jsonVersion: '1.0',
    });
  }

  sendMessageBatch(input: SendMessageBatchInput): Promise<SendMessageBatchOutput> {
    return this.#client.call<SendMessageBatchOutput>('SendMessageBatch', input);
  }

  async changeMessageVisibility(input: ChangeMessageVisibilityInput): Promise<void> {
    await this.#client.call('ChangeMessageVisibility', input);
  }
}
