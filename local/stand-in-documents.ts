// The functions' own DynamoDB client (adapters/aws/dynamodb-documents.ts) pointed at a local stand-in:
// the local runtime, the benches and the adapter tests send every store call over the same wire
// client the functions use in AWS. The stand-ins check no signature; the credentials are placeholders.
import { DynamoWire } from '#adapters/aws/dynamodb-documents.ts';
import type { DynamoDocuments } from '#adapters/aws/dynamodb-commands.ts';

export function standInDocumentStore(endpoint: string, region = 'us-east-1'): DynamoDocuments {
  return new DynamoWire({ endpoint, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}
