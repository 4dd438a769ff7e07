// The functions' own DynamoDB and SQS clients (adapters/aws/) pointed at the local stand-ins:
// the local runtime, the benches and the adapter tests send every store call over the same wire
// client the functions use in AWS. The stand-ins check no signature; the credentials are placeholders.
import { DynamoWire } from '#adapters/aws/dynamodb-documents.ts';
import type { DynamoDocuments } from '#adapters/aws/dynamodb-commands.ts';
import { SqsWire } from '#adapters/aws/sqs-wire.ts';
import type { SqsCalls } from '#adapters/aws/sqs-wire.ts';

export function standInDocumentStore(endpoint: string, region = 'us-east-1'): DynamoDocuments {
  return new DynamoWire({ endpoint, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

/** The functions' own SQS client pointed at the SQS stand-in. */
export function standInQueueCalls(endpoint: string, region = 'us-east-1'): SqsCalls {
  return new SqsWire({ endpoint, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}
