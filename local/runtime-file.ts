// `npm start` writes where its stand-ins listen to <data dir>/runtime.json and removes it on exit, so
// the operator commands (`--local`) find the running local runtime by themselves: the stand-ins'
// ports change at every start, and the data folder cannot be opened twice.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as z from 'zod';
import { envNames } from '#contracts/env.ts';
import type { LocalStack } from './local-stack.ts';

export const RUNTIME_FILE = 'runtime.json';

export const runtimeInfoSchema = z.object({
  version: z.literal(1),
  pid: z.number().int().positive(),
  startedAt: z.string(),
  baseUrl: z.string(),
  region: z.string(),
  /** Absolute data folder, or null when the runtime keeps everything in memory. */
  dataDir: z.string().nullable(),
  dynamodb: z.object({ endpoint: z.string(), tables: z.record(z.string(), z.string()) }),
  sqs: z.object({ endpoint: z.string(), queueUrl: z.string(), dlqUrl: z.string() }),
});

export type RuntimeInfo = z.infer<typeof runtimeInfoSchema>;

/** What `npm start` writes about the stack it runs (this process). */
export function runtimeInfoOf(stack: LocalStack, dataDir: string | undefined, now: Date = new Date()): RuntimeInfo {
  return {
    version: 1, pid: process.pid, startedAt: now.toISOString(), baseUrl: stack.baseUrl,
    region: process.env[envNames.awsRegion] ?? 'us-east-1', dataDir: dataDir ? resolve(dataDir) : null,
    dynamodb: { endpoint: stack.dynamoEndpoint, tables: stack.tableNames },
    sqs: { endpoint: stack.sqsEndpoint, queueUrl: stack.queueUrl, dlqUrl: stack.dlqUrl },
  };
}

export function runtimeFilePath(dir: string): string {
  return join(dir, RUNTIME_FILE);
}

export function writeRuntimeFile(dir: string, info: RuntimeInfo): string {
  mkdirSync(dir, { recursive: true });
  const path = runtimeFilePath(dir);
  writeFileSync(path, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  return path;
}

/** Removes the file if it still describes this process (a newer runtime may have replaced it). */
export function removeRuntimeFile(dir: string, pid: number = process.pid): void {
  if (readRuntimeFile(dir)?.pid === pid) rmSync(runtimeFilePath(dir), { force: true });
}

/** The file's contents, or undefined when it is missing or unreadable. */
export function readRuntimeFile(dir: string): RuntimeInfo | undefined {
  let text: string;
  try {
    text = readFileSync(runtimeFilePath(dir), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = runtimeInfoSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process with this id exists (signal 0 only checks). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running local runtime described in `dir`, or undefined (no file, or its process is gone). */
export function findRunningRuntime(dir: string): RuntimeInfo | undefined {
  const info = readRuntimeFile(dir);
  return info && isProcessAlive(info.pid) ? info : undefined;
}
