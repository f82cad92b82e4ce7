import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportRuleFile, ruleFileName } from './exportRule.ts';
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
