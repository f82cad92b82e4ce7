import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAlertRule, parseRuleFile } from '../rules/index.ts';
import {
  defaultRules,
  presetTeachingRules,
  rulePresets,
  withTeachingRules,
} from './rulePresets.ts';

// The current etcd mixin's rules from ../shared/conformance beside the repository (as every test
// that reads them), by path, never copied.
const mixinFile = fileURLToPath(
  new URL('../../../shared/conformance/etcd-mixin/rules.yaml', import.meta.url),
);

describe('the rule presets hold every alert of the current etcd mixin, as shipped', () => {
  const parsed = parseRuleFile(readFileSync(mixinFile, 'utf8'));
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.formatted).join('\n'));
  const alerts = parsed.groups.flatMap((g) => g.rules.filter(isAlertRule));

  it('reads all fifteen of them', () => {
    expect(alerts).toHaveLength(15);
  });

  it('gives each preset an id of its own', () => {
    expect(new Set(rulePresets.map((r) => r.id)).size).toBe(rulePresets.length);
  });

  // Two alerts come twice, as a warning and as a critical one: a rule is found by name and labels.
  it.each(alerts.map((a) => [`${a.alert} (${a.labels?.severity ?? ''})`, a] as const))(
    '%s',
    (_, a) => {
      const preset = rulePresets.find(
        (r) =>
          r.alert === a.alert &&
          r.labels.severity === a.labels?.severity &&
          r.expr.trim() === a.expr.trim(),
      );
      expect(preset).toBeDefined();
      expect({
        alert: preset?.alert,
        expr: preset?.expr.trim(),
        for: preset?.forMs,
        labels: preset?.labels,
        annotations: preset?.annotations,
      }).toEqual({
        alert: a.alert,
        expr: a.expr.trim(),
        for: a.for ?? 0,
        labels: a.labels ?? {},
        annotations: a.annotations ?? {},
      });
    },
  );
});

describe('the rules a preset teaches', () => {
  it('names only rules the presets hold', () => {
    for (const ids of Object.values(presetTeachingRules))
      for (const id of ids) expect(rulePresets.map((r) => r.id)).toContain(id);
  });

  it('adds them after the rules there, once', () => {
    const once = withTeachingRules(defaultRules, 'slow-fsync');
    expect(once.map((r) => r.id).slice(defaultRules.length)).toEqual([
      'etcdHighFsyncDurations',
      'etcdHighCommitDurations',
      'etcdGRPCRequestsSlow',
    ]);
    expect(withTeachingRules(once, 'slow-fsync')).toEqual(once);
    expect(withTeachingRules(defaultRules, 'member-crash')).toEqual(defaultRules);
  });
});
