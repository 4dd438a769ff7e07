// `npm start`: the router on the embedded default, with a banner that says how to call it.
import { resolve } from 'node:path';
import * as z from 'zod';
import { jobTable } from '#contracts/tables.ts';
import { startLocalStack } from './local-stack.ts';
import type { LocalStack } from './local-stack.ts';
import { removeRuntimeFile, runtimeInfoOf, writeRuntimeFile } from './runtime-file.ts';
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
  /** `0` turns the one-line-per-request access log off. */
  ROUTER_ACCESS_LOG: z.enum(['0', '1', 'true', 'false']).default('1'),
});

function banner(stack: LocalStack, dataDir: string | undefined, runtimeFile: string, accessLog: boolean): string {
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
    `  DynamoDB   ${stack.dynamoEndpoint}   tables ${Object.values(stack.tableNames).join(', ')}`,
    `  SQS        ${stack.sqsEndpoint}`,
    `  Batch      queue ${stack.queueUrl}`,
    `             DLQ   ${stack.dlqUrl}   jobs table ${stack.tableNames[jobTable.name]}`,
    `  Endpoints  written to ${runtimeFile}: the --local commands find this runtime there`,
    '  Providers',
    providers,
    '',
    '  Operator commands (each answers --help):',
    '    npm run admin -- tenants list --local',
    '    npm run export-costs -- --local --out .local-data/exports && npm run cost-report -- .local-data/exports --chart spend.svg',
    '',
    '  Try it:',
    `    curl ${stack.baseUrl}/chat/completions \\`,
    `      -H "Authorization: Bearer ${stack.apiKey}" -H "Content-Type: application/json" \\`,
    `      -d '{"model":"auto","messages":[{"role":"user","content":"Hello"}]}' -i`,
    '',
    accessLog ? '  One access-log line per request follows (ROUTER_ACCESS_LOG=0 turns it off).' : '  Access log off (ROUTER_ACCESS_LOG=0).',
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
  const accessLog = s.ROUTER_ACCESS_LOG === '1' || s.ROUTER_ACCESS_LOG === 'true';
  const stack = await startLocalStack({
    host: s.HOST,
    port: s.PORT,
    apiKey: s.ROUTER_API_KEY,
    catalogPath: s.ROUTER_CATALOG,
    ...(dataDir ? { dataDir } : {}),
    simulated: { latencyMs: s.SIMULATED_LATENCY_MS, tokensPerSecond: s.SIMULATED_TOKENS_PER_SECOND, errorRate: s.SIMULATED_ERROR_RATE },
    ...(accessLog ? { accessLog: (line: string) => console.log(line) } : {}),
  });
  // Written even when ephemeral: the commands look for a running runtime in the data folder.
  const runtimeFile = writeRuntimeFile(s.ROUTER_DATA_DIR, runtimeInfoOf(stack, dataDir));
  process.on('exit', () => removeRuntimeFile(s.ROUTER_DATA_DIR));
  console.log(banner(stack, dataDir, runtimeFile, accessLog));

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
