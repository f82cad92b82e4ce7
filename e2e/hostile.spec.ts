// Nothing hangs, nothing is lost (issue 18), in a real Chromium: an evaluation past its budget is
// stopped with a way forward and not retried on reload without asking; a heavy document shows
// progress and can be cancelled; two tabs keep their own documents; a decompression bomb in a
// share link is refused as too large with the last good state kept; a malicious Prometheus
// server's answers are reported, and Run recovers.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateRawSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';
import { docToJson, encodeDocForUrl, defaultRules, simulated } from '../src/lab/index.ts';
import { defaultScenario } from '../src/sim/index.ts';
import { heavyDoc } from './support/heavyDoc.ts';

/** Long enough for any work the page does here on a loaded machine; the waits end on the state. */
const WORK = { timeout: 120_000 };

async function evaluated(page: Page) {
  await expect(page.getByTestId('status')).toContainText('evaluated in', WORK);
}

/** Waits until this tab's saved document holds the rule. */
async function saved(page: Page, ruleId: string) {
  await page.waitForFunction(
    (id) => (localStorage.getItem('quorumlab.doc') ?? '').includes(`"id":"${id}"`),
    ruleId,
    WORK,
  );
}

test('an evaluation past its budget is stopped, and a reload asks before trying it again', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const link = await encodeDocForUrl(heavyDoc());
  await page.goto(`/?evalBudget=1000#s=${link}`);
  const stopped = page.getByRole('alert').filter({ hasText: 'The evaluation was stopped' });
  await expect(stopped).toContainText('more than 1 s without progress', WORK);
  await expect(stopped).toContainText('Undo the last change, or reset to the default scenario');
  await expect(page.getByTestId('stopped').getByRole('button')).toHaveText([
    'Reset to the default scenario',
  ]);

  // The document was saved before it hung; the reload holds it back and asks.
  await page.reload();
  const held = page.getByTestId('held');
  await expect(held).toContainText('its evaluation did not finish', WORK);
  await expect(page.getByTestId('playground')).toHaveCount(0);
  await expect(page.getByTestId('status')).toHaveText('waiting for your say');
  await held.getByRole('button', { name: 'Open the default scenario' }).click();
  await evaluated(page);
  await expect(page.getByTestId('preset-explanation')).toContainText('Pod eviction');
  await expect(page.getByTestId('held')).toHaveCount(0);
});

test('a heavy document shows its progress and can be cancelled', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await evaluated(page);
  const link = await encodeDocForUrl(heavyDoc());
  await page.goto(`/#s=${link}`);
  const progress = page.getByTestId('evaluation-progress');
  await expect(progress).toContainText('Evaluating: step', WORK);
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect(
    page.getByRole('alert').filter({ hasText: 'The evaluation was cancelled' }),
  ).toBeVisible();
  // The page answers at once: Undo brings back the document shown before the link.
  await page
    .getByTestId('stopped')
    .getByRole('button', { name: 'Reset to the default scenario' })
    .click();
  await evaluated(page);
  await expect(page.getByTestId('rule-etcdMembersDown')).toBeVisible();
});

test('a view with long timelines is drawn in slices, every chart in the end', async ({ page }) => {
  test.setTimeout(600_000);
  // A day at 30 s evaluations: 2,880 per line, above the slicing threshold.
  const doc = heavyDoc({ members: 5, days: 1, events: 40, rules: 3 });
  await page.goto(`/#s=${await encodeDocForUrl(doc)}`);
  await expect(page.getByTestId('status')).toContainText('evaluated in', { timeout: 480_000 });
  for (const rule of doc.rules) await expect(page.getByTestId(`rule-${rule.id}`)).toBeVisible();
  await expect(page.locator('.chart-pending')).toHaveCount(0);
  await expect(page.getByTestId('chart-up')).toBeVisible();
});

test('two tabs keep their own documents, and each is told of the other', async ({ context }) => {
  test.setTimeout(240_000);
  const a = await context.newPage();
  await a.goto('/');
  await evaluated(a);
  await a.getByLabel('Add a rule').selectOption('etcdMembersDown-2019');
  await expect(a.getByTestId('rule-etcdMembersDown-2019')).toBeVisible();
  await saved(a, 'etcdMembersDown-2019');

  // A new tab opens the newest document, then goes its own way.
  const b = await context.newPage();
  await b.goto('/');
  await evaluated(b);
  await expect(b.getByTestId('rule-etcdMembersDown-2019')).toBeVisible();
  await b.getByLabel('Add a rule').selectOption('etcdMembersDown-2020-1m');
  await saved(b, 'etcdMembersDown-2020-1m');

  // The first tab is told, keeps its document, and a reload brings back its own.
  await expect(
    a.getByRole('alert').filter({ hasText: 'Another tab of Quorum Lab saved' }),
  ).toBeVisible(WORK);
  await a.goto('/');
  await evaluated(a);
  await expect(a.getByTestId('rule-etcdMembersDown-2019')).toBeVisible();
  await expect(a.getByTestId('rule-etcdMembersDown-2020-1m')).toHaveCount(0);
  await b.goto('/');
  await evaluated(b);
  await expect(b.getByTestId('rule-etcdMembersDown-2020-1m')).toBeVisible();
});

test('a share link that inflates to 100 MB is refused as too large, the last state kept', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await evaluated(page);
  await page.getByLabel('Add a rule').selectOption('etcdMembersDown-2019');
  await saved(page, 'etcdMembersDown-2019');

  // A real bomb: the default document with a scenario name of 100 MB of "a".
  const json = docToJson({ source: simulated(defaultScenario), rules: defaultRules });
  const at = json.indexOf('"name":"') + '"name":"'.length;
  const bomb = deflateRawSync(
    Buffer.concat([
      Buffer.from(json.slice(0, at)),
      Buffer.alloc(100 * 1024 * 1024, 'a'),
      Buffer.from(json.slice(json.indexOf('"', at))),
    ]),
    { level: 9 },
  ).toString('base64url');
  expect(bomb.length).toBeLessThan(200_000);
  await page.goto(`/#s=${bomb}`);
  await expect(
    page.getByRole('alert').filter({ hasText: 'The link could not be opened' }),
  ).toContainText('the link is too large: its state inflates to more than 8 MiB', WORK);
  await evaluated(page);
  await expect(page.getByTestId('rule-etcdMembersDown-2019')).toBeVisible();
});

test('a malicious Prometheus server is reported, and Run recovers', async ({ page }) => {
  test.setTimeout(240_000);
  let answer = JSON.stringify({
    status: 'success',
    data: { resultType: 'matrix', result: [null] },
  });
  const server: Server = createServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Content-Type', 'application/json');
    res.end(answer);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await page.goto('/');
    await page.getByRole('tab', { name: 'Backtest' }).click();
    await page.getByLabel('Prometheus URL').fill(url);
    await page.getByLabel('Start').fill('0');
    await page.getByLabel('End').fill('3600');
    await page.getByLabel('Step').fill('60s');
    const run = page.getByRole('button', { name: 'Run backtest' });
    await run.click();
    const error = page.getByTestId('backtest-error');
    await expect(error).toContainText(
      'the server answered something that is not a Prometheus API response: data.result[0] must be an object with metric and values, got null',
      WORK,
    );
    await expect(run).toBeEnabled();

    answer = JSON.stringify({
      status: 'success',
      data: { resultType: 'matrix', result: [{ metric: {}, values: 'nope' }] },
    });
    await run.click();
    await expect(error).toContainText('data.result[0].values must be a list', WORK);

    answer = JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } });
    await run.click();
    await expect(page.getByTestId('backtest-done')).toBeVisible(WORK);
    await expect(error).toHaveCount(0);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
