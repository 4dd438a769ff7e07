// Reading a `multipart/form-data` upload (POST /v1/files) from an API Gateway event. API Gateway
// passes such bodies base64-encoded (the API lists multipart/form-data as a binary media type), so the
// bytes arrive intact; the parser is the runtime's own (undici's FormData), no dependency.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { InvalidRequestError, RouterError } from '#core/shared/errors.ts';
import { header } from './http-event.ts';

export interface UploadForm {
  /** Text fields of the form. */
  fields: Map<string, string>;
  /** The `file` part: its name and bytes. */
  file: { name: string; content: Uint8Array } | undefined;
}

/** Parses the form; 400 naming `file` when the body is too large, and the body when it is not multipart. */
export async function multipartForm(event: APIGatewayProxyEvent, maxBytes: number): Promise<UploadForm> {
  const contentType = header(event, 'content-type') ?? '';
  if (!/^multipart\/form-data\s*;.*boundary=/i.test(contentType)) {
    throw new InvalidRequestError(`Unsupported content-type '${contentType}'; upload with multipart/form-data (fields file and purpose).`, null, 'invalid_content_type');
  }
  const raw = event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  if (raw.byteLength > maxBytes) {
    throw new RouterError(`The upload is ${raw.byteLength} bytes; the limit is ${maxBytes} (file plus form).`, {
      status: 400, type: 'invalid_request_error', param: 'file', code: 'file_too_large',
    });
  }
  let form: FormData;
  try {
    form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  } catch (error) {
    throw new InvalidRequestError('The body is not a valid multipart/form-data upload.', null, 'invalid_body', error);
  }
  const fields = new Map<string, string>();
  let file: UploadForm['file'];
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') fields.set(name, value);
    else if (name === 'file') file = { name: value.name, content: new Uint8Array(await value.arrayBuffer()) };
  }
  return { fields, file };
}
