// The Bedrock runtime SDK, loaded on first use: most chat traffic never calls Bedrock, so a cold start
// should not read and evaluate it (the bundle keeps it in its own chunk; lib/constructs/function-bundle.ts).
import type { BedrockRuntimeClient, BedrockRuntimeClientConfig } from '@aws-sdk/client-bedrock-runtime';

type BedrockSdk = typeof import('@aws-sdk/client-bedrock-runtime');

let loading: Promise<BedrockSdk> | undefined;

/** The SDK module; the first call starts loading it, every later call shares that load. */
export function bedrockSdk(): Promise<BedrockSdk> {
  // A failed load is not kept, so the next call tries again.
  loading ??= import('@aws-sdk/client-bedrock-runtime').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** A client built from `config` when first needed, then reused. */
export function lazyBedrockClient(config: BedrockRuntimeClientConfig): () => Promise<BedrockRuntimeClient> {
  let client: BedrockRuntimeClient | undefined;
  return async () => {
    client ??= new (await bedrockSdk()).BedrockRuntimeClient(config);
    return client;
  };
}
