// Each rule judged against the ground truth of the scenario: detection delay per member's real
// failure, failure time missed, firing time with nothing wrong, and flaps (model/scorecard.ts).
import type { RuleView } from '../../lab/index.ts';
import { formatOffset } from './format.ts';
import { delaysText, scoreDescription } from './scoreText.ts';

/** Props of the scorecard. */
export interface ScorecardPanelProps {
  readonly rules: readonly RuleView[];
  /** Whether there is a ground truth to judge against (not for imported series). */
  readonly hasTruth?: boolean;
}

/** A table with one row per rule. */
export function ScorecardPanel({ rules, hasTruth = true }: ScorecardPanelProps) {
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
    <section className="panel" aria-labelledby="scorecard-title">
      <header className="panel-header">
        <h2 id="scorecard-title">Scorecard</h2>
        <span className="note">
          A real failure is a member down or partitioned, or quorum lost (the ground truth). An
          alert counts for the member its labels name (instance, pod, To/From); one naming no member
          counts for every member. Flap: an alert that fires again within 10m of resolving.
        </span>
      </header>
      <table className="scorecard" data-testid="scorecard">
        <thead>
          <tr>
            <th scope="col">rule</th>
            <th scope="col">failures</th>
            <th scope="col">time to firing</th>
            <th scope="col">failure missed</th>
            <th scope="col">firing with no failure</th>
            <th scope="col">flaps</th>
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => {
            const sc = r.scorecard;
            return (
              <tr key={r.id} data-testid={`scorecard-${r.id}`}>
                <th scope="row">{r.alert}</th>
                {sc === null ? (
                  <td colSpan={5}>{r.error ?? r.scorecardError ?? '—'}</td>
                ) : (
                  <>
                    <td className="num">{sc.episodes.length}</td>
                    <td title={scoreDescription(sc)}>{delaysText(sc)}</td>
                    <td className="num">{formatOffset(sc.missedMs)}</td>
                    <td className="num">{formatOffset(sc.falseFiringMs)}</td>
                    <td className="num">{sc.flaps}</td>
                  </>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
