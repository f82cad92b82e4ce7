// Raft as etcd runs it (CheckQuorum on; PreVote on from etcd 3.5), reduced to the moments that
// matter: who leads, who hears the leader, when elections and step-downs happen. Mirrors
// etcd-io/raft's raft.go (tickElection, becomePreCandidate, stepLeader's CheckQuorum, and Step's
// answer to a message of a lower term) at event granularity.
import { changeTimes, connected, physAt, raftView } from './physical.ts';
import type { Phys } from './physical.ts';
import type { Rng } from './prng.ts';
import type { Scenario, SimEvent } from './types.ts';

/** `--election-timeout` default: a follower waits a random [1×, 2×) of it before campaigning. */
export const ELECTION_TIMEOUT = 1000;
/** A stalled leader (leader-churn) resumes after this long if nobody replaced it. */
const STALL_LIMIT = 3000;
/** Voters refuse a candidate whose log ends this much earlier than theirs (writes are continuous). */
const LOG_SLACK = 150;
/** `--heartbeat-interval`: a follower's election timer starts at the last heartbeat it heard. */
export const HEARTBEAT_INTERVAL = 100;
/**
 * A member resumed after a hang this long or longer hears no leader for its election timeout and
 * campaigns (pre-campaigns with PreVote). Measured on 3.4.23: after 2 minutes stopped it
 * campaigned 1.5 s after SIGCONT; after 30 s its streams were back within 30 ms and nothing
 * happened. Why the longer hang leaves it deaf is not understood: the threshold is a guess
 * between the two measurements.
 */
const HANG_DISRUPTS_AFTER = 60_000;
/**
 * Etcd 3.4 without PreVote, measured on 3.4.23: a resumed member campaigned 1.5 s after SIGCONT
 * and the leader stepped down on its higher term 3.0 s later; the first new leader was deposed
 * again 0.1 s after its election by the same member's next campaign, so the cluster went through
 * two elections. A cut-off member that reconnects (partition, one-way loss) answers the leader's
 * next message with its higher term (raft.go Step, m.Term < r.Term with CheckQuorum), so its
 * leader steps down at once (measured on 3.4.23: 30 ms after the heal, both times). It deposes it
 * once: its log is behind, so it cannot win, but each of its campaigns (one a randomized election
 * timeout) raises the term of the members outside the leader's lease and restarts their election
 * timers; the others elect a leader only when one of their timers fires first, and one that
 * ignored a campaign (in lease) campaigns at a term too low to win. Measured: one election 4.1 s
 * after the heal of a partition (member 3 campaigned 3 times after it), 2.6 s after the end of a
 * one-way loss (twice).
 */
const DEPOSE_AFTER_RESUME = 3000;
const DEPOSE_AFTER_HEAL = HEARTBEAT_INTERVAL;
const REDEPOSE = 100;
const DISRUPTIONS = 2;
const DISRUPTIONS_AFTER_HEAL = 1;

/** The Raft-level state during [start, next segment's start); members 0-based. */
export interface RaftSegment {
  start: number;
  phys: Phys;
  /** The member believes it is the leader (etcd_server_is_leader). */
  acting: boolean[];
  /** The leader as the member knows it (etcd_server_has_leader = known !== null). */
  known: (number | null)[];
  /** The leader whose messages currently reach the member, if any. */
  hearing: (number | null)[];
  /** The member has no leader and sends (pre-)vote requests to every peer. */
  campaigning: boolean[];
  /** The leader that holds a quorum, or null. */
  leader: number | null;
  /** A leader-churn stall: this leader sends nothing. */
  stalled: number | null;
  /** Leader changes each member counts at `start` (etcd_server_leader_changes_seen_total). */
  leaderChanges: number[];
  /** New terms started at `start` (each new leader appends an empty entry to the log). */
  elections: number;
  /** Largest group of members (running, exchanging messages both ways with one member) − quorum. */
  canSurvive: number;
}

/** The quorum size of an n-member cluster: floor(n/2)+1. */
export function quorumSize(n: number): number {
  return Math.floor(n / 2) + 1;
}

/** The largest set of members one running member can exchange messages with (itself included). */
export function largestGroup(p: Phys): number {
  const n = p.running.length;
  let best = 0;
  for (let i = 0; i < n; i++) {
    if (!p.running[i]) continue;
    let size = 1;
    for (let j = 0; j < n; j++) if (j !== i && connected(p, i, j)) size++;
    best = Math.max(best, size);
  }
  return best;
}

/** Runs the cluster through the scenario; member 1 (index 0) leads at the start. */
export function runRaft(
  s: Scenario,
  rng: Rng,
  phaseRng: Rng = () => 0,
): { segments: RaftSegment[]; events: SimEvent[] } {
  const n = s.members;
  const q = quorumSize(n);
  const preVote = (s.etcdVersion ?? '3.5') !== '3.4';
  const changes = changeTimes(s);
  const events: SimEvent[] = [];
  let real = physAt(s, -1);
  // Raft decisions see a hung member as not running; the segments keep the real state.
  let phys = raftView(real);

  // term[i] !== null: member i acts as leader in that term.
  const term: (number | null)[] = Array<number | null>(n).fill(null);
  term[0] = 1;
  let maxTerm = 1;
  const known: (number | null)[] = Array<number | null>(n).fill(0);
  const lostAt: (number | null)[] = Array<number | null>(n).fill(null);
  const fireAt: number[] = Array<number>(n).fill(Infinity);
  const parked: boolean[] = Array<boolean>(n).fill(false);
  const stepDownAt: number[] = Array<number>(n).fill(Infinity);
  const syncLive: boolean[] = Array<boolean>(n).fill(true);
  const syncFrozen: number[] = Array<number>(n).fill(0);
  let stalled: number | null = null;
  let stallEnd = Infinity;
  let nextChurn = Infinity;
  let leaderChanges = Array<number>(n).fill(0);
  let elections = 0;
  let dirty: boolean;
  // Etcd 3.4 (no PreVote): members whose term grew while they were cut off or stopped.
  const hungSince: (number | null)[] = Array<number | null>(n).fill(null);
  const campaignAt: number[] = Array<number>(n).fill(Infinity);
  const deposeAt: number[] = Array<number>(n).fill(Infinity);
  const disruptLeft: number[] = Array<number>(n).fill(0);
  const disrupting: boolean[] = Array<boolean>(n).fill(false);
  const cutSince: (number | null)[] = Array<number | null>(n).fill(null);
  // Etcd 3.4: a member back from a cut campaigns at ever higher terms until a leader is elected;
  // `behind`: a member that ignored such a campaign (in lease) and kept its lower term.
  const rejoined: boolean[] = Array<boolean>(n).fill(false);
  const behind: boolean[] = Array<boolean>(n).fill(false);

  const timeout = (): number => ELECTION_TIMEOUT + Math.floor(rng() * ELECTION_TIMEOUT);
  const hears = (j: number): number | null => {
    if (!phys.running[j] || term[j] !== null || disrupting[j]) return null;
    let best: number | null = null;
    for (let l = 0; l < n; l++) {
      const tl = term[l] ?? null;
      if (tl === null || l === j || l === stalled || !phys.running[l] || !phys.link[l]![j])
        continue;
      if (best === null || tl > term[best]!) best = l;
    }
    return best;
  };
  const star = (i: number): number => {
    let size = 1;
    for (let j = 0; j < n; j++) if (j !== i && j !== stalled && connected(phys, i, j)) size++;
    return size;
  };
  const validLeader = (): number | null => {
    let best: number | null = null;
    for (let l = 0; l < n; l++) {
      const tl = term[l] ?? null;
      if (tl === null || l === stalled || !phys.running[l] || star(l) < q) continue;
      if (best === null || tl > term[best]!) best = l;
    }
    return best;
  };
  const syncedAt = (i: number, t: number): number => (syncLive[i] ? t : syncFrozen[i]!);
  const setKnown = (j: number, v: number | null): void => {
    if (known[j] === v) return;
    if (v !== null) leaderChanges[j]!++;
    known[j] = v;
    dirty = true;
  };
  const stepDown = (l: number, t: number, text: string): void => {
    term[l] = null;
    stepDownAt[l] = Infinity;
    setKnown(l, null);
    lostAt[l] = t;
    fireAt[l] = t + timeout();
    dirty = true;
    events.push({ t, kind: 'leader-step-down', member: l + 1, text });
  };
  const elect = (i: number, t: number, kind: 'leader-elected' | 'leader-transfer'): void => {
    maxTerm++;
    term[i] = maxTerm;
    setKnown(i, i);
    lostAt[i] = null;
    fireAt[i] = Infinity;
    parked[i] = false;
    stepDownAt[i] = Infinity;
    syncLive[i] = true;
    elections++;
    if (stalled !== null) {
      stalled = null;
      stallEnd = Infinity;
    }
    dirty = true;
    for (let j = 0; j < n; j++) {
      if (disrupting[j] && disruptLeft[j]! > 0 && j !== i) deposeAt[j] = t + REDEPOSE;
      rejoined[j] = false;
      behind[j] = false;
    }
    const what = kind === 'leader-elected' ? 'elected leader' : 'takes over leadership';
    events.push({ t, kind, member: i + 1, text: `member ${i + 1} ${what} (term ${maxTerm})` });
  };
  const recompute = (t: number): void => {
    // A leader that hears a leader of a higher term steps down and follows it.
    for (let l = 0; l < n; l++) {
      const tl = term[l] ?? null;
      if (tl === null) continue;
      for (let m = 0; m < n; m++) {
        const tm = term[m] ?? null;
        if (tm === null || tm <= tl || m === stalled || !phys.running[m] || !phys.link[m]![l])
          continue;
        term[l] = null;
        stepDownAt[l] = Infinity;
        events.push({
          t,
          kind: 'leader-step-down',
          member: l + 1,
          text: `member ${l + 1} steps down: it hears the newer leader ${m + 1}`,
        });
        dirty = true;
        break;
      }
    }
    for (let j = 0; j < n; j++) {
      if (real.hung[j]) {
        // A stopped process keeps its state and does nothing until it resumes.
        if (hungSince[j] === null) hungSince[j] = t;
        fireAt[j] = Infinity;
        stepDownAt[j] = Infinity;
        campaignAt[j] = Infinity;
        continue;
      }
      const resumedFrom = hungSince[j] ?? null;
      hungSince[j] = null;
      if (!phys.running[j]) {
        cutSince[j] = null;
        disrupting[j] = false;
        disruptLeft[j] = 0;
        campaignAt[j] = Infinity;
        deposeAt[j] = Infinity;
        if (term[j] !== null) dirty = true;
        term[j] = null;
        known[j] = null;
        lostAt[j] = null;
        fireAt[j] = Infinity;
        parked[j] = false;
        stepDownAt[j] = Infinity;
        continue;
      }
      if (term[j] !== null) {
        setKnown(j, j);
        continue;
      }
      if (resumedFrom !== null && t - resumedFrom >= HANG_DISRUPTS_AFTER && term[j] === null) {
        // Resumed: its election timer runs on from where it stopped, and it hears nothing from
        // a leader that closed its stream. With PreVote it pre-campaigns (becomePreCandidate
        // forgets the leader) and follows the leader again; without, it campaigns soon.
        if (preVote) setKnown(j, null);
        else if (known[j] !== null && known[j] === validLeader()) campaignAt[j] = t + timeout();
      }
      // Cut off from the leader's messages (a partition, a one-way loss): without PreVote its
      // campaigns raise its term, and on reconnection it answers the leader at that higher term.
      const v = validLeader();
      if (v !== null && v !== j && !phys.link[v]![j]) cutSince[j] ??= t;
      else if (cutSince[j] !== null) {
        const since = cutSince[j]!;
        cutSince[j] = null;
        if (!preVote && v !== null && t - since >= ELECTION_TIMEOUT && !disrupting[j]) {
          disrupting[j] = true;
          disruptLeft[j] = DISRUPTIONS_AFTER_HEAL;
          deposeAt[j] = t + DEPOSE_AFTER_HEAL;
          rejoined[j] = true;
        }
      }
      const h = hears(j);
      if (h !== null) {
        setKnown(j, h);
        lostAt[j] = null;
        fireAt[j] = Infinity;
        parked[j] = false;
      } else if (lostAt[j] === null) {
        lostAt[j] = t;
        // The timer started at the last heartbeat, up to one heartbeat interval ago.
        fireAt[j] = Math.max(t + 1, t + timeout() - Math.floor(phaseRng() * HEARTBEAT_INTERVAL));
      }
    }
    for (let l = 0; l < n; l++) {
      if (term[l] === null || real.hung[l]) continue;
      if (star(l) >= q) stepDownAt[l] = Infinity;
      else if (stepDownAt[l] === Infinity) stepDownAt[l] = t + timeout();
    }
    const v = validLeader();
    for (let i = 0; i < n; i++) {
      const live = v !== null && phys.running[i]! && (i === v || hears(i) === v);
      if (syncLive[i] && !live) syncFrozen[i] = t;
      syncLive[i] = live;
    }
  };
  const fire = (i: number, t: number): void => {
    fireAt[i] = Infinity;
    if (!phys.running[i] || term[i] !== null || hears(i) !== null) return;
    setKnown(i, null);
    let votes = 1;
    for (let j = 0; j < n; j++) {
      if (j === i || j === stalled || term[j] !== null || !connected(phys, i, j)) continue;
      const since = lostAt[j] ?? null;
      const lost =
        known[j] === null || (hears(j) === null && since !== null && t - since >= ELECTION_TIMEOUT);
      // A candidate whose term stayed behind a rejoined member's campaigns gets no vote from a
      // member at the higher term.
      if (behind[i] && !behind[j]) continue;
      if (lost && syncedAt(i, t) >= syncedAt(j, t) - LOG_SLACK) votes++;
    }
    if (votes >= q) {
      elect(i, t, 'leader-elected');
      return;
    }
    if (!preVote && rejoined[i]) {
      // Its campaign raised the term of every member it reached outside the leader's lease:
      // they forget their leader and restart their election timers (raft.go becomeFollower).
      let reached = false;
      for (let k = 0; k < n; k++) {
        if (k === i || !phys.running[k] || !phys.link[i]![k] || term[k] !== null) continue;
        if (hears(k) !== null) continue;
        const since = lostAt[k] ?? null;
        const inLease = known[k] !== null && since !== null && t - since < ELECTION_TIMEOUT;
        if (inLease) {
          behind[k] = true;
          continue;
        }
        reached = true;
        behind[k] = false;
        setKnown(k, null);
        parked[k] = false;
        fireAt[k] = t + timeout();
      }
      if (reached) {
        fireAt[i] = t + timeout();
        return;
      }
    }
    parked[i] = true;
  };
  const snapshot = (start: number): RaftSegment => {
    const v = validLeader();
    const big = largestGroup(phys);
    return {
      start,
      phys: real,
      acting: term.map((x) => x !== null),
      known: [...known],
      hearing: Array.from({ length: n }, (_, j) => hears(j)),
      campaigning: Array.from(
        { length: n },
        (_, j) => phys.running[j]! && term[j] === null && known[j] === null && hears(j) === null,
      ),
      leader: v,
      stalled,
      leaderChanges,
      elections,
      canSurvive: big - q,
    };
  };

  const segments: RaftSegment[] = [snapshot(Number.NEGATIVE_INFINITY)];
  let quorum = largestGroup(phys) >= q;
  let ci = 0;
  while (true) {
    let t = Math.min(
      changes[ci] ?? Infinity,
      nextChurn,
      stallEnd,
      ...fireAt,
      ...stepDownAt,
      ...campaignAt,
      ...deposeAt,
    );
    if (t === Infinity || t > s.duration) break;
    t = Math.max(t, 0);
    leaderChanges = Array<number>(n).fill(0);
    elections = 0;
    dirty = false;
    if (changes[ci] === t) {
      ci++;
      const next = physAt(s, t);
      const nextView = raftView(next);
      // A gracefully stopping leader transfers leadership first (etcd's TransferLeadership).
      for (let l = 0; l < n; l++) {
        if (term[l] === null || !next.graceful[l] || nextView.running[l] || !phys.running[l])
          continue;
        let best: number | null = null;
        for (let j = 0; j < n; j++) {
          if (j === l || hears(j) !== l || !connected(phys, l, j)) continue;
          if (best === null || syncedAt(j, t) > syncedAt(best, t)) best = j;
        }
        if (best !== null) elect(best, t, 'leader-transfer');
      }
      real = next;
      phys = raftView(next);
      dirty = true;
      if (phys.churnEvery === null) nextChurn = Infinity;
      else if (nextChurn === Infinity) nextChurn = t + phys.churnEvery;
    }
    recompute(t);
    for (let l = 0; l < n; l++) {
      if (stepDownAt[l] === t && term[l] !== null && star(l) < q) {
        stepDown(l, t, `member ${l + 1} steps down: it has not heard from a quorum (CheckQuorum)`);
        recompute(t);
      }
    }
    if (stallEnd === t) {
      stalled = null;
      stallEnd = Infinity;
      dirty = true;
      recompute(t);
    }
    if (nextChurn === t) {
      nextChurn = t + (phys.churnEvery ?? Infinity);
      const v = validLeader();
      if (v !== null && stalled === null) {
        stalled = v;
        stallEnd = t + STALL_LIMIT;
        dirty = true;
        recompute(t);
      }
    }
    for (let i = 0; i < n; i++) {
      if (campaignAt[i] === t) {
        campaignAt[i] = Infinity;
        const v = validLeader();
        if (phys.running[i] && v !== null && v !== i && connected(phys, i, v)) {
          // No PreVote: the campaign raises its term; the leader's lease makes the others ignore
          // the vote, but the leader learns the higher term from the member's replies.
          disrupting[i] = true;
          disruptLeft[i] = DISRUPTIONS;
          deposeAt[i] = t + DEPOSE_AFTER_RESUME;
          setKnown(i, null);
          lostAt[i] = t;
          fireAt[i] = t + timeout();
          recompute(t);
        }
      }
      if (deposeAt[i] === t) {
        deposeAt[i] = Infinity;
        const v = validLeader();
        if (phys.running[i] && disrupting[i] && v !== null && v !== i && connected(phys, i, v)) {
          stepDown(
            v,
            t,
            `member ${v + 1} steps down: member ${i + 1} campaigned at a higher term (etcd 3.4 runs without PreVote)`,
          );
        }
        disruptLeft[i] = Math.max(0, disruptLeft[i]! - 1);
        if (disruptLeft[i] === 0) disrupting[i] = false;
        recompute(t);
      }
    }
    for (let i = 0; i < n; i++) {
      if (fireAt[i] === t) {
        fire(i, t);
        recompute(t);
      }
    }
    if (dirty) {
      for (let i = 0; i < n; i++) {
        if (parked[i]) {
          parked[i] = false;
          fireAt[i] = t + 1 + Math.floor(rng() * 1.5 * ELECTION_TIMEOUT);
        }
      }
      const seg = snapshot(t);
      const last = segments[segments.length - 1]!;
      if (last.start === t) segments[segments.length - 1] = mergeSameInstant(last, seg);
      else segments.push(seg);
      const nowQuorum = largestGroup(phys) >= q;
      if (nowQuorum !== quorum) {
        events.push({
          t,
          kind: nowQuorum ? 'quorum-regained' : 'quorum-lost',
          text: nowQuorum
            ? 'a quorum of members can talk again'
            : 'no group of members holds a quorum',
        });
        quorum = nowQuorum;
      }
    }
  }
  return { segments, events };
}

function mergeSameInstant(a: RaftSegment, b: RaftSegment): RaftSegment {
  return {
    ...b,
    leaderChanges: b.leaderChanges.map((x, i) => x + a.leaderChanges[i]!),
    elections: a.elections + b.elections,
  };
}
