// The Web Worker that runs the simulator (or parses imported series) and the engine off the page's main thread. The newest
// prepared scenario is kept, so editing a rule does not simulate the cluster again.
import { explainInstant } from '../../promql/index.ts';
import {
  evaluateView,
  newThinMemo,
  prepareSource,
  thinView,
  toUpdate,
  viewBase,
  type PreparedScenario,
  type ThinMemo,
} from '../../lab/index.ts';
import type { ScenarioSource } from '../../lab/index.ts';
import { lintRule, type LintMemo, type RuleLint } from '../../lab/index.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';
import { newestOfEachKind } from './queue.ts';
import { createRecordingLoader } from './recordingLoader.ts';
import { markLoadStage } from '../loadMarks.ts';
import { playsRole } from './role.ts';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerResponse): void;
};

/** The recordings' series this worker has loaded. */
const loadRecording = createRecordingLoader();

/** The newest prepared source, with what linting and thinning keep on it. */
let cached: { key: string; prepared: PreparedScenario; lint: LintMemo; thin: ThinMemo } | null =
  null;

/** Whether the source is the one prepared last (its series are in the store). */
function isPrepared(source: ScenarioSource): boolean {
  return cached?.key === JSON.stringify(source);
}

/** The prepared source; a recording's series are fetched first, the first time it is asked. */
async function prepare(source: ScenarioSource): Promise<NonNullable<typeof cached>> {
  const key = JSON.stringify(source);
  if (cached?.key === key) return cached;
  const loaded = source.kind === 'recorded' ? await loadRecording(source.recording) : undefined;
  cached = { key, prepared: prepareSource(source, loaded), lint: {}, thin: newThinMemo() };
  return cached;
}

async function prepared(source: ScenarioSource): Promise<PreparedScenario> {
  return (await prepare(source)).prepared;
}

// Requests wait here until the worker is free; see newestOfEachKind.
let inbox: WorkerRequest[] = [];

// Only in a worker started for this role: the page's workers share one bundle (role.ts).
if (playsRole('eval')) scope.onmessage = onMessage;

// While a recording's series load, requests gather in the inbox and are drained after.
let busy = false;

function onMessage(e: MessageEvent<WorkerRequest>): void {
  if (e.data.kind === 'evaluate') markLoadStage('worker-request');
  inbox.push(e.data);
  // Drained in a task of its own, after the messages that arrived during the last run.
  if (!busy && inbox.length === 1) setTimeout(() => void drain(), 0);
}

async function drain(): Promise<void> {
  busy = true;
  try {
    while (inbox.length > 0) {
      const batch = newestOfEachKind(inbox);
      inbox = [];
      for (const req of batch) await handle(req);
    }
  } finally {
    busy = false;
  }
}

async function handle(req: WorkerRequest): Promise<void> {
  const started = performance.now();
  try {
    if (req.kind === 'evaluate') {
      // Progress in steps: preparing the scenario, then each rule.
      const total = req.rules.length + 1;
      scope.postMessage({ kind: 'progress', id: req.id, done: 0, total });
      const fresh = !isPrepared(req.source);
      const entry = await prepare(req.source);
      const p = entry.prepared;
      markLoadStage('worker-prepared');
      let base = req.base;
      // A new scenario (the page's first load among them): its raw series are charted first, and
      // the page draws them while the rules are evaluated here.
      if (fresh && req.rules.length > 0) {
        const first = evaluateView(p, []);
        scope.postMessage({
          kind: 'evaluate',
          id: req.id,
          ok: true,
          update: toUpdate(thinView(first, entry.thin), base),
          ms: performance.now() - started,
          partial: true,
        });
        base = viewBase(first);
        markLoadStage('worker-partial');
      }
      const view = evaluateView(p, req.rules, (done) =>
        scope.postMessage({ kind: 'progress', id: req.id, done: done + 1, total }),
      );
      scope.postMessage({
        kind: 'evaluate',
        id: req.id,
        ok: true,
        // Each chart only at the rows it draws: a day of evaluations is copied to the page and
        // drawn as a few hundred rows a chart. A changed rule goes as a patch of the page's
        // (thinned) view of it.
        update: toUpdate(thinView(view, entry.thin), base, (key) => {
          const shown = p.memo.rules.get(key);
          return shown && entry.thin.rules.get(shown);
        }),
        ms: performance.now() - started,
      });
      markLoadStage('worker-answer');
    } else if (req.kind === 'lint') {
      const { prepared: p, lint } = await prepare(req.source);
      const lints: Record<string, RuleLint[]> = {};
      for (const rule of req.rules) lints[rule.id] = lintRule(rule, p, lint);
      scope.postMessage({ kind: 'lint', id: req.id, ok: true, lints });
    } else {
      const p = await prepared(req.source);
      // The page's cursor is an offset on its time axis; the store holds real times.
      const r = explainInstant(req.rule.expr, p.store, p.start + req.t);
      scope.postMessage(
        r.ok
          ? { kind: 'explain', id: req.id, ok: true, tree: r.value }
          : { kind: 'explain', id: req.id, ok: false, error: r.error.message },
      );
    }
  } catch (err) {
    scope.postMessage({
      kind: req.kind,
      id: req.id,
      ok: false,
      error: err instanceof Error ? err.message : String(err),
    });
  }
}
