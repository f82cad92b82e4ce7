// Messages of the background worker, which computes the rules-by-presets matrix and sweeps
// without delaying the interactive worker. Every request has an id; a newer request of the same
// kind makes an older one stale, and stale work stops at its next step.
import type { RuleDraft } from '../../lab/index.ts';
import type { MatrixCell, Progress, RewriteCheck, SweepPoint } from '../../lab/index.ts';

/** A request to the background worker. */
export type BackgroundRequest =
  | { readonly kind: 'matrix'; readonly id: number; readonly rules: readonly RuleDraft[] }
  | {
      readonly kind: 'sweep';
      readonly id: number;
      readonly rule: RuleDraft;
      readonly tunableKey: string;
    }
  /** The fixes the rules' findings could offer, each checked on every preset. */
  | { readonly kind: 'fixes'; readonly id: number; readonly rules: readonly RuleDraft[] };

/** What the background worker sends back: progress, then a result or an error. */
export type BackgroundResponse =
  | { readonly kind: BackgroundKind; readonly id: number; readonly progress: Progress }
  | { readonly kind: 'matrix'; readonly id: number; readonly cells: MatrixCell[] }
  | { readonly kind: 'sweep'; readonly id: number; readonly points: SweepPoint[] }
  | { readonly kind: 'fixes'; readonly id: number; readonly checks: RewriteCheck[] }
  | { readonly kind: BackgroundKind; readonly id: number; readonly error: string };

/** The kinds of background work; a newer request of a kind makes the older one stale. */
export type BackgroundKind = 'matrix' | 'sweep' | 'fixes';
