// The rule presets: the ones src/rules holds for the command line too (every etcdMembersDown the
// etcd project shipped, etcdInsufficientMembers, the naive `up == 0`), and every other alert of the
// current etcd mixin, quoted as shipped so that each is a click away in Add a rule. A unit test
// checks them against ../shared/conformance/etcd-mixin/rules.yaml.
import { rulePresets as comparedRules, type RuleDraft } from '../rules/index.ts';

export {
  defaultRules,
  etcdInsufficientMembers,
  etcdMembersDown,
  etcdMembersDownVersions,
  naiveUpRule,
  type RuleDraft,
  type RuleIntent,
} from '../rules/index.ts';

/** The current etcd mixin's alerts besides etcdMembersDown and etcdInsufficientMembers. */
export const etcdMixinRules: readonly RuleDraft[] = [
  {
    id: 'etcdNoLeader',
    alert: 'etcdNoLeader',
    expr: 'etcd_server_has_leader{job=~".*etcd.*"} == 0',
    forMs: 60000,
    keepFiringForMs: 0,
    labels: { severity: 'critical' },
    annotations: {
      description: 'etcd cluster "{{ $labels.job }}": member {{ $labels.instance }} has no leader.',
      summary: 'etcd cluster has no leader.',
    },
    note: 'etcd mixin (current): etcd cluster has no leader.',
  },
  {
    id: 'etcdHighNumberOfLeaderChanges',
    alert: 'etcdHighNumberOfLeaderChanges',
    expr: 'increase((max without (instance) (etcd_server_leader_changes_seen_total{job=~".*etcd.*"}) or 0*absent(etcd_server_leader_changes_seen_total{job=~".*etcd.*"}))[15m:1m]) >= 4',
    forMs: 300000,
    keepFiringForMs: 0,
    labels: { severity: 'warning' },
    annotations: {
      description:
        'etcd cluster "{{ $labels.job }}": {{ $value }} leader changes within the last 15 minutes. Frequent elections may be a sign of insufficient resources, high network latency, or disruptions by other components and should be investigated.',
      summary: 'etcd cluster has high number of leader changes.',
    },
    note: 'etcd mixin (current): etcd cluster has high number of leader changes.',
  },
  {
    id: 'etcdHighNumberOfFailedGRPCRequests',
    alert: 'etcdHighNumberOfFailedGRPCRequests',
    expr: '100 * sum(rate(grpc_server_handled_total{job=~".*etcd.*", grpc_code=~"Unknown|FailedPrecondition|ResourceExhausted|Internal|Unavailable|DataLoss|DeadlineExceeded"}[5m])) without (grpc_type, grpc_code)\n  /\nsum(rate(grpc_server_handled_total{job=~".*etcd.*"}[5m])) without (grpc_type, grpc_code)\n  > 1',
    forMs: 600000,
    keepFiringForMs: 0,
    labels: { severity: 'warning' },
    annotations: {
      description:
        'etcd cluster "{{ $labels.job }}": {{ $value }}% of requests for {{ $labels.grpc_method }} failed on etcd instance {{ $labels.instance }}.',
      summary: 'etcd cluster has high number of failed grpc requests.',
    },
    note: 'etcd mixin (current): etcd cluster has high number of failed grpc requests.',
  },
  {
    id: 'etcdHighNumberOfFailedGRPCRequests-critical',
    alert: 'etcdHighNumberOfFailedGRPCRequests',
    expr: '100 * sum(rate(grpc_server_handled_total{job=~".*etcd.*", grpc_code=~"Unknown|FailedPrecondition|ResourceExhausted|Internal|Unavailable|DataLoss|DeadlineExceeded"}[5m])) without (grpc_type, grpc_code)\n  /\nsum(rate(grpc_server_handled_total{job=~".*etcd.*"}[5m])) without (grpc_type, grpc_code)\n  > 5',
    forMs: 300000,
    keepFiringForMs: 0,
    labels: { severity: 'critical' },
    annotations: {
      description:
        'etcd cluster "{{ $labels.job }}": {{ $value }}% of requests for {{ $labels.grpc_method }} failed on etcd instance {{ $labels.instance }}.',
      summary: 'etcd cluster has high number of failed grpc requests.',
    },
    note: 'etcd mixin (current): etcd cluster has high number of failed grpc requests.',
  },
  {
    id: 'etcdGRPCRequestsSlow',
    alert: 'etcdGRPCRequestsSlow',
    expr: 'histogram_quantile(0.99, sum(rate(grpc_server_handling_seconds_bucket{job=~".*etcd.*", grpc_method!="Defragment", grpc_type="unary"}[5m])) without(grpc_type))\n> 0.15',
    forMs: 600000,
    keepFiringForMs: 0,
    labels: { severity: 'critical' },
    annotations: {
      description:
        'etcd cluster "{{ $labels.job }}": 99th percentile of gRPC requests is {{ $value }}s on etcd instance {{ $labels.instance }} for {{ $labels.grpc_method }} method.',
      summary: 'etcd grpc requests are slow',
    },
    note: 'etcd mixin (current): etcd grpc requests are slow',
  },
  {
    id: 'etcdMemberCommunicationSlow',
    alert: 'etcdMemberCommunicationSlow',
    expr: 'histogram_quantile(0.99, rate(etcd_network_peer_round_trip_time_seconds_bucket{job=~".*etcd.*"}[5m]))\n> 0.15',
    forMs: 600000,
    keepFiringForMs: 0,
    labels: { severity: 'warning' },
    annotations: {
      description:
        'etcd cluster "{{ $labels.job }}": member communication with {{ $labels.To }} is taking {{ $value }}s on etcd instance {{ $labels.instance }}.',
      summary: 'etcd cluster member communication is slow.',
    },
    note: 'etcd mixin (current): etcd cluster member communication is slow.',
  },
  {
    id: 'etcdHighNumberOfFailedProposals',
    alert: 'etcdHighNumberOfFailedProposals',
    expr: 'rate(etcd_server_proposals_failed_total{job=~".*etcd.*"}[15m]) > 5',
    forMs: 900000,
    keepFiringForMs: 0,
    labels: { severity: 'warning' },
    annotations: {
      description:
        'etcd cluster "{{ $labels.job }}": {{ $value }} proposal failures within the last 30 minutes on etcd instance {{ $labels.instance }}.',
      summary: 'etcd cluster has high number of proposal failures.',
    },
    note: 'etcd mixin (current): etcd cluster has high number of proposal failures.',
  },
  {
    id: 'etcdHighFsyncDurations',
    alert: 'etcdHighFsyncDurations',
    expr: 'histogram_quantile(0.99, rate(etcd_disk_wal_fsync_duration_seconds_bucket{job=~".*etcd.*"}[5m]))\n> 0.5',
    forMs: 600000,
    keepFiringForMs: 0,
    labels: { severity: 'warning' },
    annotations: {
      description:
        'etcd cluster "{{ $labels.job }}": 99th percentile fsync durations are {{ $value }}s on etcd instance {{ $labels.instance }}.',
      summary: 'etcd cluster 99th percentile fsync durations are too high.',
    },
    note: 'etcd mixin (current): etcd cluster 99th percentile fsync durations are too high.',
  },
  {
    id: 'etcdHighFsyncDurations-critical',
    alert: 'etcdHighFsyncDurations',
    expr: 'histogram_quantile(0.99, rate(etcd_disk_wal_fsync_duration_seconds_bucket{job=~".*etcd.*"}[5m]))\n> 1',
    forMs: 600000,
    keepFiringForMs: 0,
    labels: { severity: 'critical' },
    annotations: {
      description:
        'etcd cluster "{{ $labels.job }}": 99th percentile fsync durations are {{ $value }}s on etcd instance {{ $labels.instance }}.',
      summary: 'etcd cluster 99th percentile fsync durations are too high.',
    },
    note: 'etcd mixin (current): etcd cluster 99th percentile fsync durations are too high.',
  },
  {
    id: 'etcdHighCommitDurations',
    alert: 'etcdHighCommitDurations',
    expr: 'histogram_quantile(0.99, rate(etcd_disk_backend_commit_duration_seconds_bucket{job=~".*etcd.*"}[5m]))\n> 0.25',
    forMs: 600000,
    keepFiringForMs: 0,
    labels: { severity: 'warning' },
    annotations: {
      description:
        'etcd cluster "{{ $labels.job }}": 99th percentile commit durations {{ $value }}s on etcd instance {{ $labels.instance }}.',
      summary: 'etcd cluster 99th percentile commit durations are too high.',
    },
    note: 'etcd mixin (current): etcd cluster 99th percentile commit durations are too high.',
  },
  {
    id: 'etcdDatabaseQuotaLowSpace',
    alert: 'etcdDatabaseQuotaLowSpace',
    expr: '(last_over_time(etcd_mvcc_db_total_size_in_bytes{job=~".*etcd.*"}[5m]) / last_over_time(etcd_server_quota_backend_bytes{job=~".*etcd.*"}[5m]))*100 > 95',
    forMs: 600000,
    keepFiringForMs: 0,
    labels: { severity: 'critical' },
    annotations: {
      description:
        'etcd cluster "{{ $labels.job }}": database size exceeds the defined quota on etcd instance {{ $labels.instance }}, please defrag or increase the quota as the writes to etcd will be disabled when it is full.',
      summary: 'etcd cluster database is running full.',
    },
    note: 'etcd mixin (current): etcd cluster database is running full.',
  },
  {
    id: 'etcdExcessiveDatabaseGrowth',
    alert: 'etcdExcessiveDatabaseGrowth',
    expr: 'predict_linear(etcd_mvcc_db_total_size_in_bytes{job=~".*etcd.*"}[4h], 4*60*60) > etcd_server_quota_backend_bytes{job=~".*etcd.*"}',
    forMs: 600000,
    keepFiringForMs: 0,
    labels: { severity: 'warning' },
    annotations: {
      description:
        'etcd cluster "{{ $labels.job }}": Predicting running out of disk space in the next four hours, based on write observations within the past four hours on etcd instance {{ $labels.instance }}, please check as it might be disruptive.',
      summary: 'etcd cluster database growing very fast.',
    },
    note: 'etcd mixin (current): etcd cluster database growing very fast.',
  },
  {
    id: 'etcdDatabaseHighFragmentationRatio',
    alert: 'etcdDatabaseHighFragmentationRatio',
    expr: '(last_over_time(etcd_mvcc_db_total_size_in_use_in_bytes{job=~".*etcd.*"}[5m]) / last_over_time(etcd_mvcc_db_total_size_in_bytes{job=~".*etcd.*"}[5m])) < 0.5 and etcd_mvcc_db_total_size_in_use_in_bytes{job=~".*etcd.*"} > 104857600',
    forMs: 600000,
    keepFiringForMs: 0,
    labels: { severity: 'warning' },
    annotations: {
      description:
        'etcd cluster "{{ $labels.job }}": database size in use on instance {{ $labels.instance }} is {{ $value | humanizePercentage }} of the actual allocated disk space, please run defragmentation (e.g. etcdctl defrag) to retrieve the unused fragmented disk space.',
      summary: 'etcd database size in use is less than 50% of the actual allocated storage.',
      runbook_url: 'https://etcd.io/docs/v3.5/op-guide/maintenance/#defragmentation',
    },
    note: 'etcd mixin (current): etcd database size in use is less than 50% of the actual allocated storage.',
  },
];

/** Every rule the playground offers as a starting point. */
export const rulePresets: readonly RuleDraft[] = [...comparedRules, ...etcdMixinRules];

/**
 * The mixin alerts that read what a preset teaches (its slow disk, its database, its leader
 * changes…), which the preset opens with beside the rules already there. The presets of member
 * failures are taught by the default rules.
 */
export const presetTeachingRules: Readonly<Record<string, readonly string[]>> = {
  'leader-churn': ['etcdHighNumberOfLeaderChanges'],
  'split-5-members': ['etcdHighNumberOfFailedGRPCRequests'],
  'slow-fsync': ['etcdHighFsyncDurations', 'etcdHighCommitDurations', 'etcdGRPCRequestsSlow'],
  'slow-network': ['etcdMemberCommunicationSlow'],
  'db-quota': ['etcdDatabaseQuotaLowSpace', 'etcdExcessiveDatabaseGrowth'],
  'fragmented-database': ['etcdDatabaseHighFragmentationRatio'],
};

/** The rules with the ones a preset teaches added after them, unless an alert of that name is there. */
export function withTeachingRules(rules: readonly RuleDraft[], preset: string): RuleDraft[] {
  const out = [...rules];
  for (const id of presetTeachingRules[preset] ?? []) {
    const rule = rulePresets.find((r) => r.id === id);
    if (rule && !out.some((r) => r.alert === rule.alert)) out.push(rule);
  }
  return out;
}
