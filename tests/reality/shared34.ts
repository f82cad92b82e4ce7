// The shared recording of a real etcd 3.4.23 cluster (../shared/reality/etcd34-3members), read
// from its path, with the harness log its README gives (it was made before the harness kept one).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { RecordingMeta } from '../../src/lab/index.ts';
import { readRecording, type Recording } from '../../src/reality/index.ts';

/** ../shared beside the repository, or /work/shared where worktrees live elsewhere. */
export function sharedDir(): string {
  const beside = fileURLToPath(new URL('../../../shared/', import.meta.url));
  return existsSync(beside) ? beside : '/work/shared/';
}

const s = (x: number): number => Math.round(x * 1000);

/** The scenario the shared recording played (times from its README, ms from T0). */
export const shared34Scenario = {
  version: 1,
  name: 'real-etcd34-kill-hang-leader',
  title: 'Recorded on a real etcd 3.4 cluster: kill a follower, hang one, kill the leader',
  members: 3,
  etcdVersion: '3.4',
  metrics: 'basic',
  writesPerSecond: 1.5,
  scrapeInterval: '5s',
  scrapeTimeout: '5s',
  evaluationInterval: '5s',
  duration: s(1020),
  // The simulation's elections are random like etcd's: this seed makes them pick the members
  // the real ones picked (member 3 after the disruption, member 2 after the leader kill).
  seed: 44,
  events: [
    { kind: 'crash', member: 3, at: s(180), until: s(480.2) },
    { kind: 'hang', member: 2, at: s(600), until: s(720) },
    { kind: 'crash', member: 3, at: s(781.2), until: s(900.3) },
  ],
};

/** Reads the shared recording with the meta its README states. */
export function readShared34(): Recording {
  const dir = `${sharedDir()}reality/etcd34-3members/`;
  const meta: RecordingMeta = {
    t0: 1796415980_000,
    scenario: shared34Scenario,
    etcd: '3.4.23',
    prometheus: '2.42.0',
    instances: ['127.0.0.1:23791', '127.0.0.1:23792', '127.0.0.1:23793'],
    ids: ['ff345581ef627498', 'ea9d2f3ba1709c0c', 'f372369f27f9e97d'],
    actions: [
      { t: s(180), what: 'SIGKILL etcd-3', member: 3 },
      { t: s(480.2), what: 'start etcd-3', member: 3 },
      { t: s(600), what: 'SIGSTOP etcd-2', member: 2 },
      { t: s(720), what: 'SIGCONT etcd-2', member: 2 },
      { t: s(781.2), what: 'SIGKILL etcd-3 (the leader)', member: 3 },
      { t: s(900.3), what: 'start etcd-3', member: 3 },
    ],
    elections: [
      { t: s(726.1), member: 3, term: 4 },
      { t: s(727.6), member: 3, term: 5 },
      { t: s(782.1), member: 2, term: 6 },
    ],
    rules: ['etcd-mixin.yaml', 'naive.yaml'].map((name) => ({
      name,
      text: readFileSync(`${dir}prometheus/${name}`, 'utf8'),
    })),
    scrapeInterval: 5000,
    evaluationInterval: 5000,
  };
  const series = gunzipSync(readFileSync(`${dir}real-etcd.om.txt.gz`)).toString('utf8');
  const alerts = readFileSync(`${dir}real-alerts.om.txt`, 'utf8');
  const r = readRecording(meta, series, alerts);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}
