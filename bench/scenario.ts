// What the benchmarks share: the etcd mixin's rule file (read by path) and the simulator's
// scenario of bench/run.ts's `--source=sim` and issue 15's cold start: 24h of a 5-member
// cluster scraped every 15s, with a crash, a partition and leader churn.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scenario } from '../src/sim/index.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const rulesPath = resolve(
  process.env['QUORUM_ETCD_RULES'] ?? resolve(root, '../shared/conformance/etcd-mixin/rules.yaml'),
);

const HOUR = 3_600_000;

export const benchScenario: Scenario = {
  version: 1,
  name: 'bench-etcd-mixin',
  members: 5,
  labelScheme: 'plain',
  scrapeInterval: 15_000,
  evaluationInterval: 60_000,
  duration: 24 * HOUR,
  seed: 7,
  events: [
    { kind: 'crash', at: 6 * HOUR, until: 7 * HOUR, member: 2 },
    {
      kind: 'partition',
      at: 12 * HOUR,
      until: 13 * HOUR,
      groups: [
        [1, 2],
        [3, 4, 5],
      ],
    },
    { kind: 'leader-churn', at: 18 * HOUR, until: 20 * HOUR },
  ],
};
