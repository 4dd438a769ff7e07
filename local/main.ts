// `npm start`: the router on the embedded default, with a banner that says how to call it.
import { resolve } from 'node:path';
import { envNames, localDefaults, localSettingKeys, parseEnv } from '#contracts/env.ts';
import { jobTable } from '#contracts/tables.ts';
import { startLocalStack } from './local-stack.ts';
import type { LocalStack } from './local-stack.ts';
import { removeRuntimeFile, runtimeInfoOf, writeRuntimeFile } from './runtime-file.ts';
import { DEFAULT_LOCAL_API_KEY } from './seed-local-tenant.ts';

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
  let s: ReturnType<typeof parseEnv<(typeof localSettingKeys)[number], 'catalogPath'>>;
  try {
    s = parseEnv(localSettingKeys, 'npm start', { [envNames.catalogPath]: localDefaults.catalogPath, ...process.env }, ['catalogPath']);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const ephemeral = s.ephemeral === '1' || s.ephemeral === 'true';
  const dataDir = ephemeral ? undefined : s.dataDir;
  const accessLog = s.accessLog === '1' || s.accessLog === 'true';
  const stack = await startLocalStack({
    host: s.host,
    port: s.port,
    apiKey: s.localApiKey,
    catalogPath: s.catalogPath,
    ...(dataDir ? { dataDir } : {}),
    simulated: { latencyMs: s.simulatedLatencyMs, tokensPerSecond: s.simulatedTokensPerSecond, errorRate: s.simulatedErrorRate },
    ...(accessLog ? { accessLog: (line: string) => console.log(line) } : {}),
  });
  // Written even when ephemeral: the commands look for a running runtime in the data folder.
  const runtimeFile = writeRuntimeFile(s.dataDir, runtimeInfoOf(stack, dataDir));
  process.on('exit', () => removeRuntimeFile(s.dataDir));
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
