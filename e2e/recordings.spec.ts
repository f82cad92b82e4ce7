// The recordings of a real etcd 3.4 cluster that ship with Quorum Lab open in the playground from
// the scenario picker: the recorded badge, each rule's states on the recording, on the
// simulation of the same scenario and as Prometheus wrote them, and the differences named. Their
// series are fetched only when one is opened.
import { expect, test } from '@playwright/test';
import { naiveUpRule, shippedRecordings } from '../src/lab/index.ts';

for (const recording of shippedRecordings()) {
  test(`${recording.name} opens as recorded on a real etcd 3.4 cluster, beside its simulation`, async ({
    page,
  }) => {
    const fetched: string[] = [];
    page.on('request', (r) => fetched.push(r.url()));
    await page.goto('/');
    await expect(page.getByTestId('status')).toContainText('evaluated in');
    // The first page load fetched no recording.
    expect(fetched.filter((u) => u.includes('.om'))).toEqual([]);

    await page
      .getByRole('combobox', { name: 'Scenario preset' })
      .selectOption(`recording:${recording.name}`);
    await expect(page.getByTestId('recorded-badge')).toHaveText(
      'Recorded on a real etcd 3.4 cluster',
    );
    await expect(page.getByTestId('recorded-explanation')).toContainText(recording.etcd);
    // The comparison appears once the worker has loaded and evaluated the recording.
    const panel = page.getByTestId('recording-panel');
    await expect(panel).toBeVisible({ timeout: 60_000 });
    expect(fetched.some((u) => /series[^/]*\.gz/.test(u))).toBe(true);
    await expect(page.getByTestId('recording-verdict')).toContainText('all within their tolerance');
    const differences = page.getByTestId('recording-differences').locator('tbody tr');
    expect(await differences.count()).toBeGreaterThan(0);
    await expect(differences.first()).toContainText('within');

    // etcdTargetDown (the naive up == 0) fires on all three bands: the recorded series, the
    // simulation and the ALERTS Prometheus wrote.
    const id = naiveUpRule.id;
    for (const band of ['band', 'band-simulated', 'band-prometheus']) {
      await expect(
        page.getByTestId(`rule-${id}-${band}`).locator('.band-span.state-firing').first(),
      ).toBeVisible();
    }
    await expect(page.getByTestId(`rule-${id}-beside`)).toContainText('firing');
    // Every rule Prometheus evaluated has its three bands.
    for (const rule of recording.rules) {
      const card = page.locator('section.rule').filter({
        has: page.getByRole('heading', { name: rule.alert, exact: true }),
      });
      await expect(card.first().locator('[data-testid$="-band-prometheus"]')).toBeVisible();
      await expect(card.first().locator('[data-testid$="-band-simulated"]')).toBeVisible();
    }

    // A reload opens the same recording (the document names it).
    await page.reload();
    await expect(page.getByTestId('recorded-badge')).toBeVisible();
    await expect(page.getByTestId('recording-panel')).toBeVisible({ timeout: 60_000 });

    // Open the simulation: the same scenario, simulated and editable.
    await page.getByRole('button', { name: 'Open the simulation' }).click();
    await expect(page.getByTestId('recorded-badge')).toHaveCount(0);
    await expect(page.getByTestId('recording-panel')).toHaveCount(0);
    await expect(page.getByRole('combobox', { name: 'Members (cluster size)' })).toBeEnabled();
  });
}
