// The verdict first: what really failed in the scenario and, for each rule, whether it fired and
// how it did against its intent (the failures it must catch caught, missed or late; firing with
// nothing failing or on failures it should tolerate). It sits above everything else, so the
// lesson of a scenario is on the first screen; the matrix judges every preset alike.
import type { Member } from '../../sim/index.ts';
import type { FailureEpisode, RuleView } from '../../lab/index.ts';
import {
  describeIntent,
  judgementTexts,
  ruleVerdict,
  scenarioFailures,
  type RuleVerdict,
} from '../../lab/index.ts';
import { formatOffset } from './format.ts';

/** Props of the verdict panel. */
export interface VerdictPanelProps {
  readonly rules: readonly RuleView[];
  readonly members: readonly Member[];
  readonly end: number;
  readonly onCursor: (t: number) => void;
}

function memberOf(members: readonly Member[], e: FailureEpisode): string {
  if (e.member === null) return 'the cluster';
  return members.find((m) => m.index === e.member)?.name ?? `etcd-${e.member}`;
}

function failureText(members: readonly Member[], e: FailureEpisode, end: number): string {
  const until = e.to >= end ? 'to the end' : `to ${formatOffset(e.to)}`;
  return `${memberOf(members, e)} from ${formatOffset(e.from)} ${until}`;
}

function verdictText(v: RuleVerdict, members: readonly Member[]): string {
  if (v.broken) return 'not evaluated: its expression has an error.';
  const parts = [
    v.firstFiring === null ? 'never fired' : `fired at ${formatOffset(v.firstFiring)}`,
  ];
  if (v.judgement) parts.push(...judgementTexts(v.judgement, members));
  return `${parts.join('; ')}.`;
}

/** Good news (green), noise (orange) or a miss (red), as the matrix colours its cells. */
function verdictClass(v: RuleVerdict): string {
  if (v.broken) return 'verdict-broken';
  switch (v.judgement?.grade) {
    case 'misses':
      return 'verdict-bad';
    case 'noisy':
      return 'verdict-noisy';
    case 'good':
      return 'verdict-good';
    default:
      return 'verdict-unjudged';
  }
}

/** The scenario's failures and each rule's verdict, in words. */
export function VerdictPanel({ rules, members, end, onCursor }: VerdictPanelProps) {
  const failures = scenarioFailures(rules);
  return (
    <section
      className="panel verdict"
      aria-labelledby="verdict-title"
      data-testid="verdict"
      data-lesson-target="verdict"
    >
      <header className="panel-header">
        <h2 id="verdict-title">Verdict</h2>
        <span className="note" data-testid="verdict-truth">
          {failures === null
            ? 'No ground truth for imported series: nothing to judge the rules against.'
            : failures.length === 0
              ? 'Nothing failed: any alert that fires here is a false alarm.'
              : `What really failed: ${failures.map((e) => failureText(members, e, end)).join('; ')}.`}
        </span>
      </header>
      <ul className="verdicts">
        {rules.map((r) => {
          const v = ruleVerdict(r);
          const at = v.firstFiring ?? v.missed[0]?.from ?? null;
          return (
            <li key={r.id} className={verdictClass(v)} data-testid={`verdict-${r.id}`}>
              <strong>{r.alert}</strong>{' '}
              <span
                data-testid={`verdict-${r.id}-text`}
                title={
                  v.judgement ? `Its intent: it ${describeIntent(v.judgement.intent)}.` : undefined
                }
              >
                {verdictText(v, members)}
              </span>
              {at !== null ? (
                <button
                  type="button"
                  className="link-button"
                  onClick={() => onCursor(at)}
                  aria-label={`Move the cursor to ${formatOffset(at)} for ${r.alert}`}
                >
                  see at {formatOffset(at)}
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
