// The event plan: what the harness does to real processes, service discovery and loopback
// proxies to play a scenario's events, and which events it cannot play (with the reason).
import type { Scenario, ScenarioEvent } from '../sim/index.ts';

/** One thing the harness does at `t` (ms from the start of the scenario). Members are 1-based. */
export type PlanAction =
  | { t: number; do: 'kill'; member: number }
  | { t: number; do: 'terminate'; member: number }
  | { t: number; do: 'start'; member: number }
  | { t: number; do: 'sigstop'; member: number }
  | { t: number; do: 'sigcont'; member: number }
  | { t: number; do: 'unlist'; member: number }
  | { t: number; do: 'list'; member: number }
  | { t: number; do: 'block-scrape'; member: number }
  | { t: number; do: 'unblock-scrape'; member: number }
  /** Messages from `from` to `to` are dropped (the peer proxies refuse the connection). */
  | { t: number; do: 'cut'; from: number; to: number }
  | { t: number; do: 'heal'; from: number; to: number };

/** An event the harness cannot play for real. */
export interface Unplayable {
  index: number;
  kind: ScenarioEvent['kind'];
  reason: string;
}

/** The plan of a scenario: actions in time order (stable for equal times), and what it skips. */
export interface EventPlan {
  actions: PlanAction[];
  unplayable: Unplayable[];
}

/** Why each kind that the harness does not play cannot be played without privileges. */
const UNPLAYABLE: Partial<Record<ScenarioEvent['kind'], string>> = {
  'slow-disk':
    'a slow fsync needs a slow block device (dm-delay, a throttled cgroup): root privileges',
  'slow-network':
    'delaying peer traffic needs a delaying proxy; the harness proxies only cut links',
  'leader-churn':
    'stalling whichever member leads, every few minutes, is not implemented; hang the leader instead',
  'db-growth': 'growing the database to its quota would fill the real disk of the machine',
  'prometheus-outage':
    'the harness records from the Prometheus it runs; stopping it is not implemented',
};

/** Plans a scenario's events; every member-level action names a 1-based member. */
export function planScenario(s: Scenario): EventPlan {
  const actions: PlanAction[] = [];
  const unplayable: Unplayable[] = [];
  const n = s.members;
  const end = (e: ScenarioEvent): number | undefined =>
    e.until !== undefined && e.until <= s.duration ? e.until : undefined;
  s.events.forEach((e, index) => {
    const until = end(e);
    const pair = (at: number, undo: number | undefined, a: PlanAction, b: PlanAction) => {
      actions.push({ ...a, t: at });
      if (undo !== undefined) actions.push({ ...b, t: undo });
    };
    switch (e.kind) {
      case 'crash':
        pair(
          e.at,
          until,
          { t: 0, do: 'kill', member: e.member },
          { t: 0, do: 'start', member: e.member },
        );
        break;
      case 'restart':
        pair(
          e.at,
          until,
          { t: 0, do: 'terminate', member: e.member },
          { t: 0, do: 'start', member: e.member },
        );
        break;
      case 'evict':
        actions.push({ t: e.at, do: 'unlist', member: e.member });
        actions.push({ t: e.at, do: 'kill', member: e.member });
        if (until !== undefined) {
          actions.push({ t: until, do: 'start', member: e.member });
          actions.push({ t: until, do: 'list', member: e.member });
        }
        break;
      case 'hang':
        pair(
          e.at,
          until,
          { t: 0, do: 'sigstop', member: e.member },
          { t: 0, do: 'sigcont', member: e.member },
        );
        break;
      case 'scrape-failure':
        pair(
          e.at,
          until,
          { t: 0, do: 'block-scrape', member: e.member },
          { t: 0, do: 'unblock-scrape', member: e.member },
        );
        break;
      case 'partition': {
        const group = Array<number>(n + 1).fill(-1);
        e.groups.forEach((g, gi) => g.forEach((m) => (group[m] = gi)));
        for (let i = 1; i <= n; i++) {
          for (let j = 1; j <= n; j++) {
            if (i === j || group[i] === group[j]) continue;
            pair(
              e.at,
              until,
              { t: 0, do: 'cut', from: i, to: j },
              { t: 0, do: 'heal', from: i, to: j },
            );
          }
        }
        break;
      }
      case 'one-way-loss': {
        const to = e.to ?? Array.from({ length: n }, (_, i) => i + 1).filter((m) => m !== e.member);
        for (const j of to) {
          pair(
            e.at,
            until,
            { t: 0, do: 'cut', from: e.member, to: j },
            { t: 0, do: 'heal', from: e.member, to: j },
          );
        }
        break;
      }
      case 'slow-disk':
      case 'slow-network':
      case 'leader-churn':
      case 'db-growth':
      case 'prometheus-outage':
        unplayable.push({ index, kind: e.kind, reason: UNPLAYABLE[e.kind]! });
        break;
      default: {
        const never: never = e;
        throw new Error(`unhandled event ${JSON.stringify(never)}`);
      }
    }
  });
  // Stable sort: actions at one instant keep the scenario's order.
  actions.sort((a, b) => a.t - b.t);
  return { actions, unplayable };
}

/**
 * Which peer-to-peer link a proxied connection carries, from etcd's rafthttp requests: the dialer
 * names itself in X-Server-From; a GET of /raft/stream/... carries the target's messages to the
 * dialer, a POST (pipeline, snapshot) the dialer's messages to the target, a probe both ways.
 */
export function linksOfRequest(
  method: string,
  path: string,
  dialer: number,
  target: number,
): { from: number; to: number }[] {
  if (path.startsWith('/raft/stream')) return [{ from: target, to: dialer }];
  if (method === 'POST') return [{ from: dialer, to: target }];
  return [
    { from: dialer, to: target },
    { from: target, to: dialer },
  ];
}
