// The candidate rules the playground starts with. The etcd mixin's etcdMembersDown is quoted as
// shipped (version E, etcd PR #19300, 2025-01-31; see shared/reference/ETCD.md), beside the naive
// `up == 0` that misses a member whose scrape target vanished.

/** A rule as the playground edits it: an alerting rule with durations in milliseconds. */
export interface RuleDraft {
  readonly id: string;
  readonly alert: string;
  readonly expr: string;
  readonly forMs: number;
  readonly keepFiringForMs: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** Where the rule comes from and why it looks the way it does. */
  readonly note: string;
}

const MIN = 60_000;

/** etcdMembersDown as the etcd mixin ships it today (version E). */
export const etcdMembersDown: RuleDraft = {
  id: 'etcdMembersDown',
  alert: 'etcdMembersDown',
  expr: `max without (endpoint) (
  sum without (instance) (up{job=~".*etcd.*"} == bool 0)
or
  count without (To) (
    sum without (instance) (rate(etcd_network_peer_sent_failures_total{job=~".*etcd.*"}[120s])) > 0.01
  )
)
> 0`,
  forMs: 20 * MIN,
  keepFiringForMs: 0,
  labels: { severity: 'warning' },
  annotations: {
    description: 'etcd cluster "{{ $labels.job }}": members are down ({{ $value }}).',
    summary: 'etcd cluster members are down.',
  },
  note: 'etcd mixin, PR #19300 (2025-01-31): for 20m, severity warning — one member down does not threaten quorum, and large nodes take over 10m to reboot.',
};

/** The naive rule: fires for a listed target whose scrape fails, and for nothing else. */
export const naiveUpRule: RuleDraft = {
  id: 'naiveUp',
  alert: 'etcdTargetDown',
  expr: 'up{job=~".*etcd.*"} == 0',
  forMs: 0,
  keepFiringForMs: 0,
  labels: { severity: 'warning' },
  annotations: { summary: 'etcd target {{ $labels.instance }} is down.' },
  note: 'The naive rule: `up == 0` sees a failed scrape, but an evicted pod leaves no `up` series at all.',
};

/** The rules the playground opens with, in display order. */
export const defaultRules: readonly RuleDraft[] = [etcdMembersDown, naiveUpRule];
