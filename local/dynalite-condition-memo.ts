// dynalite parses the ConditionExpression of every write with its PEG parser, on every call. The cost
// ledger sends one conditional put per record (`attribute_not_exists(pk)`), so under load that parse
// was about a fifth of the stand-in's CPU per record (bench/support/profile-router.ts, the stand-ins'
// profile): the same few characters parsed again and again.
//
// The parser's answer depends on the expression and on the call's ExpressionAttributeNames and
// ExpressionAttributeValues (it resolves them into the tree and marks them used); everything else it
// reads from its context (reserved words, the comparison) is dynalite's own and constant. So for a
// call with neither map, the answer is a function of the string alone and is remembered; a call with
// either is parsed as before. Only trees are remembered: an invalid expression (the parser answers
// its message as a string, or throws a syntax error) is parsed every time, so its error is dynalite's.
// The remembered trees are frozen: dynalite only reads them (db/index.js, matchesExprFilter).
import { createRequire } from 'node:module';

interface Parser { parse(input: string, options?: { context?: ParseContext }): unknown }
interface ParseContext { attrNames?: unknown; attrVals?: unknown }

/** How many distinct expressions are remembered (a process uses a handful). */
const MAX_EXPRESSIONS = 1_000;
const memoized = new WeakSet<object>();

/** Remembers dynalite's condition-expression trees for calls without attribute names or values (idempotent). */
export function memoizeConstantConditions(): void {
  const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  const parser = fromDynalite('./db/conditionParser') as Parser;
  if (memoized.has(parser)) return;
  memoized.add(parser);
  const parse = parser.parse.bind(parser);
  const trees = new Map<string, unknown>();
  parser.parse = (input, options) => {
    const context = options?.context;
    if (!context || context.attrNames != null || context.attrVals != null) return parse(input, options);
    const known = trees.get(input);
    if (known !== undefined) return known;
    const tree = parse(input, options);
    if (tree !== null && typeof tree === 'object' && trees.size < MAX_EXPRESSIONS) trees.set(input, deepFreeze(tree));
    return tree;
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
