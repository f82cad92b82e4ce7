// Export and import in a real Chromium: the rule file, the PrometheusRule and the promtool unit
// test of the current scenario all pass real promtool; imported rules join the list, and a broken
// file is reported with its line and column.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { parse, stringify } from 'yaml';

async function open(page: Page) {
  await page.goto('/');
  await expect(page.getByTestId('playground')).toBeVisible();
  await expect(page.getByTestId('status')).toContainText('evaluated in');
}

function promtool(dir: string, ...args: string[]) {
  const r = spawnSync('promtool', args, { cwd: dir, encoding: 'utf8' });
  if (r.error)
    throw new Error(`promtool is required (apt-get install prometheus): ${r.error.message}`);
  return { status: r.status, output: r.stdout + r.stderr };
}

async function downloadTab(page: Page, tab: string, dir: string): Promise<string> {
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('tab', { name: tab }).click();
  const wait = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Download' }).click();
  const d = await wait;
  const text = readFileSync(await d.path(), 'utf8');
  writeFileSync(join(dir, d.suggestedFilename()), text);
  return d.suggestedFilename();
}

test('every export of the current rules and scenario passes real promtool', async ({ page }) => {
  await open(page);
  // Make the scenario fire: etcd-2 crashes at the cursor, so the default rules have alerts to test.
  await page.getByRole('button', { name: /^Take down etcd-2 at/ }).click();
  await expect(page.getByTestId('status')).toContainText('evaluated in');
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('heading')).toHaveText('Export 3 rules');
  const dir = mkdtempSync(join(tmpdir(), 'quorumlab-export-'));

  const ruleFile = await downloadTab(page, 'Rule file', dir);
  expect(ruleFile).toBe('etcd.rules.yaml');
  const check = promtool(dir, 'check', 'rules', ruleFile);
  expect(check.output).toContain('SUCCESS: 3 rules found');

  const resource = await downloadTab(page, 'PrometheusRule', dir);
  const parsed = parse(readFileSync(join(dir, resource), 'utf8')) as {
    kind: string;
    spec: unknown;
  };
  expect(parsed.kind).toBe('PrometheusRule');
  writeFileSync(join(dir, 'from-resource.yaml'), stringify(parsed.spec));
  expect(promtool(dir, 'check', 'rules', 'from-resource.yaml').output).toContain(
    'SUCCESS: 3 rules found',
  );

  // Debian's promtool is Prometheus 2: export the unit test for it.
  await dialog.getByRole('tab', { name: 'promtool unit test' }).click();
  await dialog.getByLabel('Prometheus version of the unit test').selectOption('v2');
  await expect(dialog.getByTestId('export-text')).toContainText('alertname: etcdMembersDown');
  await expect(dialog.getByTestId('export-text')).toContainText('severity: warning');
  const testFile = await downloadTab(page, 'promtool unit test', dir);
  const run = promtool(dir, 'test', 'rules', testFile);
  expect(run.output).toContain('SUCCESS');
  expect(run.status).toBe(0);
});

test('versions of one alert exported together: promtool checks them as one, and refuses twins', async ({
  page,
}) => {
  await open(page);
  await page.getByRole('button', { name: /^Take down etcd-2 at/ }).click();
  await expect(page.getByTestId('status')).toContainText('evaluated in');
  // The 2019 version (severity: critical) beside the 2025 one (severity: warning): both named
  // etcdMembersDown, told apart by their severity.
  const add = page.getByRole('combobox', { name: 'Add a rule' });
  await add.selectOption('etcdMembersDown-2019');
  await expect(page.getByTestId('rule-etcdMembersDown-2019')).toBeVisible();
  await expect(page.getByTestId('status')).toContainText('evaluated in');
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('heading')).toHaveText('Export 4 rules');
  const dir = mkdtempSync(join(tmpdir(), 'quorumlab-export-'));
  const ruleFile = await downloadTab(page, 'Rule file', dir);
  expect(promtool(dir, 'check', 'rules', ruleFile).output).toContain('SUCCESS: 4 rules found');
  await expect(dialog.getByTestId('export-warning')).toHaveCount(0);
  await dialog.getByRole('tab', { name: 'promtool unit test' }).click();
  await dialog.getByLabel('Prometheus version of the unit test').selectOption('v2');
  await expect(dialog.getByTestId('export-text')).toContainText('severity: critical');
  const testFile = await downloadTab(page, 'promtool unit test', dir);
  const run = promtool(dir, 'test', 'rules', testFile);
  expect(run.output).toContain('SUCCESS');
  expect(run.status).toBe(0);
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The three 2020 versions are critical too: the same name and labels as the 2019 one. Where
  // their alerts start at different times, two of them write ALERTS_FOR_STATE{…} with different
  // values at one time, which Prometheus refuses (real promtool says so for this scenario at
  // 18m30s; tests/rules/unitTest.test.ts checks our runner prints what promtool prints).
  for (const id of [
    'etcdMembersDown-2020-1m',
    'etcdMembersDown-2020-without',
    'etcdMembersDown-2020-120s',
  ]) {
    await add.selectOption(id);
    await expect(page.getByTestId(`rule-${id}`)).toBeVisible();
  }
  await expect(page.getByTestId('status')).toContainText('evaluated in');
  await page.getByRole('button', { name: 'Export…' }).click();
  await expect(dialog.getByTestId('export-warning')).toContainText(
    'promtool check rules will report 1 duplicate rule(s)',
  );
  const twins = await downloadTab(page, 'Rule file', dir);
  const check = promtool(dir, 'check', 'rules', twins);
  expect(check.output).toContain('lint error 1 duplicate rule(s) found.');
  expect(check.status).toBe(0);
  await dialog.getByRole('tab', { name: 'promtool unit test' }).click();
  await dialog.getByLabel('Prometheus version of the unit test').selectOption('v2');
  await expect(dialog.getByTestId('export-text')).toContainText(
    'promtool would fail this test: rule: etcdMembersDown, time: 18m30s, err: duplicate sample for timestamp',
  );
});

test('a broken template is refused as typed, and a broken expression is exported with promtool’s verdict', async ({
  page,
}) => {
  await open(page);
  const panel = page.getByTestId('rule-naiveUp');
  await panel.getByRole('button', { name: 'Edit' }).click();
  const annotations = panel.getByRole('textbox', { name: 'annotations' });
  const good = await annotations.inputValue();
  await annotations.fill('summary: {{ $labels.instance "');
  await expect(annotations).toHaveAttribute('aria-invalid', 'true');
  await expect(panel.locator('.field-error')).toHaveText(
    'line 1: summary: template: __alert_etcdTargetDown:1: unterminated quoted string',
  );
  // The rule keeps its last good annotations: its export passes promtool.
  const dir = mkdtempSync(join(tmpdir(), 'quorumlab-export-'));
  await panel.getByRole('button', { name: 'Export rule file' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('export-error')).toHaveCount(0);
  const kept = await downloadTab(page, 'Rule file', dir);
  expect(readFileSync(join(dir, kept), 'utf8')).toContain(good.replace(/^summary: /, ''));
  expect(promtool(dir, 'check', 'rules', kept).output).toContain('SUCCESS: 1 rules found');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // An expression that does not parse reaches the rule (the editor marks it); the export says
  // what promtool will say of the file, word for word.
  const editor = panel.locator('.cm-content');
  await editor.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.insertText('up ==');
  await expect(panel.locator('.error')).toContainText('unexpected end of input');
  await panel.getByRole('button', { name: 'Export rule file' }).click();
  const refused = dialog.getByTestId('export-error');
  await expect(refused).toContainText('promtool check rules will reject this file');
  const broken = await downloadTab(page, 'Rule file', dir);
  const check = promtool(dir, 'check', 'rules', broken);
  expect(check.status).toBe(1);
  const verdict = check.output
    .split('\n')
    .filter((l) => l.startsWith(`${broken}: `))
    .join('\n');
  expect(verdict).toContain('could not parse expression');
  await expect(refused).toHaveText(
    `promtool check rules will reject this file; fix the rule first:\n${verdict}`,
  );
});

test('a PrometheusRule resource imports its rules', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog
    .getByLabel('File text')
    .fill(
      [
        'apiVersion: monitoring.coreos.com/v1',
        'kind: PrometheusRule',
        'metadata:',
        '  name: etcd',
        'spec:',
        '  groups:',
        '    - name: etcd',
        '      rules:',
        '        - alert: EtcdNoLeader',
        '          expr: etcd_server_has_leader{job=~".*etcd.*"} == 0',
        '          for: 1m',
        '          labels:',
        '            severity: critical',
      ].join('\n'),
    );
  await dialog.getByRole('button', { name: 'Import rules', exact: true }).click();
  await expect(dialog).toBeHidden();
  const rule = page.getByTestId('rule-EtcdNoLeader');
  await expect(rule).toBeVisible();
  await expect(rule.locator('.pill').first()).toHaveText('for: 1m');
  await expect(rule).toContainText('severity: critical');
});

test('imported rules join the list; a broken file says where it is broken', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = page.getByRole('dialog');
  const text = dialog.getByLabel('File text');
  await text.fill(
    [
      'groups:',
      '  - name: mine',
      '    rules:',
      '      - alert: NoLeader',
      '        expr: etcd_server_has_leader == 0',
      '        for: 1 minute',
    ].join('\n'),
  );
  await dialog.getByRole('button', { name: 'Import rules', exact: true }).click();
  await expect(dialog.getByRole('alert')).toContainText('pasted.yaml:6:');
  await expect(dialog.getByRole('alert')).toContainText('1 minute');
  await text.fill(
    [
      'groups:',
      '  - name: mine',
      '    rules:',
      '      - alert: NoLeader',
      '        expr: etcd_server_has_leader == 0',
      '        for: 1m',
    ].join('\n'),
  );
  await dialog.getByRole('button', { name: 'Import rules', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('rule-NoLeader')).toBeVisible();
  await expect(page.getByTestId('rule-NoLeader').locator('.pill').first()).toHaveText('for: 1m');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('rule-NoLeader')).toHaveCount(0);
});

test('what an imported rule file holds beyond alerting rules is named, not dropped silently', async ({
  page,
}) => {
  await open(page);
  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog
    .getByLabel('File text')
    .fill(
      [
        'groups:',
        '  - name: etcd',
        '    interval: 1m',
        '    labels: {team: storage}',
        '    rules:',
        '      - record: job:up:sum',
        '        expr: sum by (job) (up)',
        '      - alert: EtcdDown',
        '        expr: up{job=~".*etcd.*"} == 0',
      ].join('\n'),
    );
  await dialog.getByRole('button', { name: 'Import rules', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('rule-EtcdDown')).toContainText('team: storage');
  const notice = page.getByRole('alert').filter({ hasText: 'Imported 1 alerting rule.' });
  await expect(notice).toContainText('its interval 1m is not used here');
  await expect(notice).toContainText('Not imported: recording rule "job:up:sum"');
});
