// X-Ray tracing through the real router: with the Lambda environment the Tracer expects (a trace id,
// a daemon address), a request that fails over sends one subsegment per provider attempt to the
// X-Ray daemon, over the daemon's own UDP protocol (a local socket stands in for the daemon).
// Modules are imported only after the environment is set: the X-Ray SDK reads it when loaded.
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FaultStack } from '../support/fault-stack.ts';

interface Subsegment { name: string; type: string; trace_id: string; parent_id: string; annotations: Record<string, unknown>; fault?: boolean; error?: boolean }

const TRACE_ID = '1-6758e988-bd862e3fe1be46a994272793';
const received: Subsegment[] = [];
let daemon: Socket;
let f: FaultStack;
let support: typeof import('../support/fault-stack.ts');

beforeAll(async () => {
  daemon = createSocket('udp4');
  daemon.on('message', (message) => {
    const [header, body] = message.toString().split('\n');
    if (header === '{"format":"json","version":1}' && body) received.push(JSON.parse(body) as Subsegment);
  });
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', () => resolve()));
  Object.assign(process.env, {
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.address().port}`,
    LAMBDA_TASK_ROOT: '/var/task',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: 'llm-router-tracing-test',
    _X_AMZN_TRACE_ID: `Root=${TRACE_ID};Parent=53995c3f42cd8ad8;Sampled=1`,
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
  });
  support = await import('../support/fault-stack.ts');
  f = await support.startFaultStack([{ id: 'first', fallbacks: ['second'] }, { id: 'second' }], {
    failover: { retryBaseMs: 1, minBackoffMs: 1 },
  });
});

afterAll(async () => {
  await f?.close();
  daemon?.close();
  for (const name of ['AWS_XRAY_DAEMON_ADDRESS', 'LAMBDA_TASK_ROOT', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME', '_X_AMZN_TRACE_ID', 'AWS_XRAY_CONTEXT_MISSING']) delete process.env[name];
});

const attempts = () => received.filter((s) => s.name.startsWith('provider '));

it('sends one subsegment per provider attempt, annotated with provider, model and outcome', async () => {
  f.upstreams['first']!.enqueue({ status: 503, body: { error: { message: 'overloaded' } } }, { status: 503, body: { error: { message: 'overloaded' } } });
  f.upstreams['second']!.enqueue({ body: support.completionBody('hello') });
  const { status, headers } = await support.rawChat(f.stack, { model: 'first', messages: [{ role: 'user', content: 'Say hello.' }] });
  expect(status).toBe(200);
  expect(headers.get('x-router-attempts')).toBe('3');
  await expect.poll(() => attempts().length).toBe(3);

  const [retried, failedAgain, answered] = attempts();
  for (const s of attempts()) expect(s).toMatchObject({ type: 'subsegment', trace_id: TRACE_ID, parent_id: '53995c3f42cd8ad8' });
  expect(retried).toMatchObject({ name: 'provider p-first', annotations: { provider: 'p-first', model: 'first-upstream', stream: false, outcome: 'server_error', upstream_status: 503 } });
  expect(retried!.fault || retried!.error).toBe(true);
  expect(failedAgain!.annotations).toMatchObject({ outcome: 'server_error' });
  expect(answered).toMatchObject({ name: 'provider p-second', annotations: { provider: 'p-second', model: 'second-upstream', outcome: 'ok' } });
});

it('keeps a stream attempt open until the stream ends', async () => {
  received.length = 0;
  f.upstreams['first']!.enqueue({ sse: support.sseAnswer(['one', ' two']) });
  const { status, text } = await support.rawChat(f.stack, { model: 'first', stream: true, messages: [{ role: 'user', content: 'Count.' }] });
  expect(status).toBe(200);
  expect(text).toContain('[DONE]');
  await expect.poll(() => attempts().length).toBe(1);
  expect(attempts()[0]).toMatchObject({ name: 'provider p-first', annotations: { stream: true, outcome: 'ok' } });
});
