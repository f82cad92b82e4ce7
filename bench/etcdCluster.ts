// Synthetic series of a 5-member etcd cluster scraped every 15s, with the metrics the etcd
// mixin's alerts read: up, leader state and changes, peer failures and round-trip times, gRPC
// requests and latencies, WAL fsync and backend commit latencies, database size and quota. A
// few incidents (a member down, leader churn, a slow disk, failing requests) make alerts fire.
// Stands in for the simulator (src/sim) in the benchmark until that can be used instead.

import {
  createRng,
  formatValue,
  type GeneratedSeries,
  type Rng,
} from '../tests/differential/index.ts';

/** Size and shape of the generated cluster. */
export interface ClusterOptions {
  readonly members: number;
  readonly durationMs: number;
  readonly scrapeIntervalMs: number;
  readonly seed: number;
}

/** The benchmark's default: 5 members, 24 hours at a 15s scrape interval. */
export const defaultClusterOptions: ClusterOptions = {
  members: 5,
  durationMs: 24 * 3_600_000,
  scrapeIntervalMs: 15_000,
  seed: 1,
};

const HOUR = 3_600_000;
const GRPC_METHODS = ['Range', 'Put', 'Txn', 'LeaseGrant'];
const GRPC_CODES = ['OK', 'Unavailable'];
const GRPC_LE = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '+Inf'];
const PEER_LE = ['0.0001', '0.0008', '0.0064', '0.0512', '0.4096', '+Inf'];
const DISK_LE = ['0.001', '0.004', '0.016', '0.064', '0.256', '1.024', '4.096', '+Inf'];

/** A member's state at one scrape. */
interface MemberState {
  readonly scraped: boolean;
  readonly leaderChanges: number;
  readonly slowDisk: boolean;
}

// One series builder: values are numbers per step, or undefined when the target is down (the
// first such scrape becomes a staleness marker, as Prometheus writes when a target vanishes).
class SeriesBuilder {
  private readonly tokens: string[] = [];
  private wasUp = true;
  constructor(readonly labels: Readonly<Record<string, string>>) {}
  push(v: number | undefined): void {
    if (v === undefined) {
      this.tokens.push(this.wasUp ? 'stale' : '_');
      this.wasUp = false;
    } else {
      this.tokens.push(formatValue(Math.round(v * 1000) / 1000));
      this.wasUp = true;
    }
  }
  build(): GeneratedSeries {
    return { labels: this.labels, values: this.tokens };
  }
}

// A cumulative histogram: each step adds `count` observations spread with the CDF `cdf(le)`.
class Histogram {
  private readonly counts: number[];
  readonly series: SeriesBuilder[];
  constructor(
    labels: Record<string, string>,
    private readonly les: readonly string[],
  ) {
    this.counts = les.map(() => 0);
    this.series = les.map((le) => new SeriesBuilder({ ...labels, le }));
  }
  step(count: number, cdf: (le: number) => number, reset: boolean, up: boolean): void {
    this.les.forEach((le, i) => {
      if (reset) this.counts[i] = 0;
      const bound = le === '+Inf' ? Infinity : Number(le);
      this.counts[i] =
        (this.counts[i] ?? 0) + Math.round(count * (bound === Infinity ? 1 : cdf(bound)));
      this.series[i]?.push(up ? this.counts[i] : undefined);
    });
  }
}

// A log-normal-ish latency CDF with median `median`.
const latencyCdf =
  (median: number) =>
  (le: number): number =>
    1 / (1 + (median / le) ** 2);

/** Generates the cluster's series in promtool's notation (one token per scrape). */
export function generateEtcdCluster(
  options: ClusterOptions = defaultClusterOptions,
): GeneratedSeries[] {
  const rng = createRng(options.seed);
  const steps = Math.floor(options.durationMs / options.scrapeIntervalMs) + 1;
  const out: GeneratedSeries[] = [];
  for (let m = 0; m < options.members; m++) out.push(...generateMember(rng, m, options, steps));
  return out;
}

function generateMember(rng: Rng, m: number, o: ClusterOptions, steps: number): GeneratedSeries[] {
  const instance = `10.0.0.${m + 1}:2379`;
  const base = { job: 'etcd', instance };
  const peers = Array.from({ length: o.members }, (_, p) => p).filter((p) => p !== m);
  const b = (name: string, extra: Record<string, string> = {}): SeriesBuilder =>
    new SeriesBuilder({ __name__: name, ...base, ...extra });

  const up = b('up');
  const hasLeader = b('etcd_server_has_leader');
  const leaderChanges = b('etcd_server_leader_changes_seen_total');
  const proposalsFailed = b('etcd_server_proposals_failed_total');
  const dbSize = b('etcd_mvcc_db_total_size_in_bytes');
  const dbInUse = b('etcd_mvcc_db_total_size_in_use_in_bytes');
  const quota = b('etcd_server_quota_backend_bytes');
  const peerFailures = peers.map((p) => ({
    p,
    s: b('etcd_network_peer_sent_failures_total', { To: `member-${p}` }),
    v: 0,
  }));
  const peerRtt = peers.map(
    (p) =>
      new Histogram(
        {
          __name__: 'etcd_network_peer_round_trip_time_seconds_bucket',
          ...base,
          To: `member-${p}`,
        },
        PEER_LE,
      ),
  );
  const grpcHandled = GRPC_METHODS.flatMap((method) =>
    GRPC_CODES.map((code) => ({
      method,
      code,
      s: b('grpc_server_handled_total', {
        grpc_service: 'etcdserverpb.KV',
        grpc_method: method,
        grpc_type: 'unary',
        grpc_code: code,
      }),
      v: 0,
    })),
  );
  const grpcLatency = GRPC_METHODS.map(
    (method) =>
      new Histogram(
        {
          __name__: 'grpc_server_handling_seconds_bucket',
          ...base,
          grpc_service: 'etcdserverpb.KV',
          grpc_method: method,
          grpc_type: 'unary',
        },
        GRPC_LE,
      ),
  );
  const walFsync = new Histogram(
    { __name__: 'etcd_disk_wal_fsync_duration_seconds_bucket', ...base },
    DISK_LE,
  );
  const backendCommit = new Histogram(
    { __name__: 'etcd_disk_backend_commit_duration_seconds_bucket', ...base },
    DISK_LE,
  );

  let failedProposals = 0;
  let db = 2e9 + m * 1e8;
  let wasDown = false;
  const requestRate = 20 + rng.next() * 30;
  for (let i = 0; i < steps; i++) {
    const t = i * o.scrapeIntervalMs;
    const state = memberState(m, t, o);
    // A member that comes back restarted: its counters start again from zero.
    const reset = wasDown && state.scraped;
    wasDown = !state.scraped;
    if (reset) {
      failedProposals = 0;
      for (const f of peerFailures) f.v = 0;
      for (const g of grpcHandled) g.v = 0;
    }
    const othersDown = memberDownAt(2, t) && m !== 2;
    const scrape = (v: number): number | undefined => (state.scraped ? v : undefined);

    up.push(state.scraped ? 1 : 0);
    hasLeader.push(scrape(leaderChurn(t) && rng.chance(0.05) ? 0 : 1));
    leaderChanges.push(scrape(state.leaderChanges));
    if (leaderChurn(t) && rng.chance(0.02)) failedProposals += 1;
    proposalsFailed.push(scrape(failedProposals));
    db += rng.next() * 3000 * (t > 20 * HOUR ? 40 : 1);
    dbSize.push(scrape(Math.round(db)));
    dbInUse.push(scrape(Math.round(db * 0.6)));
    quota.push(scrape(8 * 1024 ** 3));
    for (const f of peerFailures) {
      if (othersDown && f.p === 2) f.v += Math.round(rng.next() * 30);
      f.s.push(scrape(f.v));
    }
    peerRtt.forEach((h) => h.step(15, latencyCdf(0.002), reset, state.scraped));
    for (const g of grpcHandled) {
      const failing = othersDown ? 0.1 : 0.001;
      const n = requestRate * 15 * (g.code === 'OK' ? 1 - failing : failing);
      g.v += Math.round(n * (0.5 + rng.next()));
      g.s.push(scrape(g.v));
    }
    grpcLatency.forEach((h) => h.step(requestRate * 15, latencyCdf(0.01), reset, state.scraped));
    const fsyncMedian = state.slowDisk ? 0.8 : 0.002;
    walFsync.step(100, latencyCdf(fsyncMedian), reset, state.scraped);
    backendCommit.step(50, latencyCdf(state.slowDisk ? 0.4 : 0.01), reset, state.scraped);
  }
  return [
    up,
    hasLeader,
    leaderChanges,
    proposalsFailed,
    dbSize,
    dbInUse,
    quota,
    ...peerFailures.map((f) => f.s),
    ...peerRtt.flatMap((h) => h.series),
    ...grpcHandled.map((g) => g.s),
    ...grpcLatency.flatMap((h) => h.series),
    ...walFsync.series,
    ...backendCommit.series,
  ].map((s) => s.build());
}

// Incidents: member 2 is down from 6h to 6h30; leaders churn from 12h to 12h20; member 4's
// disk is slow from 18h to 19h; the database grows fast after 20h.
function memberDownAt(m: number, t: number): boolean {
  return m === 2 && t >= 6 * HOUR && t < 6.5 * HOUR;
}

function leaderChurn(t: number): boolean {
  return t >= 12 * HOUR && t < 12 * HOUR + 20 * 60_000;
}

function memberState(m: number, t: number, o: ClusterOptions): MemberState {
  const scraped = !memberDownAt(m, t) && t <= o.durationMs;
  let leaderChanges = 1;
  if (t >= 6 * HOUR) leaderChanges += 1;
  if (t >= 12 * HOUR) leaderChanges += Math.min(10, Math.floor((t - 12 * HOUR) / 120_000));
  // A member restarted after its outage counts elections since the restart only.
  if (m === 2 && t >= 6.5 * HOUR) leaderChanges -= 2;
  return { scraped, leaderChanges, slowDisk: m === 4 && t >= 18 * HOUR && t < 19 * HOUR };
}
