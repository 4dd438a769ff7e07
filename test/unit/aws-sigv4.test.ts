// The wire client's SigV4 signatures against the SDK's own signer (@smithy/signature-v4) over
// generated requests: unicode bodies, session tokens or none, dates, regions and services.
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amzDate, signRequest } from '#adapters/aws/sigv4.ts';

/** The SDK signer's hash interface over node:crypto (the SDK's own Sha256 is not installed here). */
class NodeSha256 {
  readonly #hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) { this.#hash = secret ? createHmac('sha256', typeof secret === 'string' ? secret : Buffer.from(secret as ArrayBuffer)) : createHash('sha256'); }
  update(data: string | ArrayBuffer | ArrayBufferView): void { this.#hash.update(typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer)); }
  async digest(): Promise<Uint8Array> { return new Uint8Array(this.#hash.digest()); }
}

async function sdkAuthorization(input: {
  host: string; headers: Record<string, string>; body: string; region: string; service: string; date: Date;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service: input.service, region: input.region, credentials: input.credentials, sha256: NodeSha256, applyChecksum: false });
  const signed = await signer.sign({
    method: 'POST', protocol: 'https:', hostname: input.host, path: '/', query: {}, headers: { ...input.headers, host: input.host }, body: input.body,
  }, { signingDate: input.date });
  return Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
}

const token = fc.stringMatching(/^[A-Za-z0-9+/=]{1,64}$/);
const request = fc.record({
  body: fc.string({ unit: 'binary', maxLength: 200 }),
  region: fc.constantFrom('us-east-1', 'eu-west-3', 'ap-southeast-2', 'cn-north-1'),
  service: fc.constantFrom('dynamodb', 'sqs', 'secretsmanager'),
  target: fc.constantFrom('DynamoDB_20120810.GetItem', 'AmazonSQS.SendMessageBatch', 'secretsmanager.GetSecretValue'),
  date: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T23:59:59Z'), noInvalidDate: true }),
  accessKeyId: fc.stringMatching(/^AKIA[A-Z0-9]{16}$/),
  secretAccessKey: fc.stringMatching(/^[A-Za-z0-9+/]{40}$/),
  sessionToken: fc.option(token, { nil: undefined }),
  host: fc.constantFrom('dynamodb.us-east-1.amazonaws.com', '127.0.0.1:4566', 'sqs.eu-west-3.amazonaws.com'),
});

describe('SigV4 (wire client) against @smithy/signature-v4', () => {
  it('produces the SDK signer\'s Authorization header for generated requests', async () => {
    await fc.assert(fc.asyncProperty(request, async (r) => {
      const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': r.target };
      const credentials = { accessKeyId: r.accessKeyId, secretAccessKey: r.secretAccessKey, ...(r.sessionToken ? { sessionToken: r.sessionToken } : {}) };
      const ours = signRequest({ host: r.host, path: '/', headers, body: r.body }, credentials, r.region, r.service, r.date);
      const theirs = await sdkAuthorization({ host: r.host, headers, body: r.body, region: r.region, service: r.service, date: r.date, credentials });
      expect(ours['authorization']).toBe(theirs['authorization']);
      expect(ours['x-amz-date']).toBe(theirs['x-amz-date']);
      expect(ours['x-amz-security-token']).toBe(theirs['x-amz-security-token']);
    }), { numRuns: 150 });
  });

  it('uses the cached signing key only for its own day, region and service', async () => {
    const credentials = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' };
    const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' };
    for (const [date, region] of [[new Date('2026-11-30T23:59:59Z'), 'us-east-1'], [new Date('2026-12-01T00:00:01Z'), 'us-east-1'], [new Date('2026-12-01T00:00:01Z'), 'eu-west-1']] as const) {
      const ours = signRequest({ host: 'h', path: '/', headers, body: '{}' }, credentials, region, 'dynamodb', date);
      expect(ours['authorization']).toBe((await sdkAuthorization({ host: 'h', headers, body: '{}', region, service: 'dynamodb', date, credentials }))['authorization']);
    }
    expect(amzDate(new Date('2026-11-30T15:12:49.123Z'))).toBe('20261130T151249Z');
  });
});
