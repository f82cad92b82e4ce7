// Golden files for the three exports of a small scenario. After an intended change, rewrite them
// with UPDATE_GOLDEN=1 npx vitest run tests/sim/golden.test.ts and review the diff.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatOpenMetrics,
  formatPromqltestLoad,
  formatPromtoolSeries,
  simulate,
} from '../../src/sim/index.ts';
import type { Simulation } from '../../src/sim/index.ts';
import { scenarioOf } from './helpers.ts';

// Two members (a quorum of two: the crash stops the cluster), three scrapes, one crash between them.
const sim = simulate(
  scenarioOf({
    members: 2,
    duration: 60_000,
    seed: 3,
    events: [{ kind: 'crash', at: 40_000, member: 2 }],
  }),
);

const cases: [file: string, format: (s: Simulation) => string][] = [
  ['small.promtool.yml', formatPromtoolSeries],
  ['small.promqltest', formatPromqltestLoad],
  ['small.om', (s) => formatOpenMetrics(s)],
];

describe('golden exports', () => {
  it.each(cases)('%s', (file, format) => {
    const url = new URL(`./golden/${file}`, import.meta.url);
    const text = format(sim);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(url, text);
    expect(text).toBe(readFileSync(url, 'utf8'));
  });
});
