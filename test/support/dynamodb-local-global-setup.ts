// Vitest global setup of the `dynamodb-local` project (vitest.config.ts): one DynamoDB Local process
// for the whole run instead of one per test file (~2 s start and a cold JVM each). Vitest runs a
// project's global setup only when one of its files is selected, so a run without those files never
// starts Java. Each file creates its own uniquely prefixed tables on it (dynamodb-backends.ts).
import type { TestProject } from 'vitest/node';
import { spawnDynamoDbLocal } from './dynamodb-local-process.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dynamoDbLocal = await spawnDynamoDbLocal();
  project.provide('dynamoDbLocalEndpoint', dynamoDbLocal.endpoint);
  return () => dynamoDbLocal.stop();
}
