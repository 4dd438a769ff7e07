// Environment variables, validated once with a message that names every missing or invalid one.
import type { z } from 'zod';

/** Parses `env` with `schema`; throws one error listing every problem, headed by `what`. */
export function parseEnv<S extends z.ZodType>(schema: S, what: string, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    throw new Error(`${what} configuration is invalid:\n  - ${problems.join('\n  - ')}`);
  }
  return parsed.data;
}
