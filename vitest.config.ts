import { globSync, readFileSync } from 'node:fs';
import { configDefaults, defineConfig } from 'vitest/config';

const testFiles = 'test/**/*.test.ts';
// Files that run against DynamoDB Local (they import the backends list) form their own project, whose
// global setup starts one DynamoDB Local for the run; vitest only runs it when one of them is selected.
const dynamoDbLocalFiles = globSync(testFiles).filter((file) => readFileSync(file, 'utf8').includes('support/dynamodb-backends'));

export default defineConfig({
  test: {
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores here: run files in parallel, but not so many that local servers starve each other.
    maxWorkers: 2,
    // `include` lives in the projects only: with `extends: true` vitest concatenates arrays.
    projects: [
      { extends: true, test: { name: 'main', include: [testFiles], exclude: [...configDefaults.exclude, ...dynamoDbLocalFiles] } },
      { extends: true, test: { name: 'dynamodb-local', include: dynamoDbLocalFiles, globalSetup: ['test/support/dynamodb-local-global-setup.ts'] } },
    ],
  },
});
