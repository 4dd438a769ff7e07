// Loads the model catalog: zod validation, then cross-checks between sections, then USD price resolution.
import type * as z from 'zod/mini';
import { catalogSchema } from './catalog-schema.ts';
import type { CatalogFile, CatalogModel, CatalogProvider, RouteConfig } from './catalog-schema.ts';
import { CatalogError } from '../shared/errors.ts';
import { isShippedWeights, SHIPPED_WEIGHTS } from '../routing/learned/shipped-names.ts';

/** A catalog model with its prices converted to USD per 1M tokens. */
export interface ResolvedModel extends CatalogModel {
  priceUsd: { input: number; output: number; cachedInput: number };
}

/** The validated, indexed catalog the router works from. */
export interface Catalog {
  file: CatalogFile;
  providers: ReadonlyMap<string, CatalogProvider>;
  models: readonly ResolvedModel[];
  modelsById: ReadonlyMap<string, ResolvedModel>;
  routes: Readonly<Record<string, RouteConfig>>;
  defaults: CatalogFile['defaults'];
}

/** Validates a catalog document and indexes it; throws CatalogError listing every problem found. */
export function parseCatalog(json: unknown): Catalog {
  const parsed = catalogSchema.safeParse(json);
  const issues = parsed.success ? [] : parsed.error.issues.map(formatZodIssue);
  // Cross-checks read the raw document defensively, so they run (and report) even when zod failed.
  for (const issue of crossCheck(parsed.success ? parsed.data : json)) {
    if (!issues.includes(issue)) issues.push(issue);
  }
  if (!parsed.success || issues.length > 0) throw new CatalogError(issues);
  return index(parsed.data);
}

/** Formats a property path as `models[3].pricing.currency`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

function formatZodIssue(issue: z.core.$ZodIssue): string {
  return `${formatPath(issue.path)}: ${issue.message}`;
}

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function crossCheck(doc: unknown): string[] {
  if (!isObject(doc)) return [];
  const issues: string[] = [];
  const providers = asArray(doc['providers']);
  const models = asArray(doc['models']);
  const rates = isObject(doc['currencyRates']) ? doc['currencyRates'] : {};
  const routes = isObject(doc['routes']) ? doc['routes'] : {};

  const providerIds = firstIndexById(providers, 'providers', 'provider', issues);
  const modelIds = firstIndexById(models, 'models', 'model', issues);

  models.forEach((m, i) => {
    if (!isObject(m)) return;
    const provider = asString(m['provider']);
    if (provider !== undefined && !providerIds.has(provider)) {
      issues.push(`models[${i}].provider: unknown provider "${provider}"`);
    }
    const currency = isObject(m['pricing']) ? asString(m['pricing']['currency']) : undefined;
    if (currency !== undefined && currency !== 'USD' && typeof rates[currency] !== 'number') {
      issues.push(`models[${i}].pricing.currency: no rate in currencyRates for ${currency}`);
    }
    asArray(m['fallbacks']).forEach((f, k) => {
      if (typeof f !== 'string') return;
      if (f === m['id']) issues.push(`models[${i}].fallbacks[${k}]: a model cannot fall back to itself`);
      else if (!modelIds.has(f)) issues.push(`models[${i}].fallbacks[${k}]: unknown model "${f}"`);
    });
  });

  for (const [name, route] of Object.entries(routes)) {
    if (modelIds.has(name)) issues.push(`routes.${name}: a route may not be named like a model id`);
    if (!isObject(route)) continue;
    const learned = isObject(route['learned']) ? route['learned'] : {};
    for (const role of ['strong', 'cheap'] as const) {
      const ref = learned[role];
      if (typeof ref === 'string' && !modelIds.has(ref)) issues.push(`routes.${name}.learned.${role}: unknown model "${ref}"`);
    }
    for (const list of ['allow', 'deny'] as const) {
      asArray(route[list]).forEach((ref, k) => {
        if (typeof ref === 'string' && !modelIds.has(ref)) {
          issues.push(`routes.${name}.${list}[${k}]: unknown model "${ref}"`);
        }
      });
    }
  }
  const defaults = isObject(doc['defaults']) ? doc['defaults'] : {};
  const weights = defaults['learnedWeights'];
  if (typeof weights === 'string' && !isShippedWeights(weights)) {
    issues.push(`defaults.learnedWeights: unknown weights "${weights}" (shipped: ${SHIPPED_WEIGHTS.join(', ')})`);
  }
  return issues;
}

/** Maps each id to its first index and reports later duplicates. */
function firstIndexById(items: unknown[], section: string, noun: string, issues: string[]): Map<string, number> {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const id = isObject(item) ? asString(item['id']) : undefined;
    if (id === undefined) return;
    const first = seen.get(id);
    if (first === undefined) seen.set(id, i);
    else issues.push(`${section}[${i}].id: duplicate ${noun} id "${id}" (first at ${section}[${first}])`);
  });
  return seen;
}

/** Rounds away binary float noise (0.8 * 0.14 = 0.11200000000000002) without losing real precision. */
const tidy = (n: number): number => Number(n.toPrecision(12));

function index(file: CatalogFile): Catalog {
  const providers = new Map(file.providers.map((p) => [p.id, p] as const));
  const models = file.models.map((m): ResolvedModel => {
    const rate = m.pricing.currency === 'USD' ? 1 : (file.currencyRates[m.pricing.currency] ?? Number.NaN);
    const input = tidy(m.pricing.inputPerMTok * rate);
    return {
      ...m,
      priceUsd: {
        input,
        output: tidy(m.pricing.outputPerMTok * rate),
        cachedInput: m.pricing.cachedInputPerMTok === undefined ? input : tidy(m.pricing.cachedInputPerMTok * rate),
      },
    };
  });
  const modelsById = new Map(models.map((m) => [m.id, m] as const));
  const routes: Record<string, RouteConfig> = { ...file.routes };
  // `auto` is the learned router unless the catalog defines its own (docs/learned-router.md).
  if (!routes['auto']) routes['auto'] = { strategy: 'learned' };
  return { file, providers, models, modelsById, routes, defaults: file.defaults };
}
