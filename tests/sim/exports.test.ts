import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultScenario,
  formatOpenMetrics,
  formatPromqltestLoad,
  formatPromtoolSeries,
  formatValues,
  openMetricsChunks,
  presets,
  simulate,
} from '../../src/sim/index.ts';
import type { SimSeries } from '../../src/sim/index.ts';
import { formatSeriesName } from '../../src/text/index.ts';
import { min, scenarioOf } from './helpers.ts';

const run = promisify(execFile);
const PROMTOOL = '/usr/bin/promtool';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quorumlab-sim-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('formatValues', () => {
  const cases: [name: string, values: (number | '_' | 'stale')[], text: string][] = [
    ['a constant run', [1, 1, 1, 1], '1x3'],
    ['a counter with a steady step', [10, 20, 30, 40], '10+10x3'],
    ['a falling run', [9, 7, 5], '9-2x2'],
    ['two values stay plain', [1, 2], '1 2'],
    ['missing scrapes', ['_', '_', '_', 5], '_x3 5'],
    ['a staleness marker', [1, 1, 'stale'], '1x1 stale'],
    [
      'floats only repeat exactly',
      [0.1, 0.2, 0.30000000000000004, 0.5],
      '0.1 0.2 0.30000000000000004 0.5',
    ],
    ['equal floats compress', [0.25, 0.25, 0.25], '0.25x2'],
    ['a reset starts a new run', [5, 6, 7, 0, 1, 2], '5+1x2 0+1x2'],
  ];
  it.each(cases)('writes %s', (_, values, text) => {
    expect(formatValues(values)).toBe(text);
  });
});

describe('text exports', () => {
  const tiny = simulate(scenarioOf({ members: 1, duration: min(2) }));

  it('writes a promqltest load block at the scrape interval', () => {
    const text = formatPromqltestLoad(tiny);
    const lines = text.split('\n');
    expect(lines[0]).toBe('load 30s');
    expect(lines[1]).toBe(`  up{instance="${tiny.members[0]!.instance}",job="etcd"} 1x4`);
    expect(lines).toContain(
      `  etcd_server_is_leader{instance="${tiny.members[0]!.instance}",job="etcd"} 1x4`,
    );
    expect(lines).toHaveLength(tiny.series.length + 2);
  });

  it('writes promtool input_series entries', () => {
    const text = formatPromtoolSeries(tiny);
    expect(text.startsWith('input_series:\n')).toBe(true);
    expect(text).toContain(
      `  - series: 'up{instance="${tiny.members[0]!.instance}", job="etcd"}'\n    values: '1x4'\n`,
    );
  });

  it('streams the same OpenMetrics text in chunks', () => {
    expect([...openMetricsChunks(tiny)].join('')).toBe(formatOpenMetrics(tiny));
  });

  it('groups OpenMetrics samples by family with TYPE lines and ends with # EOF', () => {
    const text = formatOpenMetrics(tiny);
    expect(text).toContain('# TYPE etcd_server_leader_changes_seen counter\n');
    expect(text).toContain('# TYPE etcd_disk_wal_fsync_duration_seconds histogram\n');
    expect(text).toContain(`up{instance="${tiny.members[0]!.instance}",job="etcd"} 1 120\n`);
    expect(text.endsWith('# EOF\n')).toBe(true);
    const families = text.split('\n').filter((l) => l.startsWith('# TYPE '));
    expect(new Set(families).size).toBe(families.length);
  });
});

/** The value an instant query at t returns for a series (5m lookback), or undefined. */
function instantValue(series: SimSeries, t: number): number | undefined {
  let found: number | null | undefined;
  for (const [pt, v] of series.points) {
    if (pt > t) break;
    if (pt > t - 300_000) found = v;
  }
  return found ?? undefined;
}

describe('promtool accepts the exports', () => {
  it('reproduces the default scenario exactly from input_series (promtool test rules)', async () => {
    const sim = simulate(defaultScenario);
    const names = [
      'up',
      'scrape_duration_seconds',
      'etcd_network_peer_sent_failures_total',
      'etcd_server_proposals_committed_total',
      'etcd_server_leader_changes_seen_total',
      'etcd_disk_wal_fsync_duration_seconds_sum',
      'etcd_network_peer_round_trip_time_seconds_bucket',
    ];
    const tests: string[] = [];
    for (const name of names) {
      for (const t of [min(5), min(10), min(10.5), min(33)]) {
        const samples = sim.series
          .filter((s) => s.labels.__name__ === name)
          .flatMap((s) => {
            const v = instantValue(s, t);
            return v === undefined ? [] : [{ labels: formatSeriesName(s.labels), value: v }];
          });
        tests.push(
          `      - expr: '${name}'`,
          `        eval_time: ${t / 1000}s`,
          samples.length === 0 ? '        exp_samples: []' : '        exp_samples:',
          ...samples.flatMap((x) => [
            `          - labels: '${x.labels}'`,
            `            value: ${x.value}`,
          ]),
        );
      }
    }
    const body = formatPromtoolSeries(sim)
      .trimEnd()
      .split('\n')
      .map((l) => `    ${l}`);
    const file = join(dir, 'default.test.yml');
    await writeFile(
      file,
      [
        'rule_files: []',
        'evaluation_interval: 30s',
        'tests:',
        '  - interval: 30s',
        ...body,
        '    promql_expr_test:',
        ...tests,
        '',
      ].join('\n'),
    );
    const result = await run(PROMTOOL, ['test', 'rules', file]).catch(
      (err: { stdout: string; stderr: string; code: number }) => err,
    );
    expect('code' in result ? `${result.stdout}\n${result.stderr}` : 'ok').toBe('ok');
  });

  it.each(presets.map((p) => [p.name, p.scenario] as const))(
    'backfills %s from OpenMetrics (promtool tsdb create-blocks-from openmetrics)',
    async (name, scenario) => {
      const sim = simulate(scenario);
      const file = join(dir, `${name}.om`);
      await writeFile(file, formatOpenMetrics(sim));
      const out = join(dir, `${name}-blocks`);
      const { stdout } = await run(
        PROMTOOL,
        ['tsdb', 'create-blocks-from', 'openmetrics', file, out],
        {
          maxBuffer: 16 * 1024 * 1024,
        },
      );
      // Sum NUM SAMPLES over the blocks promtool reports.
      const rows = stdout.split('\n').filter((l) => /^[0-9A-Z]{26}\s/.test(l));
      const samples = rows.reduce((sum, row) => sum + Number(row.trim().split(/\s+/)[4]), 0);
      const expected = sim.series.reduce(
        (sum, s) => sum + s.points.filter(([, v]) => v !== null).length,
        0,
      );
      expect(samples).toBe(expected);
      await rm(out, { recursive: true, force: true });
    },
  );
});
