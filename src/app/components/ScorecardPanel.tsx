// Each rule judged against the ground truth of the scenario and its intent (src/lab/intent.ts):
// what it should catch, editable per rule, the verdict in words, the time to firing per member's
// real failure, and flaps. The verdict panel and the matrix judge alike.
import { memo, useState } from 'react';
import {
  CATCHES_TEXT,
  defaultIntent,
  describeIntent,
  intentError,
  judgementTexts,
  parseIntentDuration,
  ruleIntent,
  type RuleDraft,
  type RuleIntent,
  type RuleView,
} from '../../lab/index.ts';
import type { Member } from '../../sim/index.ts';
import { formatOffset } from './format.ts';
import { delaysText, gradeClass, scoreDescription } from './scoreText.ts';

/** Props of the scorecard. */
export interface ScorecardPanelProps {
  readonly rules: readonly RuleView[];
  /** The rules as the document holds them, for their intents (editable with `onIntent`). */
  readonly drafts?: readonly RuleDraft[];
  readonly members?: readonly Member[];
  /** Whether there is a ground truth to judge against (not for imported series). */
  readonly hasTruth?: boolean;
  /** States a rule's intent, or (null) goes back to the derived one. */
  readonly onIntent?: (id: string, intent: RuleIntent | null) => void;
}

const catchesChoices: readonly RuleIntent['catches'][] = ['member', 'quorum', 'none'];

/** The intent of one rule, editable: what it catches, its tolerance and its deadline. */
function IntentEditor({
  rule,
  onIntent,
}: {
  rule: RuleDraft;
  onIntent: (intent: RuleIntent | null) => void;
}) {
  const intent = ruleIntent(rule);
  const derived = defaultIntent(rule);
  // The fields as typed: a duration being written is kept, with its error, until it is valid.
  const [draft, setDraft] = useState<{ tolerance: string; deadline: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const tolerance = draft?.tolerance ?? formatOffset(intent.toleranceMs);
  const deadline = draft?.deadline ?? formatOffset(intent.deadlineMs);

  const apply = (next: {
    catches?: RuleIntent['catches'];
    tolerance?: string;
    deadline?: string;
  }) => {
    const t = parseIntentDuration(next.tolerance ?? tolerance);
    const d = parseIntentDuration(next.deadline ?? deadline);
    if (!t.ok) return setError(`Tolerance: ${t.error}.`);
    if (!d.ok) return setError(`Deadline: ${d.error}.`);
    const candidate: RuleIntent = {
      catches: next.catches ?? intent.catches,
      toleranceMs: t.ms,
      deadlineMs: d.ms,
    };
    const invalid = intentError(candidate);
    if (invalid) return setError(`${invalid.charAt(0).toUpperCase()}${invalid.slice(1)}.`);
    setError(null);
    setDraft(null);
    const same =
      candidate.catches === intent.catches &&
      candidate.toleranceMs === intent.toleranceMs &&
      candidate.deadlineMs === intent.deadlineMs;
    if (!same) onIntent(candidate);
  };
  const onKey = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') apply({});
    if (e.key === 'Escape') {
      setDraft(null);
      setError(null);
    }
  };
  const edit = (field: 'tolerance' | 'deadline', value: string) =>
    setDraft({ tolerance, deadline, [field]: value });
  return (
    <div className="intent" data-testid={`intent-${rule.id}`}>
      <label>
        <span>catches</span>
        <select
          aria-label={`What ${rule.alert} should catch`}
          value={intent.catches}
          onChange={(e) => apply({ catches: e.target.value as RuleIntent['catches'] })}
        >
          {catchesChoices.map((c) => (
            <option key={c} value={c}>
              {CATCHES_TEXT[c]}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>tolerance</span>
        <input
          type="text"
          size={6}
          aria-label={`Tolerance of ${rule.alert}: failures this short need not be caught`}
          aria-invalid={error?.startsWith('Tolerance') ?? false}
          value={tolerance}
          onChange={(e) => edit('tolerance', e.target.value)}
          onBlur={() => (draft ? apply({}) : undefined)}
          onKeyDown={onKey}
        />
      </label>
      <label>
        <span>deadline</span>
        <input
          type="text"
          size={6}
          aria-label={`Deadline of ${rule.alert}: a longer failure must be caught this soon after it starts`}
          aria-invalid={error !== null && !error.startsWith('Tolerance')}
          value={deadline}
          onChange={(e) => edit('deadline', e.target.value)}
          onBlur={() => (draft ? apply({}) : undefined)}
          onKeyDown={onKey}
        />
      </label>
      {rule.intent ? (
        <button
          type="button"
          className="link-button"
          title={`Derived, it ${describeIntent(derived)}`}
          onClick={() => {
            setDraft(null);
            setError(null);
            onIntent(null);
          }}
          aria-label={`Derive the intent of ${rule.alert} from its severity and for again`}
        >
          derive again
        </button>
      ) : (
        <span className="note">
          derived from {rule.labels.severity ? `severity ${rule.labels.severity}` : 'no severity'}{' '}
          and for {formatOffset(rule.forMs)}
        </span>
      )}
      {error ? (
        <p className="error" role="alert" data-testid={`intent-${rule.id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * One rule's row, drawn again only when its view, its draft or the members change: a slider step
 * changes one rule.
 */
const ScoreRow = memo(function ScoreRow({
  view: r,
  draft,
  members,
  onIntent,
}: {
  readonly view: RuleView;
  readonly draft: RuleDraft | undefined;
  readonly members: readonly Member[];
  readonly onIntent: ScorecardPanelProps['onIntent'];
}) {
  const sc = r.scorecard;
  return (
    <tr data-testid={`scorecard-${r.id}`}>
      <th scope="row">{r.alert}</th>
      <td>
        {draft && onIntent ? (
          <IntentEditor
            // A new rule text (an undo) starts the fields over from the document.
            key={JSON.stringify(ruleIntent(draft))}
            rule={draft}
            onIntent={(intent) => onIntent(r.id, intent)}
          />
        ) : sc ? (
          `it ${describeIntent(sc.judgement.intent)}`
        ) : null}
      </td>
      {sc === null ? (
        <td colSpan={3}>{r.error ?? r.scorecardError ?? '—'}</td>
      ) : (
        <>
          <td
            className={gradeClass(sc)}
            data-testid={`scorecard-${r.id}-verdict`}
            title={scoreDescription(sc)}
          >
            {judgementTexts(sc.judgement, members).join('; ')}
          </td>
          <td>{delaysText(sc)}</td>
          <td className="num">{sc.flaps}</td>
        </>
      )}
    </tr>
  );
});

const noMembers: readonly Member[] = [];

/** A table with one row per rule. */
export function ScorecardPanel({
  rules,
  drafts = [],
  members = noMembers,
  hasTruth = true,
  onIntent,
}: ScorecardPanelProps) {
  if (!hasTruth)
    return (
      <section className="panel" aria-labelledby="scorecard-title">
        <header className="panel-header">
          <h2 id="scorecard-title">Scorecard</h2>
        </header>
        <p className="note">
          Not available for imported series: a rule is scored against the ground truth, which only a
          simulation has.
        </p>
      </section>
    );
  return (
    <section className="panel" aria-labelledby="scorecard-title" id="scorecard">
      <header className="panel-header">
        <h2 id="scorecard-title">Scorecard</h2>
        <span className="note">
          Each rule is judged against what it should catch: failures of that kind longer than its
          tolerance must be caught by the deadline; firing with nothing failing, or on a failure it
          should tolerate, is noise. Unless you state it, the intent is derived: the tolerance is
          the rule’s for (at least a 5m reboot for a rule about members that is not critical), the
          deadline 5m later for critical, 10m for warning, 30m otherwise. A real failure is a member
          down or partitioned, or quorum lost (the ground truth); an alert counts for the member its
          labels name, or for every member when it names none.
        </span>
      </header>
      <table className="scorecard" data-testid="scorecard">
        <thead>
          <tr>
            <th scope="col">rule</th>
            <th scope="col">should catch</th>
            <th scope="col">verdict</th>
            <th scope="col">time to firing</th>
            <th scope="col">flaps</th>
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <ScoreRow
              key={r.id}
              view={r}
              draft={drafts.find((d) => d.id === r.id)}
              members={members}
              onIntent={onIntent}
            />
          ))}
        </tbody>
      </table>
    </section>
  );
}
