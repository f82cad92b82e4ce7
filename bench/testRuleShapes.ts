// promtool test files of every shape `test rules` meets, for bench/testRules.bench.ts: the etcd
// mixin's input metrics for a 5-member cluster, written in compact notation (`a+bxN`, `axN`,
// `_xN`, `stale`) or spelled out value by value, as a few long series (one group, 24h at 15s)
// or many short ones (many groups of 10 minutes each). A member crashes in each (a staleness
// marker, then a gap, then its counters restart from 0), and the partitioned members lose their
// leader for a while, so that alerts fire. Checks: every alert at fixed times, no expected
// alerts written: both tools print the same failures, which the bench compares.

/** A run of samples: a ramp (start, start+inc, ... count values), a gap, or one marker. */
type Segment =
  | { kind: 'ramp'; start: number; inc: number; count: number }
  | { kind: 'gap'; count: number }
  | { kind: 'stale' };

interface ShapeSeries {
  series: string;
  segments: Segment[];
}

export interface Shape {
  name: string;
  notation: 'compact' | 'spelled';
  /** Test groups, each with its own cluster. */
  groups: number;
  /** Samples per series (at 15s). */
  samples: number;
  /** gRPC methods and histogram buckets per member (fewer for the many-short shapes). */
  methods: number;
  buckets: number;
  /** alert_rule_test eval_times, every this many ms. */
  checkEveryMs: number;
}

export const SHAPES: Shape[] = [
  {
    name: 'compact, few long series',
    notation: 'compact',
    groups: 1,
    samples: 5761,
    methods: 8,
    buckets: 12,
    checkEveryMs: 2 * 3600_000,
  },
  {
    name: 'spelled out, few long series',
    notation: 'spelled',
    groups: 1,
    samples: 5761,
    methods: 8,
    buckets: 12,
    checkEveryMs: 2 * 3600_000,
  },
  {
    name: 'compact, many short series',
    notation: 'compact',
    groups: 100,
    samples: 41,
    methods: 2,
    buckets: 6,
    checkEveryMs: 5 * 60_000,
  },
  {
    name: 'spelled out, many short series',
    notation: 'spelled',
    groups: 100,
    samples: 41,
    methods: 2,
    buckets: 6,
    checkEveryMs: 5 * 60_000,
  },
];

const SCRAPE_MS = 15_000;
const CODES = ['OK', 'Unavailable', 'Unknown', 'DeadlineExceeded'];
const METHODS = ['Range', 'Put', 'Txn', 'DeleteRange', 'LeaseGrant', 'Watch', 'Status', 'Compact'];
const LE = ['0.001', '0.002', '0.004', '0.008', '0.016', '0.032', '0.064', '0.128', '0.256'];
const ALERTS = [
  'etcdMembersDown',
  'etcdInsufficientMembers',
  'etcdNoLeader',
  'etcdHighNumberOfLeaderChanges',
  'etcdHighNumberOfFailedGRPCRequests',
  'etcdGRPCRequestsSlow',
  'etcdMemberCommunicationSlow',
  'etcdHighNumberOfFailedProposals',
  'etcdHighFsyncDurations',
  'etcdHighCommitDurations',
  'etcdDatabaseQuotaLowSpace',
  'etcdExcessiveDatabaseGrowth',
  'etcdDatabaseHighFragmentationRatio',
];

function buckets(n: number): string[] {
  const out = LE.slice(0, Math.max(1, n - 1));
  out.push('+Inf');
  return out;
}

/** One member's series over `samples` scrapes; `crash` (sample index) for the one that crashes. */
function memberSeries(
  group: number,
  member: number,
  shape: Shape,
  crash: { at: number; gap: number } | null,
  leaderless: { at: number; count: number } | null,
): ShapeSeries[] {
  const n = shape.samples;
  const instance = `g${group}-m${member}:2379`;
  const base = `job="etcd",instance="${instance}"`;
  /** A counter or gauge from `start` rising by `inc`, reset to 0 by the crash. */
  const ramp = (start: number, inc: number, restart = 0): Segment[] => {
    if (crash === null) return [{ kind: 'ramp', start, inc, count: n }];
    const after = n - crash.at - 1 - crash.gap;
    return [
      { kind: 'ramp', start, inc, count: crash.at },
      { kind: 'stale' },
      { kind: 'gap', count: crash.gap },
      { kind: 'ramp', start: restart, inc, count: after },
    ];
  };
  const out: ShapeSeries[] = [];
  const add = (name: string, labels: string, segments: Segment[]): void => {
    out.push({ series: `${name}{${base}${labels}}`, segments });
  };
  add('up', '', ramp(1, 0, 1));
  const hasLeader: Segment[] =
    leaderless === null
      ? ramp(1, 0, 1)
      : [
          { kind: 'ramp', start: 1, inc: 0, count: leaderless.at },
          { kind: 'ramp', start: 0, inc: 0, count: leaderless.count },
          { kind: 'ramp', start: 1, inc: 0, count: n - leaderless.at - leaderless.count },
        ];
  add('etcd_server_has_leader', '', hasLeader);
  add('etcd_server_leader_changes_seen_total', '', ramp(0, member === 1 ? 0.01 : 0.001));
  add('etcd_server_proposals_failed_total', '', ramp(0, 0.003 * member));
  add('etcd_mvcc_db_total_size_in_bytes', '', ramp(1e8, 2e4 * member, 1e8));
  add('etcd_mvcc_db_total_size_in_use_in_bytes', '', ramp(6e7, 1e4, 6e7));
  add('etcd_server_quota_backend_bytes', '', ramp(2147483648, 0, 2147483648));
  const methods = METHODS.slice(0, shape.methods);
  for (const m of methods) {
    for (const code of CODES) {
      const inc = code === 'OK' ? 40 : code === 'Unavailable' && member === 2 ? 3 : 0.02;
      add(
        'grpc_server_handled_total',
        `,grpc_service="etcdserverpb.KV",grpc_method="${m}",grpc_type="unary",grpc_code="${code}"`,
        ramp(0, inc),
      );
    }
  }
  const les = buckets(shape.buckets);
  /** Cumulative histogram buckets: bucket i holds a growing share of `rate` per scrape. */
  const histogram = (name: string, labels: string, rate: number, slow: number): void => {
    les.forEach((le, i) => {
      const share = Math.min(1, (i + 1) / (les.length - slow));
      add(name, `${labels},le="${le}"`, ramp(0, Math.round(rate * share * 100) / 100));
    });
  };
  for (const m of methods) {
    histogram(
      'grpc_server_handling_seconds_bucket',
      `,grpc_service="etcdserverpb.KV",grpc_method="${m}",grpc_type="unary"`,
      40,
      member === 3 ? 2 : 0,
    );
  }
  histogram('etcd_disk_wal_fsync_duration_seconds_bucket', '', 20, member === 4 ? 3 : 0);
  histogram('etcd_disk_backend_commit_duration_seconds_bucket', '', 20, member === 4 ? 3 : 0);
  for (let peer = 1; peer <= 5; peer++) {
    if (peer === member) continue;
    histogram(
      'etcd_network_peer_round_trip_time_seconds_bucket',
      `,To="peer${peer}"`,
      5,
      member === 5 ? 2 : 0,
    );
  }
  return out;
}

/** Go-and-JS-agreeing text of a float (shortest round trip; both parse it back exactly). */
const num = (v: number): string => String(v);

function writeValues(segments: Segment[], notation: Shape['notation']): string {
  const parts: string[] = [];
  for (const s of segments) {
    if (s.kind === 'stale') parts.push('stale');
    else if (s.kind === 'gap') {
      if (notation === 'compact') parts.push(s.count === 1 ? '_' : `_x${s.count}`);
      else for (let i = 0; i < s.count; i++) parts.push('_');
    } else if (s.count > 0) {
      if (notation === 'compact') {
        const times = s.count - 1;
        if (s.inc === 0) parts.push(times === 0 ? num(s.start) : `${num(s.start)}x${times}`);
        else parts.push(`${num(s.start)}${s.inc < 0 ? '-' : '+'}${num(Math.abs(s.inc))}x${times}`);
      } else {
        // Iterative addition, as the notation's expansion does.
        let v = s.start;
        for (let i = 0; i < s.count; i++) {
          parts.push(num(v));
          v += s.inc;
        }
      }
    }
  }
  return parts.join(' ');
}

/** The test file of a shape, reading the rules at `rulesPath`. */
export function shapeTestFile(shape: Shape, rulesPath: string): string {
  const n = shape.samples;
  const endMs = (n - 1) * SCRAPE_MS;
  const lines: string[] = [
    `rule_files: [${JSON.stringify(rulesPath)}]`,
    'evaluation_interval: 1m',
    'tests:',
  ];
  for (let g = 0; g < shape.groups; g++) {
    lines.push(`  - name: group ${g}`, '    interval: 15s', '    input_series:');
    // A quarter of the way in, member (g mod 5) + 1 crashes for a tenth of the run; at half
    // way two members lose their leader for a twentieth.
    const crashed = (g % 5) + 1;
    const crash = { at: Math.floor(n / 4), gap: Math.floor(n / 10) };
    const leaderless = { at: Math.floor(n / 2), count: Math.max(1, Math.floor(n / 20)) };
    for (let m = 1; m <= 5; m++) {
      const series = memberSeries(
        g,
        m,
        shape,
        m === crashed ? crash : null,
        m === 1 || m === 2 ? leaderless : null,
      );
      for (const s of series) {
        lines.push(`      - series: '${s.series}'`);
        lines.push(`        values: ${writeValues(s.segments, shape.notation)}`);
      }
    }
    lines.push('    alert_rule_test:');
    for (let t = shape.checkEveryMs; t <= endMs; t += shape.checkEveryMs) {
      for (const alert of ALERTS) {
        lines.push(`      - eval_time: ${t / 1000}s`, `        alertname: ${alert}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}
