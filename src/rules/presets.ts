// The candidate rules the playground and `quorumlab scenario export-test` start with. The etcd
// mixin's etcdMembersDown is quoted as shipped (version E, etcd PR #19300, 2025-01-31; see
// shared/reference/ETCD.md), beside the naive `up == 0` that misses a member whose scrape
// target vanished, and every earlier version the etcd project shipped.

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
  /**
   * What the rule is meant to catch, as the scorecard judges it; absent, it is derived from the
   * rule's severity and `for` (src/lab/intent.ts). Playground data only: no rule file carries it.
   */
  readonly intent?: RuleIntent;
}

/** What a rule should catch: failures of a kind that last longer than a tolerance, by a deadline. */
export interface RuleIntent {
  /**
   * The failures it must catch: a member down or cut off (`member`), quorum lost (`quorum`), or
   * nothing the simulated ground truth tracks (`none`: slow disks, database size…; not judged).
   */
  readonly catches: 'member' | 'quorum' | 'none';
  /** Failures that end within this long (ms) need not be caught, and paging on them is noise. */
  readonly toleranceMs: number;
  /** A failure longer than the tolerance must be caught at most this long (ms) after it starts. */
  readonly deadlineMs: number;
}

import type { AlertRuleSpec } from './alerting.ts';
import { formatRuleFile } from './ruleFile.ts';

const MIN = 60_000;

const membersDownAnnotations = {
  description: 'etcd cluster "{{ $labels.job }}": members are down ({{ $value }}).',
  summary: 'etcd cluster members are down.',
};

/** Version A's and B's `by` form; `window` is the rate range. */
function membersDownBy(window: string): string {
  return `max by (job) (
  sum by (job) (up{job=~".*etcd.*"} == bool 0)
or
  count by (job,endpoint) (
    sum by (job,endpoint,To) (rate(etcd_network_peer_sent_failures_total{job=~".*etcd.*"}[${window}])) > 0.01
  )
)
> 0`;
}

/** Version C's, D's and E's `without` form; `window` is the rate range. */
function membersDownWithout(window: string): string {
  return `max without (endpoint) (
  sum without (instance) (up{job=~".*etcd.*"} == bool 0)
or
  count without (To) (
    sum without (instance) (rate(etcd_network_peer_sent_failures_total{job=~".*etcd.*"}[${window}])) > 0.01
  )
)
> 0`;
}

/** etcdMembersDown as the etcd mixin ships it today (version E). */
export const etcdMembersDown: RuleDraft = {
  id: 'etcdMembersDown',
  alert: 'etcdMembersDown',
  expr: membersDownWithout('120s'),
  forMs: 20 * MIN,
  keepFiringForMs: 0,
  labels: { severity: 'warning' },
  annotations: membersDownAnnotations,
  note: 'etcd mixin, PR #19300 (2025-01-31): for 20m, severity warning — one member down does not threaten quorum, and large nodes take over 10m to reboot.',
};

/** Every version of etcdMembersDown the etcd project has shipped, oldest first (ETCD.md). */
export const etcdMembersDownVersions: readonly RuleDraft[] = [
  {
    id: 'etcdMembersDown-2019',
    alert: 'etcdMembersDown',
    expr: membersDownBy('3m'),
    forMs: 3 * MIN,
    keepFiringForMs: 0,
    labels: { severity: 'critical' },
    annotations: { message: membersDownAnnotations.description },
    note: 'Version A, PR #10906 (2019-07-30): a down member leaves the cluster degraded, and `up` may lack an evicted member entirely, so peer send failures are used too.',
  },
  {
    id: 'etcdMembersDown-2020-1m',
    alert: 'etcdMembersDown',
    expr: membersDownBy('1m'),
    forMs: 3 * MIN,
    keepFiringForMs: 0,
    labels: { severity: 'critical' },
    annotations: { message: membersDownAnnotations.description },
    note: 'Version B, PR #12121 (2020-07-15): [1m] — after a quick reboot the 3m rate stayed above 0.01 too long and the alert fired on a healthy cluster.',
  },
  {
    id: 'etcdMembersDown-2020-without',
    alert: 'etcdMembersDown',
    expr: membersDownWithout('1m'),
    forMs: 3 * MIN,
    keepFiringForMs: 0,
    labels: { severity: 'critical' },
    annotations: { message: membersDownAnnotations.description },
    note: 'Version C, PR #12122 (2020-07-23): `without (instance)` — the `by` form dropped target labels users route on.',
  },
  {
    id: 'etcdMembersDown-2020-120s',
    alert: 'etcdMembersDown',
    expr: membersDownWithout('120s'),
    forMs: 10 * MIN,
    keepFiringForMs: 0,
    labels: { severity: 'critical' },
    annotations: membersDownAnnotations,
    note: 'Version D, PR #12177 (2020-07-31): [120s], four 30s scrapes — a 1m rate needs scrapes every 15s or less; for 10m so reboot variance does not alarm.',
  },
  etcdMembersDown,
];

/** etcdInsufficientMembers as the etcd mixin ships it (since PR #12122). */
export const etcdInsufficientMembers: RuleDraft = {
  id: 'etcdInsufficientMembers',
  alert: 'etcdInsufficientMembers',
  expr: 'sum(up{job=~".*etcd.*"} == bool 1) without (instance) < ((count(up{job=~".*etcd.*"}) without (instance) + 1) / 2)',
  forMs: 3 * MIN,
  keepFiringForMs: 0,
  labels: { severity: 'critical' },
  annotations: {
    description: 'etcd cluster "{{ $labels.job }}": insufficient members ({{ $value }}).',
    summary: 'etcd cluster has insufficient number of members.',
  },
  note: 'etcd mixin, since PR #12122 (2020-07-23): fires when fewer members answer scrapes than a quorum needs.',
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

/** Every rule the playground offers as a starting point. */
export const rulePresets: readonly RuleDraft[] = [
  naiveUpRule,
  ...etcdMembersDownVersions,
  etcdInsufficientMembers,
];

/** The rules the playground opens with, in display order. */
export const defaultRules: readonly RuleDraft[] = [
  etcdMembersDown,
  naiveUpRule,
  etcdInsufficientMembers,
];

/** A draft as the rule manager's spec (durations in ms under their Prometheus names). */
export function toAlertRuleSpec(rule: RuleDraft): AlertRuleSpec {
  return {
    alert: rule.alert,
    expr: rule.expr,
    for: rule.forMs,
    keepFiringFor: rule.keepFiringForMs,
    labels: { ...rule.labels },
    annotations: { ...rule.annotations },
  };
}

/** The drafts as one group of a Prometheus rule file. */
export function formatDraftRuleFile(rules: readonly RuleDraft[], groupName = 'etcd'): string {
  return formatRuleFile([{ name: groupName, rules: rules.map(toAlertRuleSpec) }]);
}
