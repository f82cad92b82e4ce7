// A promtool unit-test file imported as the scenario in a real Chromium: its input series and the
// rules of the rule file chosen with it are what the page evaluates (real promtool passes the same
// test), the page says there is no ground truth, and the import survives undo, redo and a reload.
// A broken file is reported with its line and column and changes nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';

const ruleFile = [
  'groups:',
  '  - name: imported',
  '    rules:',
  '      - alert: InstanceDown',
  '        expr: up == 0',
  '        for: 2m',
  '        labels:',
  '          severity: page',
].join('\n');

// Two groups: the second is the one imported. Its expectations are what promtool computes.
const testFile = [
  'rule_files: [instance.rules.yaml]',
  'evaluation_interval: 1m',
  'tests:',
  '  - name: all up',
  '    interval: 1m',
  '    input_series:',
  '      - series: \'up{job="etcd",instance="a"}\'',
  "        values: '1x20'",
  '  - name: a goes down',
  '    interval: 1m',
  '    input_series:',
  '      - series: \'up{job="etcd",instance="a"}\'',
  "        values: '1x4 0x6 1x4'",
  '      - series: \'up{job="etcd",instance="b"}\'',
  "        values: '1+0x14'",
  '    alert_rule_test:',
  '      - eval_time: 6m',
  '        alertname: InstanceDown',
  '      - eval_time: 7m',
  '        alertname: InstanceDown',
  '        exp_alerts:',
  '          - exp_labels: {severity: page, job: etcd, instance: a}',
].join('\n');

async function open(page: Page) {
  await page.goto('/');
  await expect(page.getByTestId('playground')).toBeVisible();
  await expect(page.getByTestId('status')).toContainText('evaluated in');
}

async function importFiles(page: Page) {
  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Files to import').setInputFiles([
    { name: 'instance.test.yaml', mimeType: 'application/yaml', buffer: Buffer.from(testFile) },
    { name: 'instance.rules.yaml', mimeType: 'application/yaml', buffer: Buffer.from(ruleFile) },
  ]);
  await expect(dialog.getByTestId('import-test')).toContainText('Rules to add: InstanceDown.');
  await dialog.getByLabel('Test group').selectOption({ label: 'a goes down: 2 series every 1m' });
  await dialog.getByRole('button', { name: 'Import as scenario' }).click();
  await expect(dialog).toBeHidden();
}

test('real promtool passes the test file the page imports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quorumlab-e2e-'));
  writeFileSync(join(dir, 'instance.rules.yaml'), ruleFile);
  writeFileSync(join(dir, 'instance.test.yaml'), testFile);
  const r = spawnSync('promtool', ['test', 'rules', 'instance.test.yaml'], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (r.error) throw new Error(`promtool is required: ${r.error.message}`);
  expect(r.stdout + r.stderr).toContain('SUCCESS');
  expect(r.status).toBe(0);
});

test('a promtool test file becomes the scenario, through undo, redo and a reload', async ({
  page,
}) => {
  await open(page);
  // The simulated default scenario marks its eviction; the imported series will mark nothing.
  await expect(page.getByTestId('chart-up').getByTestId('event-marker')).toHaveCount(1);
  await importFiles(page);
  await expect(page.getByTestId('imported-explanation')).toContainText(
    '2 input series of the test group “a goes down” from instance.test.yaml',
  );
  // 1x4 is five values: a is down from 5m to 11m. Pending at 5m and 6m (for: 2m), firing from 7m
  // until a is back at 12m: what promtool checks above (nothing firing at 6m, firing at 7m).
  await expect(page.getByTestId('rule-InstanceDown-spans')).toHaveText(
    'pending 5m–7m, firing 7m–12m',
  );
  await expect(page.getByTestId('no-truth')).toContainText('Not available for imported series');
  await expect(page.getByTestId('scorecard')).toHaveCount(0);
  await expect(page.getByTestId('preset-explanation')).toHaveCount(0);
  await expect(page.getByRole('combobox', { name: 'Cluster size' })).toBeDisabled();
  await expect(page.getByTestId('chart-imported-0')).toBeVisible();
  // Imported series have no events: none of the charts carries a marker.
  await expect(page.getByTestId('chart-imported-0').locator('.recharts-line')).not.toHaveCount(0);
  await expect(page.getByTestId('event-marker')).toHaveCount(0);

  // A reload restores the imported series from the link and local storage.
  await expect(page).toHaveURL(/#s=/);
  await page.reload();
  await expect(page.getByTestId('status')).toContainText('evaluated in');
  await expect(page.getByTestId('rule-InstanceDown-spans')).toHaveText(
    'pending 5m–7m, firing 7m–12m',
  );

  // One undo step: the import of the series and its rule together. A fresh page has no history,
  // so import again to undo it.
  await page.getByRole('combobox', { name: 'Scenario preset' }).selectOption({ index: 1 });
  await expect(page.getByTestId('preset-explanation')).toBeVisible();
  await importFiles(page);
  await expect(page.getByTestId('imported-explanation')).toBeVisible();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('preset-explanation')).toBeVisible();
  await expect(page.getByTestId('imported-explanation')).toHaveCount(0);
  await expect(page.getByTestId('rule-InstanceDown-2')).toHaveCount(0);
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(page.getByTestId('imported-explanation')).toBeVisible();
  await expect(page.getByTestId('rule-InstanceDown-2')).toBeVisible();
});

test('a broken test file is reported with its line and column and changes nothing', async ({
  page,
}) => {
  await open(page);
  const before = await page.getByTestId('preset-explanation').textContent();
  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('File text').fill(testFile.replace("'1x4 0x6 1x4'", "'1x4 0y6'"));
  await dialog.getByRole('button', { name: 'Import as scenario' }).click();
  await expect(dialog.getByRole('alert')).toHaveText(
    'pasted.yaml:13:22: invalid series value "0y6"',
  );
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('preset-explanation')).toHaveText(before ?? '');
  await expect(page.getByRole('button', { name: 'Undo' })).toBeDisabled();
});

test('series too large for a link stay in local storage, and the page says so', async ({
  page,
}) => {
  await open(page);
  // 2000 series of pseudo-random values: far over the link limit once compressed.
  let seed = 7;
  const next = () => (seed = (seed * 48271) % 2147483647);
  const series = Array.from({ length: 2000 }, (_, i) => [
    `      - series: 'load{host="h${i}"}'`,
    `        values: '${Array.from({ length: 20 }, () => next() % 100000).join(' ')}'`,
  ]).flat();
  const big = [
    'evaluation_interval: 1m',
    'tests:',
    '  - name: big',
    '    input_series:',
    ...series,
  ];
  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Files to import').setInputFiles({
    name: 'big.test.yaml',
    mimeType: 'application/yaml',
    buffer: Buffer.from(big.join('\n')),
  });
  await dialog.getByRole('button', { name: 'Import as scenario' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('alert')).toContainText('too large for a share link');
  // One chart for the one metric, drawing its first 25 series and saying so.
  await expect(page.getByTestId('chart-imported-0-omitted')).toHaveText(
    'the first 25 of 2000 series by label set',
  );
  await expect(page).not.toHaveURL(/#s=/);
  await page.getByRole('button', { name: 'Copy share link' }).click();
  await expect(page.getByText(/too large for a share link/).first()).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('imported-explanation')).toContainText('2000 input series');
});

test('a test group with a start_timestamp is evaluated at its real times', async ({ page }) => {
  // Prometheus 3's start_timestamp: the rule reads time(), so an axis taken to start at 0 would
  // never fire it. The time axis counts from the start.
  const start = 1_700_000_000;
  const late = [
    'rule_files: [late.rules.yaml]',
    'evaluation_interval: 1m',
    'tests:',
    '  - name: late',
    `    start_timestamp: ${start}`,
    '    interval: 1m',
    '    input_series:',
    '      - series: \'up{job="etcd",instance="a"}\'',
    "        values: '1x4 0x5 1x4'",
  ].join('\n');
  const lateRules = [
    'groups:',
    '  - name: late',
    '    rules:',
    '      - alert: Late',
    `        expr: up == 0 and on () vector(time()) >= ${start + 7 * 60}`,
  ].join('\n');
  await open(page);
  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Files to import').setInputFiles([
    { name: 'late.test.yaml', mimeType: 'application/yaml', buffer: Buffer.from(late) },
    { name: 'late.rules.yaml', mimeType: 'application/yaml', buffer: Buffer.from(lateRules) },
  ]);
  await expect(dialog.getByTestId('import-test')).toContainText(
    'late: 1 series every 1m from 2023-11-14T22:13:20.000Z',
  );
  await dialog.getByRole('button', { name: 'Import as scenario' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('imported-explanation')).toContainText(
    'from its start_timestamp 2023-11-14T22:13:20.000Z',
  );
  await expect(page.getByTestId('rule-Late-spans')).toHaveText('firing 7m–11m');
  await expect(page).toHaveURL(/#s=/);
  await page.reload();
  await expect(page.getByTestId('rule-Late-spans')).toHaveText('firing 7m–11m');
});
