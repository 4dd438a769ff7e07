// One 400 for an upload or a submission with bad entries (the lines of a batch input file, the items
// of a batch): every bad entry is listed under one field of the OpenAI error body, so the caller can
// fix them all in one go. The list is cut at `maxListed`; the message says how many there were.
import { RouterError } from './errors.ts';

export interface InvalidEntriesOptions<Field extends string, Entry> {
  /** The error body's `code` (`invalid_file_lines`, `invalid_batch_items`). */
  code: string;
  /** The request field at fault (`file`, `items`). */
  param: string;
  /** The body field that lists the entries (`lines`, `items`). */
  field: Field;
  entries: readonly Entry[];
  maxListed: number;
}

type ErrorBody = ReturnType<RouterError['toBody']>['error'];

/** 400 listing every bad entry: `{"error":{message, type, param, code, <field>: [...]}}`. */
export class InvalidEntriesError<Field extends string, Entry> extends RouterError {
  override name = 'InvalidEntriesError';
  readonly field: Field;
  /** The entries listed (at most `maxListed`). */
  readonly entries: Entry[];

  constructor(message: string, options: InvalidEntriesOptions<Field, Entry>) {
    super(message, { status: 400, type: 'invalid_request_error', code: options.code, param: options.param });
    this.field = options.field;
    this.entries = options.entries.slice(0, options.maxListed);
  }

  override toBody(): { error: ErrorBody & Record<Field, Entry[]> } {
    const listed = { [this.field]: this.entries } as Record<Field, Entry[]>;
    return { error: { ...super.toBody().error, ...listed } };
  }
}
