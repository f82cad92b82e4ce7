// Messages between the page and the evaluation worker. Each request carries an increasing id per
// kind; the page keeps only the answer to its newest request, so stale results never reach the
// screen.
import type { ExplainNode } from '../../promql/index.ts';
import type { ScenarioSource } from '../../lab/index.ts';
import type { RuleDraft } from '../../lab/index.ts';
import type { ViewBase, ViewUpdate } from '../../lab/index.ts';
import type { RuleLint } from '../../lab/index.ts';

/** A request to the worker. */
export type WorkerRequest =
  | {
      readonly kind: 'evaluate';
      readonly id: number;
      readonly source: ScenarioSource;
      readonly rules: readonly RuleDraft[];
      /** What the page already shows, left out of the answer. */
      readonly base: ViewBase | null;
    }
  | {
      readonly kind: 'lint';
      readonly id: number;
      readonly source: ScenarioSource;
      readonly rules: readonly RuleDraft[];
    }
  | {
      readonly kind: 'explain';
      readonly id: number;
      readonly source: ScenarioSource;
      readonly rule: RuleDraft;
      readonly t: number;
    };

/** The worker's answer to one request. */
export type WorkerResponse =
  | {
      readonly kind: 'evaluate';
      readonly id: number;
      readonly ok: true;
      readonly update: ViewUpdate;
      readonly ms: number;
      /**
       * A first answer for a new scenario: its raw series charted, no rule evaluated yet. The
       * whole answer follows.
       */
      readonly partial?: true;
    }
  | { readonly kind: 'explain'; readonly id: number; readonly ok: true; readonly tree: ExplainNode }
  | {
      readonly kind: 'lint';
      readonly id: number;
      readonly ok: true;
      readonly lints: Readonly<Record<string, readonly RuleLint[]>>;
    }
  | {
      readonly kind: 'evaluate' | 'explain' | 'lint';
      readonly id: number;
      readonly ok: false;
      readonly error: string;
    }
  | {
      /** How far the evaluation `id` is: `done` of `total` steps (the scenario, then each rule). */
      readonly kind: 'progress';
      readonly id: number;
      readonly done: number;
      readonly total: number;
    };
