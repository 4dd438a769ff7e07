// `npm start`: the router on the embedded default, with a banner that says how to call it.
import { resolve } from 'node:path';
import { z } from 'zod';
import { startLocalStack } from './local-stack.ts';
import type { LocalStack } from './local-stack.ts';
import { DEFAULT_LOCAL_API_KEY } from './seed-local-tenant.ts';

const settings = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('127.0.0.1'),
  ROUTER_API_KEY: z.string().default(DEFAULT_LOCAL_API_KEY),
  ROUTER_CATALOG: z.string().default('catalog/default-catalog.json'),
  ROUTER_DATA_DIR: z.string().default('.local-data'),
  /** `1` keeps nothing between runs. */
  ROUTER_EPHEMERAL: z.enum(['0', '1', 'true', 'false']).default('0'),
  SIMULATED_LATENCY_MS: z.coerce.number().min(0).default(150),
  SIMULATED_TOKENS_PER_SECOND: z.coerce.number().positive().default(200),
  SIMULATED_ERROR_RATE: z.coerce.number().min(0).max(1).default(0),
});

function banner(stack: LocalStack, dataDir: string | undefined): string {
  const providers = stack.providers
    .map((p) => `    ${p.id.padEnd(10)} ${p.mode === 'real' ? 'real' : `simulated (${p.simulatedBy})`}`)
    .join('\n');
  return [
    '',
    'llm-router is running locally (embedded DynamoDB and SQS stand-ins).',
    '',
    `  Base URL   ${stack.baseUrl}`,
    `  API key    ${stack.apiKey}${stack.apiKey === DEFAULT_LOCAL_API_KEY ? '   (the local default; set ROUTER_API_KEY to change it)' : ''}`,
    `  Data       ${dataDir ? resolve(dataDir) : 'in memory (ROUTER_EPHEMERAL=1)'}`,
    `  DynamoDB   ${stack.dynamoEndpoint}   (admin and export commands: --local --endpoint ${stack.dynamoEndpoint})`,
    `  SQS        ${stack.sqsEndpoint}   batch queue ${stack.queueUrl}`,
    '  Providers',
    providers,
    '',
    '  Try it:',
    `    curl ${stack.baseUrl}/chat/completions \\`,
    `      -H "Authorization: Bearer ${stack.apiKey}" -H "Content-Type: application/json" \\`,
    `      -d '{"model":"auto","messages":[{"role":"user","content":"Hello"}]}' -i`,
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const parsed = settings.safeParse(process.env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`${String(issue.path[0])}: ${issue.message}`);
    process.exit(2);
  }
  const s = parsed.data;
  const ephemeral = s.ROUTER_EPHEMERAL === '1' || s.ROUTER_EPHEMERAL === 'true';
  const dataDir = ephemeral ? undefined : s.ROUTER_DATA_DIR;
  const stack = await startLocalStack({
    host: s.HOST,
    port: s.PORT,
    apiKey: s.ROUTER_API_KEY,
    catalogPath: s.ROUTER_CATALOG,
    ...(dataDir ? { dataDir } : {}),
    simulated: { latencyMs: s.SIMULATED_LATENCY_MS, tokensPerSecond: s.SIMULATED_TOKENS_PER_SECOND, errorRate: s.SIMULATED_ERROR_RATE },
  });
  console.log(banner(stack, dataDir));

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal} received; stopping...`);
    stack.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
