// The two SQS calls the batch queue makes, over SQS's JSON protocol (AWS JSON 1.0) through
// AwsJsonClient: no SDK in the functions for them.
import { jsonServiceClient } from './aws-json-client.ts';
import type { AwsJsonClient, ServiceClientOptions } from './aws-json-client.ts';

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

export type SqsWireOptions = ServiceClientOptions;

export class SqsWire implements SqsCalls {
  readonly #client: AwsJsonClient;

  constructor(options: SqsWireOptions) {
    this.#client = jsonServiceClient({ name: 'sqs', targetPrefix: 'AmazonSQS', jsonVersion: '1.0' }, options);
  }

  sendMessageBatch(input: SendMessageBatchInput): Promise<SendMessageBatchOutput> {
    return this.#client.call<SendMessageBatchOutput>('SendMessageBatch', input);
  }

  async changeMessageVisibility(input: ChangeMessageVisibilityInput): Promise<void> {
    await this.#client.call('ChangeMessageVisibility', input);
  }
}
