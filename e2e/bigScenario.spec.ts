// A big scenario stays usable (issue 15): on 7 members at 15s, choosing 24h in the Duration
// control evaluates a day of 5,761 evaluations; the page answers input while it works and in the
// end draws every chart and state band of the day. How fast is the benchmark's business
// (bench/uiBigScenarios.ts); this checks only that it happens.
import { expect, test } from '@playwright/test';
import { defaultRules, encodeDocForUrl, simulated } from '../src/lab/index.ts';
import { defaultScenario } from '../src/sim/index.ts';

/** Long enough for a day of 7 members on a loaded machine; the waits end on the state. */
const WORK = { timeout: 240_000 };

test('choosing 24h on 7 members keeps the page answering and draws every chart', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const doc = {
    source: simulated({
      ...defaultScenario,
      members: 7,
      scrapeInterval: 15_000,
      evaluationInterval: 15_000,
    }),
    rules: defaultRules,
  };
  await page.goto(`/#s=${await encodeDocForUrl(doc)}`);
  await expect(page.getByTestId('status')).toContainText('evaluated in', WORK);
  const main = page.getByTestId('playground');
  const cursor = page.getByRole('slider', { name: 'Cursor time' });

  await page.getByRole('combobox', { name: 'Duration', exact: true }).selectOption('86400000');
  // While the day is simulated, evaluated and drawn, the page still takes input.
  await cursor.focus();
  await page.keyboard.press('Home');
  await expect(main).toHaveAttribute('data-cursor', '0');
  await page.keyboard.press('ArrowRight');
  await expect(main).not.toHaveAttribute('data-cursor', '0');

  // Every chart and band of the day is drawn.
  await expect(page.getByTestId('status')).toContainText('evaluated in', WORK);
  await expect(page.locator('.chart-pending')).toHaveCount(0, WORK);
  const upTicks = page
    .getByTestId('chart-up')
    .locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value');
  await expect(upTicks.last()).toHaveText('1d', WORK);
  const charts = main.locator('figure.chart');
  expect(await charts.count()).toBeGreaterThanOrEqual(2 + defaultRules.length + 1);
  for (const chart of await charts.all())
    await expect(chart.locator('.recharts-line-curve, .chart-empty').first()).toBeAttached();
  await expect(page.getByTestId('chart-up').locator('.recharts-line')).toHaveCount(7);
  for (const rule of defaultRules)
    await expect(page.getByTestId(`rule-${rule.id}-band`).locator('.band-span')).not.toHaveCount(0);
  await expect(page.getByTestId('truth-band').locator('.band-span')).not.toHaveCount(0);

  // And it still answers once drawn: the cursor moves to the day's end.
  await cursor.focus();
  await page.keyboard.press('End');
  await expect(main).toHaveAttribute('data-cursor', String(24 * 3600_000));
});
