// The wire client's marshalling against the SDK's own (@aws-sdk/util-dynamodb, with the options the
// router's SDK document client used: removeUndefinedValues), over generated documents.
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { marshallItem, NumberValue, unmarshallItem } from '#adapters/aws/dynamodb-marshall.ts';

/** Bytes as their base64 text, so the SDK's in-memory Uint8Array and the wire's base64 compare. */
function normalise(value: unknown): unknown {
  if (value instanceof Uint8Array) return `bytes:${Buffer.from(value).toString('base64')}`;
  if (value instanceof Set) return new Set([...value].map(normalise));
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
  return value;
}

const scalar = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.uint8Array({ maxLength: 40 }),
);
const sets = fc.oneof(
  fc.uniqueArray(fc.string({ unit: 'grapheme' }), { minLength: 1, maxLength: 5 }).map((a) => new Set(a)),
  fc.uniqueArray(fc.integer(), { minLength: 1, maxLength: 5 }).map((a) => new Set(a)),
);
const { doc } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, sets, fc.array(tie('value'), { maxLength: 4 }), tie('doc')),
  doc: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('value'), { maxKeys: 6 }),
}));

describe('DynamoDB marshalling (wire client) against @aws-sdk/util-dynamodb', () => {
  it('marshals every generated document as the SDK does', () => {
    fc.assert(fc.property(doc, (item) => {
      const ours = JSON.parse(JSON.stringify(marshallItem(item as Record<string, unknown>)));
      const theirs = marshall(item, { removeUndefinedValues: true });
      // The SDK keeps B as bytes until its JSON serialiser writes base64.
      const theirsOnTheWire = JSON.parse(JSON.stringify(theirs, (_k, v) => (v instanceof Uint8Array || (v && v.type === 'Buffer') ? Buffer.from(v.data ?? v).toString('base64') : v)));
      expect(ours).toEqual(theirsOnTheWire);
    }), { numRuns: 400 });
  });

  it('reads back what it wrote as the SDK reads it (numbers as numbers, bytes, sets, large integers as bigint)', () => {
    fc.assert(fc.property(doc, (item) => {
      const wire = JSON.parse(JSON.stringify(marshallItem(item as Record<string, unknown>)));
      const sdkItem = unmarshall(marshall(item, { removeUndefinedValues: true }));
      expect(normalise(unmarshallItem(wire))).toEqual(normalise(sdkItem));
    }), { numRuns: 400 });
  });

  it('refuses what the SDK refuses: NaN, infinities, unsafe doubles, empty sets', () => {
    for (const bad of [Number.NaN, Infinity, -Infinity, 2 ** 60, new Set()]) {
      expect(() => marshall({ a: bad }, { removeUndefinedValues: true })).toThrow();
      expect(() => marshallItem({ a: bad })).toThrow();
    }
  });

  it('writes a NumberValue as its exact decimal text', () => {
    expect(marshallItem({ usd: NumberValue.from('0.1000000001'), big: new NumberValue('123456789012345678901234567890') }))
      .toEqual({ usd: { N: '0.1000000001' }, big: { N: '123456789012345678901234567890' } });
    expect(() => NumberValue.from('12abc')).toThrow(/not a number/);
  });
});
