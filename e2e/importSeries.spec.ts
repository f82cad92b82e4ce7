// Real series opened in a real Chromium: an OpenMetrics file dropped on the page and `promtool
// tsdb dump` output chosen in the import dialog become the scenario, evaluated at their real
// times; a broken file is reported with its line and column and changes nothing.
import { expect, test, type Page } from '@playwright/test';

const START = 1_700_000_000;

/** up of two etcd members scraped every minute for 15m; a is down from 5m to 10m. */
function openMetrics(): string {
  const lines = ['# TYPE up gauge', '# HELP up Whether the scrape succeeded.'];
  for (const instance of ['a', 'b'])
    for (let m = 0; m <= 14; m++) {
      const v = instance === 'a' && m >= 5 && m <= 10 ? 0 : 1;
      lines.push(`up{instance="${instance}",job="etcd"} ${v} ${START + m * 60}`);
    }
  return [...lines, '# EOF', ''].join('\n');
}

async function open(page: Page) {
  await page.goto('/');
  await expect(page.getByTestId('playground')).toBeVisible();
  await expect(page.getByTestId('status')).toContainText('evaluated in');
}

test('an OpenMetrics file dropped on the page becomes the scenario, at its real times', async ({
  page,
}) => {
  await open(page);
  const transfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'etcd.om', { type: 'text/plain' }));
    return dt;
  }, openMetrics());
  await page.dispatchEvent('main', 'dragover', { dataTransfer: transfer });
  await page.dispatchEvent('main', 'drop', { dataTransfer: transfer });
  const dialog = page.getByRole('dialog');
  // The dialog loads on demand and reads the file in the background: on a busy machine that
  // can take a while.
  await expect(dialog.getByTestId('import-series')).toContainText(
    'An OpenMetrics file: 2 series, 30 samples from 2023-11-14T22:13:20Z, one every 60s.',
    { timeout: 30_000 },
  );
  await dialog.getByRole('button', { name: 'Import as scenario' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('imported-explanation')).toContainText('etcd.om');
  // up == 0 sees a from 5m to 10m: it fires at once and resolves when a answers again at 11m.
  await expect(page.getByTestId('rule-naiveUp-spans')).toHaveText('firing 5m–11m');
  await expect(page.getByTestId('no-truth')).toContainText('Not available for imported series');
});

test('promtool tsdb dump output chosen in the dialog becomes the scenario', async ({ page }) => {
  await open(page);
  const dump = openMetrics()
    .split('\n')
    .filter((l) => l.startsWith('up{'))
    .map((l) => {
      const [series, v, t] = l.split(' ');
      const labels = series!.slice(3, -1).replace(/,/g, ', ');
      return `{__name__="up", ${labels}} ${v} ${Number(t) * 1000}`;
    })
    .join('\n');
  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Files to import').setInputFiles({
    name: 'dump.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from(dump),
  });
  await expect(dialog.getByTestId('import-series')).toContainText(
    'promtool tsdb dump output: 2 series, 30 samples',
    { timeout: 30_000 },
  );
  await dialog.getByRole('button', { name: 'Import as scenario' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('rule-naiveUp-spans')).toHaveText('firing 5m–11m');
});

test('a broken OpenMetrics file is reported with its line and column and changes nothing', async ({
  page,
}) => {
  await open(page);
  const before = await page.getByTestId('preset-explanation').textContent();
  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('File text').fill(openMetrics().replace(`} 0 ${START + 300}`, '} zero'));
  await dialog.getByRole('button', { name: 'Import as scenario' }).click();
  await expect(dialog.getByRole('alert')).toHaveText(
    'pasted.yaml:8:29: "zero" is not a sample value (a number, NaN, +Inf or -Inf)',
  );
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('preset-explanation')).toHaveText(before ?? '');
  await expect(page.getByRole('button', { name: 'Undo' })).toBeDisabled();
});
