// The cluster at the cursor time: each member's state, the leader, the quorum and how many more
// failures the cluster survives, with a button per member to take it down or bring it back.
import type { Member } from '../../sim/index.ts';
import type { TruthView } from '../model/evaluateView.ts';
import { formatOffset } from './format.ts';

/** Props of the cluster panel. */
export interface ClusterPanelProps {
  readonly members: readonly Member[];
  readonly truth: TruthView | undefined;
  readonly cursor: number;
  readonly downByScenario: (member: number) => boolean;
  readonly onToggle: (member: number) => void;
}

/** Shows the members at the cursor time and lets the user toggle them. */
export function ClusterPanel({
  members,
  truth,
  cursor,
  downByScenario,
  onToggle,
}: ClusterPanelProps) {
  const n = members.length;
  const quorum = Math.floor(n / 2) + 1;
  return (
    <section className="panel cluster" aria-labelledby="cluster-title">
      <header className="panel-header">
        <h2 id="cluster-title">Cluster at {formatOffset(cursor)}</h2>
        <span className="pill">
          {n} members, quorum {quorum}
        </span>
        <span className={`pill ${truth?.quorum === false ? 'pill-bad' : ''}`} data-testid="survive">
          {truth === undefined
            ? '…'
            : truth.quorum
              ? `can survive ${truth.canSurvive} more failure${truth.canSurvive === 1 ? '' : 's'}`
              : 'quorum lost'}
        </span>
      </header>
      <ul className="members">
        {members.map((m) => {
          const down = truth?.down.includes(m.index) ?? false;
          const leader = truth?.leader === m.index;
          const scheduledDown = downByScenario(m.index);
          return (
            <li
              key={m.id}
              className={`member ${down ? 'member-down' : 'member-up'}`}
              data-testid={`member-${m.index}`}
            >
              <div className="member-name">
                {m.name} {leader ? <span className="pill pill-leader">leader</span> : null}
              </div>
              <div className="member-meta">
                <code>{m.instance}</code> <code>{m.id}</code>
              </div>
              <div className="member-state">{down ? 'down' : 'up'}</div>
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
