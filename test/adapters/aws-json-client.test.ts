// AwsJsonClient against a local HTTP server that answers as an AWS JSON-protocol service would:
// retries (throttling, 5xx, dropped connections; three attempts in all), error names from `__type`,
// the request's protocol headers and signature.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsJsonClient, regionalEndpoint } from '#adapters/aws/aws-json-client.ts';
import { AwsServiceError } from '#adapters/aws/aws-service-error.ts';
import { backoffMs, standardRetry } from '#adapters/aws/retry-policy.ts';

type Reply = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let server: Server;
let endpoint: string;
let replies: Reply[];
let seen: Array<{ headers: IncomingMessage['headers']; body: string }>;

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', ...headers }).end(JSON.stringify(body));
};
const drop: Reply = (req) => req.socket.destroy();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', () => {
      seen.push({ headers: req.headers, body });
      (replies.shift() ?? json(200, { ok: true }))(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => { replies = []; seen = []; });

const client = (jsonVersion: '1.0' | '1.1' = '1.0') => new AwsJsonClient({
  service: 'dynamodb', region: 'eu-west-1', endpoint, targetPrefix: 'DynamoDB_20120810', jsonVersion,
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' },
  retry: { random: () => 0 },
});

describe('AwsJsonClient', () => {
  it('POSTs the input as JSON with the protocol headers, signed, and returns the parsed answer', async () => {
    replies = [json(200, { Item: { pk: { S: 'a' } } })];
    expect(await client().call('GetItem', { TableName: 't', Key: { pk: { S: 'ü' } } })).toEqual({ Item: { pk: { S: 'a' } } });
    const { headers, body } = seen[0]!;
    expect(JSON.parse(body)).toEqual({ TableName: 't', Key: { pk: { S: 'ü' } } });
    expect(headers['x-amz-target']).toBe('DynamoDB_20120810.GetItem');
    expect(headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(headers['x-amz-security-token']).toBe('token');
    expect(headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/dynamodb\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$/);
  });

  it('sends JSON 1.1 when asked (Secrets Manager)', async () => {
    await client('1.1').call('GetSecretValue', {});
    expect(seen[0]!.headers['content-type']).toBe('application/x-amz-json-1.1');
  });

  it('retries throttling, a 5xx and a dropped connection, then returns the answer', async () => {
    replies = [json(400, { __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'slow down' }), json(200, { done: 1 })];
    expect(await client().call('PutItem', {})).toEqual({ done: 1 });
    replies = [json(503, { __type: 'ServiceUnavailable' }), drop, json(200, { done: 2 })];
    expect(await client().call('PutItem', {})).toEqual({ done: 2 });
    expect(seen).toHaveLength(5);
  });

  it('abandons and retries an attempt that gets no answer in time', async () => {
    replies = [() => undefined, json(200, { late: false })];
    const impatient = new AwsJsonClient({
      service: 'dynamodb', region: 'eu-west-1', endpoint, targetPrefix: 'DynamoDB_20120810', jsonVersion: '1.0',
      credentials: { accessKeyId: 'a', secretAccessKey: 's' }, retry: { random: () => 0 }, attemptTimeoutMs: 100,
    });
    expect(await impatient.call('GetItem', {})).toEqual({ late: false });
    expect(seen).toHaveLength(2);
  });

  it('gives up after three attempts with the last error', async () => {
    replies = [json(500, { __type: 'InternalServerError', message: 'a' }), json(500, { __type: 'InternalServerError', message: 'b' }), json(500, { __type: 'InternalServerError', message: 'c' }), json(200, {})];
    await expect(client().call('GetItem', {})).rejects.toMatchObject({ name: 'InternalServerError', message: 'c', statusCode: 500, $fault: 'server' });
    expect(seen).toHaveLength(3);
  });

  it('throws a client error at once, named by __type (or the error-type header), with the answer\'s fields', async () => {
    replies = [json(400, { __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException', message: 'Transaction cancelled', CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }] })];
    const error = await client().call('TransactWriteItems', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsServiceError);
    expect(error).toMatchObject({ name: 'TransactionCanceledException', message: 'Transaction cancelled', CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }] });
    replies = [json(400, { message: 'The conditional request failed' }, { 'x-amzn-errortype': 'ConditionalCheckFailedException:http://internal.amazon.com/coral/com.amazonaws.dynamodb.v20120810/' })];
    await expect(client().call('PutItem', {})).rejects.toMatchObject({ name: 'ConditionalCheckFailedException', statusCode: 400 });
    expect(seen).toHaveLength(2);
  });

  it('backs off with full jitter, capped', () => {
    expect(backoffMs({ ...standardRetry, random: () => 0.999 }, 1)).toBe(99);
    expect(backoffMs({ ...standardRetry, random: () => 0.5 }, 3)).toBe(200);
    expect(backoffMs({ ...standardRetry, random: () => 0.999 }, 30)).toBe(19_980);
    expect(backoffMs({ ...standardRetry, random: () => 0 }, 2)).toBe(0);
  });

  it('derives the regional endpoint', () => {
    expect(regionalEndpoint('dynamodb', 'eu-west-3')).toBe('https://dynamodb.eu-west-3.amazonaws.com');
    expect(regionalEndpoint('sqs', 'cn-north-1')).toBe('https://sqs.cn-north-1.amazonaws.com.cn');
  });
});
