import { describe, expect, it } from 'vitest';
import { warmTestRules } from '../../src/cli/warmup.ts';

describe('the startup snapshot warm-up', () => {
  it('runs its made-up test files through passing and failing cases, both compat modes', () => {
    const reports: string[] = [];
    warmTestRules((text) => reports.push(text));
    expect(reports).toHaveLength(2);
    for (const r of reports) {
      expect(r).toContain('Unit Testing:  warmup.test.yaml');
      expect(r).toContain('Unit Testing:  warmup.skeleton.test.yaml');
      expect(r).toMatch(/\n([1-9]\d*) passed, ([1-9]\d*) failed$/);
      expect(r).not.toContain('parse error');
    }
  });
});
