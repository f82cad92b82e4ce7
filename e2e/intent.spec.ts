// A rule's intent (what it should catch) edited on the page: the verdict, the scorecard and the
// matrix follow it, bad durations are refused with a clear error that keeps what was typed, and
// the edit is one undo step that a reload keeps.
import { expect, test, type Page } from '@playwright/test';

async function waitForEvaluation(page: Page) {
  await expect(page.getByTestId('status')).toContainText('evaluated in');
}

test('editing a rule’s intent changes its verdict, is validated, undone and kept', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByTestId('playground')).toBeVisible();
  await waitForEvaluation(page);
  const verdict = page.getByTestId('verdict-etcdMembersDown');
  // Derived from `severity: warning` and `for: 20m`: tolerate 20m, catch within 30m.
  await expect(verdict).toContainText(
    'etcdMembersDown never fired; missed etcd-3 down for 49m30s to the end.',
  );
  await expect(verdict).toHaveClass('verdict-bad');
  // etcdInsufficientMembers is meant for quorum loss: one member evicted is no miss of it.
  await expect(page.getByTestId('verdict-etcdInsufficientMembers')).toContainText(
    'etcdInsufficientMembers never fired; nothing to catch, and quiet.',
  );

  const intent = page.getByTestId('intent-etcdMembersDown');
  const tolerance = intent.getByRole('textbox', { name: /^Tolerance of etcdMembersDown/ });
  const deadline = intent.getByRole('textbox', { name: /^Deadline of etcdMembersDown/ });
  await expect(intent).toContainText('derived from severity warning and for 20m');
  await expect(tolerance).toHaveValue('20m');
  await expect(deadline).toHaveValue('30m');

  // A deadline before the tolerance is refused, saying why, and the text typed stays.
  await deadline.fill('10m');
  await deadline.press('Enter');
  await expect(page.getByTestId('intent-etcdMembersDown-error')).toHaveText(
    'The deadline 10m is shorter than the tolerance 20m: a failure cannot be known to outlast the tolerance before the tolerance has passed.',
  );
  await expect(deadline).toHaveValue('10m');
  await expect(deadline).toHaveAttribute('aria-invalid', 'true');
  await tolerance.fill('soon');
  await tolerance.press('Enter');
  await expect(page.getByTestId('intent-etcdMembersDown-error')).toHaveText(
    'Tolerance: "soon" is not a duration such as 5m, 1h30m or 0s.',
  );

  // A rule meant to tolerate an hour has not missed a failure of 49m30s: it is still open.
  await tolerance.fill('1h');
  await deadline.fill('1h');
  await deadline.press('Enter');
  await expect(page.getByTestId('intent-etcdMembersDown-error')).toHaveCount(0);
  await expect(verdict).toContainText(
    'etcdMembersDown never fired; etcd-3 down for 49m30s to the end, not caught yet (deadline 1h).',
  );
  await expect(verdict).toHaveClass('verdict-good');
  await expect(page.getByTestId('scorecard-etcdMembersDown-verdict')).toHaveText(
    'etcd-3 down for 49m30s to the end, not caught yet (deadline 1h)',
  );
  await expect(page.getByTestId('matrix-pod-eviction-default-etcdMembersDown')).toHaveText(
    'etcd-3 down for 49m30s to the end, not caught yet (deadline 1h)',
  );
  await expect(intent.getByRole('button', { name: /^Derive the intent/ })).toBeVisible();

  // The edit is one undo step, back to the derived intent, and redo brings it back.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(verdict).toContainText('missed etcd-3 down for 49m30s to the end.');
  await expect(intent).toContainText('derived from severity warning and for 20m');
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(verdict).toContainText('not caught yet (deadline 1h)');

  // Kept in the document: a reload restores it.
  await page.reload();
  await expect(page.getByTestId('playground')).toBeVisible();
  await waitForEvaluation(page);
  await expect(verdict).toContainText('not caught yet (deadline 1h)');
  await expect(tolerance).toHaveValue('1h');

  // Quorum loss instead: one member evicted is then nothing it must catch.
  await intent
    .getByRole('combobox', { name: 'What etcdMembersDown should catch' })
    .selectOption('quorum');
  await expect(verdict).toContainText('etcdMembersDown never fired; nothing to catch, and quiet.');
  await intent.getByRole('button', { name: /^Derive the intent/ }).click();
  await expect(verdict).toContainText('missed etcd-3 down for 49m30s to the end.');
});
