// Reads and validates the catalog at synth time, so a bad catalog fails `cdk synth` with its issues.
import { existsSync, readFileSync } from 'node:fs';
import { catalogSchema, type CatalogFile } from '#core/catalog/catalog-schema.ts';
import { CatalogError } from '#core/shared/errors.ts';
import { repoPath } from './paths.ts';

export interface LoadedCatalog {
  /** Absolute path of the file (copied into the bundles). */
  file: string;
  catalog: CatalogFile;
}

/**
 * Loads the catalog at `path` (relative to the repository root, or absolute). Validates with the
 * runtime's `parseCatalog` (functions/core/catalog.ts) when present, so synth applies exactly the
 * checks the router applies at start-up, and with the schema otherwise.
 */
export async function loadCatalog(path: string): Promise<LoadedCatalog> {
  const file = repoPath(path);
  if (!existsSync(file)) throw new CatalogError([`catalog file not found: ${file}`]);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CatalogError([`${file} is not valid JSON: ${(error as Error).message}`], error);
  }
  const parseCatalog = await runtimeParser();
  if (parseCatalog) parseCatalog(json);
  const result = catalogSchema.safeParse(json);
  if (!result.success) {
    throw new CatalogError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return { file, catalog: result.data };
}

type ParseCatalog = (json: unknown) => unknown;

async function runtimeParser(): Promise<ParseCatalog | undefined> {
  const modulePath = repoPath('functions/core/catalog.ts');
  if (!existsSync(modulePath)) return undefined;
  const specifier: string = '#core/catalog.ts';
  const mod = (await import(specifier)) as { parseCatalog?: ParseCatalog };
  return mod.parseCatalog;
}
