// The polish issue 13 asked for, in a real Chromium: sliders named in words and not cut, one
// member singular, whole-number ticks for counts, a flat line at 0 above the time axis, and a
// legend for the ground-truth band.
import { expect as baseExpect, test, type Page } from '@playwright/test';

const expect = baseExpect.configure({ timeout: 60_000 });
test.describe.configure({ timeout: 180_000 });

async function open(page: Page) {
  await page.goto('/');
  await expect(page.getByTestId('playground')).toBeVisible();
  await expect(page.getByTestId('status')).toContainText('evaluated in');
}

test('tune sliders say in words what they tune, and no label is cut', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page);
  const tuning = page.getByTestId('tuning');
  await expect(tuning.locator('.slider-label')).toHaveText([
    'scrape interval',
    'counts up equal to',
    'rate window of network peer sent failures',
    'keeps rate of network peer sent failures above',
    'fires when the result is above',
    'for',
  ]);
  for (const label of await tuning.locator('.slider-label').all())
    expect(await label.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await expect(tuning.getByRole('slider', { name: 'fires when the result is above' })).toHaveValue(
    '0',
  );
});

test('one member is singular in the notice of a resize', async ({ page }) => {
  await open(page);
  await page.getByLabel('Members (cluster size)').selectOption('1');
  await expect(page.getByRole('alert').filter({ hasText: 'Switching to' })).toContainText(
    'Switching to 1 member removed an event that no longer applies',
  );
});

/** The texts of a chart's y-axis ticks. */
async function yTicks(page: Page, testId: string): Promise<string[]> {
  const ticks = page
    .getByTestId(testId)
    .locator('text.recharts-cartesian-axis-tick-value[orientation="left"]');
  await expect(ticks.first()).toBeVisible();
  return ticks.allTextContents();
}

test('count charts have whole-number ticks', async ({ page }) => {
  await open(page);
  for (const id of ['chart-up', 'truth-chart', 'rule-naiveUp-value']) {
    const ticks = await yTicks(page, id);
    expect(ticks.length).toBeGreaterThan(1);
    for (const t of ticks) expect(t, `${id}: ${ticks.join(' ')}`).toMatch(/^-?\d+$/);
  }
  // The up chart is 0 or 1: ticked 0 and 1, not up to 4.
  expect(await yTicks(page, 'chart-up')).toEqual(['0', '1']);
});

test('a flat line at 0 is drawn above the time axis, not on it', async ({ page }) => {
  await open(page);
  // Nobody is partitioned in the default scenario: the second line of the truth chart is 0.
  const chart = page.getByTestId('truth-chart');
  const flat = chart.locator('.recharts-line path.recharts-curve').nth(1);
  await expect(flat).toHaveAttribute('d', /^M/);
  // A flat path has no height, so it is compared by its coordinates with the axis line's.
  const ys = ((await flat.getAttribute('d')) ?? '')
    .match(/,-?[\d.]+/g)
    ?.map((y) => Number(y.slice(1)));
  expect(new Set(ys).size).toBe(1);
  const axisY = Number(
    await chart.locator('.recharts-xAxis line.recharts-cartesian-axis-line').getAttribute('y1'),
  );
  expect(axisY - (ys?.[0] ?? axisY)).toBeGreaterThanOrEqual(4);
});

test('the ground-truth band has a legend', async ({ page }) => {
  await open(page);
  const legend = page.getByRole('list', { name: 'What the colours of the cluster band mean' });
  await expect(legend.getByRole('listitem')).toHaveText([
    'all members up',
    'members down, quorum held',
    'members partitioned from the majority, quorum held',
    'members down and members partitioned, quorum held',
    'quorum lost',
  ]);
});
