// The CLI talks to AWS with the SDK's default credential chain (profiles, SSO), which the functions'
// wire client does not read (Lambda gives credentials in the environment). This bridge lets the
// DynamoDB adapters send their commands through an SDK document client.
import {
  BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, ScanCommand, TransactWriteCommand, UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DocumentCommand, DynamoDocuments, DynamoOperation } from '#adapters/aws/dynamodb-commands.ts';

const sdkCommands = {
  GetItem: GetCommand, PutItem: PutCommand, UpdateItem: UpdateCommand, DeleteItem: DeleteCommand, Query: QueryCommand,
  Scan: ScanCommand, BatchWriteItem: BatchWriteCommand, TransactWriteItems: TransactWriteCommand,
} satisfies Record<DynamoOperation, unknown>;

/** The adapters' document commands, sent through the SDK. */
export function sdkDocuments(client: DynamoDBDocumentClient): DynamoDocuments {
  return {
    send: async <I, O>(command: DocumentCommand<I, O>): Promise<O> => {
      const SdkCommand = sdkCommands[command.operation] as unknown as new (input: I) => Parameters<DynamoDBDocumentClient['send']>[0];
      return (await client.send(new SdkCommand(command.input))) as O;
    },
  };
}
