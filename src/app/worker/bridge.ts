// The page's side of the evaluation worker: one worker, requests numbered per kind, only the
// newest answer of each kind delivered. An overtaken request's answer is dropped on arrival. An
// evaluation asked for while one is running waits on the page, only the newest kept, and is sent
// when the running one is answered: a slider dragged faster than the worker evaluates sends the
// values the worker can take, each drawn as it comes, and never a queue of values already left
// behind.
import type { ExplainNode } from '../../promql/index.ts';
import type { ScenarioSource } from '../../lab/index.ts';
import type { RuleDraft } from '../../lab/index.ts';
import { applyUpdate, viewBase, type ViewModel } from '../../lab/index.ts';
import type { RuleLint } from '../../lab/index.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';
import { markLoadStage } from '../loadMarks.ts';
import { startPageWorker } from './role.ts';

/** What the bridge reports back for the newest evaluation. */
export type EvaluationOutcome =
  | {
      ok: true;
      view: ViewModel;
      ms: number;
      /** The raw series of a new scenario, before its rules are evaluated; the rest follows. */
      partial?: true;
      /**
       * The answer to an evaluation overtaken while it ran: drawn meanwhile, the newest document
       * is being evaluated now.
       */
      intermediate?: true;
    }
  | {
      ok: false;
      error: string;
      /** Set when the worker was stopped: it ran past its budget, or the user cancelled. */
      stopped?: 'budget' | 'cancelled';
    };

/** What the bridge reports back for the newest explanation. */
export type ExplainOutcome = { ok: true; tree: ExplainNode } | { ok: false; error: string };

/** What an explanation explains: a rule's expression at a time of a source. */
export interface ExplainedInput {
  readonly source: ScenarioSource;
  readonly expr: string;
  readonly t: number;
}

/** What lints were made for: the rules on a source. */
export interface LintedInput {
  readonly source: ScenarioSource;
  readonly rules: readonly RuleDraft[];
}

/** How far the newest evaluation is: `done` of `total` steps. */
export interface EvaluationProgress {
  readonly done: number;
  readonly total: number;
}

/**
 * How long the worker may go without a word (an answer or progress) while work is waiting, ms.
 * Every step of an evaluation reports progress, so this bounds one step (simulating the scenario,
 * or one rule over it), not a whole heavy document.
 */
export const DEFAULT_EVAL_BUDGET_MS = 30_000;

/** What the user is told when the worker was stopped. */
export function stoppedMessage(reason: 'budget' | 'cancelled', budgetMs: number): string {
  const what =
    reason === 'budget'
      ? `The evaluation was stopped: it ran for more than ${budgetMs / 1000} s without progress, so a rule or the scenario is too heavy for this page (a regex that backtracks, a subquery with a tiny step, a very long scenario).`
      : 'The evaluation was cancelled.';
  return `${what} Nothing is lost: edit the rule or the scenario, Undo the last change, or reset to the default scenario.`;
}

/** Sends work to a worker and reports only the newest request's outcome of each kind. */
export class EvaluationBridge {
  private worker!: Worker;
  private latest = { evaluate: 0, explain: 0, lint: 0 };
  /** The newest id of each kind the worker answered (or that will never be answered). */
  private answered = { evaluate: 0, explain: 0, lint: 0 };
  private lastEvaluate: { source: ScenarioSource; rules: readonly RuleDraft[] } | null = null;
  /** What the newest explanation and lint requests were made for. */
  private lastExplain: ExplainedInput | null = null;
  private lastLint: LintedInput | null = null;
  /** The newest evaluation asked for while another ran: sent when that one is answered. */
  private pendingEvaluate: { source: ScenarioSource; rules: readonly RuleDraft[] } | null = null;
  private watchdog: ReturnType<typeof setTimeout> | null = null;

  /**
   * `currentView` is the view the page shows: the worker leaves out what it already has. Only the
   * newest answer is applied, so the page's view is the one the newest request was built on.
   * `budgetMs` bounds how long the worker may stay silent while work waits; then it is
   * terminated, a fresh one started, and the evaluation reported as stopped.
   */
  constructor(
    private readonly onEvaluated: (outcome: EvaluationOutcome) => void,
    private readonly onExplained: (outcome: ExplainOutcome, of: ExplainedInput) => void,
    private readonly onLinted: (
      lints: Readonly<Record<string, readonly RuleLint[]>>,
      of: LintedInput,
    ) => void,
    private readonly currentView: () => ViewModel | null = () => null,
    private readonly budgetMs: number = DEFAULT_EVAL_BUDGET_MS,
    private readonly onProgress: (p: EvaluationProgress) => void = () => {},
  ) {
    this.startWorker();
  }

  private startWorker(): void {
    this.worker = startPageWorker('eval');
    this.worker.onmessage = (e: MessageEvent<WorkerResponse>) => {
      const r = e.data;
      this.heard();
      if (r.kind === 'progress') {
        if (r.id === this.latest.evaluate) this.onProgress({ done: r.done, total: r.total });
        return;
      }
      if (r.kind === 'evaluate') markLoadStage(r.ok && r.partial ? 'answer-partial' : 'answer');
      if (r.kind === 'evaluate' && r.ok && r.partial) {
        if (r.id !== this.latest.evaluate) return;
        const view = applyUpdate(this.currentView(), r.update);
        // The page no longer has what it builds on: the whole answer follows anyway.
        if (view) this.onEvaluated({ ok: true, view, ms: r.ms, partial: true });
        return;
      }
      this.answered[r.kind] = Math.max(this.answered[r.kind], r.id);
      if (!this.waiting()) this.disarm();
      if (r.id !== this.latest[r.kind]) return;
      if (r.kind === 'evaluate' && this.pendingEvaluate) {
        // Overtaken while it ran: drawn if it can be (an error is left for the newest to tell),
        // and the newest evaluation sent, on the view the page now shows.
        const next = this.pendingEvaluate;
        this.pendingEvaluate = null;
        const view = r.ok ? applyUpdate(this.currentView(), r.update) : null;
        if (r.ok && view) this.onEvaluated({ ok: true, view, ms: r.ms, intermediate: true });
        return this.startEvaluate(next.source, next.rules, viewBase(this.currentView()));
      }
      if (r.kind === 'evaluate') {
        if (!r.ok) return this.onEvaluated({ ok: false, error: r.error });
        const view = applyUpdate(this.currentView(), r.update);
        // The page no longer has what the update builds on: ask for the whole view.
        if (!view) return this.resendWhole();
        this.onEvaluated({ ok: true, view, ms: r.ms });
      } else if (r.kind === 'lint') {
        if (r.ok && this.lastLint) this.onLinted(r.lints, this.lastLint);
      } else if (this.lastExplain) {
        this.onExplained(
          r.ok ? { ok: true, tree: r.tree } : { ok: false, error: r.error },
          this.lastExplain,
        );
      }
    };
    this.worker.onerror = (e) => {
      this.onEvaluated({ ok: false, error: `evaluation worker failed: ${e.message}` });
    };
  }

  /** Whether a request's answer is still to come. */
  private waiting(): boolean {
    return (
      this.answered.evaluate < this.latest.evaluate ||
      this.answered.lint < this.latest.lint ||
      this.answered.explain < this.latest.explain
    );
  }

  private disarm(): void {
    if (this.watchdog !== null) clearTimeout(this.watchdog);
    this.watchdog = null;
  }

  /** The worker spoke: its budget starts again. */
  private heard(): void {
    this.disarm();
    this.watchdog = setTimeout(() => this.stop('budget'), this.budgetMs);
  }

  /** Terminates the worker (past its budget, or cancelled) and starts a fresh one. */
  private stop(reason: 'budget' | 'cancelled'): void {
    this.disarm();
    if (!this.waiting()) return;
    this.worker.terminate();
    this.answered = { ...this.latest };
    // What waited for the stopped evaluation goes with it, as it did when it waited in the worker.
    this.pendingEvaluate = null;
    this.startWorker();
    this.onEvaluated({ ok: false, error: stoppedMessage(reason, this.budgetMs), stopped: reason });
  }

  /** Stops the work in progress, if any; the page keeps what it shows. */
  cancel(): void {
    this.stop('cancelled');
  }

  /** Ends the worker for good (the page is leaving). */
  dispose(): void {
    this.disarm();
    this.worker.terminate();
  }

  /** The id of a new request of a kind; the budget starts if the worker was idle. */
  private next(kind: WorkerRequest['kind']): number {
    // The budget runs from the moment the idle worker is asked; a busy one is already timed.
    if (!this.waiting()) this.heard();
    return ++this.latest[kind];
  }

  private send(req: WorkerRequest): void {
    if (req.kind === 'evaluate') markLoadStage('sent');
    this.worker.postMessage(req);
  }

  /**
   * Starts evaluating; any earlier evaluation still running becomes stale. While one runs, the
   * newest document waits here and is sent when it is answered.
   */
  evaluate(source: ScenarioSource, rules: readonly RuleDraft[]): void {
    if (this.answered.evaluate < this.latest.evaluate) {
      this.pendingEvaluate = { source, rules };
      return;
    }
    this.startEvaluate(source, rules, viewBase(this.currentView()));
  }

  private startEvaluate(
    source: ScenarioSource,
    rules: readonly RuleDraft[],
    base: ReturnType<typeof viewBase>,
  ): void {
    const id = this.next('evaluate');
    this.lastEvaluate = { source, rules };
    this.send({ kind: 'evaluate', id, source, rules, base });
  }

  private resendWhole(): void {
    if (this.lastEvaluate)
      this.startEvaluate(this.lastEvaluate.source, this.lastEvaluate.rules, null);
  }

  /** Starts linting the rules on the source; an earlier lint becomes stale. */
  lint(source: ScenarioSource, rules: readonly RuleDraft[]): void {
    this.lastLint = { source, rules };
    this.send({ kind: 'lint', id: this.next('lint'), source, rules });
  }

  /** Starts explaining one rule at time t; an earlier explanation becomes stale. */
  explain(source: ScenarioSource, rule: RuleDraft, t: number): void {
    this.lastExplain = { source, expr: rule.expr, t };
    this.send({ kind: 'explain', id: this.next('explain'), source, rule, t });
  }
}
