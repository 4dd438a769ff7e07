// JS values <-> DynamoDB AttributeValues, as @aws-sdk/util-dynamodb does with the options the router
// used (`removeUndefinedValues: true`, numbers as JS numbers): test/unit/dynamodb-marshall.test.ts
// compares both over varied values.

export type AttributeValue =
  | { S: string } | { N: string } | { B: string } | { BOOL: boolean } | { NULL: true }
  | { L: AttributeValue[] } | { M: Record<string, AttributeValue> }
  | { SS: string[] } | { NS: string[] } | { BS: string[] };

/** A number kept as its decimal text (exact beyond a double's precision), as lib-dynamodb's NumberValue. */
export class NumberValue {
  readonly value: string;
  constructor(value: string | number | bigint) {
    this.value = String(value).trim();
    if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(this.value)) throw new Error(`NumberValue: "${this.value}" is not a number`);
  }
  static from(value: string | number | bigint): NumberValue { return new NumberValue(value); }
  toString(): string { return this.value; }
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`Special numeric value ${n} is not allowed`);
  // As util-dynamodb: a double beyond 2^53 has already lost digits; refuse it rather than store a guess.
  if (n > Number.MAX_SAFE_INTEGER || n < Number.MIN_SAFE_INTEGER) throw new Error(`Number ${n} is outside the safe integer range: use a bigint or a NumberValue`);
  return String(n);
}

/** As util-dynamodb without wrapNumbers: a large integer comes back as a bigint, other large numbers fail. */
function numberOf(text: string): number | bigint {
  const n = Number(text);
  if (Number.isFinite(n) && (n > Number.MAX_SAFE_INTEGER || n < Number.MIN_SAFE_INTEGER)) {
    try { return BigInt(text); } catch { throw new Error(`${text} can't be converted to BigInt: read it as a NumberValue`); }
  }
  return n;
}

const base64 = (bytes: Uint8Array | ArrayBuffer) => (bytes instanceof ArrayBuffer ? Buffer.from(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString('base64');

function setValue(set: Set<unknown>): AttributeValue {
  const values = [...set];
  if (values.length === 0) throw new Error('An empty set is not allowed in DynamoDB');
  if (values.every((v) => typeof v === 'string')) return { SS: values as string[] };
  if (values.every((v) => typeof v === 'number' || typeof v === 'bigint' || v instanceof NumberValue)) {
    return { NS: values.map((v) => (typeof v === 'number' ? numberText(v) : String(v))) };
  }
  if (values.every((v) => v instanceof Uint8Array || v instanceof ArrayBuffer)) return { BS: values.map((v) => base64(v as Uint8Array)) };
  throw new Error('A set must hold only strings, only numbers or only binary values');
}

/** One JS value as an AttributeValue; undefined for `undefined` (the caller drops it). */
export function marshallValue(value: unknown): AttributeValue | undefined {
  switch (typeof value) {
    case 'undefined': return undefined;
    case 'string': return { S: value };
    case 'number': return { N: numberText(value) };
    case 'bigint': return { N: value.toString() };
    case 'boolean': return { BOOL: value };
    case 'function': case 'symbol': return undefined;
  }
  if (value === null) return { NULL: true };
  if (value instanceof NumberValue) return { N: value.value };
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return { B: base64(value) };
  if (Array.isArray(value)) {
    const list: AttributeValue[] = [];
    for (const item of value) { const v = marshallValue(item); if (v) list.push(v); }
    return { L: list };
  }
  if (value instanceof Set) return setValue(value);
  if (value instanceof Map) return { M: marshallItem(Object.fromEntries(value)) };
  return { M: marshallItem(value as Record<string, unknown>) };
}

/** A document (an item, a key, expression values) as an AttributeValue map, undefined fields dropped. */
export function marshallItem(item: Record<string, unknown>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const key of Object.keys(item)) {
    const v = marshallValue(item[key]);
    if (v) out[key] = v;
  }
  return out;
}

function bytes(text: string): Uint8Array {
  const b = Buffer.from(text, 'base64');
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** One AttributeValue as a JS value (N as a number, B as a Uint8Array, sets as Sets). */
export function unmarshallValue(value: AttributeValue): unknown {
  const v = value as Record<string, unknown>;
  if ('S' in v) return v['S'];
  if ('N' in v) return numberOf(v['N'] as string);
  if ('BOOL' in v) return v['BOOL'];
  if ('NULL' in v) return null;
  if ('M' in v) return unmarshallItem(v['M'] as Record<string, AttributeValue>);
  if ('L' in v) return (v['L'] as AttributeValue[]).map(unmarshallValue);
  if ('B' in v) return bytes(v['B'] as string);
  if ('SS' in v) return new Set(v['SS'] as string[]);
  if ('NS' in v) return new Set((v['NS'] as string[]).map(numberOf));
  if ('BS' in v) return new Set((v['BS'] as string[]).map(bytes));
  throw new Error(`Unknown DynamoDB attribute value: ${Object.keys(v).join(', ')}`);
}

export function unmarshallItem(item: Record<string, AttributeValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(item)) out[key] = unmarshallValue(item[key]!);
  return out;
}
