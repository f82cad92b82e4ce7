// The metrics a simulated etcd member exposes, with their types and help, and the bucket layouts
// etcd registers (server/etcdserver/api/rafthttp/metrics.go, server/storage/wal/metrics.go,
// server/storage/backend/metrics.go; go-grpc-prometheus's DefBuckets for gRPC handling time).

/** Prometheus metric types as OpenMetrics names them. */
export type MetricType = 'counter' | 'gauge' | 'histogram';

/** ExponentialBuckets(start, factor, count), computed the way client_golang does (repeated product). */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  const out: number[] = [];
  let b = start;
  for (let i = 0; i < count; i++) {
    out.push(b);
    b *= factor;
  }
  return out;
}

/** etcd_network_peer_round_trip_time_seconds buckets. */
export const RTT_BUCKETS = exponentialBuckets(0.0001, 2, 16);
/** WAL fsync and backend commit duration buckets. */
export const DISK_BUCKETS = exponentialBuckets(0.001, 2, 14);
/** prometheus.DefBuckets, used by grpc_server_handling_seconds. */
export const GRPC_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A gRPC method the simulated clients call. */
export interface GrpcMethod {
  service: string;
  method: string;
  type: 'unary' | 'bidi_stream';
}

/**
 * DIVERGENCE: go-grpc-prometheus pre-registers every method of every etcd service with all 17
 * status codes; a few methods and codes keep a 5-member, 24h scenario light.
 */
export const GRPC_METHODS: readonly GrpcMethod[] = [
  { service: 'etcdserverpb.KV', method: 'Range', type: 'unary' },
  { service: 'etcdserverpb.KV', method: 'Put', type: 'unary' },
  { service: 'etcdserverpb.KV', method: 'Txn', type: 'unary' },
  { service: 'etcdserverpb.Watch', method: 'Watch', type: 'bidi_stream' },
];
/** The status codes exposed for each method. */
export const GRPC_CODES = [
  'OK',
  'Canceled',
  'Unknown',
  'ResourceExhausted',
  'Unavailable',
] as const;
/** One of GRPC_CODES. */
export type GrpcCode = (typeof GRPC_CODES)[number];

/** Metric families: name → type and help (the family of a counter keeps its `_total`). */
export const FAMILIES: Record<
  string,
  {
    type: MetricType;
    help: string;
    /** Labels of its own, beside the target's. */ labels?: readonly string[];
  }
> = {
  up: { type: 'gauge', help: 'Whether the last scrape of the target succeeded.' },
  scrape_duration_seconds: { type: 'gauge', help: 'Duration of the scrape.' },
  scrape_samples_scraped: { type: 'gauge', help: 'Samples the target exposed.' },
  scrape_samples_post_metric_relabeling: { type: 'gauge', help: 'Samples left after relabeling.' },
  scrape_series_added: { type: 'gauge', help: 'Approximate number of new series in this scrape.' },
  etcd_server_has_leader: {
    type: 'gauge',
    help: 'Whether or not a leader exists. 1 is existence, 0 is not.',
  },
  etcd_server_is_leader: {
    type: 'gauge',
    help: 'Whether or not this member is a leader. 1 if is, 0 otherwise.',
  },
  etcd_server_leader_changes_seen_total: {
    type: 'counter',
    help: 'The number of leader changes seen.',
  },
  // etcd registers these two as gauges holding the Raft commit and apply indexes.
  etcd_server_proposals_committed_total: {
    type: 'gauge',
    help: 'The total number of consensus proposals committed.',
  },
  etcd_server_proposals_applied_total: {
    type: 'gauge',
    help: 'The total number of consensus proposals applied.',
  },
  etcd_server_proposals_pending: {
    type: 'gauge',
    help: 'The current number of pending proposals to commit.',
  },
  etcd_server_proposals_failed_total: {
    type: 'counter',
    help: 'The total number of failed proposals seen.',
  },
  etcd_network_peer_sent_bytes_total: {
    type: 'counter',
    help: 'The total number of bytes sent to peers.',
    labels: ['To'],
  },
  etcd_network_peer_received_bytes_total: {
    type: 'counter',
    help: 'The total number of bytes received from peers.',
    labels: ['From'],
  },
  etcd_network_peer_sent_failures_total: {
    type: 'counter',
    help: 'The total number of send failures from peers.',
    labels: ['To'],
  },
  etcd_network_active_peers: {
    type: 'gauge',
    help: 'The current number of active peer connections.',
    labels: ['Local', 'Remote'],
  },
  etcd_network_disconnected_peers_total: {
    type: 'counter',
    help: 'The total number of disconnected peers.',
    labels: ['Local', 'Remote'],
  },
  etcd_server_heartbeat_send_failures_total: {
    type: 'counter',
    help: 'The total number of leader heartbeat send failures (likely overloaded from slow disk).',
  },
  etcd_network_peer_round_trip_time_seconds: {
    type: 'histogram',
    help: 'Round-Trip-Time histogram between peers',
    labels: ['To'],
  },
  grpc_server_started_total: {
    type: 'counter',
    help: 'Total number of RPCs started on the server.',
    labels: ['grpc_method', 'grpc_service', 'grpc_type'],
  },
  grpc_server_handled_total: {
    type: 'counter',
    help: 'Total number of RPCs completed on the server, regardless of success or failure.',
    labels: ['grpc_code', 'grpc_method', 'grpc_service', 'grpc_type'],
  },
  grpc_server_handling_seconds: {
    type: 'histogram',
    help: 'Histogram of response latency (seconds) of gRPC that had been application-level handled by the server.',
    labels: ['grpc_method', 'grpc_service', 'grpc_type'],
  },
  etcd_disk_wal_fsync_duration_seconds: {
    type: 'histogram',
    help: 'The latency distributions of fsync called by WAL.',
  },
  etcd_disk_backend_commit_duration_seconds: {
    type: 'histogram',
    help: 'The latency distributions of commit called by backend.',
  },
  etcd_mvcc_db_total_size_in_bytes: {
    type: 'gauge',
    help: 'Total size of the underlying database physically allocated in bytes.',
  },
  etcd_mvcc_db_total_size_in_use_in_bytes: {
    type: 'gauge',
    help: 'Total size of the underlying database logically in use in bytes.',
  },
  etcd_server_quota_backend_bytes: {
    type: 'gauge',
    help: 'Current backend storage quota size in bytes.',
  },
};

/** The family a sample's metric name belongs to (histogram suffixes stripped). */
export function familyOf(name: string): string {
  if (FAMILIES[name]) return name;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (name.endsWith(suffix)) {
      const base = name.slice(0, -suffix.length);
      if (FAMILIES[base]?.type === 'histogram') return base;
    }
  }
  return name;
}

/** Formats a bucket bound as client_golang writes the `le` label. */
export function formatLe(bound: number): string {
  return bound === Infinity ? '+Inf' : String(bound);
}

/**
 * The label names a simulated member gives a metric's series beside its target labels (job,
 * instance…), whether or not a series exists yet (etcd exports a peer's send failures only once
 * one has failed); null for a metric it does not expose. Histograms have `le` on their buckets.
 */
export function metricOwnLabels(name: string): readonly string[] | null {
  const direct = FAMILIES[name];
  if (direct) return direct.labels ?? [];
  const base = name.replace(/_(bucket|sum|count)$/, '');
  const family = FAMILIES[base];
  if (!family || family.type !== 'histogram') return null;
  const own = (family.labels ?? []).filter((l) => l !== 'le');
  return name.endsWith('_bucket') ? [...own, 'le'] : own;
}
