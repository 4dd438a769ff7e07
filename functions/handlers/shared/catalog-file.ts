// The catalog bundled with a function, read and validated (functions that need no provider keys use
// this alone; catalog-and-keys.ts adds the keys).
import { readFileSync } from 'node:fs';
import { parseCatalog } from '#core/catalog/catalog.ts';
import type { Catalog } from '#core/catalog/catalog.ts';

export function readCatalogFile(catalogPath: string): Catalog {
  return parseCatalog(JSON.parse(readFileSync(catalogPath, 'utf8')));
}
