// The critical path of a cold first load (issue 15's first chart and rule states), from a
// Chromium trace: each script fetched, compiled and evaluated, the worker's bundle, the worker's
// work and the page's, as a timeline of both threads in ms from navigation, with the page's
// `ql:` marks (src/app/loadMarks.ts: main.tsx, the bridge, the workers). Against the
// production build (`npx vite build` first); a fresh browser context per load, as a new user's.
// Usage: BENCH_PORT=4442 tsx bench/firstLoadTrace.ts [--loads N] [--out trace.json] [--min ms]
// (`--out` keeps the last load's trace, with CPU samples, for bench/traceSummary.ts).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { launchChromium, waitForServer, type TraceEvent } from './chromium.ts';

const root = resolve(import.meta.dirname, '..');
const port = Number(process.env['BENCH_PORT'] ?? 4391);
const base = `http://127.0.0.1:${port}/`;
const arg = (name: string) =>
  ((i) => (i < 0 ? undefined : process.argv[i + 1]))(process.argv.indexOf(name));
const loads = Number(arg('--loads') ?? 3);
const out = arg('--out');
const minMs = Number(arg('--min') ?? 4);
/** `--summary`: only the marks with the CPU time of each thread until them. */
const summaryOnly = process.argv.includes('--summary');

/** Events worth a line of the timeline (nested ones too, when long enough). */
const SHOWN = new Set([
  'ParseHTML',
  'v8.compile',
  'v8.compileModule',
  'v8.evaluateModule',
  'v8.produceModuleCache',
  'v8.produceCache',
  'EvaluateScript',
  'FunctionCall',
  'RunMicrotasks',
  'TimerFire',
  'FireAnimationFrame',
  'UpdateLayoutTree',
  'Layout',
  'Paint',
  'PrePaint',
  'Commit',
  'MajorGC',
  'MinorGC',
  'V8.GC_MARK_COMPACTOR',
  'V8.GC_SCAVENGER',
  'HandlePostMessage',
  'ThreadControllerImpl::RunTask',
  'V8.CompileCode',
  'V8.ParseProgram',
  'V8.ParseFunction',
]);

function summarise(events: readonly TraceEvent[]): { firstChart?: number; states?: number } {
  const names = new Map<string, string>();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name')
      names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  // The page's renderer: the one whose main thread wrote the page's marks.
  const pid = events.find((e) => e.name.startsWith('ql:'))?.pid;
  const nav = events.find(
    (e) =>
      e.name === 'navigationStart' &&
      String(e.args?.data?.['documentLoaderURL'] ?? '').startsWith(base),
  );
  const t0 = nav?.ts ?? Math.min(...events.filter((e) => e.ts > 0).map((e) => e.ts));
  const at = (ts: number) => ((ts - t0) / 1000).toFixed(0).padStart(6);
  const lines: { ts: number; text: string }[] = [];
  const thread = (e: TraceEvent) => {
    const n = names.get(`${e.pid}:${e.tid}`) ?? '?';
    return n === 'CrRendererMain' ? 'main  ' : n === 'DedicatedWorker thread' ? 'worker' : null;
  };
  const marks: Record<string, number> = {};
  for (const e of events) {
    if (e.name === 'ResourceSendRequest' || e.name === 'ResourceFinish') {
      const full = String(e.args?.data?.['url'] ?? '');
      const url = full.replace(/^.*\//, '');
      if (e.name === 'ResourceSendRequest' && full.startsWith(base))
        lines.push({ ts: e.ts, text: `net    fetch ${url}` });
      continue;
    }
    if (e.cat.includes('blink.user_timing') && e.name.startsWith('ql:')) {
      const who = thread(e) ?? '?';
      lines.push({ ts: e.ts, text: `${who} MARK ${e.name}` });
      marks[e.name] ??= (e.ts - t0) / 1000;
      continue;
    }
    const who = thread(e);
    if (!who || e.pid !== pid || e.ph !== 'X' || !SHOWN.has(e.name)) continue;
    const ms = (e.dur ?? 0) / 1000;
    if (ms < minMs) continue;
    const data = e.args?.data ?? {};
    const url = String(data['url'] ?? data['fileName'] ?? e.args?.['fileName'] ?? '').replace(
      /^.*\//,
      '',
    );
    const fn = String(data['functionName'] ?? '');
    lines.push({
      ts: e.ts,
      text: `${who} ${e.name} ${ms.toFixed(1)} ms (CPU ${((e.tdur ?? 0) / 1000).toFixed(1)}) ${url}${fn ? ` ${fn}` : ''} → ${at(e.ts + (e.dur ?? 0)).trim()}`,
    });
  }
  lines.sort((a, b) => a.ts - b.ts);
  if (!summaryOnly) for (const l of lines) console.log(`${at(l.ts)} ${l.text}`);
  // CPU of each thread's tasks (top-level) up to each mark: what the page asked of the machine
  // before the moment, which a busy machine's other work does not stretch.
  const cpuUntil = (who: string, ts: number) => {
    let sum = 0;
    for (const e of events)
      if (
        e.pid === pid &&
        e.ph === 'X' &&
        e.name === 'ThreadControllerImpl::RunTask' &&
        thread(e) === who &&
        e.ts >= t0 &&
        e.ts < ts
      )
        sum += (e.tdur ?? 0) / 1000;
    return sum;
  };
  const seen = new Set<string>();
  const rows: string[] = [];
  for (const e of [...events].sort((a, b) => a.ts - b.ts)) {
    if (e.pid !== pid || !e.name.startsWith('ql:') || seen.has(e.name)) continue;
    seen.add(e.name);
    rows.push(
      `${at(e.ts)} ms  ${e.name.padEnd(28)} CPU so far: main ${cpuUntil('main  ', e.ts).toFixed(0).padStart(4)} ms, worker ${cpuUntil('worker', e.ts).toFixed(0).padStart(4)} ms`,
    );
  }
  console.log(rows.join('\n'));
  return { firstChart: marks['ql:first-chart'], states: marks['ql:rule-states'] };
}

const server = spawn(
  'npx',
  ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
  { cwd: root, stdio: 'ignore', detached: true },
);
try {
  await waitForServer(base);
  const browser = await launchChromium();
  for (let i = 0; i < loads; i++) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    // Marks the moments the bench reads (first chart line, first rule state) in the trace.
    await context.addInitScript(`new MutationObserver((_, o) => {
  if (!window.__chart && document.querySelector('[data-testid="chart-up"] .recharts-line-curve')) {
    window.__chart = 1; performance.mark('ql:first-chart');
  }
  if ([...document.querySelectorAll('[data-testid$="-state"]')].some((e) => /inactive|pending|firing/.test(e.textContent))) {
    performance.mark('ql:rule-states'); o.disconnect();
  }
}).observe(document, { childList: true, subtree: true, characterData: true });`);
    const page = await context.newPage();
    await browser.startTracing(page, {
      categories: [
        'devtools.timeline',
        'disabled-by-default-devtools.timeline',
        'toplevel',
        'v8',
        'v8.execute',
        'blink.user_timing',
        'loading',
        'disabled-by-default-v8.gc',
        ...(out && i === loads - 1 ? ['disabled-by-default-v8.cpu_profiler'] : []),
      ],
    });
    await page.goto(base);
    await page
      .locator('[data-testid="chart-up"] .recharts-line-curve')
      .first()
      .waitFor({ state: 'attached' });
    const chart = await page.evaluate(() => performance.now());
    await page
      .locator('[data-testid$="-state"]')
      .filter({ hasText: /inactive|pending|firing/ })
      .first()
      .waitFor({ state: 'attached', timeout: 60_000 });
    const states = await page.evaluate(() => performance.now());
    await page.waitForTimeout(300);
    const json = (await browser.stopTracing()).toString('utf8');
    if (out && i === loads - 1) writeFileSync(out, json);
    console.log(
      `\n## load ${i + 1}: first chart ${chart.toFixed(0)} ms, rule states ${states.toFixed(0)} ms (as the bench reads them: performance.now() once seen); load ${(loadavg()[0] ?? NaN).toFixed(1)}`,
    );
    summarise((JSON.parse(json) as { traceEvents: TraceEvent[] }).traceEvents);
    await context.close();
  }
  await browser.close();
} finally {
  try {
    if (server.pid) process.kill(-server.pid);
  } catch {
    // Already gone.
  }
}
