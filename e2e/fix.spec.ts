// The `or` finding offers its fix once the engine has checked it on every preset: applied as one
// undoable edit, with the matrix showing the rule before and after it.
import { expect, test } from '@playwright/test';

test('the `or` finding offers a checked rewrite; applying it shows the matrix before and after, and undo takes it back', async ({
  page,
}) => {
  // The check scores two rules' rewrites on every preset, and the matrix runs twice.
  test.slow();
  await page.goto('/');
  await expect(page.getByTestId('playground')).toBeVisible();
  await expect(page.getByTestId('status')).toContainText('evaluated in');

  // The shipped rule's rewrite is checked and refused, saying where it does worse.
  await expect(page.getByTestId('fix-etcdMembersDown')).toHaveText(
    /^A rewrite that keeps both sides of or was checked on all 22 presets and is not offered: on pod-eviction-kube it fires longer with nothing failing\.$/,
    { timeout: 120_000 },
  );

  // The 2020 version (rate over 1m, critical, for 3m): its rewrite is offered.
  const id = 'etcdMembersDown-2020-1m';
  await page.getByLabel('Add a rule').selectOption(id);
  const card = page.getByTestId(`rule-${id}`);
  await expect(card.getByTestId(`lints-${id}`)).toContainText(
    'The right side of `or` never counts in this scenario',
  );
  const offer = card.getByTestId(`fix-${id}`);
  await expect(offer).toContainText(
    'Checked on all 22 presets: it catches everything the original caught, and 5 more failures (pod-eviction-default, partition-one-member, split-5-members, one-way-loss), and by the rule’s intent it is no worse on any.',
    { timeout: 120_000 },
  );
  await expect(page.getByTestId(`verdict-${id}`)).toContainText(
    'missed etcd-3 down for 49m30s to the end.',
  );

  await offer.getByRole('button', { name: `Apply the rewrite to etcdMembersDown` }).click();
  await expect(card.locator('pre.expr').first()).toContainText(
    '(sum by (job) (up{job=~".*etcd.*"} == bool 0)) > 0',
  );
  await expect(card.getByTestId(`fix-${id}`)).toHaveCount(0);
  await expect(page.getByTestId(`verdict-${id}`)).toContainText(
    'caught etcd-3 down within 3m30s (deadline 8m).',
  );
  // The matrix shows the rule before the rewrite beside the rule after it.
  await expect(page.getByTestId(`matrix-head-${id}~before`)).toContainText('before the rewrite');
  await expect(page.getByTestId(`matrix-head-${id}`)).toContainText('after the rewrite');
  await expect(page.getByTestId(`matrix-pod-eviction-default-${id}~before`)).toHaveText(
    'missed etcd-3 down for 49m30s to the end',
    { timeout: 120_000 },
  );
  await expect(page.getByTestId(`matrix-pod-eviction-default-${id}`)).toHaveText(
    'caught etcd-3 down within 3m30s (deadline 8m)',
    { timeout: 120_000 },
  );
  await expect(page.getByTestId(`matrix-one-way-loss-${id}`)).toHaveText(
    'caught etcd-3 cut off within 3m30s (deadline 8m)',
  );

  // One undo step takes the rewrite back, and the comparison with it; the offer returns.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(card.locator('pre.expr').first()).not.toContainText(') > 0\nor');
  await expect(page.getByTestId(`verdict-${id}`)).toContainText(
    'missed etcd-3 down for 49m30s to the end.',
  );
  await expect(page.getByTestId(`matrix-head-${id}~before`)).toHaveCount(0);
  await expect(card.getByTestId(`fix-${id}`)).toContainText('Apply the rewrite', {
    timeout: 120_000,
  });
});
