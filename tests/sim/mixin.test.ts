// The etcd mixin's alerts (the shared conformance copy) evaluated by real promtool over the
// presets' series: every alert can be exercised by some preset, and the healthy baseline is
// silent. Expecting no alert and reading promtool's "got:" tells which alerts fired.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPromtoolSeries, presets, simulate } from '../../src/sim/index.ts';

const run = promisify(execFile);
const RULES = fileURLToPath(
  new URL('../../../shared/conformance/etcd-mixin/rules.yaml', import.meta.url),
);
const ALERTS = [
  'etcdMembersDown',
  'etcdInsufficientMembers',
  'etcdNoLeader',
  'etcdHighNumberOfLeaderChanges',
  'etcdHighNumberOfFailedGRPCRequests',
  'etcdGRPCRequestsSlow',
  'etcdMemberCommunicationSlow',
  'etcdHighNumberOfFailedProposals',
  'etcdHighFsyncDurations',
  'etcdHighCommitDurations',
  'etcdDatabaseQuotaLowSpace',
  'etcdExcessiveDatabaseGrowth',
  'etcdDatabaseHighFragmentationRatio',
];

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quorumlab-mixin-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The alerts firing at eval time `at` (a promtool duration) on a preset. */
async function firing(presetName: string, at: string): Promise<string[]> {
  const scenario = presets.find((p) => p.name === presetName)!.scenario;
  const sim = simulate(scenario);
  const series = formatPromtoolSeries(sim)
    .trimEnd()
    .split('\n')
    .map((l) => `    ${l}`);
  const checks = ALERTS.flatMap((a) => [
    `      - eval_time: ${at}`,
    `        alertname: ${a}`,
    '        exp_alerts: []',
  ]);
  const file = join(dir, `${presetName}-${at}.yml`);
  await writeFile(
    file,
    [
      `rule_files: ['${RULES}']`,
      `evaluation_interval: ${scenario.evaluationInterval / 1000}s`,
      'tests:',
      `  - interval: ${scenario.scrapeInterval / 1000}s`,
      ...series,
      '    alert_rule_test:',
      ...checks,
      '',
    ].join('\n'),
  );
  const output = await run('/usr/bin/promtool', ['test', 'rules', file]).then(
    (r) => r.stdout + r.stderr,
    (err: { stdout: string; stderr: string }) => err.stdout + err.stderr,
  );
  expect(output).not.toMatch(/could not|error/i);
  return [...new Set([...output.matchAll(/alertname: (\w+), time:/g)].map((m) => m[1]!))].sort();
}

describe('etcd mixin alerts over the presets (real promtool)', () => {
  it('fires nothing on the healthy baseline', async () => {
    expect(await firing('healthy-baseline', '59m')).toEqual([]);
  });

  const demonstrations: [preset: string, at: string, alerts: string[]][] = [
    ['member-crash', '38m', ['etcdMembersDown']],
    [
      'quorum-loss',
      '38m',
      ['etcdInsufficientMembers', 'etcdNoLeader', 'etcdHighNumberOfFailedProposals'],
    ],
    ['leader-churn', '38m', ['etcdHighNumberOfLeaderChanges']],
    ['split-5-members', '38m', ['etcdHighNumberOfFailedGRPCRequests']],
    [
      'slow-fsync',
      '38m',
      ['etcdGRPCRequestsSlow', 'etcdHighFsyncDurations', 'etcdHighCommitDurations'],
    ],
    ['slow-network', '38m', ['etcdMemberCommunicationSlow']],
    ['db-quota', '38m', ['etcdDatabaseQuotaLowSpace', 'etcdExcessiveDatabaseGrowth']],
    ['fragmented-database', '38m', ['etcdDatabaseHighFragmentationRatio']],
  ];

  it('lets some preset exercise every alert', () => {
    const covered = new Set(demonstrations.flatMap(([, , alerts]) => alerts));
    expect([...covered].sort()).toEqual([...ALERTS].sort());
  });

  it.each(demonstrations)('%s at %s fires %j among others', async (preset, at, alerts) => {
    expect(await firing(preset, at)).toEqual(expect.arrayContaining(alerts));
  });
});
