// The file form of batches with the files in S3, end to end: the local runtime configured as the stack
// configures the router (ROUTER_FILES_BUCKET), against fauxqs's S3 emulator over the wire (path-style
// through AWS_ENDPOINT_URL_S3). Input and result files land as objects under files/<tenant>/.
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { startFauxqs } from 'fauxqs';
import OpenAI, { NotFoundError, toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesEnv } from '#contracts/files.ts';
import type { LocalStack } from '#local/local-stack.ts';
import { startTestStack } from '../support/local-stack-fixture.ts';

let fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
let s3: S3Client;
let stack: LocalStack;
let client: OpenAI;
const BUCKET = 'router-files';

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, logger: false });
  process.env['AWS_ENDPOINT_URL_S3'] = fauxqs.address;
  process.env[filesEnv.bucket] = BUCKET;
  s3 = new S3Client({ endpoint: fauxqs.address, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  ({ stack, client } = await startTestStack());
});

afterAll(async () => {
  delete process.env['AWS_ENDPOINT_URL_S3'];
  delete process.env[filesEnv.bucket];
  await stack?.close();
  s3?.destroy();
  await fauxqs?.stop();
});

const line = (id: string) => JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-5.4-mini', messages: [{ role: 'user', content: id }] } });

describe('files in S3', () => {
  it('stores the input and result files in the bucket and serves them back', async () => {
    const input = await client.files.create({ file: await toFile(Buffer.from(`${line('s3-a')}\n${line('s3-b')}\n`), 'in.jsonl'), purpose: 'batch' });
    let batch = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    while (batch.status !== 'completed') {
      await new Promise((r) => setTimeout(r, 100));
      batch = await client.batches.retrieve(batch.id);
    }
    const output = (await (await client.files.content(batch.output_file_id!)).text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(output.map((l) => l.custom_id).sort()).toEqual(['s3-a', 's3-b']);

    const keys = (await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'files/' }))).Contents?.map((o) => o.Key).sort();
    expect(keys).toEqual([`files/local/${batch.output_file_id}`, `files/local/${input.id}`].sort());
    expect(await client.files.retrieve(input.id)).toMatchObject({ filename: 'in.jsonl', purpose: 'batch', bytes: input.bytes });

    await client.files.delete(input.id);
    expect(await client.files.retrieve(input.id).catch((e) => e)).toBeInstanceOf(NotFoundError);
    const left = (await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'files/' }))).Contents?.map((o) => o.Key);
    expect(left).toEqual([`files/local/${batch.output_file_id}`]);
  });
});
