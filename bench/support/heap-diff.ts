// Compares two V8 heap snapshots by constructor: which kinds of objects grew in count and bytes between
// them (for bench/soak.ts with SOAK_SNAPSHOTS=<folder>). With RETAINERS=<name>, also lists what holds
// the objects of that constructor that are new in the second snapshot (by retainer's constructor
// and edge name).
// Run: npx node bench/support/heap-diff.ts before.heapsnapshot after.heapsnapshot   (TOP=25, RETAINERS=Name)
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

interface Parsed { names: string[]; ids: number[]; sizes: number[]; kinds: string[]; edges: Snapshot['edges']; edgeStart: number[]; raw: Snapshot }

function parse(path: string): Parsed {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const { node_fields: fields, node_types: [types] } = raw.snapshot.meta;
  const width = fields.length;
  const at = (name: string): number => fields.indexOf(name);
  const [type, name, id, size, edgeCount] = [at('type'), at('name'), at('id'), at('self_size'), at('edge_count')];
  const names: string[] = [];
  const ids: number[] = [];
  const sizes: number[] = [];
  const kinds: string[] = [];
  const edgeStart: number[] = [];
  let edge = 0;
  const edgeWidth = raw.snapshot.meta.edge_fields.length;
  for (let i = 0; i < raw.nodes.length; i += width) {
    const kind = types[raw.nodes[i + type]!]!;
    kinds.push(kind);
    // Objects by constructor; everything else (strings, closures, arrays, code) by its type.
    names.push(kind === 'object' || kind === 'closure' ? `${kind === 'closure' ? 'closure ' : ''}${raw.strings[raw.nodes[i + name]!]}` : `(${kind})`);
    ids.push(raw.nodes[i + id]!);
    sizes.push(raw.nodes[i + size]!);
    edgeStart.push(edge);
    edge += raw.nodes[i + edgeCount]! * edgeWidth;
  }
  edgeStart.push(edge);
  return { names, ids, sizes, kinds, edges: raw.edges, edgeStart, raw };
}

function totals(parsed: Parsed): Map<string, { count: number; bytes: number }> {
  const byName = new Map<string, { count: number; bytes: number }>();
  parsed.names.forEach((name, i) => {
    const entry = byName.get(name) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += parsed.sizes[i]!;
    byName.set(name, entry);
  });
  return byName;
}

const [beforePath, afterPath] = process.argv.slice(2);
if (!beforePath || !afterPath) throw new Error('usage: heap-diff.ts before.heapsnapshot after.heapsnapshot');
const before = parse(beforePath);
const after = parse(afterPath);
const a = totals(before);
const b = totals(after);
const rows = [...b].map(([name, now]) => {
  const then = a.get(name) ?? { count: 0, bytes: 0 };
  return { name, count: now.count - then.count, bytes: now.bytes - then.bytes };
}).sort((x, y) => y.bytes - x.bytes).slice(0, Number(process.env['TOP'] ?? 25));
console.log('| constructor / type | count change | self bytes change |');
console.log('|---|--:|--:|');
for (const row of rows) console.log(`| ${row.name.slice(0, 80)} | ${row.count} | ${row.bytes} |`);

const target = process.env['RETAINERS'];
if (target) {
  const oldIds = new Set(before.ids);
  const fresh = new Set<number>();
  after.names.forEach((name, i) => { if (name === target && !oldIds.has(after.ids[i]!)) fresh.add(i); });
  const { edge_fields: edgeFields, edge_types: [edgeTypes] } = after.raw.snapshot.meta;
  const width = edgeFields.length;
  const nodeWidth = after.raw.snapshot.meta.node_fields.length;
  const [edgeType, edgeName, toNode] = [edgeFields.indexOf('type'), edgeFields.indexOf('name_or_index'), edgeFields.indexOf('to_node')];
  const holders = new Map<string, number>();
  for (let from = 0; from < after.names.length; from++) {
    for (let e = after.edgeStart[from]!; e < after.edgeStart[from + 1]!; e += width) {
      const to = after.edges[e + toNode]! / nodeWidth;
      if (!fresh.has(to)) continue;
      const kind = edgeTypes[after.edges[e + edgeType]!]!;
      if (kind === 'weak') continue;
      const label = kind === 'element' || kind === 'hidden' ? `[${kind}]` : String(after.raw.strings[after.edges[e + edgeName]!]);
      const key = `${after.names[from]} -> ${label}`;
      holders.set(key, (holders.get(key) ?? 0) + 1);
    }
  }
  console.log(`\n${fresh.size} new ${target}; held by:`);
  for (const [key, count] of [...holders].sort((x, y) => y[1] - x[1]).slice(0, 20)) console.log(`  ${count}  ${key}`);
}

// PATHS=<n>: for n of those new objects, one chain of (strong) retainers up to 10 levels.
const paths = Number(process.env['PATHS'] ?? 0);
if (target && paths > 0) {
  const { edge_fields: edgeFields, edge_types: [edgeTypes] } = after.raw.snapshot.meta;
  const width = edgeFields.length;
  const nodeWidth = after.raw.snapshot.meta.node_fields.length;
  const [edgeType, edgeName, toNode] = [edgeFields.indexOf('type'), edgeFields.indexOf('name_or_index'), edgeFields.indexOf('to_node')];
  const parents = new Map<number, Array<{ from: number; label: string }>>();
  for (let from = 0; from < after.names.length; from++) {
    for (let e = after.edgeStart[from]!; e < after.edgeStart[from + 1]!; e += width) {
      const kind = edgeTypes[after.edges[e + edgeType]!]!;
      if (kind === 'weak' || kind === 'shortcut') continue;
      const to = after.edges[e + toNode]! / nodeWidth;
      const label = kind === 'element' || kind === 'hidden' ? `[${String(after.edges[e + edgeName])}]` : String(after.raw.strings[after.edges[e + edgeName]!]);
      const list = parents.get(to) ?? [];
      list.push({ from, label });
      parents.set(to, list);
    }
  }
  const oldIds = new Set(before.ids);
  const samples = after.names.map((name, i) => (name === target && !oldIds.has(after.ids[i]!) ? i : -1)).filter((i) => i >= 0).slice(0, paths);
  for (const start of samples) {
    const chain: string[] = [after.names[start]!];
    const seen = new Set([start]);
    let node = start;
    for (let depth = 0; depth < 10; depth++) {
      const next = (parents.get(node) ?? []).find((p) => !seen.has(p.from) && after.kinds[p.from] !== 'synthetic');
      if (!next) break;
      chain.push(`${after.names[next.from]}.${next.label}`);
      seen.add(next.from);
      node = next.from;
    }
    console.log(`  ${chain.join('  <-  ')}`);
  }
}
