// DynamoDB's JSON protocol behind the document commands: marshals the JS values of an input into
// AttributeValues, calls the operation through AwsJsonClient, and unmarshals the answer's items.
import { jsonServiceClient } from './aws-json-client.ts';
import type { AwsJsonClient, ServiceClientOptions } from './aws-json-client.ts';
import type { DocumentCommand, DynamoDocuments } from './dynamodb-commands.ts';
import { marshallItem, unmarshallItem } from './dynamodb-marshall.ts';
import type { AttributeValue } from './dynamodb-marshall.ts';

export type DynamoWireOptions = ServiceClientOptions;

type Doc = Record<string, unknown>;
type Wire = Record<string, AttributeValue>;

const docFields = ['Key', 'Item', 'ExpressionAttributeValues', 'ExclusiveStartKey'] as const;

/** A copy of `input` with its document fields (and those of nested writes) marshalled. */
function marshallInput(input: Doc): Doc {
  const out: Doc = { ...input };
  for (const field of docFields) if (out[field]) out[field] = marshallItem(out[field] as Doc);
  if (out['RequestItems']) {
    out['RequestItems'] = Object.fromEntries(Object.entries(out['RequestItems'] as Record<string, Doc[]>).map(([table, requests]) => [
      table, requests.map((r) => (r['PutRequest'] ? { PutRequest: marshallInput(r['PutRequest'] as Doc) } : { DeleteRequest: marshallInput(r['DeleteRequest'] as Doc) })),
    ]));
  }
  if (out['TransactItems']) {
    out['TransactItems'] = (out['TransactItems'] as Doc[]).map((t) => Object.fromEntries(Object.entries(t).map(([kind, body]) => [kind, marshallInput(body as Doc)])));
  }
  return out;
}

function unmarshallOutput(output: Doc): Doc {
  const out: Doc = { ...output, $metadata: {} };
  for (const field of ['Item', 'Attributes', 'LastEvaluatedKey'] as const) if (out[field]) out[field] = unmarshallItem(out[field] as Wire);
  if (out['Items']) out['Items'] = (out['Items'] as Wire[]).map(unmarshallItem);
  if (out['UnprocessedItems']) {
    out['UnprocessedItems'] = Object.fromEntries(Object.entries(out['UnprocessedItems'] as Record<string, Doc[]>).map(([table, requests]) => [
      table, requests.map((r) => (r['PutRequest']
        ? { PutRequest: { Item: unmarshallItem((r['PutRequest'] as { Item: Wire }).Item) } }
        : { DeleteRequest: { Key: unmarshallItem((r['DeleteRequest'] as { Key: Wire }).Key) } })),
    ]));
  }
  return out;
}

/** The router's DynamoDB client: document commands over the JSON protocol, no SDK. */
export class DynamoWire implements DynamoDocuments {
  readonly #client: AwsJsonClient;

  constructor(options: DynamoWireOptions) {
    this.#client = jsonServiceClient({ name: 'dynamodb', targetPrefix: 'DynamoDB_20120810', jsonVersion: '1.0' }, options);
  }

  async send<I, O>(command: DocumentCommand<I, O>): Promise<O> {
    const output = await this.#client.call<Doc>(command.operation, marshallInput(command.input as Doc));
    return unmarshallOutput(output) as O;
  }
}
