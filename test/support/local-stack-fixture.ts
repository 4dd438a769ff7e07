// Starts the embedded local runtime for an end-to-end test file: in memory, every provider simulated,
// fast simulated upstreams so the suite stays quick.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startLocalStack } from '#local/local-stack.ts';
import { standInDocumentStore } from '#local/stand-in-documents.ts';
import type { LocalStack, LocalStackOptions } from '#local/local-stack.ts';
import { liveView, useForSuite } from './use-for-suite.ts';

export async function startTestStack(overrides: LocalStackOptions = {}): Promise<{ stack: LocalStack; client: OpenAI }> {
  const stack = await startLocalStack({
    port: 0,
    env: {},
    simulated: { latencyMs: 5, tokensPerSecond: 5000, errorRate: 0 },
    ...overrides,
  });
  const client = new OpenAI({ baseURL: stack.baseUrl, apiKey: stack.apiKey, maxRetries: 0, timeout: 20_000 });
  return { stack, client };
}

/** The test stack for the tests of the calling file (or `describe` block), closed after them. */
export function useTestStack(overrides: LocalStackOptions = {}): { stack: LocalStack; client: OpenAI } {
  const started = useForSuite(() => startTestStack(overrides), ({ stack }) => stack.close());
  return { stack: liveView(() => started.stack), client: liveView(() => started.client) };
}

/** A document client on a running stack's DynamoDB stand-in (destroy it in afterAll). */
export function localDocuments(stack: Pick<LocalStack, 'dynamoEndpoint'>): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({
    endpoint: stack.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  }));
}

/** The functions' own DynamoDB wire client on a stand-in at `endpoint` (nothing to destroy). */
export const standInDocuments = standInDocumentStore;

/** Writes `catalog` to catalog.json in a new temp folder named after `prefix`; returns its path. */
export function writeTempCatalog(prefix: string, catalog: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), prefix)), 'catalog.json');
  writeFileSync(path, JSON.stringify(catalog));
  return path;
}

/** A catalog model on `provider`: 1 / 2 USD per MTok in / out, 100k context, quality 0.8. */
export function catalogModel(id: string, provider: string, fallbacks: string[] = []): Record<string, unknown> {
  return {
    id, provider, upstreamId: id, fallbacks,
    pricing: { currency: 'USD', inputPerMTok: 1, outputPerMTok: 2 }, contextWindow: 100_000, maxOutputTokens: 4096, quality: { overall: 0.8 },
  };
}
