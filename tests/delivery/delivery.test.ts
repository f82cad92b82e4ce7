// Every delivery format judged by the tool that consumes it: promtool for the rule groups (of
// the rule file, the PrometheusRule and the Helm values), Debian's jsonnet for the etcd mixin
// patch against the mixin's own sources, and a schema of the CRD and of the chart's values.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  checkPrometheusRuleMeta,
  defaultRules,
  deliveryFormats,
  etcdMembersDown,
  etcdMembersDownVersions,
  exportDelivery,
  parseLabelList,
  type PrometheusRuleMeta,
  type RuleDraft,
} from '../../src/lab/index.ts';
import { runPromtool } from '../rules/promtool.ts';
import { validateAgainst } from './schemas.ts';

// The mixin's sources stay in the shared folder (beside the repository, or at /work/shared when
// the repository is a worktree elsewhere).
const mixinDir = [
  join(import.meta.dirname, '../../../shared/conformance/etcd-mixin/jsonnet'),
  '/work/shared/conformance/etcd-mixin/jsonnet',
].find((d) => existsSync(join(d, 'config.libsonnet')));

const tuned: RuleDraft = {
  ...etcdMembersDown,
  expr: etcdMembersDown.expr.replace('[120s]', '[4m]'),
  forMs: 5 * 60_000,
  labels: { severity: 'critical', team: 'storage' },
};
const custom: RuleDraft = {
  ...etcdMembersDown,
  id: 'custom',
  alert: 'etcdMemberGone',
  expr: 'absent_over_time(up{job=~".*etcd.*", instance="etcd-3"}[5m])',
  forMs: 0,
  labels: { severity: 'warning' },
  annotations: { summary: 'etcd-3 is "gone" — no up series for 5m.' },
};
const meta: PrometheusRuleMeta = {
  name: 'etcd-quorum',
  namespace: 'observability',
  labels: { release: 'prom', 'example.com/team': 'storage' },
};

function checkRules(groups: unknown): void {
  const r = runPromtool({ 'rules.yaml': stringify({ groups }) }, ['check', 'rules', 'rules.yaml']);
  expect(r.stdout + r.stderr).toMatch(/SUCCESS: \d+ rules found/);
  expect(r.code).toBe(0);
}

function mixinAlerts(patch: string | null): {
  groups: { name: string; rules: Record<string, unknown>[] }[];
} {
  if (!mixinDir)
    throw new Error('the etcd mixin sources (shared/conformance/etcd-mixin) are missing');
  const dir = mkdtempSync(join(tmpdir(), 'quorumlab-jsonnet-'));
  try {
    writeFileSync(join(dir, 'patch.libsonnet'), patch ?? '{}');
    const r = spawnSync(
      '/usr/bin/jsonnet',
      [
        '-J',
        mixinDir,
        '-J',
        dir,
        '-e',
        '((import "config.libsonnet") + (import "alerts/alerts.libsonnet") + (import "patch.libsonnet")).prometheusAlerts',
      ],
      { encoding: 'utf8' },
    );
    if (r.error)
      throw new Error(`jsonnet is required (Debian: apt-get install jsonnet): ${r.error.message}`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout) as ReturnType<typeof mixinAlerts>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ruleOf = (r: RuleDraft) => parse(exportDelivery('rules', [r]).text).groups[0].rules[0];

describe('delivery formats', () => {
  it.each(deliveryFormats)('%s: one file, named for its use', (format) => {
    const f = exportDelivery(format, defaultRules, { meta });
    expect(f.text.length).toBeGreaterThan(0);
    expect(f.fileName).toMatch(/\.(yaml|libsonnet)$/);
  });

  it('rule file: real promtool accepts it', () => {
    checkRules(parse(exportDelivery('rules', [tuned, custom]).text).groups);
  });

  it('PrometheusRule: carries the name, namespace and labels, fits the CRD, and promtool accepts its groups', () => {
    const doc = parse(exportDelivery('prometheusrule', [tuned, custom], { meta }).text);
    expect(doc.metadata).toEqual({
      name: 'etcd-quorum',
      namespace: 'observability',
      labels: { release: 'prom', 'example.com/team': 'storage' },
    });
    expect(validateAgainst('prometheusRule', doc)).toEqual([]);
    checkRules(doc.spec.groups);
  });

  it('Helm values: one additionalPrometheusRulesMap entry, labels but release (the chart sets it)', () => {
    const doc = parse(exportDelivery('helm', [tuned, custom], { meta }).text);
    expect(Object.keys(doc.additionalPrometheusRulesMap)).toEqual(['etcd-quorum']);
    expect(doc.additionalPrometheusRulesMap['etcd-quorum'].additionalLabels).toEqual({
      'example.com/team': 'storage',
    });
    expect(validateAgainst('helmValues', doc)).toEqual([]);
    checkRules(doc.additionalPrometheusRulesMap['etcd-quorum'].groups);
  });

  it('the schemas do refuse what Kubernetes and the chart refuse', () => {
    const bad = parse(
      exportDelivery('prometheusrule', [tuned], {
        meta: { name: 'Etcd_Rules', namespace: 'monitoring', labels: { release: 'a b' } },
      }).text,
    );
    expect(validateAgainst('prometheusRule', bad).length).toBeGreaterThanOrEqual(2);
    expect(
      validateAgainst('helmValues', {
        additionalPrometheusRulesMap: { x: { additionalLabels: { release: 'x' }, groups: [] } },
      }),
    ).not.toEqual([]);
  });

  it('jsonnet: overrides the mixin rule by name, keeps the rest of the mixin, adds a new rule', () => {
    const before = mixinAlerts(null);
    const after = mixinAlerts(exportDelivery('jsonnet', [tuned, custom]).text);
    const names = (a: typeof before) => a.groups.flatMap((g) => g.rules.map((r) => r.alert));
    // Every mixin rule is still there, in its place, and only the user's one changed.
    expect(names(after)).toEqual([...names(before), 'etcdMemberGone']);
    const etcd = (a: typeof before) => a.groups.find((g) => g.name === 'etcd')?.rules ?? [];
    etcd(after).forEach((r, i) => {
      if (r.alert === 'etcdMembersDown') expect(r).toEqual(ruleOf(tuned));
      else expect(r).toEqual(etcd(before)[i]);
    });
    expect(after.groups.find((g) => g.name === 'quorumlab')?.rules).toEqual([ruleOf(custom)]);
    // What kube-prometheus would turn into a PrometheusRule is a rule file promtool accepts.
    checkRules(after.groups);
  });

  it('jsonnet: several rules of one name all take the mixin rule’s place', () => {
    const versions = etcdMembersDownVersions.map((r, i) => ({
      ...r,
      labels: { ...r.labels, version: String(i) },
    }));
    const after = mixinAlerts(exportDelivery('jsonnet', versions).text);
    const rules = after.groups.flatMap((g) => g.rules);
    expect(rules.filter((r) => r.alert === 'etcdMembersDown')).toEqual(versions.map(ruleOf));
    expect(after.groups.some((g) => g.name === 'quorumlab')).toBe(false);
  });
});

describe('PrometheusRule metadata', () => {
  it('accepts the default and a prefixed label', () => {
    expect(checkPrometheusRuleMeta(meta)).toEqual([]);
  });

  it('names each field Kubernetes would refuse', () => {
    expect(
      checkPrometheusRuleMeta({
        name: 'Etcd',
        namespace: 'a.b',
        labels: { 'bad key': 'x', ok: 'no spaces' },
      }),
    ).toEqual([
      'name "Etcd": lower-case letters, digits, "-" and ".", starting and ending with a letter or digit (at most 253)',
      'namespace "a.b": lower-case letters, digits and "-", starting and ending with a letter or digit (at most 63)',
      'label "bad key": a name of letters, digits, "-", "_" and "." (at most 63), optionally after a DNS prefix and "/"',
      'label ok="no spaces": a value of letters, digits, "-", "_" and "." (at most 63), starting and ending with a letter or digit',
    ]);
  });

  it('reads labels written key=value, key=value', () => {
    expect(parseLabelList('release=prom, team = storage,')).toEqual({
      ok: true,
      labels: { release: 'prom', team: 'storage' },
    });
    expect(parseLabelList('release')).toEqual({ ok: false, error: '"release" is not key=value' });
    expect(parseLabelList('a=1,a=2')).toEqual({ ok: false, error: 'label "a" is given twice' });
  });
});
