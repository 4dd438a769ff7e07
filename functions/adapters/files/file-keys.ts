// Where a tenant's file lives in a store: `files/<tenant>/<fileId>`. The tenant is percent-encoded
// (dots too), so no tenant id can reach outside its own prefix or folder, and the trailing `/` keeps
// tenant `a` from listing tenant `ab`.

/** The tenant's path segment: safe as an S3 key part and as a folder name. */
export function tenantSegment(tenantId: string): string {
  return encodeURIComponent(tenantId).replace(/\./g, '%2E');
}

/** `files/<tenant>/`: every key of the tenant starts with it. */
export function tenantPrefix(tenantId: string): string {
  return `files/${tenantSegment(tenantId)}/`;
}

export function fileKey(tenantId: string, fileId: string): string {
  return `${tenantPrefix(tenantId)}${fileId}`;
}

/** Only ids shaped like file ids are ever looked up (a `..` or `/` never reaches a store). */
export const STORED_ID = /^file-[0-9a-z]{22}$/;
