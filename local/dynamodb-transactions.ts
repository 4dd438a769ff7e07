// TransactWriteItems for dynalite, which has no transactions (it answers UnknownOperationException).
// Executed by the stand-in's HTTP front (dynamodb-front.ts) while it holds its write lock, so no other
// write interleaves: each item is applied with its own condition through dynalite's single-item calls,
// returning the item it replaced, and when any condition fails every applied item is put back as it
// was (its old image put back, or deleted when there was none). The answer on
// failure is DynamoDB's own: TransactionCanceledException with a reason per item.
//
// Not emulated (documented in docs/operations.md): reads are not isolated from a transaction in
// progress (a GetItem/Query that arrives mid-transaction can see an item written and then rolled
// back); TransactionConflict never happens (writes are serialised instead); consumed capacity and item
// collection metrics are not returned.

import { createHash } from 'node:crypto';

/** A DynamoDB JSON call to dynalite: the parsed answer, or the service error. */
export type DynaliteCall = (operation: string, input: Record<string, unknown>) => Promise<
  { ok: true; body: Record<string, unknown> } | { ok: false; status: number; body: Record<string, unknown> }>;

type Attributes = Record<string, unknown>;
type Kind = 'Put' | 'Update' | 'Delete' | 'ConditionCheck';

interface Action {
  kind: Kind;
  input: Record<string, unknown>;
  tableName: string;
  key: Attributes;
}

/** An answer for the front to send: status and JSON body (errors carry `__type`). */
export interface TransactionAnswer {
  status: number;
  body: Record<string, unknown>;
}

const MAX_ITEMS = 100;
/** How long DynamoDB remembers a ClientRequestToken. */
const TOKEN_TTL_MS = 10 * 60_000;
/**
 * At most this many tokens are remembered (the newest): the cost ledger sends one with every write, and
 * a retry comes within seconds, so ten minutes of a busy runtime's tokens need not all stay in memory.
 */
const MAX_TOKENS = 20_000;
const kinds: Kind[] = ['Put', 'Update', 'Delete', 'ConditionCheck'];

function validation(message: string): TransactionAnswer {
  return { status: 400, body: { __type: 'com.amazon.coral.validate#ValidationException', message } };
}

export class DynaliteTransactions {
  private readonly call: DynaliteCall;
  /** Key attribute names per table, read once (cleared when tables are created or deleted). */
  private readonly keySchemas = new Map<string, string[]>();

  /** Committed transactions by ClientRequestToken, oldest first: a digest of their parameters, and until when they count. */
  private readonly tokens = new Map<string, { parameters: string; until: number }>();
  private readonly now: () => number;

  constructor(call: DynaliteCall, now: () => number = Date.now) {
    this.call = call;
    this.now = now;
  }

  forgetSchemas(): void {
    this.keySchemas.clear();
  }

  /** Runs one TransactWriteItems request; the caller holds the write lock. */
  async transactWrite(request: Record<string, unknown>): Promise<TransactionAnswer> {
    const items = request['TransactItems'];
    if (!Array.isArray(items) || items.length === 0) {
      return validation("1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null");
    }
    if (items.length > MAX_ITEMS) {
      return validation(`1 validation error detected: Value '[${items.length} items]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ITEMS}`);
    }
    const actions: Action[] = [];
    for (const item of items as Array<Record<string, unknown>>) {
      const present = kinds.filter((kind) => item?.[kind] !== undefined);
      if (present.length !== 1) {
        return validation('TransactItems can only contain one of Check, Put, Update or Delete');
      }
      const kind = present[0]!;
      const input = item[kind] as Record<string, unknown>;
      const tableName = input['TableName'];
      if (typeof tableName !== 'string') return validation(`1 validation error detected: Value null at 'transactItems.${kind}.tableName' failed to satisfy constraint: Member must not be null`);
      let key = input['Key'] as Attributes | undefined;
      if (kind === 'Put') {
        const found = await this.keyOf(tableName, input['Item'] as Attributes | undefined);
        if ('answer' in found) return found.answer;
        key = found.key;
      }
      if (!key || typeof key !== 'object') return validation('The provided key element does not match the schema');
      actions.push({ kind, input, tableName, key });
    }
    const seen = new Set<string>();
    for (const action of actions) {
      const id = `${action.tableName}\u0000${canonical(action.key)}`;
      if (seen.has(id)) return validation('Transaction request cannot include multiple operations on one item');
      seen.add(id);
    }
    const token = typeof request['ClientRequestToken'] === 'string' ? request['ClientRequestToken'] : undefined;
    const parameters = token ? createHash('sha256').update(JSON.stringify(request['TransactItems'])).digest('base64') : '';
    if (token) {
      const earlier = this.remembered(token);
      // As DynamoDB: a committed token with the same items succeeds again without writing.
      if (earlier?.parameters === parameters) return { status: 200, body: {} };
      if (earlier) {
        return { status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException', message: 'Request parameters do not match the original request for this ClientRequestToken' } };
      }
    }
    const answer = await this.execute(actions);
    if (token && answer.status === 200) {
      this.tokens.set(token, { parameters, until: this.now() + TOKEN_TTL_MS });
      if (this.tokens.size > MAX_TOKENS) this.tokens.delete(this.tokens.keys().next().value!);
    }
    return answer;
  }

  private remembered(token: string): { parameters: string } | undefined {
    const now = this.now();
    // Insertion order is expiry order: stop at the first token still valid.
    for (const [key, entry] of this.tokens) {
      if (entry.until > now) break;
      this.tokens.delete(key);
    }
    return this.tokens.get(token);
  }

  private async execute(actions: Action[]): Promise<TransactionAnswer> {
    // The keys are distinct and the write lock is held, so the items are applied together, each with
    // its condition against the state before the transaction, as in DynamoDB. A write returns the
    // item it replaced (ReturnValues ALL_OLD), which is all an undo needs: one round trip to dynalite
    // per transaction. Only a ConditionCheck reads its item first (it puts the item back unchanged).
    const checks = await Promise.all(actions.map((action) => (action.kind === 'ConditionCheck' ? this.read(action) : undefined)));
    const checkFailure = checks.find((read) => read !== undefined && !read.ok);
    if (checkFailure && !checkFailure.ok) return { status: checkFailure.status, body: checkFailure.body };
    const checked = checks.map((read) => (read?.ok ? read.body['Item'] as Attributes | undefined : undefined));
    const results = await Promise.all(actions.map((action, i) => this.apply(action, checked[i])));
    const applied: Array<{ action: Action; old: Attributes | undefined }> = [];
    const reasons: Array<Record<string, unknown>> = [];
    const wantedOld: number[] = [];
    let failed = false;
    let error: { status: number; body: Record<string, unknown> } | undefined;
    results.forEach((result, i) => {
      const action = actions[i]!;
      if (result.ok) {
        if (action.kind !== 'ConditionCheck') applied.push({ action, old: result.body['Attributes'] as Attributes | undefined });
        reasons.push({ Code: 'None' });
      } else if (errorCode(result.body) === 'ConditionalCheckFailedException') {
        failed = true;
        if (action.input['ReturnValuesOnConditionCheckFailure'] === 'ALL_OLD') wantedOld.push(i);
        reasons.push({ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' });
      } else {
        error ??= { status: result.status, body: result.body };
      }
    });
    if (error) return this.abort(applied, error);
    if (!failed) return { status: 200, body: {} };
    // A failed item was not written, and no other item of the transaction has its key: what it
    // holds now is what it held before the transaction.
    for (const i of wantedOld) {
      const old = actions[i]!.kind === 'ConditionCheck' ? checked[i] : await this.read(actions[i]!).then((read) => (read.ok ? read.body['Item'] as Attributes | undefined : undefined));
      if (old) reasons[i] = { ...reasons[i], Item: old };
    }
    const undone = await this.undo(applied);
    if (undone) return undone;
    const codes = reasons.map((reason) => reason['Code']).join(', ');
    return {
      status: 400,
      body: {
        __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
        message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
        CancellationReasons: reasons,
      },
    };
  }

  private read(action: Action): ReturnType<DynaliteCall> {
    return this.call('GetItem', { TableName: action.tableName, Key: action.key, ConsistentRead: true });
  }

  /** One item through dynalite's own single-item call, with its condition; a write returns the item it replaced. */
  private apply(action: Action, old: Attributes | undefined): ReturnType<DynaliteCall> {
    const { input, tableName, key } = action;
    const expression = pick(input, ['ConditionExpression', 'ExpressionAttributeNames', 'ExpressionAttributeValues']);
    switch (action.kind) {
      case 'Put':
        return this.call('PutItem', { TableName: tableName, Item: input['Item'], ...expression, ReturnValues: 'ALL_OLD' });
      case 'Update':
        return this.call('UpdateItem', { TableName: tableName, Key: key, UpdateExpression: input['UpdateExpression'], ...expression, ReturnValues: 'ALL_OLD' });
      case 'Delete':
        return this.call('DeleteItem', { TableName: tableName, Key: key, ...expression, ReturnValues: 'ALL_OLD' });
      case 'ConditionCheck':
        // The condition evaluated by a write that changes nothing: the item put back as it is, or
        // a delete of the absent item (DynamoDB evaluates a condition against an absent item too).
        return old
          ? this.call('PutItem', { TableName: tableName, Item: old, ...expression })
          : this.call('DeleteItem', { TableName: tableName, Key: key, ...expression });
    }
  }

  /** Puts back every applied item, newest first; an answer only when that itself failed. */
  private async undo(applied: Array<{ action: Action; old: Attributes | undefined }>): Promise<TransactionAnswer | undefined> {
    for (const { action, old } of applied.reverse()) {
      const restored = old
        ? await this.call('PutItem', { TableName: action.tableName, Item: old })
        : await this.call('DeleteItem', { TableName: action.tableName, Key: action.key });
      if (!restored.ok) return { status: 500, body: { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: `stand-in rollback failed: ${String(restored.body['message'] ?? errorCode(restored.body))}` } };
    }
    return undefined;
  }

  /** A non-condition error (a bad expression, a missing table): undo, then answer with that error. */
  private async abort(
    applied: Array<{ action: Action; old: Attributes | undefined }>,
    error: { status: number; body: Record<string, unknown> },
  ): Promise<TransactionAnswer> {
    return (await this.undo(applied)) ?? { status: error.status, body: error.body };
  }

  /** The key of a Put's item, from the table's key schema. */
  private async keyOf(tableName: string, item: Attributes | undefined): Promise<{ key: Attributes | undefined } | { answer: TransactionAnswer }> {
    if (!item || typeof item !== 'object') return { key: undefined };
    let names = this.keySchemas.get(tableName);
    if (!names) {
      const described = await this.call('DescribeTable', { TableName: tableName });
      if (!described.ok) return { answer: { status: described.status, body: described.body } };
      const schema = (described.body['Table'] as { KeySchema?: Array<{ AttributeName: string }> }).KeySchema ?? [];
      names = schema.map((element) => element.AttributeName);
      this.keySchemas.set(tableName, names);
    }
    const key: Attributes = {};
    for (const name of names) {
      if (item[name] === undefined) return { key: undefined };
      key[name] = item[name];
    }
    return { key };
  }
}

function pick(input: Record<string, unknown>, names: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names) if (input[name] !== undefined) out[name] = input[name];
  return out;
}

function errorCode(body: Record<string, unknown>): string {
  return String(body['__type'] ?? '').split('#').pop() ?? '';
}

/** A key's identity whatever the order of its attributes. */
function canonical(key: Attributes): string {
  return JSON.stringify(Object.keys(key).sort().map((name) => [name, key[name]]));
}
