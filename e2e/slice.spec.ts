// The end-to-end slice: the default scenario in a real Chromium, checked against real promtool;
// a member toggled from the UI; a rule exported and accepted by `promtool check rules`.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { defaultScenario } from '../src/sim/index.ts';
import { defaultRules } from '../src/lab/index.ts';
import { toggleMemberAt } from '../src/app/state/memberToggle.ts';
import { initialCursor } from '../src/app/state/store.ts';
import {
  alertsUnderBothSemantics,
  checkRulesWithPromtool,
  expectedStates,
  runPromtoolAgainstEngine,
} from './support/promtool.ts';

async function openPlayground(page: Page) {
  await page.goto('/');
  await expect(page.getByTestId('playground')).toBeVisible();
  await expect(page.getByTestId('status')).toContainText('evaluated in');
}

async function spansShown(page: Page, ruleId: string): Promise<string> {
  return (await page.getByTestId(`rule-${ruleId}-spans`).textContent()) ?? '';
}

test('the default scenario shows both rules as promtool computes them', async ({ page }) => {
  await openPlayground(page);
  // What promtool says: every evaluation's firing alerts, for both rules, on the same series.
  const promtool = runPromtoolAgainstEngine(defaultScenario, defaultRules);
  expect(promtool.output).toMatch(/SUCCESS/);
  expect(promtool.exitCode).toBe(0);
  const both = alertsUnderBothSemantics(defaultScenario, defaultRules);
  expect(both.v3).toEqual(both.v2);
  // What the page shows is that same evaluation.
  for (const rule of defaultRules) {
    expect(await spansShown(page, rule.id)).toBe(expectedStates(defaultScenario, rule).summary);
  }
  await expect(page.getByTestId('member-3-state')).toHaveText('evicted');
  await expect(page.getByTestId('survive')).toHaveText('can survive 0 more failures');
});

test('taking a member down re-evaluates every rule', async ({ page }) => {
  await openPlayground(page);
  const before = await spansShown(page, 'naiveUp');
  await page.getByRole('button', { name: /^Take down etcd-2 at/ }).click();
  await expect(page.getByTestId('status')).toContainText('evaluated in');
  const toggled = toggleMemberAt(defaultScenario, 2, initialCursor(defaultScenario));
  for (const rule of defaultRules) {
    const expected = expectedStates(toggled, rule).summary;
    await expect(page.getByTestId(`rule-${rule.id}-spans`)).toHaveText(expected);
  }
  expect(await spansShown(page, 'naiveUp')).not.toBe(before);
  const promtool = runPromtoolAgainstEngine(toggled, defaultRules);
  expect(promtool.output).toMatch(/SUCCESS/);
  expect(promtool.exitCode).toBe(0);
  const both = alertsUnderBothSemantics(toggled, defaultRules);
  expect(both.v3).toEqual(both.v2);
  // And back up again.
  await page.getByRole('button', { name: /^Bring up etcd-2 at/ }).click();
  await expect(page.getByTestId('rule-naiveUp-spans')).toHaveText(before);
});

test('a rule exports as a file promtool check rules accepts', async ({ page }) => {
  await openPlayground(page);
  await page
    .getByTestId('rule-etcdMembersDown')
    .getByRole('button', { name: 'Export rule file' })
    .click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('export-text')).toContainText('alert: etcdMembersDown');
  const downloadPromise = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Download' }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe('etcdMembersDown.rules.yaml');
  const path = await download.path();
  const text = readFileSync(path, 'utf8');
  expect(text).toBe(await dialog.getByTestId('export-text').textContent());
  const check = checkRulesWithPromtool(text);
  expect(check.output).toContain('SUCCESS: 1 rules found');
  expect(check.exitCode).toBe(0);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
});
