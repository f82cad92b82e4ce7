// The recordings shipped in recordings/ (made with `quorumlab lab run` on a real etcd 3.4
// cluster) compared with the simulation of the same scenario: every figure within tolerance.
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readRecordingDir } from '../../src/cli/commands/lab.ts';
import { compareRecording, formatComparisonTable } from '../../src/reality/index.ts';

const root = fileURLToPath(new URL('../../recordings/', import.meta.url));
const dirs = readdirSync(root).filter((d) => existsSync(`${root}${d}/meta.json`));

describe('the shipped recordings against the simulator', () => {
  it('ships at least two recordings', () => {
    expect(dirs.length).toBeGreaterThanOrEqual(2);
  });

  it.each(dirs)('%s holds within the stated tolerances', (dir) => {
    const recording = readRecordingDir(`${root}${dir}`);
    expect(recording.meta.etcd).toMatch(/^3\.4\./);
    const comparison = compareRecording(recording);
    expect(
      comparison.rows.filter((r) => !r.ok),
      formatComparisonTable(comparison),
    ).toEqual([]);
  });
});
