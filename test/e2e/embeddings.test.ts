// POST /v1/embeddings through the official openai client: routed to a catalog embedding model on the
// simulated OpenAI-compatible upstream, billed per call, exactly cached per tenant.
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantTable } from '#contracts/tables.ts';
import { tenantTableKeys } from '#contracts/tenant-table.ts';
import { generateApiKey, hashApiKey, keyIdFromHash } from '#core/auth/api-keys.ts';
import type { LocalStack } from '#local/local-stack.ts';
import { costRecordsFor } from '../support/cost-records.ts';
import { localDocuments, startTestStack } from '../support/local-stack-fixture.ts';

let stack: LocalStack;
let client: OpenAI;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  ({ stack, client } = await startTestStack());
  documents = localDocuments(stack);
});

afterAll(async () => {
  documents?.destroy();
  await stack?.close();
});

let counter = 0;
const unique = (text: string) => `${text} (case ${++counter} ${Math.random().toString(36).slice(2, 8)})`;

async function tenantClient(tenantId: string): Promise<OpenAI> {
  const apiKey = generateApiKey();
  const hash = hashApiKey(apiKey);
  await documents.send(new PutCommand({ TableName: stack.tableNames[tenantTable.name]!, Item: { pk: tenantTableKeys.apiKeyPk(hash), sk: tenantTableKeys.apiKeySk, tenantId, keyId: keyIdFromHash(hash) } }));
  return new OpenAI({ baseURL: stack.baseUrl, apiKey, maxRetries: 0, timeout: 20_000 });
}

async function recordsOf(tenantId: string, requestId: string | null) {
  return (await costRecordsFor(stack, tenantId)).filter((r) => r['requestId'] === requestId);
}

describe('POST /v1/embeddings', () => {
  it('embeds a string with a pinned model: vector, usage, decision headers, one cost record at the list price', async () => {
    const { data, response } = await client.embeddings.create({ model: 'text-embedding-3-small', input: unique('hello embeddings'), encoding_format: 'float' }).withResponse();
    expect(data.object).toBe('list');
    expect(data.model).toBe('text-embedding-3-small');
    expect(data.data).toHaveLength(1);
    expect(data.data[0]!.embedding).toHaveLength(1536);
    expect(Math.hypot(...data.data[0]!.embedding)).toBeCloseTo(1, 3);
    expect(data.usage.prompt_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-router-model')).toBe('text-embedding-3-small');
    expect(response.headers.get('x-router-strategy')).toBe('pinned');
    expect(response.headers.get('x-router-cache')).toBe('miss');

    const [record, ...more] = await recordsOf('local', response.headers.get('x-request-id'));
    expect(more).toHaveLength(0);
    expect(record).toMatchObject({ modelId: 'text-embedding-3-small', inputTokens: data.usage.prompt_tokens, outputTokens: 0, cacheHit: false });
    expect(record!['costUsd']).toBeCloseTo(data.usage.prompt_tokens * 0.02 / 1e6, 12);
  });

  it('embeds an array in input order, honours dimensions, and decodes base64 to the same floats', async () => {
    const inputs = [unique('first'), unique('second'), unique('third')];
    const floats = await client.embeddings.create({ model: 'text-embedding-3-large', input: inputs, dimensions: 256, encoding_format: 'float' });
    expect(floats.data.map((d) => d.index)).toEqual([0, 1, 2]);
    expect(floats.data.every((d) => d.embedding.length === 256)).toBe(true);
    expect(floats.data[0]!.embedding).not.toEqual(floats.data[1]!.embedding);

    // The client asks for base64 by default and decodes it; bypass so the vectors come fresh upstream.
    const viaDefault = await client.embeddings.create({ model: 'text-embedding-3-large', input: inputs, dimensions: 256 }, { headers: { 'x-router-cache': 'bypass' } });
    viaDefault.data.forEach((d, i) => d.embedding.forEach((v, j) => expect(v).toBeCloseTo(floats.data[i]!.embedding[j]!, 6)));

    const raw = await fetch(`${stack.baseUrl}/embeddings`, {
      method: 'POST', headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'text-embedding-3-large', input: inputs, dimensions: 256, encoding_format: 'base64' }),
    });
    const body = await raw.json() as { data: Array<{ embedding: string }> };
    expect(typeof body.data[0]!.embedding).toBe('string');
  });

  it('answers a repeated input from the tenant cache at zero cost, and never from another tenant', async () => {
    const input = unique('cache me');
    const first = await client.embeddings.create({ model: 'text-embedding-3-small', input, encoding_format: 'float' }).withResponse();
    const again = await client.embeddings.create({ model: 'text-embedding-3-small', input, encoding_format: 'float' }).withResponse();
    expect(again.response.headers.get('x-router-cache')).toBe('hit');
    expect(again.response.headers.get('x-router-cost-usd')).toBe('0.00000000');
    again.data.data[0]!.embedding.forEach((v, j) => expect(v).toBeCloseTo(first.data.data[0]!.embedding[j]!, 6));
    expect((await recordsOf('local', again.response.headers.get('x-request-id')))[0]).toMatchObject({ cacheHit: true, costUsd: 0 });

    const other = await tenantClient('tenant-emb-b');
    const theirs = await other.embeddings.create({ model: 'text-embedding-3-small', input, encoding_format: 'float' }).withResponse();
    expect(theirs.response.headers.get('x-router-cache')).toBe('miss');
    expect(await recordsOf('tenant-emb-b', theirs.response.headers.get('x-request-id'))).toHaveLength(1);
    expect(await recordsOf('local', theirs.response.headers.get('x-request-id'))).toHaveLength(0);
  });

  it('keeps chat and embedding models apart', async () => {
    await expect(client.embeddings.create({ model: 'gpt-5.4', input: 'x' })).rejects.toMatchObject({ status: 400, code: 'no_model_available' });
    await expect(client.chat.completions.create({ model: 'text-embedding-3-small', messages: [{ role: 'user', content: 'hi' }] }))
      .rejects.toMatchObject({ status: 400, code: 'no_model_available' });
    // A route picks only chat models for chat; every strategy.
    for (const strategy of ['cost-first', 'quality-first', 'balanced']) {
      const { response } = await client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-router-strategy': strategy } }).withResponse();
      expect(response.headers.get('x-router-model')).not.toMatch(/embed/);
    }
  });

  it('rejects bad input with a 400 naming the field', async () => {
    await expect(client.embeddings.create({ model: 'text-embedding-3-small', input: [] })).rejects.toMatchObject({ status: 400, param: 'input' });
    await expect(client.embeddings.create({ model: 'text-embedding-3-small', input: [[1, 2, 3]] as unknown as string[] })).rejects.toMatchObject({ status: 400, param: 'input' });
    await expect(client.embeddings.create({ model: 'text-embedding-3-small', input: 'x', encoding_format: 'int8' as 'float' })).rejects.toMatchObject({ status: 400, param: 'encoding_format' });
  });
});
