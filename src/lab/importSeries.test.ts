// Series files as users have them: the simulator's OpenMetrics, and what real promtool prints
// with `tsdb dump` after backfilling that file, both open as the same series; bad files are
// refused with line and column.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labelsKey } from '../promql/index.ts';
import { findPreset, formatOpenMetrics, simulate } from '../sim/index.ts';
import { readSeriesFile, seriesFileFormat } from './importSeries.ts';
import { loadImportedSeries } from './source.ts';

const START = 1_700_000_000_000;
const sim = simulate(findPreset('member-crash')!.scenario);
const openMetrics = formatOpenMetrics(sim, { offsetMs: START });

/** The simulation's samples by series, at their backfilled times; OpenMetrics has no markers. */
function simulated(): Map<string, [number, number][]> {
  return new Map(
    sim.series.map((s) => [
      labelsKey(s.labels),
      s.points.flatMap(([t, v]) => (v === null ? [] : [[t + START, v] as [number, number]])),
    ]),
  );
}

function imported(text: string, name: string): Map<string, [number, number | null][]> {
  const r = readSeriesFile(text, name);
  if (!r?.ok) throw new Error(r ? r.errors.join('\n') : 'not a series file');
  const loaded = loadImportedSeries(r.source);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors[0]));
  return new Map(loaded.series.map((s) => [labelsKey(s.labels), s.points.map((p) => [...p])]));
}

function errorsOf(text: string, name = 'bad.om'): string[] {
  const r = readSeriesFile(text, name);
  if (r === null) throw new Error('not read as a series file');
  return r.ok ? [] : r.errors;
}

describe('readSeriesFile', () => {
  it('opens the simulator’s OpenMetrics as the same series, at their times', () => {
    const r = readSeriesFile(openMetrics, 'crash.om');
    expect(r?.ok && r.format).toBe('openmetrics');
    if (!r?.ok) return;
    expect(r.source.start).toBe(START);
    expect(r.source.interval).toBe(sim.scenario.scrapeInterval);
    expect(r.source.group).toBe('OpenMetrics');
    expect(r.notes).toEqual([]);
    expect(imported(openMetrics, 'crash.om')).toEqual(simulated());
  });

  it('opens what real promtool tsdb dump prints of the backfilled file as the same series', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quorumlab-dump-'));
    try {
      writeFileSync(join(dir, 'series.om'), openMetrics);
      const run = (args: string[]) => {
        const r = spawnSync('/usr/bin/promtool', args, {
          cwd: dir,
          encoding: 'utf8',
          maxBuffer: 1 << 30,
        });
        if (r.error) throw new Error(`promtool is required: ${r.error.message}`);
        expect(r.status).toBe(0);
        return r.stdout;
      };
      run(['tsdb', 'create-blocks-from', 'openmetrics', 'series.om', 'data']);
      // promtool 2.42's dump reads the WAL too, and the backfill writes none.
      mkdirSync(join(dir, 'data', 'wal'));
      const dump = run(['tsdb', 'dump', 'data']);
      expect(seriesFileFormat(dump)).toBe('tsdb-dump');
      expect(imported(dump, 'dump.txt')).toEqual(simulated());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a dump’s NaN as the staleness marker it is, and says so', () => {
    const dump = [
      '{__name__="up", instance="a", job="etcd"} 1 1700000000000',
      '{__name__="up", instance="a", job="etcd"} NaN 1700000030000',
      '',
    ].join('\n');
    const r = readSeriesFile(dump, 'dump.txt');
    expect(r?.ok && r.notes).toEqual([
      '1 NaN sample(s) were read as staleness markers, which is what promtool tsdb dump prints them as.',
    ]);
    expect([...imported(dump, 'dump.txt').values()]).toEqual([
      [
        [START, 1],
        [START + 30_000, null],
      ],
    ]);
  });

  it('moves jittered scrapes onto one grid and says by how much', () => {
    const text = [
      '# TYPE up gauge',
      'up{instance="a"} 1 1700000000.003',
      'up{instance="a"} 0 1700000029.998',
      'up{instance="a"} 1 1700000060.001',
      'up{instance="b"} 1 1700000000.000',
      '# EOF',
    ].join('\n');
    const r = readSeriesFile(text, 'jitter.om');
    expect(r?.ok).toBe(true);
    if (!r?.ok) return;
    expect(r.source.interval).toBe(30_000);
    expect(r.notes).toEqual([
      'The samples were moved to a 30s grid (by at most 3 ms): scrapes jitter, and the playground reads series on one step.',
    ]);
    expect(r.source.series).toEqual([
      { series: 'up{instance="a"}', values: '1 0 1' },
      { series: 'up{instance="b"}', values: '1' },
    ]);
  });

  it('reads a metric named like a PromQL keyword, escaped label values and exemplars', () => {
    const text = [
      '# TYPE sum counter',
      'sum_total{msg="a \\"quoted\\" }"} 1 0 # {trace_id="x"} 1 0',
      'sum_total{msg="a \\"quoted\\" }"} 2 60',
      '# EOF',
      '',
    ].join('\n');
    const r = readSeriesFile(text, 'k.om');
    expect(r?.ok && r.source.series).toEqual([
      { series: 'sum_total{msg="a \\"quoted\\" }"}', values: '1 2' },
    ]);
  });

  it.each([
    ['up 1 1700000000\n', 'bad.om:1:1: the file does not end with "# EOF"'],
    ['up{a="b"} x 1\n# EOF\n', 'bad.om:1:11: "x" is not a sample value'],
    ['up{a="b"} 1\n# EOF\n', 'bad.om:1:12: the sample has no timestamp'],
    ['up{a="b"} 1 2 3\n# EOF\n', 'bad.om:1:15: unexpected "3" after the timestamp'],
    ['up{a="b"} 1 soon\n# EOF\n', 'bad.om:1:13: "soon" is not a timestamp in seconds'],
    ['up{a="b 1 2\n# EOF\n', 'bad.om:1:1: the label set is not closed with "}"'],
    ['up{a=b} 1 2\n# EOF\n', 'bad.om:1:1: the labels up{a=b} do not read'],
    ['up 1 60\nup 2 30\n# EOF\n', 'bad.om:2:6: a sample older than the one at line 1'],
    ['up 1 60\n# EOF\nup 2 90\n', 'bad.om:3:1: text after "# EOF"'],
    ['{__name__="up"} 1 1.5\n', 'bad.om:1:19: "1.5" is not a timestamp in milliseconds'],
  ])('refuses %j: %s', (text, error) => {
    expect(errorsOf(text)[0]).toContain(error);
  });

  it.each([
    ['a rule file', 'groups:\n  - name: etcd\n    rules: []\n'],
    ['a PrometheusRule', 'apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\n'],
    ['a promtool test file', '# written by hand\nrule_files:\n  - r.yaml\ntests: []\n'],
    ['a JSON rule file', '{"groups": [{"name": "g", "rules": []}]}\n'],
  ])('leaves %s to the other readers', (_what, text) => {
    expect(readSeriesFile(text)).toBeNull();
  });
});
