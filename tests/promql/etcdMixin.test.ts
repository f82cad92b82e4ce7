// The etcd mixin's alert expressions, evaluated every minute over the input series of the mixin's
// own promtool tests, agree exactly with real promtool 2.42 (engine in v2 mode).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  SeriesStore,
  evalInstant,
  parseSeriesDescriptor,
  parseSeriesValues,
} from '../../src/promql/index.ts';
import { formatDuration, formatLabels, parseDuration } from '../../src/text/index.ts';

const mixin = join(import.meta.dirname, '../../../shared/conformance/etcd-mixin');

interface RuleFile {
  groups: { rules: { alert?: string; expr: string }[] }[];
}
interface TestFile {
  tests: { interval?: string; input_series: { series: string; values: string }[] }[];
}

describe('etcd mixin alert expressions agree with promtool 2.42', () => {
  const rules = (parse(readFileSync(join(mixin, 'rules.yaml'), 'utf8')) as RuleFile).groups
    .flatMap((g) => g.rules)
    .map((r) => r.expr.trim());
  const groups = (parse(readFileSync(join(mixin, 'test.yaml'), 'utf8')) as TestFile).tests;

  groups.forEach((group, gi) => {
    it(`over the inputs of test group ${gi + 1}`, () => {
      const interval = parseDuration(group.interval ?? '1m')!;
      const store = new SeriesStore();
      let steps = 0;
      for (const s of group.input_series) {
        const labels = parseSeriesDescriptor(s.series);
        const points = parseSeriesValues(String(s.values), interval);
        if (!labels.ok || !points.ok) throw new Error(`bad input ${s.series}`);
        store.addSeries(labels.value, points.value);
        steps = Math.max(steps, points.value.length);
      }
      const tests: unknown[] = [];
      for (const expr of rules) {
        for (let t = 0; t <= (steps + 5) * interval; t += 60_000) {
          const r = evalInstant(expr, store, t, { compat: 'v2' });
          if (!r.ok) throw new Error(`${expr}: ${r.error.message}`);
          if (r.value.type !== 'vector') throw new Error(`${expr}: ${r.value.type}`);
          tests.push({
            expr,
            eval_time: formatDuration(t),
            exp_samples: r.value.samples.map((s) => ({
              labels: formatLabels(s.labels),
              value: Number.isNaN(s.v) ? 'NaN' : s.v,
            })),
          });
        }
      }
      const dir = mkdtempSync(join(tmpdir(), 'quorumlab-mixin-'));
      try {
        const file = join(dir, 'test.yaml');
        writeFileSync(
          file,
          stringify({
            rule_files: [],
            tests: [
              {
                interval: formatDuration(interval),
                input_series: group.input_series,
                promql_expr_test: tests,
              },
            ],
          }),
        );
        let output: string;
        try {
          output = execFileSync('promtool', ['test', 'rules', file], { encoding: 'utf8' });
        } catch (err) {
          const e = err as { stdout: string; stderr: string };
          output = e.stdout + e.stderr;
        }
        expect(output, output).toContain('SUCCESS');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
