// Environment variable names, shared by the stack (which sets them) and the handlers (which read them).
export const envNames = {
  catalogPath: 'ROUTER_CATALOG',
  providerSecretArn: 'PROVIDER_SECRET_ARN',
  /** How long provider keys read from the secret are used before they are read again (default 300). */
  providerKeysMaxAgeSeconds: 'PROVIDER_KEYS_MAX_AGE_SECONDS',
  batchQueueUrl: 'BATCH_QUEUE_URL',
  stage: 'STAGE',
  maxBodyBytes: 'ROUTER_MAX_BODY_BYTES',
  /** Local runtime only: the API key accepted for the `local` tenant. */
  localApiKey: 'ROUTER_API_KEY',
} as const;

/** Queue definitions shared by the stack and the local runtime. */
export const batchQueue = {
  name: 'batch',
  envVar: 'BATCH_QUEUE_URL',
  dlqName: 'batch-dlq',
  maxReceiveCount: 5,
  /** Worker timeout; the queue's visibility timeout is six times this. */
  workerTimeoutSeconds: 120,
} as const;
