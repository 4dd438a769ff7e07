// Which paths the jobs function serves: the local runtime routes by this as API Gateway does by resource.
import { describe, expect, it } from 'vitest';
import { isJobsApiPath } from '#contracts/jobs-paths.ts';

describe('isJobsApiPath', () => {
  it('claims /v1/batches and /v1/files, with or without a trailing slash, and everything below them', () => {
    for (const path of ['/v1/batches', '/v1/batches/', '/v1/batches/batch_1/results', '/v1/files', '/v1/files//', '/v1/files/file-1/content']) {
      expect(isJobsApiPath(path), path).toBe(true);
    }
  });

  it('leaves every other path to the router, look-alike prefixes included', () => {
    for (const path of ['/v1/chat/completions', '/v1/models', '/v1/batchesx', '/v1/filesystem', '/v1', '/', '/v2/batches', '', undefined]) {
      expect(isJobsApiPath(path), String(path)).toBe(false);
    }
  });
});
