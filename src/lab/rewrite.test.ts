import { describe, expect, it } from 'vitest';
import { presets } from '../sim/index.ts';
import { PresetCache } from './matrix.ts';
import { checkRewrite, compareScores, proposeOrRewrite, type RewriteCheck } from './rewrite.ts';
import { etcdMembersDown, etcdMembersDownVersions, naiveUpRule } from './rulePresets.ts';
import type { JudgedScorecard } from './intent.ts';

describe('proposeOrRewrite', () => {
  const cases: { name: string; expr: string; after: string | null }[] = [
    {
      name: "a threshold under `or` is not the rule's",
      expr: 'sum(up == bool 0) or count(x > 1) > 0',
      after: null,
    },
    {
      name: 'inside an aggregation under the threshold',
      expr: 'max(sum(up == bool 0) or count(x > 1)) > 0',
      after: 'max((sum(up == bool 0)) > 0 or count(x > 1)) > 0',
    },
    {
      name: 'with another comparison and a negative threshold',
      expr: 'max(a or b) >= -1',
      after: 'max((a) >= -1 or b) >= -1',
    },
    { name: 'no threshold: nothing to filter by', expr: 'max(a or b)', after: null },
    { name: 'a bool comparison keeps every series', expr: 'max(a or b) > bool 0', after: null },
    { name: 'no `or`', expr: 'up == 0', after: null },
    { name: 'a broken expression', expr: 'max(a or', after: null },
  ];
  it.each(cases)('$name', ({ expr, after }) => {
    // `x or y > 0` parses as `x or (y > 0)`: its threshold is not the rule's, so no rewrite.
    const r = proposeOrRewrite({ ...naiveUpRule, expr });
    expect(r?.after ?? null).toBe(after);
  });

  it('rewrites the shipped etcdMembersDown so that both signals count', () => {
    const r = proposeOrRewrite(etcdMembersDown);
    expect(r?.after).toBe(`max without (endpoint) (
  (sum without (instance) (up{job=~".*etcd.*"} == bool 0)) > 0
or
  count without (To) (
    sum without (instance) (rate(etcd_network_peer_sent_failures_total{job=~".*etcd.*"}[120s])) > 0.01
  )
)
> 0`);
    // It points where the `or` finding does: the right side.
    expect(etcdMembersDown.expr.slice(r?.from, r?.to)).toMatch(/^count without \(To\)/);
  });
});

describe('compareScores', () => {
  const intent = { catches: 'member' as const, toleranceMs: 0, deadlineMs: 600_000 };
  const score = (
    detected: boolean,
    extra: Partial<JudgedScorecard['judgement']> = {},
  ): JudgedScorecard => ({
    episodes: [
      { member: 3, from: 0, to: 60_000, detectionDelay: detected ? 0 : null, missedMs: 0 },
    ],
    missedMs: 0,
    falseFiringMs: 0,
    flaps: 0,
    judgement: {
      intent,
      failures: [
        {
          member: 3,
          from: 0,
          to: 60_000,
          toEnd: false,
          detectionDelay: detected ? 0 : null,
          verdict: detected ? 'caught' : 'missed',
        },
      ],
      falseFiringMs: 0,
      noiseMs: 0,
      flaps: 0,
      grade: detected ? 'good' : 'misses',
      ...extra,
    },
  });
  const cases: {
    name: string;
    before: JudgedScorecard | { error: string };
    after: JudgedScorecard | { error: string };
    want: { worse: string | null; gained: number };
  }[] = [
    {
      name: 'catching what was missed is a gain',
      before: score(false),
      after: score(true),
      want: { worse: null, gained: 1 },
    },
    {
      name: 'losing a catch is worse',
      before: score(true),
      after: score(false),
      want: { worse: 'it no longer catches a failure the original caught', gained: 0 },
    },
    {
      name: 'more false firing is worse',
      before: score(true),
      after: score(true, { falseFiringMs: 60_000 }),
      want: { worse: 'it fires longer with nothing failing', gained: 0 },
    },
    {
      name: 'more noise is worse',
      before: score(true),
      after: score(true, { noiseMs: 60_000 }),
      want: { worse: 'it fires longer on failures it should tolerate', gained: 0 },
    },
    {
      name: 'failing to evaluate is worse',
      before: score(true),
      after: { error: 'boom' },
      want: { worse: 'it fails to evaluate: boom', gained: 0 },
    },
  ];
  it.each(cases)('$name', ({ before, after, want }) => {
    expect(compareScores(before, after)).toEqual(want);
  });
});

function drain(g: Generator<unknown, RewriteCheck>): RewriteCheck {
  for (;;) {
    const step = g.next();
    if (step.done) return step.value;
  }
}

describe('checkRewrite on the presets', () => {
  const cache = new PresetCache(presets);

  it('offers the rewrite of the 2020 etcdMembersDown: it catches the eviction and the partitions', () => {
    const rule = etcdMembersDownVersions.find((r) => r.id === 'etcdMembersDown-2020-1m')!;
    const check = drain(checkRewrite(rule, proposeOrRewrite(rule)!, cache));
    expect(check.offered).toBe(true);
    expect(check.rows).toHaveLength(presets.length);
    expect(check.rows.filter((r) => r.gained > 0).map((r) => [r.preset, r.gained])).toEqual([
      ['pod-eviction-default', 1],
      ['partition-one-member', 1],
      ['split-5-members', 2],
      ['one-way-loss', 1],
    ]);
  });

  it('does not offer it for the shipped rule: with kube labels it names the sending member', () => {
    const check = drain(checkRewrite(etcdMembersDown, proposeOrRewrite(etcdMembersDown)!, cache));
    expect(check.offered).toBe(false);
    expect(check.rows.filter((r) => r.worse !== null).map((r) => [r.preset, r.worse])).toEqual([
      ['pod-eviction-kube', 'it fires longer with nothing failing'],
    ]);
    // Everywhere else it catches what the original missed.
    expect(check.gained).toBe(5);
  });
});
