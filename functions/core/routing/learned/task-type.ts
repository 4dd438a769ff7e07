// Task type from the prompt alone, for requests that send no `x-router-task`. Keyword and structure
// rules, scored and compared, because a regex pass costs microseconds and needs no weights; the names
// match the catalog's `quality.tasks` keys so quality-first and balanced can use the task score.

export const TASK_TYPES = ['code', 'math', 'reasoning', 'summarize', 'extract', 'translate', 'chat'] as const;
export type TaskType = (typeof TASK_TYPES)[number];

interface Rule {
  task: Exclude<TaskType, 'chat'>;
  pattern: RegExp;
  weight: number;
}

const RULES: readonly Rule[] = [
  { task: 'code', pattern: /```|\b(def|class|import|return|function|const|let|var|public|void|#include|console\.log|printf|SELECT|INSERT|lambda)\b[^\n]{0,40}[({:;=]/g, weight: 2 },
  { task: 'code', pattern: /\b(python|javascript|typescript|java|c\+\+|rust|golang|sql|regex|bash|html|css|api|function|compile[rs]?|bug|stack trace|algorithm|refactor|unit test)\b/gi, weight: 1 },
  { task: 'math', pattern: /\b(calculate|compute|solve|equation|integral|derivative|probability|how (many|much)|percent(age)?|sum of|product of|average|ratio|fraction|remainder|prime|polynomial|matrix|theorem)\b/gi, weight: 1 },
  { task: 'math', pattern: /\d+\s*[-+*/^=<>×÷]\s*\d+|\$\d|\d%|\\frac|\\sqrt|\bx\^|\b\d+\.\d+\b/g, weight: 1 },
  { task: 'reasoning', pattern: /\b(why|explain|reason(ing)?|prove|logic(al)?|infer|implies|deduce|argument|conclusion|assume|therefore|riddle|puzzle|which of the following|true or false|step by step)\b/gi, weight: 1 },
  { task: 'summarize', pattern: /\b(summari[sz]e|summary|tl;?dr|key points|main points|in a nutshell|condense|shorten)\b/gi, weight: 3 },
  { task: 'extract', pattern: /\b(extract|list all|find all|pull out|parse|identify the (names|dates|entities)|named entities|as json|in json|json format|key-value|fields?)\b/gi, weight: 2 },
  { task: 'translate', pattern: /\b(translate|translation|into (english|french|spanish|german|chinese|japanese|korean|italian|portuguese|russian|arabic)|in (french|spanish|german|chinese|japanese))\b/gi, weight: 3 },
];

/** Only the head of a long prompt is scanned: the instruction is nearly always there. */
const SCAN_CHARS = 4000;
/** Below this score nothing specific was seen, and the prompt counts as chat. */
const MIN_SCORE = 2;

/** Rule scores per task type (chat excluded); exported for the feature extractor. */
export function taskScores(prompt: string): Record<Exclude<TaskType, 'chat'>, number> {
  const text = prompt.length > SCAN_CHARS ? prompt.slice(0, SCAN_CHARS) : prompt;
  const scores = { code: 0, math: 0, reasoning: 0, summarize: 0, extract: 0, translate: 0 };
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    const hits = text.match(rule.pattern)?.length ?? 0;
    // Diminishing returns: a long passage repeating a keyword should not swamp the instruction.
    scores[rule.task] += rule.weight * Math.min(hits, 4);
  }
  return scores;
}

/** The most likely task type of a prompt; `chat` when no rule scores enough. */
export function detectTaskType(prompt: string): TaskType {
  const scores = taskScores(prompt);
  let best: TaskType = 'chat';
  let bestScore = MIN_SCORE - 1e-9;
  for (const task of TASK_TYPES) {
    if (task === 'chat') continue;
    if (scores[task] > bestScore) {
      best = task;
      bestScore = scores[task];
    }
  }
  return best;
}
