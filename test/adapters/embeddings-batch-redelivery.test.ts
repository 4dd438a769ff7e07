// A batch embeddings item delivered twice is billed once: the first delivery gets its vectors and
// writes the cost record, then dies before it can mark the item finished; the redelivery embeds again
// and its record has the same key (job + item, and the item's creation time as the call's start), so
// the ledger keeps one. Real job store and ledger on dynalite, the simulated OpenAI-compatible
// upstream's /embeddings over HTTP.
import { describe, expect, it } from 'vitest';
import { DynamoCostLedger } from '#adapters/dynamodb/cost-ledger.ts';
import { DynamoJobStore } from '#adapters/dynamodb/job-store.ts';
import { createEmbeddingsClient } from '#adapters/embeddings/embeddings-client.ts';
import { parseCatalog } from '#core/catalog/catalog.ts';
import { ChatService } from '#core/chat/chat-service.ts';
import { EmbeddingService } from '#core/embeddings/embedding-service.ts';
import type { EmbeddingsClient } from '#core/embeddings/ports.ts';
import { callRecords, deliverTwice, dyingOnFirstFinish, redeliveryWorker, useRedeliveryStack } from '../support/batch-redelivery.ts';

const stack = useRedeliveryStack('emb-redelivery-');
const clock = { now: () => Date.now() };

describe('a batch embeddings item delivered twice', () => {
  it('is embedded again but billed once, and the item ends with an OpenAI embeddings list', async () => {
    const catalog = parseCatalog({
      version: 1,
      providers: [{ id: 'sim', kind: 'openai-compatible', baseUrl: stack.upstream.url, timeoutMs: 5000 }],
      models: [{ id: 'e1', provider: 'sim', upstreamId: 'text-embedding-3-small', kind: 'embedding', dimensions: 1536, pricing: { currency: 'USD', inputPerMTok: 0.02, outputPerMTok: 0 }, contextWindow: 8191, maxOutputTokens: 1, quality: { overall: 0.5 } }],
    });
    const real = createEmbeddingsClient(catalog.providers.get('sim')!, async () => 'key')!;
    let calls = 0;
    const counting: EmbeddingsClient = { ...real, embed: (call, options) => { calls += 1; return real.embed(call, options); } } as EmbeddingsClient;
    const ledger = new DynamoCostLedger(stack.documents, stack.costs);
    const embeddings = new EmbeddingService({ catalog, embeddings: () => counting, ledger, clock });
    const store = new DynamoJobStore(stack.documents, stack.jobs);
    const worker = redeliveryWorker({
      chat: new ChatService({ catalog, provider: () => { throw new Error('no chat here'); }, clock, ledger }),
      embeddings, jobs: dyingOnFirstFinish(store),
    });
    const body = JSON.stringify({
      version: 1, jobId: 'batch_emb', itemId: '000000', tenantId: 't1', keyId: 'k1', customId: 'c0', endpoint: '/v1/embeddings',
      request: { model: 'e1', input: ['embed me', 'and me'] },
    });

    await deliverTwice(worker, body);

    expect(calls).toBe(2);
    const records = await callRecords(stack, 't1');
    expect(records.map((r) => [r['requestId'], r['modelId']])).toEqual([['batch_req_emb_000000', 'e1']]);
    const item = await store.getItem({ tenantId: 't1', jobId: 'batch_emb', itemId: '000000' });
    expect(item?.state).toBe('completed');
    expect(item?.response?.body).toMatchObject({ object: 'list', model: 'e1', data: [{ index: 0 }, { index: 1 }] });
  });

  it('fails an embeddings item at once (400) on a worker built without embeddings', async () => {
    const store = new DynamoJobStore(stack.documents, stack.jobs);
    const catalog = parseCatalog({ version: 1, providers: [{ id: 'sim', kind: 'openai-compatible', baseUrl: stack.upstream.url }], models: [{ id: 'm', provider: 'sim', upstreamId: 'm', pricing: { currency: 'USD', inputPerMTok: 1, outputPerMTok: 1 }, contextWindow: 1000, maxOutputTokens: 100, quality: { overall: 0.5 } }] });
    const worker = redeliveryWorker({
      chat: new ChatService({ catalog, provider: () => { throw new Error('no chat here'); }, clock, ledger: new DynamoCostLedger(stack.documents, stack.costs) }),
      jobs: store,
    });
    const body = JSON.stringify({ version: 1, jobId: 'batch_noemb', itemId: '000000', tenantId: 't1', keyId: 'k1', customId: 'c0', endpoint: '/v1/embeddings', request: { model: 'e1', input: 'x' } });
    expect(await worker.process({ messageId: 'm-2', receiptHandle: 'h', receiveCount: 1, body })).toBe('done');
    const item = await store.getItem({ tenantId: 't1', jobId: 'batch_noemb', itemId: '000000' });
    expect(item).toMatchObject({ state: 'failed', error: { code: 'unsupported_endpoint', status: 400 } });
  });
});
