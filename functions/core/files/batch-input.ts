// The batch input file format (OpenAI's): JSON Lines, one request per line,
// `{"custom_id": "...", "method": "POST", "url": "/v1/chat/completions", "body": {...}}`. Checked on
// upload, so a stored input file is always well formed; whether each body is a valid request for the
// batch's endpoint is decided per line when the batch runs (bad lines end in its error file).
import * as z from 'zod/mini';
import '../../contracts/zod-en.ts';
import { InvalidRequestError, RouterError } from '../shared/errors.ts';
import { InvalidEntriesError } from '../shared/invalid-entries-error.ts';
import { checkJsonLimits, defaultJsonLimits } from '../shared/json-limits.ts';

/** Lines of one input file at most (OpenAI's limit, and the batch feature's items per job). */
export const MAX_INPUT_LINES = 50_000;

export interface InputLine {
  /** 1-based line number in the file (blank lines counted), as OpenAI's `errors.data[].line`. */
  line: number;
  customId: string;
  method: 'POST';
  url: string;
  body: Record<string, unknown>;
}

export interface LineProblem {
  line: number;
  param: string;
  message: string;
}

/** Listed at most; the message says how many there were in all. */
const MAX_LISTED_PROBLEMS = 100;

/** 400 naming the file and listing its bad lines: `{"error":{..., "param":"file", "code":"invalid_file_lines", "lines":[{line,param,message}]}}`. */
export function invalidFileLines(problems: readonly LineProblem[]): InvalidEntriesError<'lines', LineProblem> {
  const first = problems[0]!;
  return new InvalidEntriesError(
    `${problems.length} line(s) of the file are invalid; it was not stored. First: line ${first.line} (${first.param}): ${first.message}`,
    { code: 'invalid_file_lines', param: 'file', field: 'lines', entries: problems, maxListed: MAX_LISTED_PROBLEMS },
  );
}

const lineSchema = z.strictObject({
  custom_id: z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(512, 'at most 512 characters')),
  method: z.literal('POST', 'must be "POST"'),
  url: z.string().check(z.regex(/^\/v1\/[a-z/_]+$/, 'must be an API path such as "/v1/chat/completions"')),
  body: z.record(z.string(), z.unknown(), 'must be a JSON object'),
});

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses a batch input file; throws a 400 naming `file` when it is not UTF-8, has no request, too many
 * lines, or any bad line (every bad line listed, with its 1-based number).
 */
export function parseBatchInput(content: Uint8Array, maxLines = MAX_INPUT_LINES): InputLine[] {
  let text: string;
  try {
    text = decoder.decode(content);
  } catch (error) {
    throw new InvalidRequestError('The file is not valid UTF-8 text; upload JSON Lines.', 'file', 'invalid_file', error);
  }
  const rows = text.split('\n');
  const requests = rows.filter((row) => row.trim() !== '').length;
  if (requests === 0) throw new InvalidRequestError('The file has no requests; upload one JSON request per line.', 'file', 'empty_file');
  if (requests > maxLines) throw new InvalidRequestError(`The file has ${requests} requests; the limit is ${maxLines}.`, 'file', 'too_many_lines');
  const problems: LineProblem[] = [];
  const lines: InputLine[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, index) => {
    if (row.trim() === '') return;
    const line = index + 1;
    const problem = parseLine(row, line);
    if ('param' in problem) return void problems.push(problem);
    const first = seen.get(problem.customId);
    if (first !== undefined) return void problems.push({ line, param: 'custom_id', message: `duplicate custom_id '${problem.customId}' (first on line ${first})` });
    seen.set(problem.customId, line);
    lines.push(problem);
  });
  if (problems.length) throw invalidFileLines(problems);
  return lines;
}

function parseLine(row: string, line: number): InputLine | LineProblem {
  let value: unknown;
  try {
    value = JSON.parse(row);
  } catch (error) {
    return { line, param: 'line', message: `not valid JSON: ${(error as Error).message}` };
  }
  try {
    // A line adds one level (the line object) to what a request body may nest.
    checkJsonLimits(value, { ...defaultJsonLimits, maxDepth: defaultJsonLimits.maxDepth + 1 });
  } catch (error) {
    if (error instanceof RouterError) return { line, param: error.param ?? 'body', message: error.message };
    throw error;
  }
  const parsed = lineSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = issue.code === 'unrecognized_keys' ? issue.keys[0]! : issue.path.length ? issue.path.join('.') : 'line';
    const message = issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}` : issue.message;
    return { line, param, message: param === 'line' && issue.code === 'invalid_type' ? 'must be a JSON object' : message };
  }
  return { line, customId: parsed.data.custom_id, method: 'POST', url: parsed.data.url, body: parsed.data.body };
}
