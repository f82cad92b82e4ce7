// The differential run: a seeded batch of random series and expressions judged by the real
// promtool (Prometheus 2.42). Set QUORUM_DIFF_SEED to replay a run, QUORUM_DIFF_GROUPS and
// QUORUM_DIFF_CASES to change its size.

import { describe, expect, it } from 'vitest';
import { generateBatch, judgeWithPromtool, type Outcome } from './index.ts';

const seed = Number(process.env['QUORUM_DIFF_SEED'] ?? 20261123);
const groups = Number(process.env['QUORUM_DIFF_GROUPS'] ?? 20);
const casesPerGroup = Number(process.env['QUORUM_DIFF_CASES'] ?? 15);

describe(`differential run against promtool (seed ${seed})`, () => {
  console.log(
    `differential seed ${seed}: ${groups} groups x ${casesPerGroup} cases ` +
      '(replay with QUORUM_DIFF_SEED)',
  );
  const batch = generateBatch(seed, { groups, casesPerGroup });
  const cases = batch.flatMap((g) => g.cases);
  const judged = judgeWithPromtool(batch);

  it('gets a result from promtool for every generated case', () => {
    expect(judged.size).toBe(cases.length);
  });

  it('produces mostly cases that promtool evaluates without error', () => {
    const outcomes = [...judged.values()];
    const errors = outcomes.filter((o: Outcome) => o.kind === 'error');
    // Errors (many-to-many matching, duplicate label sets) are fair cases, but a grammar that
    // produced mostly parse errors would test nothing.
    expect(errors.filter((o) => o.kind === 'error' && /parse error/.test(o.message))).toEqual([]);
    expect(errors.length).toBeLessThan(cases.length / 5);
  });
});
