// One configuration root: every environment variable that code under functions/ and local/ reads or
// sets is declared in functions/contracts/env.ts, and docs/operations.md lists the declarations.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envVars, localDefaults, localTableKeys } from '#contracts/env.ts';
import type { EnvKey } from '#contracts/env.ts';
import { allTables } from '#contracts/tables.ts';

const root = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Comments out: they may mention a variable without reading it. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

// Prefixes of this project's and the platform's variables: such a name inside a string (a key, an
// error message) or as an object key is an environment variable and must be declared. Constants with
// the same prefixes (BATCH_MAX_BODY_BYTES) are identifiers, outside strings: not counted.
const PREFIXED = /\b(?:ROUTER|BATCH|TABLE|PROVIDER|SIMULATED|AWS|POWERTOOLS|LLM_ROUTER|NODE)_[A-Z0-9_]*[A-Z0-9]\b/g;
const STRINGS = /'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g;
const OBJECT_KEY = /[{,]\s*([A-Z][A-Z0-9]*_[A-Z0-9_]+)\s*:/g;
// Any name read or written through `process.env` or an `env` record by a literal key.
const ACCESSED = [/process\.env\.([A-Za-z_][A-Za-z0-9_]*)/g, /\benv\s*\[\s*['"`]([A-Za-z_][A-Za-z0-9_]*)['"`]\s*\]/g, /\benv\.([A-Z_][A-Z0-9_]*)\b/g, OBJECT_KEY];

/** The environment variable names a source text uses by a literal name. */
export function envNamesIn(source: string): string[] {
  const code = withoutComments(source);
  // Expressions inside template literals are code, not text: `${BATCH_LIMIT}` names a constant.
  const texts = (code.match(STRINGS) ?? []).map((literal) => literal.replace(/\$\{[^}]*\}/g, ''));
  const names = new Set<string>(texts.flatMap((text) => text.match(PREFIXED) ?? []));
  for (const pattern of ACCESSED) for (const match of code.matchAll(pattern)) names.add(match[1]!);
  return [...names].sort();
}

const declared = new Map(Object.values(envVars).map((v) => [v.name, v]));

describe('environment variable declarations (contracts/env.ts)', () => {
  it('finds names read by process.env, env records and prefixed literals, and skips comments', () => {
    const sample = [
      "const a = process.env['FOO_BAR'];",
      'const b = process.env.PLAIN;',
      "const c = env[\"ROUTER_NEW_THING\"] ?? env.SOME_FLAG;",
      "Object.assign(process.env, { BATCH_SOMETHING: '1' });",
      "throw new Error('TABLE_X must be set');",
      '// ROUTER_ONLY_IN_A_COMMENT is not read',
      "const url = 'https://example.com/AWS_NOT_A_COMMENT';",
      'const BATCH_LIMIT_BYTES = 5; const n = BATCH_LIMIT_BYTES;',
      'const limit = `at most ${BATCH_LIMIT_BYTES} bytes`;',
      'const message = `ROUTER_IN_TEMPLATE=${x} is wrong`;',
    ].join('\n');
    expect(envNamesIn(sample)).toEqual(['AWS_NOT_A_COMMENT', 'BATCH_SOMETHING', 'FOO_BAR', 'PLAIN', 'ROUTER_IN_TEMPLATE', 'ROUTER_NEW_THING', 'SOME_FLAG', 'TABLE_X']);
  });

  it('declares every variable used under functions/ and local/', () => {
    const undeclared: string[] = [];
    for (const file of [...sourceFiles(join(root, 'functions')), ...sourceFiles(join(root, 'local'))]) {
      for (const name of envNamesIn(readFileSync(file, 'utf8'))) {
        if (!declared.has(name)) undeclared.push(`${relative(root, file)}: ${name}`);
      }
    }
    expect(undeclared).toEqual([]);
  });

  it('reads process.env only in the configuration roots, never in core or adapters', () => {
    const readers = [...sourceFiles(join(root, 'functions', 'core')), ...sourceFiles(join(root, 'functions', 'adapters'))]
      .filter((file) => /process\.env/.test(withoutComments(readFileSync(file, 'utf8'))))
      .map((file) => relative(root, file));
    expect(readers).toEqual([]);
  });

  it('declares each name once, every table variable included', () => {
    const names = Object.values(envVars).map((v) => v.name);
    expect(names.length).toBe(new Set(names).size);
    for (const table of allTables) expect(declared.has(table.envVar), table.envVar).toBe(true);
  });

  it('documents each default as the value the schema gives an unset variable', () => {
    for (const v of Object.values(envVars)) {
      if (v.default === undefined) continue;
      expect(v.schema.parse(undefined), v.name).toEqual(v.schema.parse(v.default));
    }
  });
});

/** The markdown table docs/operations.md holds between `<!-- env:<id> -->` markers. */
function table(keys: readonly EnvKey[], defaults: Partial<Record<EnvKey, string>> = {}): string {
  const rows = keys.map((key) => {
    const v: { name: string; default?: string; doc: string } = envVars[key];
    const fallback = defaults[key] ?? v.default;
    return `| \`${v.name}\` | ${fallback === undefined ? 'unset' : `\`${fallback}\``} | ${v.doc} |`;
  });
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

function documented(id: string): string | undefined {
  const docs = readFileSync(join(root, 'docs', 'operations.md'), 'utf8');
  return docs.match(new RegExp(`<!-- env:${id} -->\\n([\\s\\S]*?)\\n<!-- /env:${id} -->`))?.[1];
}

describe('docs/operations.md lists the declared variables', () => {
  const keys = Object.keys(envVars) as EnvKey[];

  it('has the npm start table', () => {
    const local = [...new Set<EnvKey>([...localTableKeys, ...keys.filter((k) => envVars[k].scope === 'local')])];
    expect(documented('local'), `expected:\n${table(local, localDefaults)}`).toBe(table(local, localDefaults));
  });

  it('has the functions table', () => {
    const functions = keys.filter((k) => envVars[k].scope !== 'local');
    expect(documented('functions'), `expected:\n${table(functions)}`).toBe(table(functions));
  });
});
