// The harness end to end: a real 3-member etcd 3.4 cluster (etcd from PATH, installed by
// .ci/run) behind a real Prometheus, on ports picked free on 127.0.0.1, plays a short scenario
// (kill a follower, kill the leader, hang a member: under 4 minutes), and the recording it makes
// agrees with the simulator within the comparison's tolerances. The harness stops every process
// it started, also when it fails.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { readRecordingDir } from '../../src/cli/commands/lab.ts';
import { compareRecording, formatComparisonTable } from '../../src/reality/index.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
let dir = '';

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

describe('quorumlab lab run on a real etcd cluster', () => {
  it('records a kill, a leader kill and a hang that the simulator agrees with', async () => {
    dir = await mkdtemp(join(tmpdir(), 'quorumlab-lab-'));
    await run(
      join(root, 'bin/quorumlab'),
      [
        'lab',
        'run',
        join(root, 'recordings/scenarios/kill-hang-leader.json'),
        '-o',
        dir,
        '--settle',
        '10s',
      ],
      { timeout: 400_000 },
    );
    const recording = readRecordingDir(dir);
    expect(recording.meta.etcd).toMatch(/^3\./);
    expect(recording.meta.actions.map((a) => a.what)).toEqual([
      'kill etcd-3',
      'start etcd-3',
      'kill etcd-1',
      'start etcd-1',
      'sigstop etcd-1',
      'sigcont etcd-1',
    ]);
    const comparison = compareRecording(recording);
    expect(
      comparison.rows.filter((r) => !r.ok),
      formatComparisonTable(comparison),
    ).toEqual([]);
  }, 420_000);
});
