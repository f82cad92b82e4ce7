// The simulator: Raft state from raft.ts, traffic and latency as rates per span of time,
// integrated into counters and histograms, and sampled the way Prometheus's scrape loop stores
// them (prometheus/scrape/scrape.go: report series, staleness markers, end-of-run staleness).
import {
  DISK_BUCKETS,
  GRPC_BUCKETS,
  GRPC_CODES,
  GRPC_METHODS,
  RTT_BUCKETS,
  formatLe,
} from './catalog.ts';
import type { GrpcCode } from './catalog.ts';
import { seriesFromScrapes } from './columns.ts';
import { createMembers, targetLabels } from './members.ts';
import { connected } from './physical.ts';
import { deriveRng } from './prng.ts';
import { quorumSize, runRaft } from './raft.ts';
import type { RaftSegment } from './raft.ts';
import type { Scenario, SimEvent, Simulation, TruthPoint, TruthSegment } from './types.ts';
import { validateScenario } from './validate.ts';

/** Default `--quota-backend-bytes`: 2 GiB. */
export const DEFAULT_QUOTA = 2 * 1024 ** 3;
const MiB = 1024 ** 2;
const PAGE = 4096;

// Client load (cluster-wide, before the seeded ±20%).
const BASE_WRITES = 40;
const READS_PER_WRITE = 4;
const WATCH_RATE = 0.05;

// Raft traffic: heartbeats every 100 ms (--heartbeat-interval), sizes in bytes as rafthttp writes them.
const HEARTBEATS = 10;
const HEARTBEAT_BYTES = 30;
const ENTRY_BYTES = 300;
const RESPONSE_BYTES = 30;
const LINK_HEARTBEAT_BYTES = 10;
/** Pre-vote requests per second and peer from a member without a leader (one per [1s, 2s) timeout). */
const VOTE_RATE = 1 / 1.5;
const VOTE_BYTES = 40;
/**
 * Round-trip-time observations per second and peer: rafthttp's two probers (messages and
 * snapshots) each report their smoothed RTT every 30 s (measured on 3.4.23: 4 a minute).
 */
const PROBE_RATE = 2 / 30;
/** etcd's request timeout (5s + 2 × election timeout): how long a request waits for a lost quorum. */
const REQUEST_TIMEOUT = 7;
/**
 * Bytes per second a member receives per connected peer under `From="0"` (rafthttp's prober;
 * measured on 3.4.23: 72 B/s with two peers up, 36 B/s with one).
 */
const PROBE_RECEIVED_BYTES = 36;
/**
 * Stream-writer failures a member that does not send to a peer counts when that peer dies or the
 * link to it is cut (measured on 3.4.23: a follower's series toward a killed member, and toward a
 * partitioned one, appears and stays at 2).
 */
const STREAM_FAILURES_ON_DEATH = 2;
/** Heartbeats the leader sends late per second and peer once its disk is this slow (fsync, s). */
const LATE_HEARTBEAT_FSYNC = 0.05;

// Per peer: sent, received, failures, RTT histogram (buckets, sum, count), active, disconnected.
const PEER_ACTIVE = 3 + RTT_BUCKETS.length + 2;
const PEER_DISCONNECTED = PEER_ACTIVE + 1;
const PEER_SIZE = PEER_DISCONNECTED + 1;
const GRPC_SIZE = 1 + GRPC_CODES.length + GRPC_BUCKETS.length + 2;
const DISK_SIZE = DISK_BUCKETS.length + 2;

type WriteOutcome = 'down' | 'ok' | 'alarm' | 'noleader' | 'stale';

interface Seg extends RaftSegment {
  /** Entries committed per second cluster-wide. */
  commitRate: number;
  /** Database growth, bytes per second. */
  dbRate: number;
  /** The NOSPACE alarm is raised: the database reached the quota. */
  alarm: boolean;
  /** Commit index and database size at max(start, 0). */
  c0: number;
  d0: number;
  /** Members whose log follows the leader that holds the quorum. */
  synced: boolean[];
}

interface Load {
  writes: number;
  reads: number;
}

// Abramowitz–Stegun 7.1.26; plenty for bucket fractions.
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-a * a);
  return sign * y;
}

/** P(X <= x) for a log-normal latency with the given median and sigma. */
function logNormalCdf(x: number, median: number, sigma: number): number {
  const z = (Math.log(x) - Math.log(median)) / (sigma * Math.SQRT2);
  return Math.min(1, Math.max(0, 0.5 * (1 + erf(z))));
}

function addHistogram(
  out: Float64Array,
  base: number,
  bounds: readonly number[],
  rate: number,
  median: number,
  sigma: number,
): void {
  if (rate <= 0) return;
  for (let k = 0; k < bounds.length; k++)
    out[base + k]! += rate * logNormalCdf(bounds[k]!, median, sigma);
  out[base + bounds.length]! += rate * median * Math.exp((sigma * sigma) / 2);
  out[base + bounds.length + 1]! += rate;
}

function writeOutcome(seg: RaftSegment, m: number, alarm: boolean): WriteOutcome {
  const p = seg.phys;
  if (!p.running[m]) return 'down';
  const k = seg.known[m]!;
  if (k === null) return 'noleader';
  if (seg.leader === null || k !== seg.leader || (m !== k && !p.link[m]![k])) return 'stale';
  return alarm ? 'alarm' : 'ok';
}

/**
 * Median latency of a write on member m: a forward to the leader, the leader's fsync, a round
 * trip to the quorum's slowest needed follower and its fsync, the apply.
 */
function writeLatencyOf(seg: RaftSegment, m: number): number {
  const p = seg.phys;
  const leader = seg.leader ?? m;
  const rtts = p.rtt[leader]!.filter((_, j) => j !== leader && connected(p, leader, j)).sort(
    (a, b) => a - b,
  );
  const quorumRtt = rtts[quorumSize(p.running.length) - 2] ?? 0;
  const forward = leader === m ? 0 : p.rtt[m]![leader]!;
  return 0.002 + 2 * Math.max(p.fsync[leader]!, p.fsync[m]!) + quorumRtt + forward;
}

function runningCount(seg: RaftSegment): number {
  return seg.phys.running.filter(Boolean).length;
}

/** Commit rate, database growth and the quota alarm per span; splits a span where the quota is hit. */
function clusterPass(
  raft: RaftSegment[],
  s: Scenario,
  load: Load,
  dbStart: number,
  c0: number,
): { segs: Seg[]; alarms: number[] } {
  const quota = s.quotaBackendBytes ?? DEFAULT_QUOTA;
  const out: Seg[] = [];
  const alarms: number[] = [];
  let c = c0;
  let d = dbStart;
  let alarm = d >= quota;
  const make = (rs: RaftSegment, start: number): Seg => {
    const n = rs.phys.running.length;
    const perMember = load.writes / Math.max(1, runningCount(rs));
    let commitRate = 0;
    for (let m = 0; m < n; m++) if (writeOutcome(rs, m, alarm) === 'ok') commitRate += perMember;
    const synced = rs.phys.running.map(
      (r, m) => r && rs.leader !== null && (m === rs.leader || rs.hearing[m] === rs.leader),
    );
    return {
      ...rs,
      start,
      commitRate,
      dbRate: commitRate > 0 ? rs.phys.dbGrowth : 0,
      alarm,
      c0: c,
      d0: d,
      synced,
    };
  };
  raft.forEach((rs, i) => {
    c += rs.elections;
    let seg = make(rs, rs.start);
    out.push(seg);
    const from = Math.max(rs.start, 0);
    const to = Math.min(raft[i + 1]?.start ?? s.duration, s.duration);
    if (to <= from) return;
    const grown = d + (seg.dbRate * (to - from)) / 1000;
    if (!alarm && seg.dbRate > 0 && grown >= quota) {
      const cross = from + Math.ceil(((quota - d) / seg.dbRate) * 1000);
      c += (seg.commitRate * (cross - from)) / 1000;
      d = quota;
      alarm = true;
      alarms.push(cross);
      if (cross < to) {
        seg = make(rs, cross);
        seg.leaderChanges = seg.leaderChanges.map(() => 0);
        seg.elections = 0;
        out.push(seg);
        c += (seg.commitRate * (to - cross)) / 1000;
      }
      return;
    }
    c += (seg.commitRate * (to - from)) / 1000;
    d = Math.min(quota, grown);
  });
  return { segs: out, alarms };
}

/** Gauges computed per member and scrape (not from accumulated rates). */
const GAUGE_KINDS = [
  'has-leader',
  'is-leader',
  'leader-changes',
  'committed',
  'applied',
  'pending',
  'db-total',
  'db-in-use',
  'quota',
] as const;
type GaugeKind = (typeof GAUGE_KINDS)[number];

/** A member's exposed series as flat arrays, for the per-scrape loop. */
interface DescTable {
  series: Int32Array;
  /** 0: floor(acc[slot]) (a counter), 1: acc[slot] to the microsecond, 2 + i: GAUGE_KINDS[i]. */
  code: Int32Array;
  slot: Int32Array;
  /** The series exists once floor(acc[exists]) >= 1 (a lazily created child), or always (-1). */
  exists: Int32Array;
  /** How many series the entry stands for: itself and those with the same samples (aliases). */
  weight: Int32Array;
}

const kindCode = (kind: string): number =>
  kind === 'counter' ? 0 : kind === 'float' ? 1 : 2 + GAUGE_KINDS.indexOf(kind as GaugeKind);

function toDescTable(
  list: readonly { series: number; kind: string; slot: number; exists: number; weight: number }[],
): DescTable {
  return {
    series: Int32Array.from(list, (d) => d.series),
    code: Int32Array.from(list, (d) => kindCode(d.kind)),
    slot: Int32Array.from(list, (d) => d.slot),
    exists: Int32Array.from(list, (d) => d.exists),
    weight: Int32Array.from(list, (d) => d.weight),
  };
}

/** Whether two numbers have the same bits as far as arithmetic tells (-0 is not 0). */
const same = (a: number, b: number): boolean => a === b && (a !== 0 || 1 / a === 1 / b);

/**
 * For each slot of member m, the first slot whose accumulated value is always the same bits:
 * both noisy or both not, the same rate in every segment, and neither written other than by
 * accumulation (`fixed`); the slot itself when there is none. acc starts at rate × uptime (or
 * 0) and each integration adds rate × dt × (noisy ? f : 1), so such slots never differ.
 */
function equalSlots(
  rates: readonly (readonly Float64Array[])[],
  m: number,
  noisy: Uint8Array,
  fixed: Uint8Array,
): Int32Array {
  const slots = noisy.length;
  const canon = Int32Array.from({ length: slots }, (_, k) => k);
  let groups: number[][] = [[], []];
  for (let k = 0; k < slots; k++) if (!fixed[k]) groups[noisy[k]!]!.push(k);
  for (const segRates of rates) {
    const r = segRates[m]!;
    const next: number[][] = [];
    for (const g of groups) {
      if (g.length < 2) continue;
      // Split g by this segment's rate (groups are small: a pass per distinct value).
      let rest = g;
      while (rest.length > 1) {
        const v = r[rest[0]!]!;
        const here: number[] = [];
        const other: number[] = [];
        for (const k of rest) (same(r[k]!, v) ? here : other).push(k);
        if (here.length > 1) next.push(here);
        rest = other;
      }
    }
    groups = next;
    if (groups.length === 0) break;
  }
  for (const g of groups) for (const k of g) canon[k] = g[0]!;
  return canon;
}

/** x += rates × dt, the noisy slots scaled by f. Kept small so that V8 optimizes it early. */
function accumulate(
  x: Float64Array,
  r: Float64Array,
  noisy: Uint8Array,
  dt: number,
  f: number,
): void {
  for (let k = 0; k < x.length; k++) {
    const v = r[k]!;
    if (v !== 0) x[k]! += v * dt * (noisy[k] ? f : 1);
  }
}

/**
 * Stores one successful scrape of a member at scrape index k: every existing series' value,
 * a staleness marker for a series that disappeared. tally gets [exposed, newly exposed].
 */
function emitSamples(
  table: DescTable,
  x: Float64Array,
  exposed: Uint8Array,
  gauges: Float64Array,
  values: Float64Array,
  state: Uint8Array,
  k: number,
  scrapeCount: number,
  tally: Int32Array,
): void {
  let count = 0;
  let added = 0;
  const n = table.series.length;
  for (let d = 0; d < n; d++) {
    const at = table.series[d]! * scrapeCount + k;
    const e = table.exists[d]!;
    if (e >= 0 && x[e]! < 1) {
      if (exposed[d]) {
        state[at] = 2;
        exposed[d] = 0;
      }
      continue;
    }
    const c = table.code[d]!;
    values[at] =
      c === 0
        ? Math.floor(x[table.slot[d]!]!)
        : c === 1
          ? Math.round(x[table.slot[d]!]! * 1e6) / 1e6
          : gauges[c - 2]!;
    state[at] = 1;
    const weight = table.weight[d]!;
    if (!exposed[d]) added += weight;
    exposed[d] = 1;
    count += weight;
  }
  tally[0] = count;
  tally[1] = added;
}

/** GAUGE_KINDS' indexes, for the per-scrape loop. */
const G_HAS_LEADER = GAUGE_KINDS.indexOf('has-leader');
const G_IS_LEADER = GAUGE_KINDS.indexOf('is-leader');
const G_LEADER_CHANGES = GAUGE_KINDS.indexOf('leader-changes');
const G_COMMITTED = GAUGE_KINDS.indexOf('committed');
const G_APPLIED = GAUGE_KINDS.indexOf('applied');
const G_PENDING = GAUGE_KINDS.indexOf('pending');
const G_DB_TOTAL = GAUGE_KINDS.indexOf('db-total');
const G_DB_IN_USE = GAUGE_KINDS.indexOf('db-in-use');
const G_QUOTA = GAUGE_KINDS.indexOf('quota');

/**
 * Where the scrape loop writes: every series' samples (series i, scrape k at i * scrapeCount +
 * k; state 1 marks a value, 2 a staleness marker) and what it keeps per member between scrapes.
 * The loop's steps are module functions of this one object (not closures in simulate), so that
 * V8 compiles each small step once instead of the whole of simulate at its loop.
 */
interface Scrapes {
  values: Float64Array;
  state: Uint8Array;
  scrapeCount: number;
  /** Per member: its report series (up, scrape_duration_seconds, …) and exposed series. */
  report: number[][];
  tables: DescTable[];
  /** Per member: which of its series the last successful scrape exposed. */
  exposed: Uint8Array[];
  hadExposed: boolean[];
  targetActive: boolean[];
}

function put(w: Scrapes, series: number, k: number, v: number): void {
  const at = series * w.scrapeCount + k;
  w.values[at] = v;
  w.state[at] = 1;
}

function putStale(w: Scrapes, series: number, k: number): void {
  w.state[series * w.scrapeCount + k] = 2;
}

/** Staleness markers on every series member m's last successful scrape exposed. */
function staleAll(w: Scrapes, m: number, k: number): void {
  if (!w.hadExposed[m]) return;
  const ex = w.exposed[m]!;
  const series = w.tables[m]!.series;
  for (let d = 0; d < ex.length; d++) if (ex[d]) putStale(w, series[d]!, k);
  ex.fill(0);
  w.hadExposed[m] = false;
}

/** Member m's report series at scrape k. */
function putReport(
  w: Scrapes,
  m: number,
  k: number,
  up: number,
  duration: number,
  scraped: number,
  postRelabeling: number,
  added: number,
): void {
  const rep = w.report[m]!;
  put(w, rep[0]!, k, up);
  put(w, rep[1]!, k, duration);
  put(w, rep[2]!, k, scraped);
  put(w, rep[3]!, k, postRelabeling);
  put(w, rep[4]!, k, added);
}

const micro = (x: number): number => Math.round(x * 1e6) / 1e6;

/** Simulates a scenario: Raft state, every series Prometheus stores, and the ground truth. */
export function simulate(scenario: Scenario): Simulation {
  const checked = validateScenario(scenario);
  if (!checked.ok) {
    throw new Error(
      `invalid scenario: ${checked.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    );
  }
  const s = checked.value;
  const n = s.members;
  const members = createMembers(n, s.seed, s.labelScheme);
  const raft = runRaft(s, deriveRng(s.seed, 2), deriveRng(s.seed, 6));
  const setup = deriveRng(s.seed, 3);
  const drawnWrites = BASE_WRITES * (0.8 + 0.4 * setup());
  const writes = s.writesPerSecond ?? drawnWrites;
  const load: Load = { writes, reads: writes * READS_PER_WRITE };
  const quota = s.quotaBackendBytes ?? DEFAULT_QUOTA;
  const dbStart = Math.round((s.dbSizeBytes ?? 100 * MiB + setup() * 50 * MiB) / PAGE) * PAGE;
  const inUseRatio = 0.6 + 0.25 * setup();
  const inUseStart = Math.round((s.dbInUseBytes ?? dbStart * inUseRatio) / PAGE) * PAGE;
  const commitStart = 1_000_000 + Math.floor(setup() * 9_000_000);
  const dbOffset = members.map(() => PAGE * Math.floor(setup() * 64));
  const uptime = members.map(() => (2 + setup() * 28) * 86_400);
  const { segs, alarms } = clusterPass(raft.segments, s, load, dbStart, commitStart);

  const peers = members.map((_, m) => members.map((__, p) => p).filter((p) => p !== m));
  const peerPos = (m: number, p: number): number => (p < m ? p : p - 1);
  const grpcBase = (n - 1) * PEER_SIZE;
  const failedSlot = grpcBase + GRPC_METHODS.length * GRPC_SIZE;
  const walBase = failedSlot + 1;
  const backendBase = walBase + DISK_SIZE;
  const heartbeatSlot = backendBase + DISK_SIZE;
  const probeSlot = heartbeatSlot + 1;
  const slots = probeSlot + 1;
  const noisy = new Uint8Array(slots).fill(1);
  for (let pi = 0; pi < n - 1; pi++) {
    noisy[pi * PEER_SIZE + 2] = 0;
    noisy[pi * PEER_SIZE + PEER_ACTIVE] = 0;
    noisy[pi * PEER_SIZE + PEER_DISCONNECTED] = 0;
  }
  noisy[failedSlot] = 0;
  noisy[heartbeatSlot] = 0;

  const codeIndex = (c: GrpcCode): number => GRPC_CODES.indexOf(c);
  const computeRates = (seg: Seg): Float64Array[] => {
    const ph = seg.phys;
    const out = members.map(() => new Float64Array(slots));
    const running = Math.max(1, runningCount(seg));
    const wm = load.writes / running;
    const rm = load.reads / running;
    for (let m = 0; m < n; m++) {
      // A hung process counts nothing.
      if (!ph.running[m] || ph.hung[m]) continue;
      const r = out[m]!;
      const leads = seg.acting[m]! && seg.stalled !== m;
      if (leads && ph.fsync[m]! >= LATE_HEARTBEAT_FSYNC)
        r[heartbeatSlot] = (n - 1) * HEARTBEATS * 0.2;
      for (const p of peers[m]!) {
        const base = peerPos(m, p) * PEER_SIZE;
        if (connected(ph, m, p)) r[probeSlot]! += PROBE_RECEIVED_BYTES;
        if (ph.hung[p]) {
          // Writes to a stopped peer's open socket land in the kernel's buffer: no failure; the
          // probers keep reporting the last smoothed round trip.
          addHistogram(r, base + 3, RTT_BUCKETS, PROBE_RATE, ph.rtt[m]![p]!, 0.5);
          continue;
        }
        const deliver = ph.running[p]! && ph.link[m]![p]!;
        let sent = 0;
        let fail = 0;
        if (deliver && ph.link[p]![m]) sent += LINK_HEARTBEAT_BYTES;
        if (leads) {
          const entries = seg.leader === m ? seg.commitRate : 0;
          if (deliver) sent += HEARTBEATS * HEARTBEAT_BYTES + entries * ENTRY_BYTES;
          else fail += HEARTBEATS;
        } else if (seg.hearing[m] === p) {
          if (deliver) sent += HEARTBEATS * RESPONSE_BYTES + wm * ENTRY_BYTES;
          else fail += HEARTBEATS;
        } else if (seg.campaigning[m]) {
          if (deliver) sent += VOTE_RATE * VOTE_BYTES;
          else fail += VOTE_RATE;
        }
        if (seg.campaigning[p] && ph.running[p] && ph.link[p]![m]) {
          if (deliver) sent += VOTE_RATE * RESPONSE_BYTES;
          else fail += VOTE_RATE;
        }
        r[base] = sent;
        r[base + 2] = fail;
        if (connected(ph, m, p)) {
          addHistogram(r, base + 3, RTT_BUCKETS, PROBE_RATE, ph.rtt[m]![p]!, 0.5);
        }
      }
      const outcome = writeOutcome(seg, m, seg.alarm);
      const writeLatency = writeLatencyOf(seg, m);
      const inQuorum = 1 + peers[m]!.filter((p) => connected(ph, m, p)).length >= quorumSize(n);
      GRPC_METHODS.forEach((method, gi) => {
        const base = grpcBase + gi * GRPC_SIZE;
        const hist = base + 1 + GRPC_CODES.length;
        const handle = (rate: number, code: GrpcCode, median: number, sigma: number): void => {
          r[base]! += rate;
          r[base + 1 + codeIndex(code)]! += rate;
          addHistogram(r, hist, GRPC_BUCKETS, rate, median, sigma);
        };
        if (method.type === 'bidi_stream') {
          handle(WATCH_RATE, 'Canceled', 600, 0.5);
          return;
        }
        const isRead = method.method === 'Range';
        const rate = isRead ? rm : method.method === 'Put' ? 0.7 * wm : 0.3 * wm;
        // Requests wait for a leader (reads for their ReadIndex, writes forwarded to the leader)
        // up to the request timeout: on a member that still reaches a quorum, the election ends
        // the wait well before it and they succeed late. A proposal on a member without a
        // leader is dropped; a member cut off from the quorum fails them all at the timeout.
        const waits = inQuorum && (outcome === 'stale' || (outcome === 'noleader' && isRead));
        if (waits) handle(rate, 'OK', 1, 0.5);
        else if (outcome === 'noleader' || outcome === 'stale') {
          if (isRead || outcome === 'stale') handle(rate, 'Unavailable', REQUEST_TIMEOUT, 0.02);
          else handle(rate, 'Unknown', 0.0003, 0.3);
        } else if (isRead) handle(rate, 'OK', 0.0015, 0.6);
        else if (outcome === 'alarm') handle(rate, 'ResourceExhausted', 0.0005, 0.3);
        else handle(rate, 'OK', writeLatency, 0.5);
      });
      if (outcome === 'noleader' || (outcome === 'stale' && !inQuorum)) r[failedSlot] = wm;
      const synced = seg.synced[m]!;
      const fsyncs = synced ? 1 + 0.5 * seg.commitRate : 0.02;
      addHistogram(r, walBase, DISK_BUCKETS, fsyncs, ph.fsync[m]!, 0.5);
      const commits = synced ? (seg.commitRate > 0 ? 10 : 0.1) : 0.02;
      addHistogram(r, backendBase, DISK_BUCKETS, commits, 4 * ph.fsync[m]!, 0.5);
    }
    // What m receives from p is what p delivered to m.
    for (let m = 0; m < n; m++) {
      for (const p of peers[m]!) {
        if (ph.running[m] && ph.running[p] && ph.link[p]![m]) {
          out[m]![peerPos(m, p) * PEER_SIZE + 1] = out[p]![peerPos(p, m) * PEER_SIZE]!;
        }
      }
    }
    return out;
  };

  // ---- Series layout ----------------------------------------------------------------------
  const allLabels: Record<string, string>[] = [];
  const scrapeCount = Math.floor(s.duration / s.scrapeInterval) + 1;
  const addSeries = (
    name: string,
    target: Record<string, string>,
    extra: Record<string, string>,
  ): number => {
    const merged: Record<string, string> = { ...target, ...extra };
    const labels: Record<string, string> = { __name__: name };
    for (const key of Object.keys(merged).sort()) labels[key] = merged[key]!;
    allLabels.push(Object.freeze(labels));
    return allLabels.length - 1;
  };
  type Kind = 'counter' | 'float' | GaugeKind;
  interface Desc {
    series: number;
    kind: Kind;
    slot: number;
    /** The series exists once floor(acc[exists]) >= 1 (a lazily created child), or always (-1). */
    exists: number;
  }
  const report: number[][] = [];
  const descs: Desc[][] = [];
  members.forEach((member, m) => {
    const target = targetLabels(member, s.labelScheme);
    report.push(
      [
        'up',
        'scrape_duration_seconds',
        'scrape_samples_scraped',
        'scrape_samples_post_metric_relabeling',
        'scrape_series_added',
      ].map((name) => addSeries(name, target, {})),
    );
    const list: Desc[] = [];
    const gauge = (name: string, kind: Kind): void => {
      list.push({ series: addSeries(name, target, {}), kind, slot: 0, exists: -1 });
    };
    const counter = (
      name: string,
      slot: number,
      extra: Record<string, string>,
      exists = -1,
    ): void => {
      list.push({ series: addSeries(name, target, extra), kind: 'counter', slot, exists });
    };
    const histogram = (
      name: string,
      base: number,
      bounds: readonly number[],
      extra: Record<string, string>,
      lazy: boolean,
    ): void => {
      const count = base + bounds.length + 1;
      const exists = lazy ? count : -1;
      bounds.forEach((b, k) =>
        counter(`${name}_bucket`, base + k, { ...extra, le: formatLe(b) }, exists),
      );
      counter(`${name}_bucket`, count, { ...extra, le: '+Inf' }, exists);
      list.push({
        series: addSeries(`${name}_sum`, target, extra),
        kind: 'float',
        slot: base + bounds.length,
        exists,
      });
      counter(`${name}_count`, count, extra, exists);
    };
    gauge('etcd_server_has_leader', 'has-leader');
    gauge('etcd_server_is_leader', 'is-leader');
    gauge('etcd_server_leader_changes_seen_total', 'leader-changes');
    gauge('etcd_server_proposals_committed_total', 'committed');
    gauge('etcd_server_proposals_applied_total', 'applied');
    gauge('etcd_server_proposals_pending', 'pending');
    counter('etcd_server_proposals_failed_total', failedSlot, {});
    for (const p of peers[m]!) {
      const base = peerPos(m, p) * PEER_SIZE;
      const id = members[p]!.id;
      counter('etcd_network_peer_sent_bytes_total', base, { To: id }, base);
      counter('etcd_network_peer_received_bytes_total', base + 1, { From: id }, base + 1);
      counter('etcd_network_peer_sent_failures_total', base + 2, { To: id }, base + 2);
      histogram(
        'etcd_network_peer_round_trip_time_seconds',
        base + 3,
        RTT_BUCKETS,
        { To: id },
        true,
      );
    }
    GRPC_METHODS.forEach((method, gi) => {
      const base = grpcBase + gi * GRPC_SIZE;
      const labels = {
        grpc_method: method.method,
        grpc_service: method.service,
        grpc_type: method.type,
      };
      counter('grpc_server_started_total', base, labels);
      GRPC_CODES.forEach((code, ci) => {
        counter('grpc_server_handled_total', base + 1 + ci, { ...labels, grpc_code: code });
      });
      // etcd enables the handling-time histograms only with --metrics=extensive.
      if (s.metrics !== 'basic') {
        histogram(
          'grpc_server_handling_seconds',
          base + 1 + GRPC_CODES.length,
          GRPC_BUCKETS,
          labels,
          false,
        );
      }
    });
    counter('etcd_server_heartbeat_send_failures_total', heartbeatSlot, {});
    counter('etcd_network_peer_received_bytes_total', probeSlot, { From: '0' }, probeSlot);
    for (const p of peers[m]!) {
      const base = peerPos(m, p) * PEER_SIZE;
      const pair = { Local: member.id, Remote: members[p]!.id };
      list.push({
        series: addSeries('etcd_network_active_peers', target, pair),
        kind: 'float',
        slot: base + PEER_ACTIVE,
        exists: -1,
      });
      counter(
        'etcd_network_disconnected_peers_total',
        base + PEER_DISCONNECTED,
        pair,
        base + PEER_DISCONNECTED,
      );
    }
    histogram('etcd_disk_wal_fsync_duration_seconds', walBase, DISK_BUCKETS, {}, false);
    histogram('etcd_disk_backend_commit_duration_seconds', backendBase, DISK_BUCKETS, {}, false);
    gauge('etcd_mvcc_db_total_size_in_bytes', 'db-total');
    gauge('etcd_mvcc_db_total_size_in_use_in_bytes', 'db-in-use');
    gauge('etcd_server_quota_backend_bytes', 'quota');
    descs.push(list);
  });

  // One buffer for all series (allocated once the layout is known), see Scrapes.
  const allValues = new Float64Array(allLabels.length * scrapeCount);
  const allState = new Uint8Array(allLabels.length * scrapeCount);

  // ---- Sweep: integrate rates between scrapes, then scrape -------------------------------
  const acc = members.map(() => new Float64Array(slots));
  const leaderChanges = members.map(() => 1);
  // Each segment's rates, worked out once (on first use) and shared by every member.
  const ratesBySeg: (Float64Array[] | undefined)[] = [];
  const ratesAt = (i: number): Float64Array[] => (ratesBySeg[i] ??= computeRates(segs[i]!));
  members.forEach((_, m) => {
    if (!segs[0]!.phys.running[m]) return;
    const r = ratesAt(0)[m]!;
    for (let k = 0; k < slots; k++) acc[m]![k] = noisy[k] ? r[k]! * uptime[m]! : 0;
  });
  // Where each member's log stopped following the leader (it keeps that commit index and db size).
  const syncSeg = members.map(() => 0);
  const syncEnd: (number | null)[] = members.map(() => null);
  /** Member m enters segment i. */
  const enter = (m: number, i: number): void => {
    const prev = segs[i - 1]!;
    const seg = segs[i]!;
    if (seg.phys.running[m] && !prev.phys.running[m]) {
      acc[m]!.fill(0);
      leaderChanges[m] = 0;
    }
    leaderChanges[m]! += seg.leaderChanges[m]!;
    if (seg.synced[m]) {
      syncSeg[m] = i;
      syncEnd[m] = null;
    } else if (syncEnd[m] === null) syncEnd[m] = seg.start;
    const rates = ratesAt(i);
    const was = prev.phys;
    const now = seg.phys;
    if (!was.running[m] || !now.running[m] || now.hung[m]) return;
    for (const p of peers[m]!) {
      const base = peerPos(m, p) * PEER_SIZE;
      // Each stream that breaks counts a disconnection (rafthttp peer_status.go deactivate).
      if (connected(was, m, p) && !connected(now, m, p)) acc[m]![base + PEER_DISCONNECTED]! += 1;
      // A member that does not keep sending to a peer it loses (the peer dies, or the link to
      // it is cut while it runs) still fails its stream writers.
      const dies = was.running[p] && !now.running[p];
      const cut = now.running[p] && !now.hung[p] && was.link[m]![p] && !now.link[m]![p];
      if ((dies || cut) && rates[m]![base + 2] === 0) {
        acc[m]![base + 2]! += STREAM_FAILURES_ON_DEATH;
      }
    }
  };
  /** Member m's segment, per member: the sweep runs member by member. */
  const segOf = members.map(() => 0);
  /** Integrates member m's rates over [from, to), entering the segments that start within. */
  const integrate = (m: number, from: number, to: number, f: number): void => {
    let a = from;
    let i = segOf[m]!;
    while (true) {
      const nextStart = segs[i + 1]?.start;
      const b = nextStart !== undefined && nextStart < to ? nextStart : to;
      const dt = (b - Math.max(a, segs[i]!.start)) / 1000;
      if (dt > 0 && segs[i]!.phys.running[m]) accumulate(acc[m]!, ratesAt(i)[m]!, noisy, dt, f);
      if (b === to) break;
      a = b;
      i++;
      enter(m, i);
    }
    segOf[m] = i;
  };
  const valueAt = (i: number, x: number, rate: number, v0: number): number =>
    v0 + (rate * (x - Math.max(segs[i]!.start, 0))) / 1000;

  const noise = deriveRng(s.seed, 4);
  const scrapeNoise = deriveRng(s.seed, 5);
  // A member's series whose samples are those of an earlier one of its own (a histogram's +Inf
  // bucket and its count; buckets above every observation; peers alike in every segment) are
  // not written: the scrape loop writes the first, weighted, and the others share its columns.
  const fixed = new Uint8Array(slots);
  for (let pi = 0; pi < n - 1; pi++) {
    fixed[pi * PEER_SIZE + 2] = 1;
    fixed[pi * PEER_SIZE + PEER_ACTIVE] = 1;
    fixed[pi * PEER_SIZE + PEER_DISCONNECTED] = 1;
  }
  const allRates = segs.map((_, i) => ratesAt(i));
  const aliasOf = new Int32Array(allLabels.length).fill(-1);
  const kept = descs.map((list, m) => {
    const canon = equalSlots(allRates, m, noisy, fixed);
    const first = new Map<string, Desc & { weight: number }>();
    const out: (Desc & { weight: number })[] = [];
    for (const d of list) {
      const code = kindCode(d.kind);
      const key = `${code} ${code < 2 ? canon[d.slot] : -1} ${d.exists < 0 ? -1 : canon[d.exists]}`;
      const earlier = first.get(key);
      if (earlier) {
        aliasOf[d.series] = earlier.series;
        earlier.weight++;
      } else {
        const entry = { ...d, weight: 1 };
        first.set(key, entry);
        out.push(entry);
      }
    }
    return out;
  });
  const tables = kept.map(toDescTable);
  const w: Scrapes = {
    values: allValues,
    state: allState,
    scrapeCount,
    report,
    tables,
    exposed: kept.map((d) => new Uint8Array(d.length)),
    hadExposed: members.map(() => false),
    targetActive: members.map(() => false),
  };
  const { exposed, hadExposed, targetActive } = w;
  const gauges = new Float64Array(GAUGE_KINDS.length);
  const tally = new Int32Array(2);
  const scrapeTimes: number[] = [];
  const truth: TruthPoint[] = [];
  const timeout = (s.scrapeTimeout ?? Math.min(10_000, s.scrapeInterval)) / 1000;
  // What a member's gauges take from its segment, worked out once per segment.
  const pendingBySeg: (Float64Array | undefined)[] = [];
  const pendingAt = (i: number): Float64Array => {
    const cached = pendingBySeg[i];
    if (cached) return cached;
    const seg = segs[i]!;
    const pending = new Float64Array(n);
    const wm = load.writes / Math.max(1, runningCount(seg));
    for (let m = 0; m < n; m++) {
      const outcome = writeOutcome(seg, m, seg.alarm);
      pending[m] =
        outcome === 'stale'
          ? Math.round(wm * REQUEST_TIMEOUT)
          : outcome === 'ok'
            ? Math.round(wm * writeLatencyOf(seg, m))
            : 0;
    }
    pendingBySeg[i] = pending;
    return pending;
  };

  // First pass, scrape by scrape: the times, the truth, each scrape's segment and the noise (drawn
  // in the same order as before: scrape by scrape, member by member).
  const segAt = new Int32Array(scrapeCount);
  const multAt = new Float64Array(scrapeCount * n);
  const noiseAt = new Float64Array(scrapeCount * n);
  {
    let si = 0;
    let truthFor = -1;
    let truthNow = truthOf(segs[0]!);
    for (let k = 0; k < scrapeCount; k++) {
      const t = k * s.scrapeInterval;
      for (let m = 0; m < n; m++) multAt[k * n + m] = 0.9 + 0.2 * noise();
      if (t > 0) {
        while (si + 1 < segs.length && segs[si + 1]!.start < t) si++;
      }
      segAt[k] = si;
      scrapeTimes.push(t);
      if (truthFor !== si) {
        truthFor = si;
        truthNow = truthOf(segs[si]!);
      }
      truth.push(truthPoint(t, truthNow));
      for (let m = 0; m < n; m++) noiseAt[k * n + m] = scrapeNoise();
    }
  }

  // The sweep, member by member (a member's series are a fifth of all: fewer pages written
  // between two scrapes): integrate its rates between scrapes, then scrape it.
  for (let m = 0; m < n; m++) {
    const ex = exposed[m]!;
    const x = acc[m]!;
    for (let k = 0; k < scrapeCount; k++) {
      const t = k * s.scrapeInterval;
      if (t > 0) integrate(m, t - s.scrapeInterval, t, multAt[k * n + m]!);
      const si = segAt[k]!;
      const seg = segs[si]!;
      const ph = seg.phys;
      const u = noiseAt[k * n + m]!;
      if (ph.promDown) {
        // A restarted Prometheus has a fresh scrape cache: no staleness markers for the gap.
        ex.fill(0);
        hadExposed[m] = false;
        targetActive[m] = false;
        continue;
      }
      if (!ph.listed[m]) {
        if (targetActive[m]) {
          // End-of-run staleness: the target left service discovery.
          staleAll(w, m, k);
          for (const r of report[m]!) putStale(w, r, k);
          targetActive[m] = false;
        }
        continue;
      }
      targetActive[m] = true;
      if (!ph.running[m] || ph.scrapeBlocked[m]) {
        staleAll(w, m, k);
        const took = ph.scrapeBlocked[m] ? timeout + 0.0002 * u : 0.0004 + 0.0008 * u;
        putReport(w, m, k, 0, micro(took), 0, 0, 0);
        continue;
      }
      for (const p of peers[m]!) {
        x[peerPos(m, p) * PEER_SIZE + PEER_ACTIVE] = connected(ph, m, p) ? 1 : 0;
      }
      const live = syncEnd[m] === null;
      const at = live ? t : syncEnd[m]!;
      const sIdx = syncSeg[m]!;
      const sSeg = segs[sIdx]!;
      const commit = Math.floor(valueAt(sIdx, at, sSeg.commitRate, sSeg.c0));
      const db = Math.min(quota, valueAt(sIdx, at, sSeg.dbRate, sSeg.d0));
      gauges[G_HAS_LEADER] = seg.known[m] === null ? 0 : 1;
      gauges[G_IS_LEADER] = seg.acting[m] ? 1 : 0;
      gauges[G_LEADER_CHANGES] = leaderChanges[m]!;
      gauges[G_COMMITTED] = commit;
      gauges[G_APPLIED] = commit;
      gauges[G_PENDING] = pendingAt(si)[m]!;
      gauges[G_DB_TOTAL] = Math.round((db + dbOffset[m]!) / PAGE) * PAGE;
      gauges[G_DB_IN_USE] = Math.round((inUseStart + db - dbStart) / PAGE) * PAGE;
      gauges[G_QUOTA] = quota;
      emitSamples(tables[m]!, x, ex, gauges, allValues, allState, k, scrapeCount, tally);
      const count = tally[0]!;
      hadExposed[m] = true;
      putReport(w, m, k, 1, micro(0.003 + 0.009 * u), count, count, tally[1]!);
    }
  }

  // One array of the scrape times for every series' columns; the buffers become the series'.
  const series = seriesFromScrapes(
    allLabels,
    Float64Array.from(scrapeTimes),
    allValues,
    allState,
    aliasOf,
  );
  return {
    scenario: s,
    members,
    series,
    truth,
    segments: truthSegments(segs, s.duration),
    events: simEvents(s, [
      ...raft.events,
      ...alarms.map((t): SimEvent => ({
        t,
        kind: 'nospace-alarm',
        text: 'the database reached the quota: etcd raises the NOSPACE alarm and rejects writes',
      })),
    ]),
    scrapeTimes,
  };
}

function truthOf(seg: RaftSegment): Omit<TruthPoint, 't'> {
  const p = seg.phys;
  const n = p.running.length;
  const all = Array.from({ length: n }, (_, i) => i);
  const group = (i: number): number[] => all.filter((j) => j === i || connected(p, i, j));
  // The reference group: the leader's, or with no leader the largest one a member could lead.
  let ref: number[] = [];
  if (seg.leader !== null) ref = group(seg.leader);
  else {
    for (const i of all) {
      if (!p.running[i]) continue;
      const g = group(i);
      if (g.length > ref.length) ref = g;
    }
  }
  const down = all.filter((i) => !p.running[i]);
  const partitioned = all.filter((i) => p.running[i] && !ref.includes(i));
  const reachable = p.promDown
    ? []
    : all.filter((i) => p.running[i] && p.listed[i] && !p.scrapeBlocked[i]);
  const one = (xs: number[]): number[] => xs.map((i) => i + 1);
  return {
    down: one(down),
    partitioned: one(partitioned),
    reachable: one(reachable),
    leader: seg.leader === null ? null : seg.leader + 1,
    quorum: seg.canSurvive >= 0,
    canSurvive: ref.length - quorumSize(n),
  };
}

/** A truth point with its own arrays, so that callers may keep or change it freely. */
function truthPoint(t: number, truth: Omit<TruthPoint, 't'>): TruthPoint {
  return {
    t,
    down: [...truth.down],
    partitioned: [...truth.partitioned],
    reachable: [...truth.reachable],
    leader: truth.leader,
    quorum: truth.quorum,
    canSurvive: truth.canSurvive,
  };
}

function truthSegments(segs: Seg[], duration: number): TruthSegment[] {
  const out: TruthSegment[] = [];
  segs.forEach((seg, i) => {
    const from = Math.max(seg.start, 0);
    const to = Math.min(segs[i + 1]?.start ?? Infinity, duration);
    if (to <= from && !(i === 0 && to === 0)) return;
    const truth = truthOf(seg);
    const last = out[out.length - 1];
    if (last && last.to === from && JSON.stringify(last.truth) === JSON.stringify(truth))
      last.to = to;
    else out.push({ from, to, truth });
  });
  return out;
}

function simEvents(s: Scenario, raftEvents: SimEvent[]): SimEvent[] {
  const out: SimEvent[] = [];
  for (const ev of s.events) {
    const who = 'member' in ev ? ` member ${ev.member}` : '';
    out.push({
      t: ev.at,
      kind: 'event-start',
      ...('member' in ev && { member: ev.member }),
      text: `${ev.kind}${who}`,
    });
    if (ev.until !== undefined && ev.until <= s.duration) {
      out.push({
        t: ev.until,
        kind: 'event-end',
        ...('member' in ev && { member: ev.member }),
        text: `end of ${ev.kind}${who}`,
      });
    }
  }
  // A loop, not push(...): a spread of a long array overflows the stack.
  for (const e of raftEvents) out.push(e);
  return out.sort((a, b) => a.t - b.t);
}

/** The ground truth at any instant t (the state just before t, as a scrape at t sees it). */
export function truthAt(sim: Simulation, t: number): TruthPoint {
  const segs = sim.segments;
  let lo = 0;
  let hi = segs.length - 1;
  // The first segment whose `to` is >= t.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segs[mid]!.to >= t) hi = mid;
    else lo = mid + 1;
  }
  const seg = segs[lo]!;
  return truthPoint(t, seg.truth);
}
