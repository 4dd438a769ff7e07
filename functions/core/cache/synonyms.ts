// The English synonym table compiled from WordNet (wordnet-synonyms.ts, built by
// cli/cache/build-synonyms.ts), parsed on the first prompt the differential check reads rather than
// when the router starts: a cold start that never reaches the semantic layer never pays for it.
import { WORDNET_SYNONYMS } from './wordnet-synonyms.ts';

let table: Map<string, string> | undefined;

/** The canonical member of the word's synonym set, or undefined when the table has no entry for it. */
export function wordnetSynonym(word: string): string | undefined {
  table ??= new Map(WORDNET_SYNONYMS.split(',').map((pair) => pair.split(' ') as [string, string]));
  return table.get(word);
}
