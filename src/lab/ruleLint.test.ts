import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/index.ts';
import { prepareScenario } from './evaluateView.ts';
import { lintRule, type LintMemo } from './ruleLint.ts';
import {
  etcdInsufficientMembers,
  etcdMembersDown,
  etcdMembersDownVersions,
  naiveUpRule,
  type RuleDraft,
} from './rulePresets.ts';

const prepared = prepareScenario(defaultScenario);

function findings(rule: RuleDraft): string[] {
  return lintRule(rule, prepared).map((l) => {
    const where = l.from !== undefined ? rule.expr.slice(l.from, l.to) : '';
    return `${l.severity}:${where.split('(')[0]}:${l.message.split(' ')[0]}`;
  });
}

describe('lintRule on the default scenario (30s scrapes, a pod evicted)', () => {
  const v2020 = etcdMembersDownVersions.find((r) => r.id === 'etcdMembersDown-2020-without');
  if (!v2020) throw new Error('missing preset');
  const cases: { name: string; rule: RuleDraft; want: string[] }[] = [
    {
      name: 'the shipped rule: its right-hand `or` branch is shadowed',
      rule: etcdMembersDown,
      want: ['warning:count without :The'],
    },
    {
      name: 'the 2020 [1m] rule: too short a window too, and for below a reboot',
      rule: v2020,
      want: [
        'warning:count without :The',
        'warning:etcd_network_peer_sent_failures_total{job=~".*etcd.*"}[1m]:rate()',
        'info::for:',
      ],
    },
    { name: 'the naive rule: for 0s', rule: naiveUpRule, want: ['info::for:'] },
    {
      // Fires only when quorum is lost, which no reboot of one member causes: its short for
      // is right, and the reboot check leaves it alone.
      name: 'etcdInsufficientMembers: for 3m, but no reboot fires it',
      rule: etcdInsufficientMembers,
      want: [],
    },
    {
      name: 'a short for on a rule that fires for any one member down',
      rule: {
        ...naiveUpRule,
        expr: 'sum without (To) (rate(etcd_network_peer_sent_failures_total{job=~".*etcd.*"}[2m])) > 0',
      },
      want: ['info::for:'],
    },
    {
      name: 'a selector that matches nothing',
      rule: { ...naiveUpRule, expr: 'etcd_no_such_metric == 0', forMs: 600_000 },
      want: ['warning:etcd_no_such_metric:etcd_no_such_metric'],
    },
  ];
  it.each(cases)('$name', ({ rule, want }) => {
    expect(findings(rule)).toEqual(want);
  });

  it('finds nothing to say about an expression that does not parse (the editor reports it)', () => {
    expect(lintRule({ ...naiveUpRule, expr: 'up ==' }, prepared)).toEqual([]);
  });
});

describe('lintRule on a healthy cluster', () => {
  const healthy = prepareScenario({ ...defaultScenario, name: 'healthy', events: [] });
  it('still finds the shipped rule’s `or` shadowed, from the label names alone', () => {
    const lints = lintRule(etcdMembersDown, healthy);
    const or = lints.filter((l) => l.message.includes('`or`'));
    expect(or.map((l) => l.message.split(' (')[0])).toEqual([
      'Both sides of `or` are labelled alike',
    ]);
    expect(or[0]?.message).toContain('({job})');
    expect(etcdMembersDown.expr.slice(or[0]?.from, or[0]?.to)).toMatch(/^count without \(To\)/);
  });

  it('says nothing when the sides are labelled differently', () => {
    const rule = {
      ...naiveUpRule,
      expr: 'up{job=~".*etcd.*"} == 0 or sum(up{job=~".*etcd.*"}) == 0',
    };
    expect(lintRule(rule, healthy).filter((l) => l.message.includes('`or`'))).toEqual([]);
  });
});

describe('LintMemo', () => {
  it("keeps the reboot probe for every rule of the scenario, and findings stay the caller's", () => {
    const memo: LintMemo = {};
    const first = lintRule(naiveUpRule, prepared, memo);
    const probe = memo.probe;
    expect(probe).toBeDefined();
    expect(lintRule(etcdInsufficientMembers, prepared, memo)).toEqual(
      lintRule(etcdInsufficientMembers, prepared),
    );
    expect(memo.probe).toBe(probe);
    expect(first).toEqual(lintRule(naiveUpRule, prepared));
  });
});
