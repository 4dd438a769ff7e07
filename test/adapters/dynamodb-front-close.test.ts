// Closing the DynamoDB stand-in's front waits for the calls it is still serving, even when their
// clients have gone: the stand-in closes dynalite's database right after, and a dynalite action still
// running then throws from its callback and takes the process down (a TTL sweep stopped mid-delete did).
import { request } from 'node:http';
import { expect, it } from 'vitest';
import type { DynaliteAnswer, DynaliteInProcess } from '#local/dynalite-in-process.ts';
import { startDynamoFront } from '#local/dynamodb-front.ts';

it('close resolves only after a call whose client left has been served', async () => {
  const events: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => { release = resolve; });
  let arrived!: () => void;
  const arrival = new Promise<void>((resolve) => { arrived = resolve; });
  // dynalite held in the middle of an action until the test lets it finish.
  const dynalite: DynaliteInProcess = async () => {
    arrived();
    await released;
    events.push('dynalite answered');
    return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: '{}' } satisfies DynaliteAnswer;
  };
  const front = await startDynamoFront(dynalite, async () => ({ ok: true, body: {} }));
  const url = new URL(front.endpoint);
  const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/', headers: { 'x-amz-target': 'DynamoDB_20120810.DeleteItem', 'content-type': 'application/x-amz-json-1.0' } });
  req.on('error', () => undefined);
  req.end('{"TableName":"t","Key":{"pk":{"S":"a"}}}');
  await arrival;
  req.destroy();

  const closed = front.close().then(() => events.push('front closed'));
  // Give the close every chance to finish early (it used to, once the client's socket was gone).
  await new Promise((resolve) => setTimeout(resolve, 50));
  events.push('releasing dynalite');
  release();
  await closed;

  expect(events).toEqual(['releasing dynalite', 'dynalite answered', 'front closed']);
});
