// Messages between the page and the evaluation worker. Each request carries an increasing id;
// the page keeps only the answer to its newest request, so stale results never reach the screen.
import type { Scenario } from '../../sim/index.ts';
import type { RuleDraft } from '../model/rulePresets.ts';
import type { ViewModel } from '../model/evaluateView.ts';

/** Asks the worker to evaluate a scenario and its rules. */
export interface EvaluateRequest {
  readonly id: number;
  readonly scenario: Scenario;
  readonly rules: readonly RuleDraft[];
}

/** The worker's answer to one request. */
export type EvaluateResponse =
  | { readonly id: number; readonly ok: true; readonly view: ViewModel; readonly ms: number }
  | { readonly id: number; readonly ok: false; readonly error: string };
