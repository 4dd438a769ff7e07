// DynamoDB JSON (the export format: `{"Item":{"pk":{"S":"..."},"costUsd":{"N":"0.01"}}}`), pure.
// Numbers stay strings here, so money can be summed exactly (see money.ts).

export type AttributeValue =
  | { S: string } | { N: string } | { BOOL: boolean } | { NULL: true } | { B: string }
  | { SS: string[] } | { NS: string[] } | { BS: string[] }
  | { M: Record<string, AttributeValue> } | { L: AttributeValue[] };

export type PlainValue = string | boolean | null | PlainValue[] | { [key: string]: PlainValue } | NumberText;

/** A DynamoDB number, kept as its exact decimal text. */
export interface NumberText {
  readonly number: string;
}

export function isNumberText(value: unknown): value is NumberText {
  return typeof value === 'object' && value !== null && typeof (value as NumberText).number === 'string' && Object.keys(value).length === 1;
}

/** Converts one attribute value; throws on an unknown type descriptor. */
export function fromAttributeValue(value: AttributeValue): PlainValue {
  if ('S' in value) return value.S;
  if ('N' in value) return { number: value.N };
  if ('BOOL' in value) return value.BOOL;
  if ('NULL' in value) return null;
  if ('B' in value) return value.B;
  if ('SS' in value) return [...value.SS];
  if ('NS' in value) return value.NS.map((n) => ({ number: n }));
  if ('BS' in value) return [...value.BS];
  if ('M' in value) return fromItem(value.M);
  if ('L' in value) return value.L.map(fromAttributeValue);
  throw new Error(`unknown DynamoDB JSON type: ${JSON.stringify(value)}`);
}

export function fromItem(item: Record<string, AttributeValue>): Record<string, PlainValue> {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, fromAttributeValue(value)]));
}

/**
 * Parses the lines of one export data file (JSON lines, each `{"Item":{...}}`); blank lines are skipped.
 * `source` names the file in error messages.
 */
export function parseExportLines(text: string, source: string): Array<Record<string, PlainValue>> {
  const items: Array<Record<string, PlainValue>> = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw new Error(`${source}:${index + 1}: not JSON`, { cause: error });
    }
    const item = (parsed as { Item?: unknown }).Item;
    if (typeof item !== 'object' || item === null) throw new Error(`${source}:${index + 1}: no "Item" object`);
    items.push(fromItem(item as Record<string, AttributeValue>));
  });
  return items;
}
