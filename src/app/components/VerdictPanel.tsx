// The verdict first: what really failed in the scenario and, for each rule, whether it fired,
// which failures it caught or missed, and how long it fired with nothing failing. It sits above
// everything else, so the lesson of a scenario is on the first screen.
import type { Member } from '../../sim/index.ts';
import type { FailureEpisode, RuleView } from '../../lab/index.ts';
import { ruleVerdict, scenarioFailures, type RuleVerdict } from '../../lab/index.ts';
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
  if (v.failures > 0) {
    parts.push(
      v.missed.length === 0
        ? `caught ${v.failures === 1 ? 'the failure' : `all ${v.failures} failures`}`
        : `missed ${v.missed.map((e) => `${memberOf(members, e)} (failed at ${formatOffset(e.from)})`).join(', ')}`,
    );
  }
  if (v.falseFiringMs !== null && v.falseFiringMs > 0)
    parts.push(`fired with nothing failing for ${formatOffset(v.falseFiringMs)}`);
  return `${parts.join('; ')}.`;
}

/** Whether a verdict is good news: every failure caught and nothing fired for nothing. */
function verdictClass(v: RuleVerdict): string {
  if (v.broken) return 'verdict-broken';
  const clean = v.missed.length === 0 && (v.falseFiringMs ?? 0) === 0;
  return clean ? 'verdict-good' : 'verdict-bad';
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
              <strong>{r.alert}</strong> {verdictText(v, members)}
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
