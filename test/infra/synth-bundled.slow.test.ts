// `cdk synth` as a user runs it: offline, no credentials, real esbuild bundling (no Docker), cdk-nag on.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const out = mkdtempSync(join(tmpdir(), 'cdk-out-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npx cdk synth', () => {
  it('bundles every function as ESM with the catalog beside the routing ones', () => {
    const env = { ...process.env };
    for (const name of Object.keys(env)) if (name.startsWith('AWS_')) delete env[name];

    const run = spawnSync('npx', ['cdk', 'synth', '--quiet', '--output', out], { encoding: 'utf8', env, timeout: 240_000 });

    expect(run.status, run.stderr).toBe(0);
    const template = JSON.parse(readFileSync(join(out, 'LlmRouter-dev.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
    const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThanOrEqual(5);
    const assets = readdirSync(out).filter((d) => d.startsWith('asset.')).map((d) => join(out, d));
    const bundles = assets.filter((d) => existsSync(join(d, 'index.mjs')));
    expect(bundles.length).toBeGreaterThanOrEqual(5);
    const withCatalog = bundles.filter((d) => existsSync(join(d, 'catalog.json')));
    expect(withCatalog.length).toBe(4); // router, jobs API, batch worker, health check
    for (const dir of withCatalog) {
      expect(JSON.parse(readFileSync(join(dir, 'catalog.json'), 'utf8')).version).toBe(1);
    }
    // Functions are split: index.mjs plus chunks loaded statically or on first use. A function with
    // nothing to defer (the authorizer, since the store clients left the SDK) is one file.
    const code = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.mjs')).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    const chunksOf = (dir: string) => existsSync(join(dir, 'chunks')) ? readdirSync(join(dir, 'chunks')).filter((f) => f.endsWith('.mjs')) : [];
    // The AWS SDK is bundled (pinned by package-lock.json), not taken from the runtime. Left: the SDK's
    // own guarded require() of optional add-ons (CRT and SigV4a signers) that nothing here uses.
    const sdkImports = (code: string) =>
      [...code.matchAll(/(?:from|import\(|require\()\s*["'](@aws-sdk\/[a-z0-9-]+)/g)].map((m) => m[1]!)
        .filter((name) => !['@aws-sdk/signature-v4-crt', '@aws-sdk/signature-v4a'].includes(name));
    for (const dir of bundles) expect(sdkImports(code(dir)), dir).toEqual([]);
    const withSecrets = bundles.filter((d) => code(d).includes('GetSecretValue'));
    expect(withSecrets.length).toBe(3); // the three functions that read the provider secret
    // The functions that can call Bedrock (router, batch worker) load its SDK at its first call: it is
    // in a chunk, never in index.mjs.
    const bedrockSdk = 'AmazonBedrockFrontendService'; // a string of the SDK's own, not of our adapter
    const withBedrock = bundles.filter((d) => code(d).includes(bedrockSdk));
    expect(withBedrock.length).toBeGreaterThanOrEqual(2);
    for (const dir of withBedrock) expect(readFileSync(join(dir, 'index.mjs'), 'utf8').includes(bedrockSdk), dir).toBe(false);
    // Each bundle loads in Node 24 as Lambda loads it (index.mjs exports the handler), and so does every
    // lazy chunk on its own, as a first use would load it.
    const loadAll = `globalThis.awslambda ??= { streamifyResponse: (f) => f, HttpResponseStream: { from: (s) => s } };
      const { readdirSync } = await import('node:fs'); const dir = process.argv[1];
      const { handler } = await import(dir + '/index.mjs');
      if (typeof handler !== 'function') throw new Error('no handler export');
      const { existsSync } = await import('node:fs');
      const chunks = existsSync(dir + '/chunks') ? readdirSync(dir + '/chunks').filter((f) => f.endsWith('.mjs')) : [];
      for (const f of chunks) await import(dir + '/chunks/' + f);
      console.log(chunks.length);`;
    for (const dir of bundles) {
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', loadAll, dir], { encoding: 'utf8', timeout: 60_000 });
      expect(run.status, `${dir}: ${run.stderr}`).toBe(0);
      expect(Number(run.stdout.trim()), dir).toBe(chunksOf(dir).length);
    }
  }, 300_000);
});
