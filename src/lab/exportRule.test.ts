import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportRuleFile, importRules, ruleFileName } from './exportRule.ts';
import { defaultRules, etcdMembersDown, rulePresets } from './rulePresets.ts';

function promtoolCheckRules(text: string): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'quorumlab-export-'));
  const file = join(dir, 'rules.yaml');
  writeFileSync(file, text);
  const r = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
  if (r.error) {
    throw new Error(
      `promtool is required (Debian: apt-get install prometheus): ${r.error.message}`,
    );
  }
  return { status: r.status, output: r.stdout + r.stderr };
}

describe('exportRuleFile', () => {
  it.each(rulePresets.map((r) => [r.id, r] as const))(
    'exports %s as a file real promtool check rules accepts',
    (_name, rule) => {
      const r = promtoolCheckRules(exportRuleFile([rule]));
      expect(r.output).toContain('SUCCESS: 1 rules found');
      expect(r.status).toBe(0);
    },
  );

  it('exports all rules in one group', () => {
    const r = promtoolCheckRules(exportRuleFile(defaultRules));
    expect(r.output).toContain(`SUCCESS: ${defaultRules.length} rules found`);
  });

  it('keeps the expression, for, labels and annotations', () => {
    const text = exportRuleFile([etcdMembersDown]);
    expect(text).toContain('alert: etcdMembersDown');
    expect(text).toContain('for: 20m');
    expect(text).toContain('severity: warning');
    expect(text).toContain('rate(etcd_network_peer_sent_failures_total{job=~".*etcd.*"}[120s])');
    expect(text).toContain('members are down ({{ $value }}).');
  });

  it('names the file after the alert', () => {
    expect(ruleFileName(etcdMembersDown)).toBe('etcdMembersDown.rules.yaml');
  });
});

describe('importRules', () => {
  it('adds a group’s labels to its rules (the rule’s own win) and says what it does not use', () => {
    const r = importRules(
      [
        'groups:',
        '  - name: etcd',
        '    interval: 1m',
        '    query_offset: 30s',
        '    labels: {team: storage, severity: info}',
        '    rules:',
        '      - record: job:up:sum',
        '        expr: sum by (job) (up)',
        '      - alert: Down',
        '        expr: up == 0',
        '        labels: {severity: page}',
      ].join('\n'),
      'etcd.yaml',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.rules.map((x) => [x.alert, x.labels])).toEqual([
      ['Down', { team: 'storage', severity: 'page' }],
    ]);
    expect(r.notes).toEqual([
      'Group "etcd": its interval 1m, query_offset 30s are not used here (rules are evaluated at the scenario\'s evaluation interval).',
      'Not imported: recording rule "job:up:sum" (group "etcd"); the playground evaluates alerting rules only, so an alert that reads a recorded series sees nothing unless its expression is written out.',
    ]);
  });

  it('has nothing to say about a plain file', () => {
    const r = importRules(
      'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n',
    );
    expect(r.ok && r.notes).toEqual([]);
  });
});
