// Summarises a Chromium performance trace (`tsx bench/ui.bench.ts --slider-only --trace t.json`):
// per thread of the page's renderer, the time in its tasks, its longest tasks, its garbage
// collection, and the functions its CPU samples fall in (self and total time). Build without
// minifying (`npx vite build --minify false`) for readable names.
// Usage: tsx bench/traceSummary.ts t.json [--top N]
import { readFileSync } from 'node:fs';
import type { TraceEvent } from './chromium.ts';

interface ProfileNode {
  readonly id: number;
  readonly parent?: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url?: string;
    readonly lineNumber?: number;
  };
}

const file = process.argv[2];
if (!file) throw new Error('usage: tsx bench/traceSummary.ts <trace.json> [--top N]');
const topIndex = process.argv.indexOf('--top');
const top = topIndex > 0 ? Number(process.argv[topIndex + 1]) : 25;
const parsed = JSON.parse(readFileSync(file, 'utf8')) as
  { traceEvents: TraceEvent[] } | TraceEvent[];
const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;

const threadNames = new Map<string, string>();
for (const e of events)
  if (e.ph === 'M' && e.name === 'thread_name')
    threadNames.set(`${e.pid}:${e.tid}`, String((e.args as { name?: string })?.name));
const threadOf = (e: TraceEvent) => `${e.pid}:${e.tid}`;
const nameOf = (key: string) => `${threadNames.get(key) ?? '?'} (${key})`;

// Tasks and GC per thread.
const tasks = new Map<string, number[]>();
const gc = new Map<string, Map<string, number>>();
const GC_NAMES = new Set(['MinorGC', 'MajorGC', 'V8.GC_SCAVENGER', 'V8.GC_MARK_COMPACTOR']);
for (const e of events) {
  if (e.ph !== 'X' || e.dur === undefined) continue;
  const key = threadOf(e);
  if (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') {
    const list = tasks.get(key) ?? [];
    list.push(e.dur / 1000);
    tasks.set(key, list);
  }
  if (GC_NAMES.has(e.name)) {
    const m = gc.get(key) ?? new Map<string, number>();
    m.set(e.name, (m.get(e.name) ?? 0) + e.dur / 1000);
    gc.set(key, m);
  }
}

console.log('## tasks per thread (ms)');
for (const [key, list] of [...tasks].sort(
  (a, b) => b[1].reduce((x, y) => x + y, 0) - a[1].reduce((x, y) => x + y, 0),
)) {
  const total = list.reduce((x, y) => x + y, 0);
  if (total < 20) continue;
  const sorted = [...list].sort((a, b) => b - a);
  console.log(
    `${nameOf(key)}: ${list.length} tasks, ${total.toFixed(0)} ms; longest ${sorted
      .slice(0, 8)
      .map((x) => x.toFixed(1))
      .join(', ')}; over 50 ms: ${list.filter((x) => x > 50).length}`,
  );
  const g = gc.get(key);
  if (g) console.log(`  GC: ${[...g].map(([n, ms]) => `${n} ${ms.toFixed(0)} ms`).join(', ')}`);
}

// What the busiest threads' time went to, by trace event (a nested event counts in its parent
// too): scripts, style, layout, paint.
const byName = new Map<string, Map<string, { ms: number; cpu: number; n: number }>>();
for (const e of events) {
  if (e.ph !== 'X' || e.dur === undefined) continue;
  const key = threadOf(e);
  const m = byName.get(key) ?? new Map<string, { ms: number; cpu: number; n: number }>();
  const x = m.get(e.name) ?? { ms: 0, cpu: 0, n: 0 };
  x.ms += e.dur / 1000;
  x.cpu += (e.tdur ?? 0) / 1000;
  x.n += 1;
  m.set(e.name, x);
  byName.set(key, m);
}
for (const [key, m] of byName) {
  const name = threadNames.get(key) ?? '';
  if (name !== 'CrRendererMain' && name !== 'DedicatedWorker thread') continue;
  console.log(`\n## events of ${nameOf(key)} (wall ms, CPU ms, count)`);
  for (const [n, x] of [...m].sort((a, b) => b[1].cpu - a[1].cpu).slice(0, top))
    console.log(
      `  ${x.ms.toFixed(1).padStart(8)} ${x.cpu.toFixed(1).padStart(8)} ${String(x.n).padStart(6)}  ${n}`,
    );
}

// CPU profiles: one per thread, in chunks.
const profiles = new Map<
  string,
  { key: string; nodes: Map<number, ProfileNode>; samples: number[]; deltas: number[] }
>();
for (const e of events) {
  if (e.name === 'Profile' && e.id !== undefined)
    profiles.set(`${e.pid}:${e.id}`, {
      key: threadOf(e),
      nodes: new Map(),
      samples: [],
      deltas: [],
    });
  if (e.name !== 'ProfileChunk' || e.id === undefined) continue;
  const p = profiles.get(`${e.pid}:${e.id}`);
  if (!p) continue;
  const data = (
    e.args as {
      data?: { cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] }; timeDeltas?: number[] };
    }
  ).data;
  for (const n of data?.cpuProfile?.nodes ?? []) p.nodes.set(n.id, n);
  p.samples.push(...(data?.cpuProfile?.samples ?? []));
  p.deltas.push(...(data?.timeDeltas ?? []));
}

const label = (n: ProfileNode) => {
  const f = n.callFrame;
  const url = (f.url ?? '').replace(/^.*\//, '');
  return `${f.functionName || '(anonymous)'} ${url}${url ? `:${(f.lineNumber ?? 0) + 1}` : ''}`;
};

for (const p of profiles.values()) {
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let sum = 0;
  p.samples.forEach((id, i) => {
    // A sample's time is the gap to the next one.
    const ms = (p.deltas[i + 1] ?? p.deltas[i] ?? 0) / 1000;
    const node = p.nodes.get(id);
    if (!node) return;
    const name = label(node);
    if (name.startsWith('(idle)') || name.startsWith('(program)')) return;
    sum += ms;
    self.set(name, (self.get(name) ?? 0) + ms);
    const seen = new Set<string>();
    for (
      let n: ProfileNode | undefined = node;
      n;
      n = n.parent === undefined ? undefined : p.nodes.get(n.parent)
    ) {
      const l = label(n);
      if (seen.has(l)) continue;
      seen.add(l);
      total.set(l, (total.get(l) ?? 0) + ms);
    }
  });
  if (sum < 20) continue;
  console.log(`\n## CPU samples of ${nameOf(p.key)}: ${sum.toFixed(0)} ms busy`);
  console.log('self:');
  for (const [n, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${n}`);
  console.log('total:');
  for (const [n, ms] of [...total].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${n}`);
}

// `--tree <ms>`: each thread's call tree, every node of at least that many ms.
const treeIndex = process.argv.indexOf('--tree');
if (treeIndex > 0) {
  const min = Number(process.argv[treeIndex + 1]);
  for (const p of profiles.values()) {
    const inclusive = new Map<number, number>();
    p.samples.forEach((id, i) => {
      const ms = (p.deltas[i + 1] ?? p.deltas[i] ?? 0) / 1000;
      for (
        let n = p.nodes.get(id);
        n;
        n = n.parent === undefined ? undefined : p.nodes.get(n.parent)
      )
        inclusive.set(n.id, (inclusive.get(n.id) ?? 0) + ms);
    });
    const kids = new Map<number, ProfileNode[]>();
    for (const n of p.nodes.values())
      if (n.parent !== undefined) kids.set(n.parent, [...(kids.get(n.parent) ?? []), n]);
    const root = [...p.nodes.values()].find((n) => n.parent === undefined);
    if (!root || (inclusive.get(root.id) ?? 0) < 50) continue;
    console.log(`\n## call tree of ${nameOf(p.key)} (nodes of ${min} ms or more)`);
    // A recursion is printed once: a function already on the path is skipped, its callees kept.
    const walk = (n: ProfileNode, depth: number, path: ReadonlySet<string>) => {
      const ms = inclusive.get(n.id) ?? 0;
      if (ms < min) return;
      const l = label(n);
      const repeat = path.has(l);
      if (!repeat) console.log(`${'  '.repeat(depth)}${ms.toFixed(1)} ${l}`);
      const next = repeat ? path : new Set([...path, l]);
      for (const c of (kids.get(n.id) ?? []).sort(
        (a, b) => (inclusive.get(b.id) ?? 0) - (inclusive.get(a.id) ?? 0),
      ))
        walk(c, repeat ? depth : depth + 1, next);
    };
    walk(root, 0, new Set());
  }
}
