// The simulator's data model: scenarios (input, JSON-friendly) and simulations (output).
// Times are Unix milliseconds from the scenario start (t = 0); durations are milliseconds.

/** One ingested sample; a null value is a Prometheus staleness marker (same shape as the engine's). */
export type Point = readonly [t: number, v: number | null];

/** How Prometheus labels the targets: static config, or a kube-prometheus ServiceMonitor. */
export type LabelScheme = 'plain' | 'kube';

/** The kinds of timed events a scenario can contain. */
export type EventKind = ScenarioEvent['kind'];

interface EventBase {
  /** When the event starts (ms from scenario start); it happens right after any scrape at that instant. */
  at: number;
  /** When it ends (ms); absent means "until the end of the scenario". */
  until?: number;
}

/** The etcd process (or its host) dies; its scrape target stays in service discovery. */
export interface CrashEvent extends EventBase {
  kind: 'crash';
  member: number;
}
/** A graceful restart: a leader hands leadership over first; the process is back at `until`. */
export interface RestartEvent extends EventBase {
  kind: 'restart';
  member: number;
  until: number;
}
/** The pod is evicted: the process stops and the target leaves service discovery until `until`. */
export interface EvictEvent extends EventBase {
  kind: 'evict';
  member: number;
}
/** Members in different groups cannot reach each other; unlisted members form one more group. */
export interface PartitionEvent extends EventBase {
  kind: 'partition';
  groups: number[][];
}
/** Messages from `member` to the members in `to` (default: all others) are lost. */
export interface OneWayLossEvent extends EventBase {
  kind: 'one-way-loss';
  member: number;
  to?: number[];
}
/**
 * The member's process is stopped (SIGSTOP, a frozen VM) until `until`, when it resumes: its
 * sockets stay open, so peers count no send failures toward it (the kernel buffers their writes),
 * its scrapes fail at the scrape timeout, and on resume its peers see a burst of slow round trips.
 * Under etcd 3.4 (no PreVote) the resumed member campaigns at a higher term and deposes the leader.
 */
export interface HangEvent extends EventBase {
  kind: 'hang';
  member: number;
}
/** Prometheus cannot scrape the member (a firewall, an expired certificate); etcd is healthy. */
export interface ScrapeFailureEvent extends EventBase {
  kind: 'scrape-failure';
  member: number;
}
/** Prometheus itself is down: no samples from any target. */
export interface PrometheusOutageEvent extends EventBase {
  kind: 'prometheus-outage';
}
/** The member's disk is slow: WAL fsync median latency becomes `fsyncSeconds` (default 0.5). */
export interface SlowDiskEvent extends EventBase {
  kind: 'slow-disk';
  member: number;
  fsyncSeconds?: number;
}
/** The leader stalls every `every` ms (default 2m) and the others elect a new one. */
export interface LeaderChurnEvent extends EventBase {
  kind: 'leader-churn';
  every?: number;
}
/** Round trips to `member` (to every member when absent) take about `rttSeconds` (default 0.2). */
export interface SlowNetworkEvent extends EventBase {
  kind: 'slow-network';
  member?: number;
  rttSeconds?: number;
}
/** The database grows by `bytesPerSecond` while writes commit, up to the backend quota. */
export interface DbGrowthEvent extends EventBase {
  kind: 'db-growth';
  bytesPerSecond: number;
}

/** A timed event of a scenario (a tagged union on `kind`). */
export type ScenarioEvent =
  | CrashEvent
  | RestartEvent
  | EvictEvent
  | HangEvent
  | PartitionEvent
  | OneWayLossEvent
  | ScrapeFailureEvent
  | PrometheusOutageEvent
  | SlowDiskEvent
  | LeaderChurnEvent
  | SlowNetworkEvent
  | DbGrowthEvent;

/**
 * The etcd minor version a scenario models. What differs: 3.4 runs Raft without PreVote
 * (etcd 3.4 embed/config.go: PreVote false, "TODO: enable by default in v3.5"; measured on 3.4.23:
 * a member resumed after a hang deposes the leader); 3.5 and 3.6 enable PreVote (embed/config.go
 * `PreVote: true`; etcd-io/raft raft.go: a pre-candidate's term does not grow, so a returning
 * member cannot disrupt). Metrics are modelled alike for all three.
 */
export type EtcdVersion = '3.4' | '3.5' | '3.6';

/**
 * etcd's `--metrics`: `basic` (etcd's default in every version) exports no
 * `grpc_server_handling_seconds` histograms; `extensive` does.
 */
export type MetricsLevel = 'basic' | 'extensive';

/** A validated scenario; its JSON form may write durations as strings like "30s". */
export interface Scenario {
  version: 1;
  name?: string;
  title?: string;
  /** Cluster size, 1 to 7. */
  members: number;
  /** The etcd version modelled (default 3.5: the behaviour scenarios had before versions existed). */
  etcdVersion?: EtcdVersion;
  /**
   * etcd's `--metrics` level (default `extensive`, which scenarios had before it was a setting; etcd's
   * own default is `basic`, and the scenarios that model a real default cluster say so).
   */
  metrics?: MetricsLevel;
  /**
   * Committed client writes per second, cluster-wide. Absent: about 40/s (32 to 48, drawn from
   * the seed), the load of a busy Kubernetes control plane; the real recordings ran 1.5/s.
   */
  writesPerSecond?: number;
  labelScheme: LabelScheme;
  scrapeInterval: number;
  /** Defaults to min(10s, scrapeInterval). */
  scrapeTimeout?: number;
  evaluationInterval: number;
  duration: number;
  seed: number;
  /** Database size at the start, in bytes (default about 120 MiB). */
  dbSizeBytes?: number;
  /** Bytes of the database logically in use (default 60–85% of it); needs dbSizeBytes. */
  dbInUseBytes?: number;
  /** `--quota-backend-bytes` (default 2 GiB). */
  quotaBackendBytes?: number;
  events: ScenarioEvent[];
}

/** One etcd member. */
export interface Member {
  /** 1-based position in the cluster. */
  index: number;
  name: string;
  /** 16 hex digits, as in etcd's `To`/`From` labels. */
  id: string;
  ip: string;
  /** The scrape target, "<ip>:2379". */
  instance: string;
}

/** A stored series: its labels (metric name under `__name__`) and its samples in time order. */
export interface SimSeries {
  labels: Record<string, string>;
  points: Point[];
}

/** The ground truth at one instant. */
export interface TruthPoint {
  t: number;
  /** Members whose etcd process is not running (1-based). */
  down: number[];
  /**
   * Running members cut off (in either direction) from the leader, or, when there is no leader,
   * from the largest group of members that can all exchange messages with one member.
   */
  partitioned: number[];
  /** Members Prometheus can scrape successfully (empty during a Prometheus outage). */
  reachable: number[];
  /** The leader of the quorum, or null (no leader, or an election is in progress). */
  leader: number | null;
  /** Whether some running member can exchange messages both ways with a quorum (floor(n/2)+1). */
  quorum: boolean;
  /**
   * Further member failures the cluster survives: size of the leader's group (or, with no
   * leader, of the largest group a member could lead) − quorum.
   * Negative when quorum is lost: −k means k more members must come back to regain it.
   */
  canSurvive: number;
}

/** Something that happened during the simulation, for timelines and explanations. */
export interface SimEvent {
  t: number;
  kind:
    | 'event-start'
    | 'event-end'
    | 'leader-elected'
    | 'leader-transfer'
    | 'leader-step-down'
    | 'quorum-lost'
    | 'quorum-regained'
    | 'nospace-alarm';
  member?: number;
  text: string;
}

/** A span of constant ground truth: it holds at every t with from < t <= to (t = 0: the first span). */
export interface TruthSegment {
  from: number;
  to: number;
  truth: Omit<TruthPoint, 't'>;
}

/** The result of simulating a scenario. */
export interface Simulation {
  scenario: Scenario;
  members: Member[];
  /** Every series Prometheus would store, samples only at scrape times. */
  series: SimSeries[];
  /** One ground-truth point per scrape time (the same timestamps as the samples). */
  truth: TruthPoint[];
  /** The ground truth as constant spans; truthAt() reads it. */
  segments: TruthSegment[];
  events: SimEvent[];
  /** The scrape timestamps: 0, scrapeInterval, … up to duration. */
  scrapeTimes: number[];
}

/** A named, explained scenario. */
export interface Preset {
  name: string;
  title: string;
  /** Two sentences: what happens, and what it teaches. */
  explanation: string;
  scenario: Scenario;
}
