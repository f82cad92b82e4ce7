// The preset scenarios the app and the CLI offer, each with a title and a two-sentence lesson.
// Times are written with m() and s() so that each event reads like the explanation. Every preset
// names the etcd version it models: 3.5 (PreVote, as etcd has run since 3.5) unless its lesson is
// one of 3.4, and the --metrics level (extensive where a lesson reads gRPC latency).
import type { Preset, Scenario, ScenarioEvent } from './types.ts';

const s = (x: number): number => x * 1000;
const m = (x: number): number => x * 60_000;
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

function scenario(
  name: string,
  title: string,
  events: ScenarioEvent[],
  extra: Partial<Scenario> = {},
): Scenario {
  return {
    version: 1,
    name,
    title,
    members: 3,
    etcdVersion: '3.5',
    metrics: 'extensive',
    labelScheme: 'plain',
    scrapeInterval: s(30),
    scrapeTimeout: s(10),
    evaluationInterval: s(30),
    duration: m(60),
    seed: 42,
    events,
    ...extra,
  };
}

function preset(
  name: string,
  title: string,
  explanation: string,
  events: ScenarioEvent[],
  extra: Partial<Scenario> = {},
): Preset {
  return { name, title, explanation, scenario: scenario(name, title, events, extra) };
}

const flaps: ScenarioEvent[] = [10, 16, 22, 28, 34, 40].map((at) => ({
  kind: 'crash',
  at: m(at),
  until: m(at + 2),
  member: 3,
}));

/** Every preset, the default first. */
export const presets: readonly Preset[] = [
  preset(
    'pod-eviction-default',
    'Pod eviction: a follower leaves service discovery',
    'At 10m the pod of member 3, a follower, is evicted: Prometheus writes staleness markers on all its series, up included, and then has nothing for it, while the leader keeps failing to send it heartbeats. An alert built on up == 0 alone never sees this member go down; only the peer send failures on the leader show it, so a rule catches it only if that part of its expression survives the way it is combined with up.',
    [{ kind: 'evict', at: m(10), member: 3 }],
  ),
  preset(
    'healthy-baseline',
    'Healthy baseline',
    'Three members, one leader, steady traffic and nothing going wrong for an hour. Every alert should stay silent here, so anything that fires is a false positive.',
    [],
  ),
  preset(
    'member-crash',
    'Member crash (target still listed)',
    'At 10m the etcd process of member 2 dies, but its scrape target stays in service discovery, so up turns 0 and its other series go stale. The cluster keeps its quorum with two of three members, and the leader records failed sends to the dead member.',
    [{ kind: 'crash', at: m(10), member: 2 }],
  ),
  preset(
    'pod-eviction-kube',
    'Pod eviction with kube-prometheus labels',
    'The default eviction again, but scraped through a ServiceMonitor, so every series also carries endpoint, namespace, pod and service labels. Aggregations that drop only instance keep the pod label apart, which is why the etcd mixin lets you set etcd_instance_labels.',
    [{ kind: 'evict', at: m(10), member: 3 }],
    { labelScheme: 'kube' },
  ),
  preset(
    'partition-one-member',
    'Network partition of one member',
    'From 10m to 40m member 3 cannot reach the other two, although Prometheus still scrapes all three and up stays 1 everywhere. The isolated member loses its leader and keeps asking for votes, and both sides count send failures to each other.',
    [{ kind: 'partition', at: m(10), until: m(40), groups: [[3]] }],
  ),
  preset(
    'split-5-members',
    '2/3 split of a 5-member cluster',
    'From 10m to 40m members 1 and 2, the leader among them, are cut off from members 3, 4 and 5. The old leader steps down when it cannot hear a quorum, the majority side elects a new leader, and the minority answers every request with an error.',
    [
      {
        kind: 'partition',
        at: m(10),
        until: m(40),
        groups: [
          [1, 2],
          [3, 4, 5],
        ],
      },
    ],
    { members: 5 },
  ),
  preset(
    'rolling-restart',
    'Rolling restart',
    'Members 3, 2 and then 1 restart one at a time, ten minutes apart, each down for 30 seconds; the leader hands leadership over before it stops. Counters restart from zero and the leader changes once, which alerts on rates and leader changes have to tolerate.',
    [
      { kind: 'restart', at: m(10), until: m(10) + s(30), member: 3 },
      { kind: 'restart', at: m(20), until: m(20) + s(30), member: 2 },
      { kind: 'restart', at: m(30), until: m(30) + s(30), member: 1 },
    ],
  ),
  preset(
    'quick-reboot',
    'Quick reboot (under the rate window)',
    "Member 2 reboots at 10m and is back a minute later, so only two scrapes fail. A rate over a long window keeps seeing the leader's send failures for minutes after the member is back, the false alarm that made the mixin shorten its window.",
    [{ kind: 'crash', at: m(10), until: m(11), member: 2 }],
  ),
  preset(
    'scrape-failures',
    'Scrape failures while etcd is healthy',
    'From 10m to 40m Prometheus cannot scrape member 2 (think of an expired client certificate), while etcd itself is perfectly healthy. up is 0 but there are no peer send failures: a members-down alert that trusts up alone pages for a monitoring problem.',
    [{ kind: 'scrape-failure', at: m(10), until: m(40), member: 2 }],
  ),
  preset(
    'prometheus-outage',
    'Prometheus outage',
    'Member 2 crashes at 15m, and Prometheus is down from 20m to 35m: no series has any sample in that window, no rule is evaluated, and it writes no staleness markers for the gap when it comes back. Queries see old samples for up to five minutes of lookback and then nothing, and pending alerts start over: etcdMembersDown, pending since 15m30s, would have fired at 35m30s and fires 20m after Prometheus is back instead.',
    [
      { kind: 'crash', at: m(15), member: 2 },
      { kind: 'prometheus-outage', at: m(20), until: m(35) },
    ],
  ),
  preset(
    'quorum-loss',
    'Quorum loss',
    'Member 2 crashes at 10m and member 3 at 20m, leaving member 1 alone without a quorum until member 2 returns at 40m. Without a leader every write fails, proposals fail, and has_leader drops to 0 on the survivor.',
    [
      { kind: 'crash', at: m(10), until: m(40), member: 2 },
      { kind: 'crash', at: m(20), member: 3 },
    ],
  ),
  preset(
    'four-members-two-down',
    'Four members, two down: why even sizes do not help',
    'A 4-member cluster needs 3 members for a quorum, so it survives one failure, exactly like a 3-member cluster. When members 3 and 4 are down from 20m the cluster stops, although half of it is still running.',
    [
      { kind: 'crash', at: m(10), member: 4 },
      { kind: 'crash', at: m(20), member: 3 },
    ],
    { members: 4 },
  ),
  preset(
    'flapping-member',
    'Flapping member',
    'Member 3 crashes for two minutes every six minutes from 10m to 42m. Alerts with a long for: reset every time the member comes back, so a member that is down a third of the time may never page.',
    flaps,
  ),
  preset(
    'one-way-loss',
    'One-way message loss from the leader',
    "From 10m to 40m messages from the leader, member 1, to member 3 are lost, while everything else works and Prometheus scrapes everyone. Member 3 loses its leader and campaigns in vain, and only the leader's send failures to it show the problem.",
    [{ kind: 'one-way-loss', at: m(10), until: m(40), member: 1, to: [3] }],
  ),
  preset(
    'slow-fsync',
    'Slow fsync on the leader',
    'From 10m to 40m the disk of member 1, the leader, takes about 0.8s per WAL fsync. The 99th percentile of fsync and backend commit durations rises on that member, and slow writes show up in gRPC latency across the cluster.',
    [{ kind: 'slow-disk', at: m(10), until: m(40), member: 1, fsyncSeconds: 0.8 }],
  ),
  preset(
    'slow-network',
    'Slow network to one member',
    'From 10m to 40m round trips to member 3 take about 200ms instead of a fraction of a millisecond, while everything keeps working. The round-trip-time histograms of every pair that involves member 3 move up, and writes wait longer for their quorum.',
    [{ kind: 'slow-network', at: m(10), until: m(40), member: 3, rttSeconds: 0.2 }],
  ),
  preset(
    'fragmented-database',
    'Fragmented database',
    'After a large delete and compaction, the 1 GiB database file holds only 400 MiB of live data, because bbolt never gives pages back until a defragmentation. Nothing fails, yet the space is wasted on every member until someone runs etcdctl defrag.',
    [],
    { dbSizeBytes: 1 * GiB, dbInUseBytes: 400 * MiB },
  ),
  preset(
    'leader-churn',
    'Frequent leader changes',
    'From 10m to 50m the leader stalls every two minutes, long enough for the others to elect a new one. Each member counts every change it sees, so four or more changes in fifteen minutes are easy to spot with increase().',
    [{ kind: 'leader-churn', at: m(10), until: m(50), every: m(2) }],
  ),
  preset(
    'db-quota',
    'Database running out of quota',
    'The database starts at 1.5 GiB of a 2 GiB quota and grows by 512 KiB/s from 10m until it hits the quota and etcd raises the NOSPACE alarm. From then on every write fails with ResourceExhausted while reads keep working.',
    [{ kind: 'db-growth', at: m(10), bytesPerSecond: 512 * 1024 }],
    { dbSizeBytes: 1.5 * GiB, quotaBackendBytes: 2 * GiB },
  ),
  preset(
    'five-members-15s',
    'Five members scraped every 15s, one crashes',
    'A 5-member cluster with a 600 MiB database loses member 2 at 10m, with scrapes every 15 seconds. It exercises a larger cluster and a faster scrape interval, where short rate windows have enough samples.',
    [{ kind: 'crash', at: m(10), member: 2 }],
    { members: 5, scrapeInterval: s(15), evaluationInterval: s(15), dbSizeBytes: 600 * MiB },
  ),
  preset(
    'hung-member',
    'Hung member (SIGSTOP) on etcd 3.5',
    'From 10m to 20m the etcd process of member 2, a follower, is stopped (a SIGSTOP, a frozen VM): its sockets stay open, so the leader counts no send failures toward it, and its scrapes fail at the 10s scrape timeout. Only up shows the hang, so a members-down alert that waits for peer send failures never sees it, and with PreVote (etcd 3.5 and later) the member rejoins without disturbing the leader.',
    [{ kind: 'hang', at: m(10), until: m(20), member: 2 }],
  ),
  preset(
    'resume-deposes-leader-34',
    'etcd 3.4: a resumed member deposes the leader',
    'On etcd 3.4, which runs without PreVote, member 2 hangs from 10m to 12m; when it resumes it campaigns at a higher term, the healthy leader steps down, and the cluster goes through two elections (measured on a real 3.4.23 cluster: 3.2 s without a stable leader). Leader changes rise by two on two members and by one on the third, and has_leader drops for a second or two, between scrapes, so only the leader changes show it.',
    [{ kind: 'hang', at: m(10), until: m(12), member: 2 }],
    {
      etcdVersion: '3.4',
      metrics: 'basic',
      scrapeInterval: s(15),
      evaluationInterval: s(15),
      duration: m(30),
    },
  ),
];

/** The scenario the app opens on. */
export const defaultScenario: Scenario = presets[0]!.scenario;

/** Finds a preset by name. */
export function findPreset(name: string): Preset | undefined {
  return presets.find((p) => p.name === name);
}
