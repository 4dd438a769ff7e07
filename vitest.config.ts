import { globSync, readFileSync } from 'node:fs';
import { configDefaults, defineConfig } from 'vitest/config';

const testFiles = 'test/**/*.test.ts';
// Files too slow for every local run (the 1,000-item batch, the bundled synth): their own project, so
// `npm run test:fast` (`--project '!slow'`) skips them; `npm test` and CI run them.
const slowFiles = 'test/**/*.slow.test.ts';
const sources = new Map(globSync(testFiles, { exclude: [slowFiles] }).map((file) => [file, readFileSync(file, 'utf8')]));
const filesWhere = (test: (source: string) => boolean): string[] => [...sources].filter(([, source]) => test(source)).map(([file]) => file);

// Files that run against DynamoDB Local (they import the backends list) form their own project, whose
// global setup starts one DynamoDB Local for the run; vitest runs it only when one of them is selected.
const dynamoDbLocalFiles = filesWhere((source) => source.includes('support/dynamodb-backends'));

// Core unit tests and CDK template tests hold no state outside their own objects, so they share one
// module graph per worker (isolate: false) instead of re-importing zod, aws-cdk-lib and the core for
// every file (about half their CPU time). A file that touches the environment, a handler or the local
// runtime (cold-start memos, process-wide clients) or mocks/stubs anything stays isolated.
const statefulSource = /process\.env|#handlers\/|#local\/|vi\.(mock|doMock|stubEnv|stubGlobal|spyOn|useFakeTimers)/;
const sharedModuleFiles = filesWhere((source) => !statefulSource.test(source))
  .filter((file) => /^test\/(unit|infra)\//.test(file));

export default defineConfig({
  test: {
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores here: run files in parallel, but not so many that local servers starve each other.
    maxWorkers: 2,
    // `include` lives in the projects only: with `extends: true` vitest concatenates arrays. A project
    // with no files is left out (an empty `include` would mean vitest's default pattern).
    projects: [
      { extends: true, test: { name: 'main', include: [testFiles], exclude: [...configDefaults.exclude, slowFiles, ...dynamoDbLocalFiles, ...sharedModuleFiles] } },
      { extends: true, test: { name: 'shared-modules', include: sharedModuleFiles, isolate: false } },
      { extends: true, test: { name: 'dynamodb-local', include: dynamoDbLocalFiles, globalSetup: ['test/support/dynamodb-local-global-setup.ts'] } },
      // A slow file that needs DynamoDB Local spawns its own (test/support/dynamodb-backends.ts).
      { extends: true, test: { name: 'slow', include: [slowFiles] } },
    ].filter((project) => project.test.include.length > 0),
  },
});
