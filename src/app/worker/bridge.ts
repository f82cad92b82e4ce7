// The page's side of the evaluation worker: one worker, requests numbered per kind, only the
// newest answer of each kind delivered. An overtaken request's answer is dropped on arrival.
import type { ExplainNode } from '../../promql/index.ts';
import type { ScenarioSource } from '../../lab/index.ts';
import type { RuleDraft } from '../../lab/index.ts';
import { applyUpdate, viewBase, type ViewModel } from '../../lab/index.ts';
import type { RuleLint } from '../../lab/index.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';

/** What the bridge reports back for the newest evaluation. */
export type EvaluationOutcome =
  { ok: true; view: ViewModel; ms: number } | { ok: false; error: string };

/** What the bridge reports back for the newest explanation. */
export type ExplainOutcome = { ok: true; tree: ExplainNode } | { ok: false; error: string };

/** Sends work to a worker and reports only the newest request's outcome of each kind. */
export class EvaluationBridge {
  private readonly worker: Worker;
  private latest = { evaluate: 0, explain: 0, lint: 0 };
  private lastEvaluate: { source: ScenarioSource; rules: readonly RuleDraft[] } | null = null;

  /**
   * `currentView` is the view the page shows: the worker leaves out what it already has. Only the
   * newest answer is applied, so the page's view is the one the newest request was built on.
   */
  constructor(
    private readonly onEvaluated: (outcome: EvaluationOutcome) => void,
    private readonly onExplained: (outcome: ExplainOutcome) => void,
    private readonly onLinted: (lints: Readonly<Record<string, readonly RuleLint[]>>) => void,
    private readonly currentView: () => ViewModel | null = () => null,
  ) {
    this.worker = new Worker(new URL('./evalWorker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<WorkerResponse>) => {
      const r = e.data;
      if (r.id !== this.latest[r.kind]) return;
      if (r.kind === 'evaluate') {
        if (!r.ok) return this.onEvaluated({ ok: false, error: r.error });
        const view = applyUpdate(this.currentView(), r.update);
        // The page no longer has what the update builds on: ask for the whole view.
        if (!view) return this.resendWhole();
        this.onEvaluated({ ok: true, view, ms: r.ms });
      } else if (r.kind === 'lint') {
        if (r.ok) this.onLinted(r.lints);
      } else {
        this.onExplained(r.ok ? { ok: true, tree: r.tree } : { ok: false, error: r.error });
      }
    };
    this.worker.onerror = (e) => {
      this.onEvaluated({ ok: false, error: `evaluation worker failed: ${e.message}` });
    };
  }

  private send(req: WorkerRequest): void {
    this.worker.postMessage(req);
  }

  /** Starts evaluating; any earlier evaluation still running becomes stale. */
  evaluate(source: ScenarioSource, rules: readonly RuleDraft[]): void {
    this.startEvaluate(source, rules, viewBase(this.currentView()));
  }

  private startEvaluate(
    source: ScenarioSource,
    rules: readonly RuleDraft[],
    base: ReturnType<typeof viewBase>,
  ): void {
    this.latest.evaluate += 1;
    this.lastEvaluate = { source, rules };
    this.send({ kind: 'evaluate', id: this.latest.evaluate, source, rules, base });
  }

  private resendWhole(): void {
    if (this.lastEvaluate)
      this.startEvaluate(this.lastEvaluate.source, this.lastEvaluate.rules, null);
  }

  /** Starts linting the rules on the source; an earlier lint becomes stale. */
  lint(source: ScenarioSource, rules: readonly RuleDraft[]): void {
    this.latest.lint += 1;
    this.send({ kind: 'lint', id: this.latest.lint, source, rules });
  }

  /** Starts explaining one rule at time t; an earlier explanation becomes stale. */
  explain(source: ScenarioSource, rule: RuleDraft, t: number): void {
    this.latest.explain += 1;
    this.send({ kind: 'explain', id: this.latest.explain, source, rule, t });
  }
}
