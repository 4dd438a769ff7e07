// Every function, run under a stand-in of the Lambda runtime's JSON log format (LogFormat JSON, as the
// stack configures), writes its metric documents as top-level JSON lines on stdout with the metric
// contract's namespace, dimensions and metrics. A document written with console.log would arrive
// wrapped in {"timestamp","level","requestId","message"} and CloudWatch would not make a metric of it.
import type { APIGatewayTokenAuthorizerEvent, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricDimensions, metricNames, metricNamespace, metricUnits } from '#contracts/metrics.ts';
import type { MetricName } from '#contracts/metrics.ts';
import type { LocalStack } from '#local/local-stack.ts';
import { installLambdaJsonLogs, metricDocuments, wrappedMetricLines } from '../support/lambda-json-logs.ts';
import type { JsonLogCapture } from '../support/lambda-json-logs.ts';
import { startTestStack } from '../support/local-stack-fixture.ts';

let logs: JsonLogCapture;
let stack: LocalStack;
let client: Awaited<ReturnType<typeof startTestStack>>['client'];

beforeAll(async () => {
  logs = installLambdaJsonLogs();
  ({ stack, client } = await startTestStack({ env: { ROUTER_METRICS: 'on', POWERTOOLS_LOG_LEVEL: 'INFO' } }));
});

afterAll(async () => {
  logs?.restore();
  await stack?.close();
});

type Doc = ReturnType<typeof metricDocuments>[number];

/** Runs `act` and returns the stdout lines it produced, after checking none of them lost a metric. */
async function linesOf(act: () => Promise<unknown>): Promise<string[]> {
  const from = logs.stdout.length;
  await act();
  const lines = logs.stdout.slice(from);
  expect(wrappedMetricLines(lines)).toEqual([]);
  // Under the JSON log format every line is JSON; a plain-text line would be wrapped by the runtime.
  for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
  return lines;
}

/** The document follows the contract: namespace, exactly one dimension set, contract units, values at the top level. */
function expectContract(doc: Doc, dimension: string): void {
  const [directive, ...others] = doc._aws.CloudWatchMetrics;
  expect(others).toEqual([]);
  expect(directive!.Namespace).toBe(metricNamespace);
  expect(directive!.Dimensions).toEqual([[dimension]]);
  expect(doc[dimension]).toBeTypeOf('string');
  expect(directive!.Metrics.length).toBeGreaterThan(0);
  for (const metric of directive!.Metrics) {
    expect(metricUnits[metric.Name as MetricName], metric.Name).toBe(metric.Unit);
    expect(doc[metric.Name], metric.Name).toBeTypeOf('number');
  }
}

const byDimension = (docs: Doc[], dimension: string) => docs.filter((d) => d._aws.CloudWatchMetrics[0]?.Dimensions[0]?.[0] === dimension);

describe('metrics under the Lambda JSON log format', () => {
  it('router: one document per call, JSON and streamed, with the Model dimension', async () => {
    let served = '';
    const from = logs.stdout.length;
    const lines = await linesOf(async () => {
      const answer = await client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'hello' }] });
      served = answer.model;
      const stream = await client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'hello' }], stream: true });
      for await (const chunk of stream) void chunk;
      // The streamed call's document is written once its cost is known, just after the last chunk.
      await expect.poll(() => byDimension(metricDocuments(logs.stdout.slice(from)), metricDimensions.model).length).toBe(2);
    });

    const docs = byDimension(metricDocuments(lines), metricDimensions.model);
    expect(docs).toHaveLength(2);
    for (const doc of docs) {
      expectContract(doc, metricDimensions.model);
      expect(doc).toMatchObject({ [metricNames.requests]: 1, [metricNames.fallbacks]: 0 });
      expect(doc[metricNames.costUsd]).toBeGreaterThan(0);
      expect(doc[metricNames.cacheHit] ?? doc[metricNames.cacheMiss] ?? 'not consulted').toBeDefined();
    }
    expect(docs.map((d) => d[metricDimensions.model])).toContain(served);
  });

  it('batch worker: one document per completed item', async () => {
    const lines = await linesOf(async () => {
      const items = ['one', 'two', 'three'].map((text, i) => ({ custom_id: `m-${i}`, body: { model: 'auto', messages: [{ role: 'user', content: text }] } }));
      const created = await fetch(`${stack.baseUrl}/batches`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ items }),
      });
      expect(created.status).toBe(200);
      const { id } = (await created.json()) as { id: string };
      await expect.poll(async () => {
        const status = await fetch(`${stack.baseUrl}/batches/${id}`, { headers: { authorization: `Bearer ${stack.apiKey}` } });
        return ((await status.json()) as { request_counts: { completed: number } }).request_counts.completed;
      }, { timeout: 20_000, interval: 50 }).toBe(3);
    });

    const docs = byDimension(metricDocuments(lines), metricDimensions.model);
    expect(docs).toHaveLength(3);
    for (const doc of docs) {
      expectContract(doc, metricDimensions.model);
      expect(doc[metricNames.requests]).toBe(1);
    }
  });

  it('health check: one ProviderUnhealthy document per catalog provider', async () => {
    const { handler } = await import('#handlers/health-check.ts');
    let providers: string[] = [];
    const lines = await linesOf(async () => {
      const summary = await handler({}, {} as Context);
      providers = summary.providers.map((p) => p.providerId);
    });

    const docs = byDimension(metricDocuments(lines), metricDimensions.provider);
    expect(providers.length).toBeGreaterThan(0);
    expect(docs.map((d) => d[metricDimensions.provider]).sort()).toEqual([...providers].sort());
    for (const doc of docs) {
      expectContract(doc, metricDimensions.provider);
      expect(doc._aws.CloudWatchMetrics[0]!.Metrics.map((m) => m.Name)).toEqual([metricNames.providerUnhealthy]);
      expect(doc[metricNames.providerUnhealthy]).toBe(0);
    }
  });

  it('authorizer: emits no metrics and no line that the format would wrap into a lost metric', async () => {
    const { handler } = await import('#handlers/authorizer.ts');
    const event: APIGatewayTokenAuthorizerEvent = {
      type: 'TOKEN',
      methodArn: 'arn:aws:execute-api:us-east-1:123456789012:abcdef1234/local/POST/v1/chat/completions',
      authorizationToken: `Bearer ${stack.apiKey}`,
    };
    const lines = await linesOf(() => handler(event, {} as Context)); // a middy handler since issue 11: (event, context)

    expect(metricDocuments(lines)).toEqual([]);
  });

  it('the capture is live: a console.log of a metric document is caught as wrapped', () => {
    const from = logs.stdout.length;
    console.log(JSON.stringify({ _aws: { Timestamp: 0, CloudWatchMetrics: [] } }));
    const lines = logs.stdout.slice(from);
    expect(wrappedMetricLines(lines)).toHaveLength(1);
    expect(metricDocuments(lines)).toEqual([]);
  });
});
