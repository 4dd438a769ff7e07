// The Bedrock InvokeModel round trip the Bedrock embedders share: a JSON body in, the parsed JSON out.
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { bedrockSdk, lazyBedrockClient } from '#adapters/providers/bedrock-sdk.ts';

export interface BedrockTarget {
  region: string;
  /** Endpoint override (tests, VPC endpoints). */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** A Bedrock runtime client for embedding calls (one retry), built (and the SDK loaded) on first use. */
export function bedrockRuntimeClient(target: BedrockTarget): () => Promise<BedrockRuntimeClient> {
  return lazyBedrockClient({
    region: target.region,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...(target.credentials ? { credentials: target.credentials } : {}),
    maxAttempts: 2,
  });
}

/** Calls InvokeModel with a JSON body and returns the parsed JSON answer. */
export async function invokeJson(client: () => Promise<BedrockRuntimeClient>, modelId: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
  const { InvokeModelCommand } = await bedrockSdk();
  const output = await (await client()).send(new InvokeModelCommand({
    modelId,
    contentType: 'application/json',
    accept: 'application/json',
    body: JSON.stringify(body),
  }), signal ? { abortSignal: signal } : {});
  return JSON.parse(new TextDecoder().decode(output.body)) as unknown;
}
