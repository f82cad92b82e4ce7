// Backtest mode against a real VictoriaMetrics (Debian's victoria-metrics) fed the same
// OpenMetrics backfill as the Prometheus of backtest.spec.ts: the backtest finds what our engine
// computes where MetricsQL and PromQL agree, and the cross-check runs and names where they do not.
import { expect, test, type Page } from '@playwright/test';
import { alertIntervals } from '../src/backtest/index.ts';
import { SeriesStore } from '../src/promql/index.ts';
import { alertTimeline } from '../src/rules/index.ts';
import { findPreset } from '../src/sim/index.ts';
import { etcdMembersDown, naiveUpRule } from '../src/lab/index.ts';
import { draftToSpec } from '../src/app/backtest/model.ts';
import type { PrometheusServer } from './support/prometheusServer.ts';
import { startVictoriaMetrics } from './support/victoriaMetricsServer.ts';

const scenario = findPreset('member-crash')!.scenario;
const STEP = scenario.evaluationInterval;

let server: PrometheusServer;
test.beforeAll(async () => {
  server = await startVictoriaMetrics(scenario);
});
test.afterAll(async () => {
  await server?.stop();
});

async function openBacktest(page: Page) {
  await page.goto('/');
  await page.getByRole('tab', { name: 'Backtest' }).click();
  await expect(page.getByTestId('backtest')).toBeVisible();
  await page.getByLabel('Prometheus URL').fill(server.url);
  await page.getByLabel('Start').fill(String(server.offsetMs / 1000));
  await page.getByLabel('End').fill(String((server.offsetMs + scenario.duration) / 1000));
  await page.getByLabel('Step').fill(`${STEP / 1000}s`);
  await page.getByLabel('Query language').selectOption('metricsql');
}

/** `up == 0` reads no range: MetricsQL and PromQL agree on it, so our engine's intervals hold. */
function expectedNaive() {
  const store = new SeriesStore();
  for (const s of server.simulation.series)
    store.addSeries(
      s.labels,
      s.points.filter((p) => p[1] !== null).map(([t, v]) => [t + server.offsetMs, v] as const),
    );
  const tl = alertTimeline(draftToSpec(naiveUpRule), store, {
    start: server.offsetMs,
    end: server.offsetMs + scenario.duration,
    interval: STEP,
  });
  if (!tl.ok) throw new Error(tl.error.message);
  return alertIntervals(naiveUpRule.alert, tl.value).map((i) => [i.state, i.from, i.to]);
}

test('a backtest on VictoriaMetrics, and a cross-check that names what MetricsQL does otherwise', async ({
  page,
}) => {
  await openBacktest(page);
  await page.getByRole('button', { name: 'Run backtest' }).click();
  await expect(page.getByTestId('backtest-done')).toBeVisible({ timeout: 30_000 });
  const intervals = (id: string) =>
    page
      .getByTestId(`backtest-intervals-${id}`)
      .locator('li[data-state]')
      .evaluateAll((els) =>
        els.map((el) => {
          const d = (el as HTMLElement).dataset;
          return [d['state'], Number(d['from']), d['to'] === '' ? null : Number(d['to'])];
        }),
      );
  const want = expectedNaive();
  expect(want.some(([state]) => state === 'firing')).toBe(true);
  expect(await intervals(naiveUpRule.id)).toEqual(want);
  // etcd-2 stays down: etcdMembersDown fires on VictoriaMetrics too.
  expect((await intervals(etcdMembersDown.id)).some(([state]) => state === 'firing')).toBe(true);

  const naive = page.getByTestId(`backtest-rule-${naiveUpRule.id}`);
  await naive.getByRole('button', { name: 'Cross-check' }).click();
  await expect(page.getByTestId(`crosscheck-${naiveUpRule.id}`)).toContainText('No differences');
  await expect(page.getByTestId(`crosscheck-dialect-${naiveUpRule.id}`)).toContainText(
    "not PromQL's fixed 5m lookback delta",
  );

  const members = page.getByTestId(`backtest-rule-${etcdMembersDown.id}`);
  await members.getByRole('button', { name: 'Cross-check' }).click();
  await expect(page.getByTestId(`crosscheck-${etcdMembersDown.id}`)).toBeVisible();
  await expect(page.getByTestId(`crosscheck-dialect-${etcdMembersDown.id}`)).toContainText(
    "MetricsQL's rate do not extrapolate",
  );
});
