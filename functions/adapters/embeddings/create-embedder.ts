// Picks the embedder from `ROUTER_EMBEDDINGS`:
//   local (default)                  the weight-free LocalEmbedder
//   bedrock:<modelId>                Titan (amazon.titan-embed-*) or Cohere (cohere.embed-*) embeddings in the
//                                    region of the catalog's bedrock provider (or AWS_REGION)
//   openai:<providerId>:<model>      the /embeddings endpoint of a catalog openai-compatible provider, with its key
//   off                              no embedder: exact matches only
import type { Catalog } from '#core/catalog/catalog.ts';
import type { Embedder } from '#core/cache/embedder.ts';
import { LocalEmbedder } from '#core/cache/local-embedder.ts';
import { CohereEmbedder } from './bedrock-cohere.ts';
import { TitanEmbedder } from './bedrock-titan.ts';
import { OpenAiCompatibleEmbedder } from './openai-compatible.ts';

export function createEmbedder(spec: string | undefined, catalog: Catalog, keys: ReadonlyMap<string, string | undefined>, region?: string): Embedder | undefined {
  const value = (spec ?? 'local').trim();
  if (value === '' || value === 'local') return new LocalEmbedder();
  if (value === 'off') return undefined;
  const [kind, ...rest] = value.split(':');
  if (kind === 'bedrock' && rest.length > 0) {
    const provider = [...catalog.providers.values()].find((p) => p.kind === 'bedrock');
    const awsRegion = provider?.region ?? region;
    if (!awsRegion) throw new Error('ROUTER_EMBEDDINGS=bedrock:... needs a bedrock provider in the catalog or AWS_REGION');
    const modelId = rest.join(':');
    return modelId.startsWith('cohere.') ? new CohereEmbedder({ modelId, region: awsRegion }) : new TitanEmbedder({ modelId, region: awsRegion });
  }
  if (kind === 'openai' && rest.length >= 2) {
    const [providerId, ...model] = rest;
    const provider = catalog.providers.get(providerId!);
    if (!provider?.baseUrl || provider.kind !== 'openai-compatible') {
      throw new Error(`ROUTER_EMBEDDINGS: "${providerId}" is not an openai-compatible provider of the catalog`);
    }
    const apiKey = keys.get(provider.id);
    return new OpenAiCompatibleEmbedder({
      baseUrl: provider.baseUrl,
      model: model.join(':'),
      ...(apiKey ? { apiKey } : {}),
      ...(provider.headers ? { headers: provider.headers } : {}),
    });
  }
  throw new Error(`ROUTER_EMBEDDINGS must be local, off, bedrock:<modelId> or openai:<providerId>:<model>, not "${value}"`);
}
