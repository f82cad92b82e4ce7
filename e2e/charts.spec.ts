// Charts thin long timelines without dropping what matters: a day of imported series at 15s with
// a single one-evaluation spike draws the spike (the chart's y axis reaches it), and the rule
// that fires on it shows the firing.
import { expect, test } from '@playwright/test';

const ruleFile = [
  'groups:',
  '  - name: spikes',
  '    rules:',
  '      - alert: Spike',
  '        expr: spike > 5',
].join('\n');

// 5761 evaluations at 15s (24h); the spike is the 3002nd sample, at 12h30m15s.
const testFile = [
  'rule_files: [spike.rules.yaml]',
  'evaluation_interval: 15s',
  'tests:',
  '  - name: one spike in a day',
  '    interval: 15s',
  '    input_series:',
  '      - series: \'spike{job="x"}\'',
  "        values: '0x3000 7 0x2759'",
].join('\n');

test('a one-evaluation spike in a day of samples is drawn', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('status')).toContainText('evaluated in');
  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Files to import').setInputFiles([
    { name: 'spike.test.yaml', mimeType: 'application/yaml', buffer: Buffer.from(testFile) },
    { name: 'spike.rules.yaml', mimeType: 'application/yaml', buffer: Buffer.from(ruleFile) },
  ]);
  await expect(dialog.getByTestId('import-test')).toContainText('Rules to add: Spike.');
  await dialog.getByRole('button', { name: 'Import as scenario' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('rule-Spike-spans')).toContainText('firing 12h30m15s');

  const chart = page.getByTestId('chart-imported-0');
  await expect(chart.locator('.recharts-line')).not.toHaveCount(0);
  // The y axis is scaled to the data drawn: it reaches 7 only if the spike's row was kept.
  const ticks = chart.locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value');
  await expect(ticks).not.toHaveCount(0);
  await expect
    .poll(async () => Math.max(...(await ticks.allTextContents()).map((t) => Number(t))))
    .toBeGreaterThanOrEqual(7);

  // A click lands where it was made: the chart keeps only the rows where a line changes (two
  // here, besides the spike), and the cursor goes to the time under the pointer, not to the
  // nearest row. The middle of the plot is 12h, give or take a pixel or two.
  // Lints and the explanation that come once the input holds still can move the chart: the box
  // is read once none is due.
  await expect(page.getByTestId('playground')).toHaveAttribute('data-settled', 'true');
  const plot = await chart.locator('.recharts-cartesian-grid-horizontal').boundingBox();
  if (!plot) throw new Error('no plot');
  await page.mouse.click(plot.x + plot.width / 2, plot.y + plot.height / 2);
  const main = page.getByTestId('playground');
  await expect
    .poll(async () => Math.abs(Number(await main.getAttribute('data-cursor')) - 12 * 3600_000))
    .toBeLessThan(0.01 * 24 * 3600_000);
});
