// One DynamoDB document client per process. The endpoint comes from AWS_ENDPOINT_URL_DYNAMODB when set
// (the local runtime and tests), so adapters need no endpoint plumbing.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let shared: DynamoDBDocumentClient | undefined;

/** The process-wide document client (numbers stay numbers; undefined attributes are dropped). */
export function documentClient(): DynamoDBDocumentClient {
  shared ??= DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 3 }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return shared;
}
