// What each rule did on the scenario against the ground truth and its intent, in a few figures:
// whether and when it fired, which failures it had to catch it caught, missed or caught late, and
// how long it fired with nothing failing or on failures it should tolerate. The page leads with
// these, so the lesson of a scenario is seen before any chart; the matrix judges alike.
import type { FailureEpisode } from './scorecard.ts';
import type { RuleView } from './evaluateView.ts';
import { isMiss, type JudgedFailure, type Judgement } from './intent.ts';

/** One rule's verdict on a scenario. */
export interface RuleVerdict {
  readonly id: string;
  readonly alert: string;
  /** Broken: its expression failed; the rule has no states to judge. */
  readonly broken: boolean;
  /** When the rule first fired, ms from the start; null if it never did. */
  readonly firstFiring: number | null;
  /** The failures it had to catch (longer than its tolerance) that it caught by the deadline. */
  readonly caught: number;
  /** The failures it had to catch, or may still have to (undecided at the end). */
  readonly failures: number;
  /** The failures it had to catch and missed or caught after the deadline. */
  readonly missed: readonly JudgedFailure[];
  /** Firing with nothing failing, ms; null without a ground truth. */
  readonly falseFiringMs: number | null;
  /** The judgement against the rule's intent; null without a ground truth. */
  readonly judgement: Judgement | null;
}

/** The verdict of one rule's view. */
export function ruleVerdict(view: RuleView): RuleVerdict {
  const firing = view.spans.find((s) => s.state === 'firing');
  const judgement = view.scorecard?.judgement ?? null;
  const failures = judgement?.failures.filter((f) => f.verdict !== 'tolerated') ?? [];
  return {
    id: view.id,
    alert: view.alert,
    broken: view.error !== null,
    firstFiring: firing ? firing.from : null,
    caught: failures.filter((f) => f.verdict === 'caught').length,
    failures: failures.length,
    missed: failures.filter(isMiss),
    falseFiringMs: judgement ? judgement.falseFiringMs : null,
    judgement,
  };
}

/** The real failures of the scenario, as every rule's scorecard sees them (the same truth). */
export function scenarioFailures(views: readonly RuleView[]): readonly FailureEpisode[] | null {
  const scored = views.find((v) => v.scorecard !== null);
  return scored?.scorecard?.episodes ?? null;
}
