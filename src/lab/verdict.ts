// What each rule did on the scenario against the ground truth, in a few figures: whether and when
// it fired, which real failures it caught and which it missed, and how long it fired with nothing
// failing. The page leads with these, so the lesson of a scenario is seen before any chart.
import type { FailureEpisode } from './scorecard.ts';
import type { RuleView } from './evaluateView.ts';

/** One rule's verdict on a scenario. */
export interface RuleVerdict {
  readonly id: string;
  readonly alert: string;
  /** Broken: its expression failed; the rule has no states to judge. */
  readonly broken: boolean;
  /** When the rule first fired, ms from the start; null if it never did. */
  readonly firstFiring: number | null;
  /** The real failures (episodes) an alert of this rule caught, and all of them. */
  readonly caught: number;
  readonly failures: number;
  /** The failures no alert of this rule ever caught. */
  readonly missed: readonly FailureEpisode[];
  /** Firing with nothing failing, ms; null without a ground truth. */
  readonly falseFiringMs: number | null;
}

/** The verdict of one rule's view. */
export function ruleVerdict(view: RuleView): RuleVerdict {
  const firing = view.spans.find((s) => s.state === 'firing');
  const episodes = view.scorecard?.episodes ?? [];
  return {
    id: view.id,
    alert: view.alert,
    broken: view.error !== null,
    firstFiring: firing ? firing.from : null,
    caught: episodes.filter((e) => e.detectionDelay !== null).length,
    failures: episodes.length,
    missed: episodes.filter((e) => e.detectionDelay === null),
    falseFiringMs: view.scorecard ? view.scorecard.falseFiringMs : null,
  };
}

/** The real failures of the scenario, as every rule's scorecard sees them (the same truth). */
export function scenarioFailures(views: readonly RuleView[]): readonly FailureEpisode[] | null {
  const scored = views.find((v) => v.scorecard !== null);
  return scored?.scorecard?.episodes ?? null;
}
