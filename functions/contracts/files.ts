// The files store's settings, shared by the stack (which sets them) and the handlers (which read them).
// Their types, defaults and meaning are declared in ./env.ts, which takes the names from here.
export const filesEnv = {
  /** S3 bucket of uploaded batch input files and batch result files (set by the stack). */
  bucket: 'ROUTER_FILES_BUCKET',
  /** Local runtime: folder of the files (inside the data directory); unset with no bucket: in memory. */
  directory: 'ROUTER_FILES_DIR',
  /** Largest upload, bytes. */
  maxBytes: 'ROUTER_FILES_MAX_BYTES',
} as const;

/**
 * Default upload limit. A Lambda request payload is at most 6 MB and API Gateway passes a multipart
 * body base64-encoded (4/3 larger), so about 4.4 MB of file fits; 4 MiB leaves room for the envelope.
 */
export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Days after which the bucket's lifecycle rule deletes a file (input and result files alike). */
export const FILE_RETENTION_DAYS = 30;
