// Embedders against local servers speaking the real wire formats: OpenAI `/v1/embeddings` and Bedrock
// InvokeModel for Titan Text Embeddings and Cohere Embed (signed, over HTTP/2 as the AWS SDK sends it).
import { afterEach, describe, expect, it } from 'vitest';
import { CohereEmbedder } from '#adapters/embeddings/bedrock-cohere.ts';
import { TitanEmbedder } from '#adapters/embeddings/bedrock-titan.ts';
import { createEmbedder } from '#adapters/embeddings/create-embedder.ts';
import { OpenAiCompatibleEmbedder } from '#adapters/embeddings/openai-compatible.ts';
import { parseCatalog } from '#core/catalog/catalog.ts';
import { LocalEmbedder } from '#core/cache/local-embedder.ts';
import { useScriptedUpstream } from '../support/scripted-upstream.ts';

describe('OpenAiCompatibleEmbedder', () => {
  const up = useScriptedUpstream();
  afterEach(() => {
    up.requests.length = 0;
  });

  it('posts the OpenAI embeddings request and returns the normalised vector', async () => {
    up.enqueue({ body: { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [3, 4, 0] }], model: 'text-embedding-3-small', usage: { prompt_tokens: 5, total_tokens: 5 } } });
    const embedder = new OpenAiCompatibleEmbedder({ baseUrl: `${up.url}/v1/`, model: 'text-embedding-3-small', apiKey: 'sk-test', dimensions: 3 });

    const vector = await embedder.embed('What is the capital of France?');

    expect(up.requests[0]).toMatchObject({ method: 'POST', path: '/v1/embeddings' });
    expect(up.requests[0]!.headers['authorization']).toBe('Bearer sk-test');
    expect(up.requests[0]!.json).toEqual({ model: 'text-embedding-3-small', input: 'What is the capital of France?', encoding_format: 'float', dimensions: 3 });
    expect([...vector].map((v) => Number(v.toFixed(6)))).toEqual([0.6, 0.8, 0]);
    expect(embedder.id).toBe('openai:text-embedding-3-small:3');
  });

  it('decodes base64 embeddings and reports HTTP errors with the status', async () => {
    const b64 = Buffer.from(new Float32Array([0, 2]).buffer).toString('base64');
    up.enqueue({ body: { data: [{ index: 0, embedding: b64 }] } }, { status: 401, body: { error: { message: 'bad key' } } });
    const embedder = new OpenAiCompatibleEmbedder({ baseUrl: `${up.url}/v1`, model: 'm' });

    expect([...(await embedder.embed('x'))]).toEqual([0, 1]);
    await expect(embedder.embed('y')).rejects.toThrow(/HTTP 401/);
  });
});

describe('TitanEmbedder', () => {
  const up = useScriptedUpstream({ http2: true });

  it('sends a signed InvokeModel request in the Titan v2 format and maps the answer', async () => {
    up.enqueue({ headers: { 'x-amzn-requestid': 'r1' }, body: { embedding: [0, 0, 2, 0], inputTextTokenCount: 7, embeddingsByType: { float: [0, 0, 2, 0] } } });
    const embedder = new TitanEmbedder({ modelId: 'amazon.titan-embed-text-v2:0', region: 'us-east-1', dimensions: 256, endpoint: up.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

    const vector = await embedder.embed('What is the capital of France?');

    const sent = up.requests[0]!;
    expect(decodeURIComponent(sent.path)).toBe('/model/amazon.titan-embed-text-v2:0/invoke');
    expect(sent.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
    expect(sent.json).toEqual({ inputText: 'What is the capital of France?', dimensions: 256, normalize: true });
    expect([...vector]).toEqual([0, 0, 1, 0]);
    expect(embedder.id).toBe('bedrock:amazon.titan-embed-text-v2:0:256');
  });

  it('sends only inputText to Titan v1', () => {
    expect(new TitanEmbedder({ modelId: 'amazon.titan-embed-text-v1', region: 'us-east-1' }).requestBody('hi')).toEqual({ inputText: 'hi' });
  });
});

describe('CohereEmbedder', () => {
  const up = useScriptedUpstream({ http2: true });

  it('sends a signed InvokeModel request in the Cohere Embed format and reads both answer shapes', async () => {
    up.enqueue(
      { body: { id: 'e1', response_type: 'embeddings_by_type', texts: ['x'], embeddings: { float: [[0, 3, 4]] } } },
      { body: { id: 'e2', response_type: 'embeddings_floats', texts: ['y'], embeddings: [[2, 0, 0]] } },
    );
    const embedder = new CohereEmbedder({ modelId: 'cohere.embed-multilingual-v3', region: 'us-east-1', endpoint: up.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

    const first = await embedder.embed('三个星期有多少天？');
    const second = await embedder.embed('y'.repeat(3000));

    const sent = up.requests[0]!;
    expect(decodeURIComponent(sent.path)).toBe('/model/cohere.embed-multilingual-v3/invoke');
    expect(sent.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
    expect(sent.json).toEqual({ texts: ['三个星期有多少天？'], input_type: 'clustering', truncate: 'END', embedding_types: ['float'] });
    expect((up.requests[1]!.json as { texts: string[] }).texts[0]).toHaveLength(2048);
    expect([...first].map((v) => Number(v.toFixed(6)))).toEqual([0, 0.6, 0.8]);
    expect([...second]).toEqual([1, 0, 0]);
    expect(embedder.id).toBe('bedrock:cohere.embed-multilingual-v3');
  });
});

describe('createEmbedder (ROUTER_EMBEDDINGS)', () => {
  const catalog = parseCatalog({
    version: 1,
    providers: [
      { id: 'openai', kind: 'openai-compatible', baseUrl: 'https://api.openai.com/v1', apiKey: { env: 'OPENAI_API_KEY' } },
      { id: 'bedrock', kind: 'bedrock', region: 'eu-west-1' },
    ],
    models: [{ id: 'm', provider: 'openai', upstreamId: 'm', pricing: { currency: 'USD', inputPerMTok: 1, outputPerMTok: 1 }, contextWindow: 1000, maxOutputTokens: 100, quality: { overall: 0.5 } }],
  });
  const keys = new Map([['openai', 'sk-x']]);

  it('reads local, off, bedrock:<model> and openai:<provider>:<model>', () => {
    expect(createEmbedder(undefined, catalog, keys)).toBeInstanceOf(LocalEmbedder);
    expect(createEmbedder('off', catalog, keys)).toBeUndefined();
    expect(createEmbedder('bedrock:amazon.titan-embed-text-v2:0', catalog, keys)?.id).toBe('bedrock:amazon.titan-embed-text-v2:0:512');
    expect(createEmbedder('bedrock:cohere.embed-v4:0', catalog, keys)).toBeInstanceOf(CohereEmbedder);
    expect(createEmbedder('openai:openai:text-embedding-3-small', catalog, keys)?.id).toBe('openai:text-embedding-3-small');
    expect(() => createEmbedder('openai:bedrock:x', catalog, keys)).toThrow(/not an openai-compatible provider/);
    expect(() => createEmbedder('word2vec', catalog, keys)).toThrow(/ROUTER_EMBEDDINGS/);
  });
});
