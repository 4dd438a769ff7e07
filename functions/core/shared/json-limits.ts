// Shape limits on a parsed JSON body, checked before anything else reads it: nesting depth, array
// length and keys per object. Deep or huge values make serialisers and validators recurse or
// allocate without bound (JSON.stringify throws past ~10,000 levels), so they are refused at the edge
// with a 400 that names the limit. The walk itself is iterative: it cannot overflow the stack.
import { InvalidRequestError } from './errors.ts';

export interface JsonLimits {
  /** Nesting levels of objects and arrays (the body itself is level 1). */
  maxDepth: number;
  /** Elements of any one array. */
  maxArrayLength: number;
  /** Keys of any one object. */
  maxObjectKeys: number;
}

export const defaultJsonLimits: JsonLimits = { maxDepth: 64, maxArrayLength: 4096, maxObjectKeys: 1024 };

interface Frame {
  value: unknown;
  depth: number;
  parent: Frame | undefined;
  key: string | number | undefined;
}

/** `messages[0].content`, at most `maxSegments` deep (then `…`), so a 100,000-level path stays short. */
function pathOf(frame: Frame, maxSegments = 8): string {
  const keys: Array<string | number> = [];
  for (let f: Frame | undefined = frame; f?.key !== undefined; f = f.parent) keys.push(f.key);
  keys.reverse();
  const shown = keys.slice(0, maxSegments);
  const text = shown.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${key}` : key), '');
  return keys.length > maxSegments ? `${text}…` : text || 'body';
}

/** Throws a 400 naming the first limit the value breaks; `prefix` is put before the reported path. */
export function checkJsonLimits(value: unknown, limits: JsonLimits = defaultJsonLimits, prefix = ''): void {
  const stack: Frame[] = [{ value, depth: 1, parent: undefined, key: undefined }];
  const at = (frame: Frame): string => {
    const path = pathOf(frame);
    return prefix ? (path === 'body' ? prefix : `${prefix}.${path}`) : path;
  };
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const current = frame.value;
    if (current === null || typeof current !== 'object') continue;
    if (frame.depth > limits.maxDepth) {
      const param = at(frame);
      throw new InvalidRequestError(`'${param}' is nested deeper than the limit of ${limits.maxDepth} levels.`, param, 'nesting_too_deep');
    }
    if (Array.isArray(current)) {
      if (current.length > limits.maxArrayLength) {
        const param = at(frame);
        throw new InvalidRequestError(`'${param}' has ${current.length} elements; the limit is ${limits.maxArrayLength}.`, param, 'array_too_long');
      }
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], depth: frame.depth + 1, parent: frame, key: i });
    } else {
      const keys = Object.keys(current);
      if (keys.length > limits.maxObjectKeys) {
        const param = at(frame);
        throw new InvalidRequestError(`'${param}' has ${keys.length} keys; the limit is ${limits.maxObjectKeys}.`, param, 'too_many_keys');
      }
      for (let i = keys.length - 1; i >= 0; i--) {
        stack.push({ value: (current as Record<string, unknown>)[keys[i]!], depth: frame.depth + 1, parent: frame, key: keys[i]! });
      }
    }
  }
}
