// Which API paths the jobs function serves (OpenAI's batch and files APIs) rather than the router.
// API Gateway routes them by resource (lib/constructs/api.ts); the local runtime routes with this.

/** The API's path prefixes of the jobs function. */
export const jobsApiPrefixes = ['/v1/batches', '/v1/files'] as const;

/** The path without trailing slashes, as the handlers read it. */
export const normalisedPath = (path: string | null | undefined): string => (path ?? '/').replace(/\/+$/, '') || '/';

/** True when `path` is one of the prefixes or below one. */
export function isJobsApiPath(path: string | null | undefined): boolean {
  const p = normalisedPath(path);
  return jobsApiPrefixes.some((prefix) => p === prefix || p.startsWith(`${prefix}/`));
}
