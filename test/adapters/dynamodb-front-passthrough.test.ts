// The DynamoDB stand-in's front hands every call but TransactWriteItems to dynalite's handler in the
// process (local/dynalite-in-process.ts): what the client gets must be what dynalite answers over its
// own HTTP port, status, error body and headers alike, and a body sent in several chunks arrives whole.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoStandIn } from '#local/dynamodb-standin.ts';
import type { DynamoStandIn } from '#local/dynamodb-standin.ts';

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/** One raw HTTP call, the body written in `chunks` pieces. */
function raw(endpoint: string, method: string, target: string | undefined, body: string, chunks = 1): Promise<Answer> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = request({
      host: url.hostname, port: url.port, method, path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        ...(target ? { 'x-amz-target': `DynamoDB_20120810.${target}` } : {}),
        'x-amz-date': '20260101T000000Z',
        authorization: 'AWS4-HMAC-SHA256 Credential=l/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
    }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
    });
    req.on('error', reject);
    const size = Math.ceil(body.length / chunks);
    for (let i = 0; i < body.length; i += size) req.write(body.slice(i, i + size));
    req.end();
  });
}

let standIn: DynamoStandIn;

beforeAll(async () => {
  standIn = await startDynamoStandIn({ tablePrefix: 'front-' });
});

afterAll(async () => {
  await standIn?.close();
});

describe('the stand-in front in front of dynalite, in the process', () => {
  it('answers a read with dynalite\'s status, body and checksum header', async () => {
    const table = standIn.tableNames['costs'] ?? Object.values(standIn.tableNames)[0]!;
    const answer = await raw(standIn.endpoint, 'POST', 'DescribeTable', JSON.stringify({ TableName: table }), 3);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ Table: { TableName: table, TableStatus: 'ACTIVE' } });
    expect(answer.headers['x-amz-crc32']).toMatch(/^\d+$/);
    expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(answer.body)));
  });

  it('passes dynalite\'s errors on with their status and __type', async () => {
    const missing = await raw(standIn.endpoint, 'POST', 'GetItem', JSON.stringify({ TableName: 'no-such-table', Key: { pk: { S: 'a' } } }));
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body).__type).toMatch(/ResourceNotFoundException$/);

    const unknown = await raw(standIn.endpoint, 'POST', 'NoSuchOperation', '{}');
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.body).__type).toMatch(/UnknownOperationException$/);

    const unreadable = await raw(standIn.endpoint, 'POST', 'GetItem', '{"TableName":');
    expect(unreadable.status).toBe(400);
    expect(JSON.parse(unreadable.body).__type).toMatch(/SerializationException$/);
  });

  it('answers a GET as dynalite\'s own health check does', async () => {
    const answer = await raw(standIn.endpoint, 'GET', undefined, '');
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('healthy: dynamodb');
  });
});
