// One description per command: its arguments, options and examples. From it come the `--help` text
// and the argument parsing, so the help can never fall behind what the command accepts.
import { parseArgs } from 'node:util';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** Shown after the option name in the help, e.g. `<usd>`. */
  value?: string;
  description: string;
}

export interface CommandSpec {
  /** What the user types, e.g. `npm run admin -- set-budget`. */
  invocation: string;
  /** Positional arguments, e.g. `<tenant> <usd>`; each name in angle brackets is required. */
  args?: string;
  summary: string;
  options: Record<string, OptionSpec>;
  examples: string[];
  /** Extra lines after the options (environment variables, where data comes from). */
  notes?: string[];
}

/** A mistake in how the command was called: one line, and the command's help is one flag away. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly invocation: string;
  constructor(message: string, invocation: string) {
    super(message);
    this.invocation = invocation;
  }
}

const HELP: OptionSpec = { type: 'boolean', description: 'show this help' };

export function helpText(spec: CommandSpec): string {
  const options = Object.entries({ ...spec.options, help: HELP });
  const label = ([name, o]: [string, OptionSpec]) => `--${name}${o.type === 'string' ? ` ${o.value ?? '<value>'}` : ''}`;
  const width = Math.max(...options.map((o) => label(o).length));
  return [
    `usage: ${spec.invocation}${spec.args ? ` ${spec.args}` : ''}${Object.keys(spec.options).length ? ' [options]' : ''}`,
    '',
    spec.summary,
    '',
    'options:',
    ...options.map((o) => `  ${label(o).padEnd(width)}  ${o[1].description}`),
    ...(spec.notes?.length ? ['', ...spec.notes] : []),
    '',
    spec.examples.length > 1 ? 'examples:' : 'example:',
    ...spec.examples.map((e) => `  ${e}`),
    '',
  ].join('\n');
}

type Values = Record<string, string | boolean | undefined>;

export interface Parsed {
  help: boolean;
  values: Values;
  positionals: string[];
}

/**
 * Parses argv against the spec. `--help` anywhere wins. Wrong arguments raise a UsageError whose
 * message says what is wrong in one line (never parseArgs' own wording about `--`).
 */
export function parseCommand(spec: CommandSpec, argv: readonly string[]): Parsed {
  if (argv.includes('--help') || argv.includes('-h')) return { help: true, values: {}, positionals: [] };
  const options = Object.fromEntries(Object.entries(spec.options).map(([name, o]) => [name, { type: o.type }]));
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true }) as { values: Values; positionals: string[] };
  } catch (error) {
    throw new UsageError(parseArgsMessage(error), spec.invocation);
  }
  const required = (spec.args ?? '').split(/\s+/).filter((a) => a.startsWith('<'));
  const optional = (spec.args ?? '').split(/\s+/).filter((a) => a.startsWith('['));
  if (parsed.positionals.length < required.length) {
    throw new UsageError(`missing ${required.slice(parsed.positionals.length).join(' ')}`, spec.invocation);
  }
  if (parsed.positionals.length > required.length + optional.length) {
    throw new UsageError(`unexpected argument '${parsed.positionals[required.length + optional.length]}'`, spec.invocation);
  }
  return { help: false, ...parsed };
}

function parseArgsMessage(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const option = /'(-{1,2}[^' ]+)/.exec(message ?? '')?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option ?? ''}`.trim();
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return /argument missing/.test(message ?? '') ? `${option ?? 'an option'} needs a value` : `${option ?? 'an option'} takes no value`;
  }
  return (message ?? String(error)).split('\n')[0]!;
}

/** A value of a string option (parseArgs typed it; this narrows it). */
export function stringOption(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}
