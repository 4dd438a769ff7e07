// The document commands the DynamoDB adapters send, with the names and inputs of
// @aws-sdk/lib-dynamodb's (plain JS values in, plain JS values out), for DynamoDocuments.send.
// Only the types come from the SDK package: nothing of it is bundled.
import type {
  BatchWriteCommandInput, BatchWriteCommandOutput, DeleteCommandInput, DeleteCommandOutput, GetCommandInput, GetCommandOutput,
  PutCommandInput, PutCommandOutput, QueryCommandInput, QueryCommandOutput, ScanCommandInput, ScanCommandOutput,
  TransactWriteCommandInput, TransactWriteCommandOutput, UpdateCommandInput, UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';

export type DynamoOperation = 'GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'Query' | 'Scan' | 'BatchWriteItem' | 'TransactWriteItems';

/** A DynamoDB call: its operation name, its document input and (as a type) its document output. */
export abstract class DocumentCommand<I, O> {
  abstract readonly operation: DynamoOperation;
  declare readonly output?: O;
  readonly input: I;
  constructor(input: I) { this.input = input; }
}

export class GetCommand extends DocumentCommand<GetCommandInput, GetCommandOutput> { readonly operation = 'GetItem'; }
export class PutCommand extends DocumentCommand<PutCommandInput, PutCommandOutput> { readonly operation = 'PutItem'; }
export class UpdateCommand extends DocumentCommand<UpdateCommandInput, UpdateCommandOutput> { readonly operation = 'UpdateItem'; }
export class DeleteCommand extends DocumentCommand<DeleteCommandInput, DeleteCommandOutput> { readonly operation = 'DeleteItem'; }
export class QueryCommand extends DocumentCommand<QueryCommandInput, QueryCommandOutput> { readonly operation = 'Query'; }
export class ScanCommand extends DocumentCommand<ScanCommandInput, ScanCommandOutput> { readonly operation = 'Scan'; }
export class BatchWriteCommand extends DocumentCommand<BatchWriteCommandInput, BatchWriteCommandOutput> { readonly operation = 'BatchWriteItem'; }
export class TransactWriteCommand extends DocumentCommand<TransactWriteCommandInput, TransactWriteCommandOutput> { readonly operation = 'TransactWriteItems'; }

/** What the DynamoDB adapters need of a client: one call per command. */
export interface DynamoDocuments {
  send<I, O>(command: DocumentCommand<I, O>): Promise<O>;
}

export type {
  GetCommandInput, GetCommandOutput, PutCommandInput, PutCommandOutput, UpdateCommandInput, UpdateCommandOutput,
  QueryCommandInput, QueryCommandOutput, BatchWriteCommandInput, TransactWriteCommandInput,
};
export { NumberValue } from './dynamodb-marshall.ts';
