// Backtest mode against a real Prometheus 2.42 (Debian's package) filled from a simulator
// scenario: the page's alert intervals equal what our engine computes on the same samples, the
// cross-check finds no difference, and each failure (wrong URL, CORS, auth, a server that stops
// mid-run) gets its own message.
import { createServer, type Server } from 'node:http';
import { expect, test, type Page } from '@playwright/test';
import { alertIntervals, type AlertInterval } from '../src/backtest/index.ts';
import { SeriesStore } from '../src/promql/index.ts';
import { alertTimeline } from '../src/rules/index.ts';
import { findPreset } from '../src/sim/index.ts';
import { defaultRules } from '../src/lab/index.ts';
import { draftToSpec } from '../src/app/backtest/model.ts';
import {
  freePort,
  startAuthProxy,
  startPrometheus,
  type PrometheusServer,
} from './support/prometheusServer.ts';
import { completeInEditor } from './support/editor.ts';

const scenario = findPreset('member-crash')!.scenario;
const STEP = scenario.evaluationInterval;

let server: PrometheusServer;
test.beforeAll(async () => {
  server = await startPrometheus(scenario);
});
test.afterAll(async () => {
  await server.stop();
});

/** Our engine on the samples the server holds (the backfill has no staleness markers). */
function expected(): Record<string, AlertInterval[]> {
  const store = new SeriesStore();
  for (const s of server.simulation.series) {
    store.addSeries(
      s.labels,
      s.points.filter((p) => p[1] !== null).map(([t, v]) => [t + server.offsetMs, v] as const),
    );
  }
  const out: Record<string, AlertInterval[]> = {};
  for (const rule of defaultRules) {
    const tl = alertTimeline(
      draftToSpec(rule),
      store,
      { start: server.offsetMs, end: server.offsetMs + scenario.duration, interval: STEP },
      { compat: 'v2' },
    );
    if (!tl.ok) throw new Error(tl.error.message);
    out[rule.id] = alertIntervals(rule.alert, tl.value);
  }
  return out;
}

async function openBacktest(page: Page, url: string) {
  await page.goto('/');
  await page.getByRole('tab', { name: 'Backtest' }).click();
  await expect(page.getByTestId('backtest')).toBeVisible();
  await page.getByLabel('Prometheus URL').fill(url);
  await page.getByLabel('Start').fill(String(server.offsetMs / 1000));
  await page.getByLabel('End').fill(String((server.offsetMs + scenario.duration) / 1000));
  await page.getByLabel('Step').fill(`${STEP / 1000}s`);
  await page.getByLabel('Semantics').selectOption('v2');
}

async function pageIntervals(page: Page, id: string) {
  return page
    .getByTestId(`backtest-intervals-${id}`)
    .locator('li[data-state]')
    .evaluateAll((els) =>
      els.map((el) => {
        const d = (el as HTMLElement).dataset;
        return [d['state'], Number(d['from']), d['to'] === '' ? null : Number(d['to'])];
      }),
    );
}

test('a backtest on a real Prometheus finds the in-browser engine’s intervals, and the cross-check agrees', async ({
  page,
}) => {
  await openBacktest(page, server.url);
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('connection-status')).toContainText('version 2.42');

  await page.getByRole('button', { name: 'Run backtest' }).click();
  await expect(page.getByTestId('backtest-done')).toBeVisible();
  const want = expected();
  const firing = Object.values(want)
    .flat()
    .filter((i) => i.state === 'firing');
  expect(firing.length).toBeGreaterThan(0);
  for (const rule of defaultRules) {
    expect(await pageIntervals(page, rule.id)).toEqual(
      (want[rule.id] ?? []).map((i) => [i.state, i.from, i.to]),
    );
    await expect(page.getByTestId(`backtest-band-${rule.id}`)).toBeVisible();
  }
  await expect(page.getByTestId('scorecard')).toBeVisible();

  for (const rule of defaultRules) {
    const panel = page.getByTestId(`backtest-rule-${rule.id}`);
    await panel.getByRole('button', { name: 'Cross-check' }).click();
    const result = page.getByTestId(`crosscheck-${rule.id}`);
    await expect(result).toContainText('No differences');
    await expect(result).toHaveAttribute('data-differences', '0');
  }
});

test('a wrong URL says the server cannot be reached', async ({ page }) => {
  const port = await freePort();
  await openBacktest(page, `http://127.0.0.1:${port}`);
  await page.getByRole('button', { name: 'Test connection' }).click();
  const error = page.getByTestId('connection-error');
  await expect(error).toHaveAttribute('data-kind', 'unreachable');
  await expect(error).toContainText('server is running');
});

test('a server without CORS headers is reported as a CORS refusal with the flag to set', async ({
  page,
}) => {
  const port = await freePort();
  const plain: Server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"status":"success","data":{"version":"2.42.0"}}');
  });
  await new Promise<void>((r) => plain.listen(port, '127.0.0.1', () => r()));
  try {
    await openBacktest(page, `http://127.0.0.1:${port}`);
    await page.getByRole('button', { name: 'Test connection' }).click();
    const error = page.getByTestId('connection-error');
    await expect(error).toHaveAttribute('data-kind', 'cors');
    await expect(error).toContainText('--web.cors.origin');
  } finally {
    plain.closeAllConnections();
    await new Promise<void>((r) => plain.close(() => r()));
  }
});

test('a proxy that demands a token: an auth error without it, a backtest with it', async ({
  page,
}) => {
  const proxy = await startAuthProxy(server.url, 'let-me-in');
  try {
    await openBacktest(page, proxy.url);
    await page.getByRole('button', { name: 'Run backtest' }).click();
    const error = page.getByTestId('backtest-error');
    await expect(error).toHaveAttribute('data-kind', 'auth');
    await expect(error).toContainText('bearer token');

    await page.getByLabel('Authentication').selectOption('bearer');
    await page.getByLabel('Bearer token').fill('let-me-in');
    await page.getByRole('button', { name: 'Run backtest' }).click();
    await expect(page.getByTestId('backtest-done')).toBeVisible();
    await expect(page.getByTestId('backtest-error')).toHaveCount(0);
  } finally {
    await proxy.stop();
  }
});

test('the backtest’s rule editor completes from the server, with the source’s token', async ({
  page,
}) => {
  const proxy = await startAuthProxy(server.url, 'let-me-in');
  const asked: { url: string; auth: string | undefined }[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith(proxy.url) && r.url().includes('/api/v1/label/'))
      asked.push({ url: r.url(), auth: r.headers()['authorization'] });
  });
  try {
    await openBacktest(page, proxy.url);
    await page.getByLabel('Authentication').selectOption('bearer');
    await page.getByLabel('Bearer token').fill('let-me-in');
    const editor = page
      .getByTestId('backtest-rules')
      .getByLabel('PromQL expression of etcdMembersDown (backtest)');
    await completeInEditor(page, editor, 'etcd_server_has_le', 'etcd_server_has_leader');
    // The names came from the server through the proxy, each request with the token.
    expect(asked.some((a) => a.url.includes('/api/v1/label/__name__/values'))).toBe(true);
    expect(asked.every((a) => a.auth === 'Bearer let-me-in')).toBe(true);

    // The edit is the playground's rule too.
    await page.getByRole('tab', { name: 'Simulate' }).click();
    await expect(page.getByTestId('rule-etcdMembersDown').locator('.chart-query')).toHaveText(
      'etcd_server_has_leader',
    );
  } finally {
    await proxy.stop();
  }
});

test('a server that stops in the middle of the run is reported as unreachable', async ({
  page,
}) => {
  const doomed = await startPrometheus(scenario);
  try {
    let queries = 0;
    await page.route(`${doomed.url}/api/v1/query_range**`, async (route) => {
      queries++;
      if (queries === 2) await doomed.stop();
      await route.continue();
    });
    await openBacktest(page, doomed.url);
    await page.getByLabel('Start').fill(String(doomed.offsetMs / 1000));
    await page.getByLabel('End').fill(String((doomed.offsetMs + scenario.duration) / 1000));
    await page.getByRole('button', { name: 'Run backtest' }).click();
    await expect(page.getByTestId('backtest-error')).toHaveAttribute('data-kind', 'unreachable');
    expect(queries).toBe(2);
  } finally {
    await doomed.stop();
  }
});

test('a run can be cancelled while it waits for the server, with progress shown', async ({
  page,
}) => {
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route(`${server.url}/api/v1/query_range**`, async (route) => {
    await held;
    await route.continue().catch(() => {});
  });
  await openBacktest(page, server.url);
  await page.getByRole('button', { name: 'Run backtest' }).click();
  await expect(page.getByTestId('backtest-progress')).toContainText('0/3 queries');
  await page.getByRole('button', { name: 'Cancel' }).click();
  const error = page.getByTestId('backtest-error');
  await expect(error).toHaveAttribute('data-kind', 'aborted');
  await expect(page.getByRole('button', { name: 'Run backtest' })).toBeEnabled();
  release();
});

test('the title and the toolbar stay on the Backtest tab', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Quorum Lab' })).toBeVisible();
  await page.getByRole('tab', { name: 'Backtest' }).click();
  await expect(page.getByTestId('backtest')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Quorum Lab' })).toBeVisible();
  await expect(page.getByLabel('Scenario preset')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Copy share link' })).toBeVisible();
  // The toolbar acts on the rules the backtest runs: an edit there is undone from here.
  const editor = page
    .getByTestId('backtest-rules')
    .getByLabel('PromQL expression of etcdMembersDown (backtest)');
  await editor.click();
  await page.keyboard.press('End');
  await page.keyboard.type(' unless on() vector(1)');
  const undo = page.getByRole('button', { name: 'Undo' });
  await expect(undo).toBeEnabled();
  await undo.click();
  await expect(undo).toBeDisabled();
  await expect(editor).not.toContainText('unless on() vector(1)');
});

test('a URL without a scheme is called over http://, with no refusal in the console', async ({
  page,
}) => {
  const refused: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') refused.push(m.text());
  });
  const bare = server.url.replace(/^http:\/\//, '');
  await openBacktest(page, bare);
  await expect(page.getByTestId('url-completed')).toContainText(`http://${bare}`);
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('connection-status')).toContainText('version 2.42');
  await page.getByRole('button', { name: 'Run backtest' }).click();
  await expect(page.getByTestId('backtest-done')).toBeVisible();
  expect(refused.filter((t) => /Content Security Policy|Failed to fetch|ERR_/.test(t))).toEqual([]);

  // A scheme the page cannot call is named before anything is sent.
  await page.getByLabel('Prometheus URL').fill(`ftp://${bare}`);
  await expect(page.getByTestId('url-problem')).toContainText('http:// or https://');
  await page.getByRole('button', { name: 'Test connection' }).click();
  const error = page.getByTestId('connection-error');
  await expect(error).toHaveAttribute('data-kind', 'bad-url');
  await expect(error).toContainText('http://localhost:9090');
});

test('an error about a URL goes when the URL changes', async ({ page }) => {
  const port = await freePort();
  await openBacktest(page, `http://127.0.0.1:${port}`);
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('connection-error')).toHaveAttribute('data-kind', 'unreachable');
  await page.getByRole('button', { name: 'Run backtest' }).click();
  await expect(page.getByTestId('backtest-error')).toHaveAttribute('data-kind', 'unreachable');

  await page.getByLabel('Prometheus URL').fill(server.url);
  await expect(page.getByTestId('connection-error')).toHaveCount(0);
  await expect(page.getByTestId('backtest-error')).toHaveCount(0);
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('connection-status')).toContainText('version 2.42');
});

test('a CORS refusal shows how to allow this page, with its origin, on the page', async ({
  page,
}) => {
  const port = await freePort();
  const plain: Server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"status":"success","data":{"version":"2.42.0"}}');
  });
  await new Promise<void>((r) => plain.listen(port, '127.0.0.1', () => r()));
  try {
    await openBacktest(page, `http://127.0.0.1:${port}`);
    await page.getByRole('button', { name: 'Test connection' }).click();
    const error = page.getByTestId('connection-error');
    await expect(error).toHaveAttribute('data-kind', 'cors');
    const help = error.getByTestId('cors-help');
    await expect(help.getByTestId('cors-flag')).toBeHidden();
    await help.getByText('How to let this page read the server (CORS)').click();
    const origin = new URL(page.url()).origin;
    await expect(help.getByTestId('cors-flag')).toHaveText(
      `--web.cors.origin='${origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'`,
    );
    await expect(help).toContainText('VictoriaMetrics sends CORS headers by default');
  } finally {
    plain.closeAllConnections();
    await new Promise<void>((r) => plain.close(() => r()));
  }
});
