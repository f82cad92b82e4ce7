// Runs the engine's own promqltest scripts (tests/promql/*.test), one test per eval, and
// Prometheus's conformance corpus from ../shared/conformance (not copied into the repo).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPromqlTestFailure, runPromqlTest } from '../../src/promql/index.ts';

const here = import.meta.dirname;
const scripts = readdirSync(here).filter((f) => f.endsWith('.test'));

for (const file of scripts) {
  describe(`promqltest ${file}`, () => {
    const compat = file.endsWith('.v2.test') ? 'v2' : 'v3';
    const cases = runPromqlTest(readFileSync(join(here, file), 'utf8'), { file, compat });
    it('has cases', () => expect(cases.length).toBeGreaterThan(0));
    for (const c of cases) {
      it(`line ${c.line}: ${c.expr}`, () => {
        expect(c.passed, formatPromqlTestFailure(c)).toBe(true);
      });
    }
  });
}

const corpus = join(here, '../../../shared/conformance/promqltest');

describe('Prometheus conformance corpus', () => {
  const files = readdirSync(corpus).filter((f) => f.endsWith('.test'));
  const cases = files.flatMap((f) =>
    runPromqlTest(readFileSync(join(corpus, f), 'utf8'), { file: f }),
  );
  it('fails only on native histograms, which are out of scope', () => {
    const failures = cases.filter(
      (c) => !c.passed && c.message !== 'unsupported: native histograms',
    );
    expect(failures.map(formatPromqlTestFailure)).toEqual([]);
  });
  it('passes at least the recorded number of cases (docs/CONFORMANCE.md)', () => {
    expect(cases.filter((c) => c.passed).length).toBeGreaterThanOrEqual(931);
  });
});
