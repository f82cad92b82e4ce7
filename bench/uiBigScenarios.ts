// The big scenarios of issue 15 as a person meets them: the page is open on a 5-member (then a
// 7-member) document at 15s, and the Duration control is set to 24h. Timed in the page from the
// control's change event until every chart and state band is drawn from the new evaluation, with
// the longest main-thread task (Long Tasks API) in that time. `ui.bench.ts` runs it; alone:
// `npx vite build && npx tsx bench/uiBigScenarios.ts` (BENCH_PORT, BENCH_URL, BENCH_RUNS; and
// BENCH_TRACE=file.json keeps each scenario's trace, with CPU samples, as file-5.json, file-7.json).
import type { Browser } from '@playwright/test';
import { launchChromium, waitForServer, type TraceEvent } from './chromium.ts';
import { defaultScenario } from '../src/sim/index.ts';
import { defaultRules, encodeDocForUrl, simulated } from '../src/lab/index.ts';

/**
 * Long tasks with their start, so that those of one interaction can be picked out; and tsx's
 * `__name` helper, which it wraps the named functions of code sent to the page in.
 */
const BIG_TASKS = `window.__name = window.__name || ((f) => f);
window.__bigTasks = [];
new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__bigTasks.push([e.startTime, e.duration]); })
  .observe({ type: 'longtask', buffered: true });`;

/** One big scenario's figures. */
export interface BigScenarioFigures {
  readonly members: number;
  /** From choosing 24h to every chart and band drawn, ms. */
  readonly drawnMs: number;
  /** The longest main-thread task in that time, ms. */
  readonly longestTaskMs: number;
  /** How many tasks over 50 ms in that time. */
  readonly longTasks: number;
  /**
   * From Chromium's trace of that time: the CPU time of the page's longest main-thread task and
   * of all its main-thread tasks, and of the workers' tasks, ms. On a loaded machine wall times
   * stretch with the load; these say what the page itself asked of the CPU.
   */
  readonly cpu: { readonly longestTask: number; readonly main: number; readonly workers: number };
}

/** The CPU time of the renderer's main-thread tasks and of its workers' tasks in a trace. */
export function traceCpu(json: string): BigScenarioFigures['cpu'] {
  const trace = JSON.parse(json) as { traceEvents: TraceEvent[] };
  const names = new Map<string, string>();
  for (const e of trace.traceEvents)
    if (e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  let longestTask = 0;
  let main = 0;
  let workers = 0;
  for (const e of trace.traceEvents) {
    if (e.ph !== 'X' || e.name !== 'ThreadControllerImpl::RunTask') continue;
    const thread = names.get(`${e.pid}:${e.tid}`) ?? '';
    const cpu = (e.tdur ?? 0) / 1000;
    if (thread === 'CrRendererMain') {
      main += cpu;
      longestTask = Math.max(longestTask, cpu);
    } else if (thread === 'DedicatedWorker thread') workers += cpu;
  }
  return { longestTask, main, workers };
}

/**
 * Opens the page on a document of `members` members at 15s (its duration the default 1h), waits
 * for it to be drawn and the page to settle, then chooses 24h in the Duration control.
 */
export async function measureBigScenario(
  browser: Browser,
  base: string,
  members: number,
): Promise<BigScenarioFigures> {
  const doc = {
    source: simulated({
      ...defaultScenario,
      members,
      scrapeInterval: 15_000,
      evaluationInterval: 15_000,
    }),
    rules: defaultRules,
  };
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  try {
    await context.addInitScript(BIG_TASKS);
    const page = await context.newPage();
    await page.goto(`${base}#s=${await encodeDocForUrl(doc)}`);
    await page.getByTestId('status').filter({ hasText: 'evaluated in' }).waitFor();
    await page
      .locator('[data-testid="chart-up"] .recharts-line-curve')
      .first()
      .waitFor({ state: 'attached' });
    // Let the background work of a fresh page (matrix, sweep, lint) finish first.
    await page.waitForFunction(
      () => {
        const cells = [...document.querySelectorAll('[data-testid="matrix"] td')];
        return cells.length > 0 && cells.every((c) => c.textContent !== '…');
      },
      undefined,
      { timeout: 120_000 },
    );
    await page.waitForTimeout(1000);
    const duration = page.getByRole('combobox', { name: 'Duration', exact: true });
    const handle = await duration.elementHandle();
    if (!handle) throw new Error('no Duration control');
    // BENCH_TRACE=<file>: the whole trace, with CPU samples, for bench/traceSummary.ts.
    const traceFile = process.env['BENCH_TRACE']?.replace(/(\.json)?$/, `-${members}.json`);
    await browser.startTracing(page, {
      ...(traceFile && { path: traceFile }),
      categories: [
        'devtools.timeline',
        'toplevel',
        ...(traceFile
          ? [
              'disabled-by-default-devtools.timeline',
              'v8',
              'v8.execute',
              'blink.user_timing',
              'disabled-by-default-v8.cpu_profiler',
            ]
          : []),
      ],
    });
    const { ms, t0 } = await handle.evaluate(
      (el) =>
        new Promise<{ ms: number; t0: number }>((resolveTime, reject) => {
          const select = el as HTMLSelectElement;
          const html = document.documentElement;
          const before = html.dataset.rendered;
          // Drawn: a new view rendered, no chart waiting for its slice, every chart with its
          // lines (or its empty text), every band with its spans, and the status saying so.
          const drawn = () => {
            if (html.dataset.rendered === before) return false;
            if (document.querySelector('.chart-pending')) return false;
            const status = document.querySelector('[data-testid="status"]')?.textContent ?? '';
            if (!status.includes('evaluated in')) return false;
            const charts = [...document.querySelectorAll('main figure.chart')];
            if (charts.length === 0) return false;
            for (const c of charts)
              if (!c.querySelector('.recharts-line-curve, .chart-empty')) return false;
            const bands = [...document.querySelectorAll('main .band-track')];
            if (bands.length === 0) return false;
            for (const b of bands) if (!b.querySelector('.band-span, .band-empty')) return false;
            return true;
          };
          setTimeout(() => reject(new Error('not drawn within 300 s')), 300_000);
          const observer = new MutationObserver(() => {
            if (!drawn()) return;
            observer.disconnect();
            // The next frame is painted once this rAF's task ends.
            requestAnimationFrame(() =>
              setTimeout(() => resolveTime({ ms: performance.now() - t0, t0 }), 0),
            );
          });
          observer.observe(document.documentElement, {
            attributes: true,
            childList: true,
            subtree: true,
            characterData: true,
          });
          const t0 = performance.now();
          select.value = String(24 * 3600_000);
          select.dispatchEvent(new Event('change', { bubbles: true }));
        }),
    );
    const cpu = traceCpu((await browser.stopTracing()).toString('utf8'));
    const tasks = await page.evaluate(
      (from) =>
        (window as unknown as { __bigTasks: [number, number][] }).__bigTasks
          .filter(([start]) => start >= from - 1)
          .map(([, d]) => d),
      t0,
    );
    return {
      members,
      drawnMs: ms,
      longestTaskMs: Math.max(0, ...tasks),
      longTasks: tasks.length,
      cpu,
    };
  } finally {
    await context.close();
  }
}

// Run alone: the big scenarios only, against a `vite preview` already serving the build at
// BENCH_URL, or one started here on BENCH_PORT.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { spawn } = await import('node:child_process');
  const { loadavg } = await import('node:os');
  const { resolve } = await import('node:path');
  const port = Number(process.env['BENCH_PORT'] ?? 4391);
  const base = process.env['BENCH_URL'] ?? `http://127.0.0.1:${port}/`;
  const server = process.env['BENCH_URL']
    ? null
    : spawn(
        'npx',
        ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
        { cwd: resolve(import.meta.dirname, '..'), stdio: 'ignore', detached: true },
      );
  try {
    await waitForServer(base);
    const browser = await launchChromium();
    const runs = Number(process.env['BENCH_RUNS'] ?? 1);
    for (let r = 0; r < runs; r++)
      for (const members of [5, 7]) {
        const f = await measureBigScenario(browser, base, members);
        console.log(
          `${members} members, Duration 24h chosen → drawn ${f.drawnMs.toFixed(0)} ms, longest task ${f.longestTaskMs.toFixed(0)} ms (${f.longTasks} long tasks); CPU: longest task ${f.cpu.longestTask.toFixed(0)} ms, main thread ${f.cpu.main.toFixed(0)} ms, workers ${f.cpu.workers.toFixed(0)} ms; load ${(loadavg()[0] ?? NaN).toFixed(1)}`,
        );
      }
    await browser.close();
  } finally {
    try {
      if (server?.pid) process.kill(-server.pid);
    } catch {
      // Already gone.
    }
  }
}
