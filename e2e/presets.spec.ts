// For several presets, the alert states the page draws are what real promtool computes: each
// preset is loaded from the toolbar, every rule's state band is read off the page, and promtool
// (Prometheus 2.42) runs a unit test of the same series and rules that expects those states at
// every evaluation, read from Prometheus's own ALERTS series.
import { expect, test, type Page } from '@playwright/test';
import type { AlertState } from '../src/rules/index.ts';
import { findPreset } from '../src/sim/index.ts';
import { defaultRules, etcdInsufficientMembers } from '../src/lab/index.ts';
import { alertsUnderBothSemantics, runPromtoolOnShownStates } from './support/promtool.ts';
import { parseDuration } from '../src/text/index.ts';

// The default rules hold etcdInsufficientMembers, the mixin's alert for quorum loss.
const rules = defaultRules;

/** Reads a rule's band: its spans' titles ("firing: 10m – 25m") turned into a state per evaluation. */
async function statesShown(page: Page, ruleId: string, step: number, end: number) {
  const titles = await page
    .getByTestId(`rule-${ruleId}-band`)
    .locator('.band-span')
    .evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''));
  const spans = titles.map((title) => {
    const m = /^(inactive|pending|firing): (\S+) – (\S+)$/.exec(title);
    if (!m) throw new Error(`unexpected band title "${title}"`);
    return { state: m[1] as AlertState, from: parseDuration(m[2] ?? '') ?? NaN };
  });
  const states: AlertState[] = [];
  for (let t = 0; t <= end; t += step) {
    const span = spans.filter((s) => s.from <= t).pop();
    if (!span) throw new Error(`no span at ${t} ms in the band of ${ruleId}`);
    states.push(span.state);
  }
  return states;
}

// Whether some rule fires: a partition leaves every `up` at 1, so these rules stay silent there,
// and promtool must agree that nothing is even pending.
const cases: { name: string; fires: boolean }[] = [
  { name: 'member-crash', fires: true },
  { name: 'partition-one-member', fires: false },
  { name: 'five-members-15s', fires: true },
  { name: 'quorum-loss', fires: true },
];

for (const { name, fires } of cases) {
  test(`${name}: the page's alert states are promtool's`, async ({ page }) => {
    const preset = findPreset(name);
    if (!preset) throw new Error(`no preset ${name}`);
    const { scenario } = preset;
    await page.goto('/');
    await expect(page.getByTestId('status')).toContainText('evaluated in');
    await page.getByRole('combobox', { name: 'Scenario preset' }).selectOption(name);
    await expect(page.getByTestId('preset-explanation')).toContainText(preset.title);
    await expect(page.getByTestId(`rule-${etcdInsufficientMembers.id}`)).toBeVisible();
    await expect(page.getByTestId('status')).toContainText('evaluated in');

    const shown: Record<string, AlertState[]> = {};
    for (const rule of rules) {
      shown[rule.alert] = await statesShown(
        page,
        rule.id,
        scenario.evaluationInterval,
        scenario.duration,
      );
    }
    expect(Object.values(shown).flat().includes('firing')).toBe(fires);

    // The page is Prometheus 3, Debian's promtool 2: the comparison speaks for the page where
    // both semantics agree, which they do on these presets.
    const both = alertsUnderBothSemantics(scenario, rules);
    expect(both.v3).toEqual(both.v2);

    const run = runPromtoolOnShownStates(scenario, rules, shown);
    expect(run.checks).toBe(rules.length * (scenario.duration / scenario.evaluationInterval + 1));
    expect(run.output).toMatch(/SUCCESS/);
    expect(run.exitCode).toBe(0);
  });
}
