// The cluster at the cursor time: each member's state (leader, up, down, evicted, partitioned),
// whether the cluster has a leader, the quorum and how many more failures the cluster survives,
// with a button per member to take it down or bring it back.
import type { Member, ScenarioEvent } from '../../sim/index.ts';
import type { TruthView } from '../../lab/index.ts';
import { changeNote, memberNoteAt, memberStateAt } from '../../lab/index.ts';
import { formatOffset } from './format.ts';

/** Props of the cluster panel. */
export interface ClusterPanelProps {
  readonly members: readonly Member[];
  /** The ground truth sampled at `truthTime`, the last evaluation at or before the cursor. */
  readonly truth: TruthView | undefined;
  readonly truthTime: number;
  /** The scenario's events: they tell an eviction from a crash. */
  readonly events: readonly ScenarioEvent[];
  readonly cursor: number;
  readonly downByScenario: (member: number) => boolean;
  readonly onToggle: (member: number) => void;
}

/** Shows the members at the cursor time and lets the user toggle them. */
export function ClusterPanel({
  members,
  truth,
  truthTime,
  events,
  cursor,
  downByScenario,
  onToggle,
}: ClusterPanelProps) {
  const n = members.length;
  const quorum = Math.floor(n / 2) + 1;
  return (
    <section className="panel cluster" aria-labelledby="cluster-title" data-lesson-target="cluster">
      <header className="panel-header">
        <h2 id="cluster-title">Cluster at {formatOffset(cursor)}</h2>
        <span className="pill">
          {n} member{n === 1 ? '' : 's'}, quorum {quorum}
        </span>
        <span className={`pill ${truth?.quorum === false ? 'pill-bad' : ''}`} data-testid="survive">
          {truth === undefined
            ? '…'
            : truth.quorum
              ? `can survive ${truth.canSurvive} more failure${truth.canSurvive === 1 ? '' : 's'}`
              : 'quorum lost'}
        </span>
        {truth === undefined ? null : truth.leader === null ? (
          <span
            className="pill pill-bad"
            data-testid="leader"
            title="No member leads a quorum: every write fails (or an election is in progress)"
          >
            no leader
          </span>
        ) : (
          <span className="pill" data-testid="leader">
            leader: {members.find((m) => m.index === truth.leader)?.name ?? truth.leader}
          </span>
        )}
      </header>
      <ul className="members">
        {members.map((m) => {
          const state = memberStateAt(truth, events, m.index, truthTime);
          const scheduledDown = downByScenario(m.index);
          const change = changeNote(state, scheduledDown, formatOffset(cursor));
          return (
            <li
              key={m.id}
              className={`member member-${state}`}
              data-testid={`member-${m.index}`}
              data-state={state}
            >
              <div className="member-name">{m.name}</div>
              <div className="member-meta">
                <code>{m.instance}</code> <code>{m.id}</code>
              </div>
              <div
                className="member-state"
                title={memberNoteAt(state, truth)}
                data-testid={`member-${m.index}-state`}
              >
                {state}
              </div>
              <div className="member-note" data-testid={`member-${m.index}-note`}>
                {memberNoteAt(state, truth)}
                {change ? <strong>; {change}</strong> : null}
              </div>
              <button
                type="button"
                className="button"
                onClick={() => onToggle(m.index)}
                aria-label={`${scheduledDown ? 'Bring up' : 'Take down'} ${m.name} at ${formatOffset(cursor)}`}
              >
                {scheduledDown ? 'Bring up' : 'Take down'}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
