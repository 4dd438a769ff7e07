// Loads RouteLLM's per-prompt evaluation files (../shared/routellm-data, never copied into the repo),
// drops the contaminated prompts exactly as routellm/evals/benchmarks.py does, and applies the
// training protocol: training sees only the MMLU training split; held-out MMLU, GSM8K and MT-Bench
// are for evaluation only (see PROTOCOL and loadTrainingSet).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { csvRecords } from './csv.ts';

export const STRONG = 'gpt-4-1106-preview';
export const WEAK = 'mistralai/Mixtral-8x7B-Instruct-v0.1';

/** The fixed split. Changing it changes what "held-out" means: the weights file records it and eval checks it. */
export const PROTOCOL = {
  trainOn: 'mmlu',
  split: 'fnv1a32(prompt) % 100 < 70 -> train, else held-out (per question, every subject on both sides)',
  trainPercent: 70,
  outOfDomain: ['gsm8k', 'mt-bench'],
} as const;

/** One routed prompt with both models' outcome; scores are sums over `rows` judged rows (1 for MMLU/GSM8K). */
export interface Item {
  id: string;
  prompt: string;
  /** MMLU subject, MT-Bench category, or the benchmark name. */
  group: string;
  weak: number;
  strong: number;
  rows: number;
}

export interface Benchmark {
  name: string;
  items: Item[];
  /** 100 for accuracies in percent (MMLU, GSM8K), 1 for MT-Bench judge scores. */
  scale: number;
}

/** ROUTELLM_DATA, else ../shared/routellm-data beside the checkout (or beside its parent, for worktrees). */
export function defaultDataDir(): string {
  const fromEnv = process.env['ROUTELLM_DATA'];
  if (fromEnv) return resolve(fromEnv);
  const candidates = ['../shared/routellm-data', '../../shared/routellm-data'].map((p) => resolve(p));
  return candidates.find((dir) => existsSync(join(dir, 'routellm', 'evals'))) ?? candidates[0]!;
}

const evalsDir = (dataDir: string): string => join(dataDir, 'routellm', 'evals');

/** 32-bit FNV-1a over UTF-16 code units: stable, dependency-free, and enough to split prompts. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export const isMmluTrain = (prompt: string): boolean => fnv1a32(prompt) % 100 < PROTOCOL.trainPercent;

function contaminated(dataDir: string, bench: string): Set<string> {
  const text = readFileSync(join(evalsDir(dataDir), bench, 'contaminated_prompts.jsonl'), 'utf8');
  const prompts = new Set<string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    prompts.add((JSON.parse(line) as { eval_prompt: string }).eval_prompt);
  }
  return prompts;
}

const truth = (cell: string | undefined): number => {
  if (cell === 'True') return 1;
  if (cell === 'False') return 0;
  throw new Error(`expected True or False, got '${cell}'`);
};

function loadAllMmlu(dataDir: string): Item[] {
  const dir = join(evalsDir(dataDir), 'mmlu', 'responses');
  const drop = contaminated(dataDir, 'mmlu');
  const items: Item[] = [];
  for (const file of readdirSync(dir).filter((f) => /^mmlu_.+\.csv$/.test(f)).sort()) {
    const subject = file.slice('mmlu_'.length, -'.csv'.length);
    csvRecords(readFileSync(join(dir, file), 'utf8')).forEach((r, i) => {
      const prompt = r['prompt'] ?? '';
      if (drop.has(prompt)) return;
      items.push({ id: `mmlu/${subject}/${i}`, prompt, group: subject, weak: truth(r[WEAK]), strong: truth(r[STRONG]), rows: 1 });
    });
  }
  return items;
}

/** The only data training may read: the MMLU training split. */
export function loadTrainingSet(dataDir = defaultDataDir()): Benchmark {
  return { name: 'mmlu-train', items: loadAllMmlu(dataDir).filter((it) => isMmluTrain(it.prompt)), scale: 100 };
}

/** Held-out MMLU: the questions the training split leaves out. */
export function loadMmluHeldOut(dataDir = defaultDataDir()): Benchmark {
  return { name: 'mmlu-held-out', items: loadAllMmlu(dataDir).filter((it) => !isMmluTrain(it.prompt)), scale: 100 };
}

export function loadGsm8k(dataDir = defaultDataDir()): Benchmark {
  const drop = contaminated(dataDir, 'gsm8k');
  const text = readFileSync(join(evalsDir(dataDir), 'gsm8k', 'gsm8k_responses.csv'), 'utf8');
  const items: Item[] = [];
  csvRecords(text).forEach((r, i) => {
    const prompt = r['prompt'] ?? '';
    if (drop.has(prompt)) return;
    items.push({ id: `gsm8k/${i}`, prompt, group: 'gsm8k', weak: truth(r[WEAK]), strong: truth(r[STRONG]), rows: 1 });
  });
  return { name: 'gsm8k', items, scale: 100 };
}

interface Judgement {
  question_id: number;
  model: string;
  score: number;
}
interface Question {
  question_id: number;
  category: string;
  turns: string[];
}

const jsonl = <T>(path: string): T[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);

/** MT-Bench: routed on turn 1; each question carries the sum of both turns' judge scores per model. */
export function loadMtBench(dataDir = defaultDataDir()): Benchmark {
  const dir = join(evalsDir(dataDir), 'mt_bench');
  const drop = contaminated(dataDir, 'mt_bench');
  const judgements = jsonl<Judgement>(join(dir, 'judgements.jsonl'));
  const items: Item[] = [];
  for (const q of jsonl<Question>(join(dir, 'question.jsonl'))) {
    if (q.turns.some((t) => drop.has(t))) continue;
    const of = (model: string) => judgements.filter((j) => j.question_id === q.question_id && j.model === model);
    const weak = of(WEAK);
    const strong = of(STRONG);
    if (weak.length !== strong.length || weak.length === 0) {
      throw new Error(`mt-bench question ${q.question_id}: ${weak.length} weak and ${strong.length} strong judgements`);
    }
    const sum = (js: Judgement[]) => js.reduce((s, j) => s + j.score, 0);
    items.push({ id: `mt-bench/${q.question_id}`, prompt: q.turns[0] ?? '', group: q.category, weak: sum(weak), strong: sum(strong), rows: weak.length });
  }
  return { name: 'mt-bench', items, scale: 1 };
}
