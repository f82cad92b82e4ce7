// The page's side of the evaluation worker: one worker, requests numbered, only the newest answer
// delivered. A request that is overtaken by a newer one is dropped when its answer arrives.
import type { Scenario } from '../../sim/index.ts';
import type { RuleDraft } from '../model/rulePresets.ts';
import type { ViewModel } from '../model/evaluateView.ts';
import type { EvaluateRequest, EvaluateResponse } from './protocol.ts';

/** What the bridge reports back for the newest request. */
export type EvaluationOutcome =
  { ok: true; view: ViewModel; ms: number } | { ok: false; error: string };

/** Sends evaluations to a worker and reports only the newest one's outcome. */
export class EvaluationBridge {
  private readonly worker: Worker;
  private latest = 0;

  constructor(private readonly onOutcome: (outcome: EvaluationOutcome) => void) {
    this.worker = new Worker(new URL('./evalWorker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<EvaluateResponse>) => {
      const r = e.data;
      if (r.id !== this.latest) return;
      this.onOutcome(r.ok ? { ok: true, view: r.view, ms: r.ms } : { ok: false, error: r.error });
    };
    this.worker.onerror = (e) => {
      this.onOutcome({ ok: false, error: `evaluation worker failed: ${e.message}` });
    };
  }

  /** Starts evaluating; any earlier request still running becomes stale. */
  evaluate(scenario: Scenario, rules: readonly RuleDraft[]): void {
    this.latest += 1;
    const request: EvaluateRequest = { id: this.latest, scenario, rules };
    this.worker.postMessage(request);
  }
}
