// The error codes the router can return, read from its source with the TypeScript compiler: string
// literals given as the `code` of an error object (`code: 'x'`, either branch of `a ? 'x' : 'y'`),
// and the code argument of the error classes that take one (their parameter default when omitted).
// zod's own `code: 'custom'` issues (addIssue, or issues.push in zod/mini) are not router errors and are skipped.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** Error classes whose constructor takes the code as a parameter, with the parameter's position. */
const CODE_PARAMETER: Record<string, number> = { InvalidRequestError: 2, NotFoundError: 2 };

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

function literals(node: ts.Expression): string[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isConditionalExpression(node)) return [...literals(node.whenTrue), ...literals(node.whenFalse)];
  if (ts.isParenthesizedExpression(node)) return literals(node.expression);
  return [];
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

/** Defaults of the code parameter, from the classes' constructors in core/shared/errors.ts. */
function codeDefaults(errorsFile: string): Record<string, string> {
  const defaults: Record<string, string> = {};
  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node) && node.name && CODE_PARAMETER[node.name.text] !== undefined) {
      const ctor = node.members.find(ts.isConstructorDeclaration);
      const init = ctor?.parameters[CODE_PARAMETER[node.name.text]!]?.initializer;
      if (init) defaults[node.name.text] = literals(init)[0]!;
    }
    ts.forEachChild(node, visit);
  };
  visit(parse(errorsFile));
  return defaults;
}

/** Every error code in `roots` (relative to the repository root) with the files it comes from. */
export function routerErrorCodes(repo: string, roots: string[]): Map<string, string[]> {
  const defaults = codeDefaults(join(repo, 'functions/core/shared/errors.ts'));
  const codes = new Map<string, string[]>();
  const add = (code: string, file: string) => codes.set(code, [...(codes.get(code) ?? []), file.slice(repo.length + 1)]);
  for (const file of roots.flatMap((r) => files(join(repo, r)))) {
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAssignment(node) && node.name.getText() === 'code') {
        const call = node.parent.parent;
        // classic zod: ctx.addIssue({...}); zod/mini: ctx.issues.push({...}) (functions/contracts/env.ts)
        const zodIssue = ts.isCallExpression(call) && /(addIssue|issues\.push)$/.test(call.expression.getText());
        if (!zodIssue) for (const code of literals(node.initializer)) add(code, file);
      }
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && CODE_PARAMETER[node.expression.text] !== undefined) {
        const arg = node.arguments?.[CODE_PARAMETER[node.expression.text]!];
        const found = arg ? literals(arg) : [defaults[node.expression.text]!];
        for (const code of found) add(code, file);
      }
      ts.forEachChild(node, visit);
    };
    visit(parse(file));
  }
  return codes;
}

/** Codes in the backticked last column of the Markdown tables under `heading` (up to the next `## `). */
export function documentedCodes(markdown: string, heading: string): Set<string> {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const end = markdown.indexOf('\n## ', start + heading.length + 1);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  const codes = new Set<string>();
  const lines = section.split('\n');
  const separator = (line: string | undefined) => line !== undefined && /^\|\s*-/.test(line);
  // Body rows only: not the separators, not the header rows above them.
  for (const row of lines.filter((l, i) => l.startsWith('|') && !separator(l) && !separator(lines[i + 1]))) {
    const cells = row.split('|').slice(1, -1);
    for (const match of (cells.at(-1) ?? '').matchAll(/`([a-z_]+)`/g)) codes.add(match[1]!);
  }
  return codes;
}
