// The batch HTTP API of a running local stack, called with fetch (the openai client has no batch
// items upload in this shape): status, raw text and parsed JSON (undefined when not JSON).

export interface ApiAnswer {
  status: number;
  text: string;
  json: any;
}

/** One call; `body` is sent as is when a string (malformed-input tests), as JSON otherwise. */
export async function callApi(
  stack: { baseUrl: string; apiKey: string }, method: string, path: string, body?: unknown, key = stack.apiKey,
): Promise<ApiAnswer> {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: unknown;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, text, json };
}
