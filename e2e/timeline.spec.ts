// The timeline editor in a real Chromium: add an event by clicking a lane, move and resize it
// with the keyboard and the mouse, delete it, and see every rule re-evaluated each time.
import { expect, test, type Page } from '@playwright/test';

async function open(page: Page) {
  await page.goto('/');
  await expect(page.getByTestId('playground')).toBeVisible();
  await expect(page.getByTestId('status')).toContainText('evaluated in');
}

test('events are added, moved, resized and deleted, and the rules follow', async ({ page }) => {
  await open(page);
  const naive = page.getByTestId('rule-naiveUp-spans');
  await expect(naive).toHaveText('Never pending or firing in this scenario.');

  // Click the middle of etcd-2's lane: a 5 minute crash at 30m.
  const lane = page.getByTestId('lane-etcd-2');
  const box = await lane.boundingBox();
  if (!box) throw new Error('no lane');
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  const bar = page.getByRole('button', { name: /^crash of etcd-2 from 30m to 35m$/ });
  await expect(bar).toBeVisible();
  await expect(naive).toHaveText('firing 30m30s–35m30s');

  // Keyboard: move by one scrape interval, stretch the end by one, then by a minute.
  await bar.focus();
  await page.keyboard.press('ArrowRight');
  const moved = page.getByRole('button', { name: /^crash of etcd-2 from 30m30s to 35m30s$/ });
  await expect(moved).toBeVisible();
  await moved.focus();
  await page.keyboard.press('Shift+ArrowRight');
  await expect(
    page.getByRole('button', { name: /^crash of etcd-2 from 30m30s to 36m$/ }),
  ).toBeVisible();
  await expect(naive).toHaveText('firing 31m–36m30s');

  // Mouse: drag the bar a quarter of the lane to the left.
  const current = page.getByRole('button', { name: /^crash of etcd-2 from 30m30s to 36m$/ });
  const b = await current.boundingBox();
  if (!b) throw new Error('no bar');
  await page.mouse.move(b.x + 10, b.y + b.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + 10 - box.width / 4, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect(
    page.getByRole('button', { name: /^crash of etcd-2 from 15m30s to 21m$/ }),
  ).toBeVisible();

  // Delete it: back to where we started, in one undo step per edit.
  await page.getByRole('button', { name: /^crash of etcd-2 from 15m30s to 21m$/ }).focus();
  await page.keyboard.press('Delete');
  await expect(page.getByRole('button', { name: /^crash of etcd-2/ })).toHaveCount(0);
  await expect(naive).toHaveText('Never pending or firing in this scenario.');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(
    page.getByRole('button', { name: /^crash of etcd-2 from 15m30s to 21m$/ }),
  ).toBeVisible();
});

test('scrape interval and duration are set from the timeline', async ({ page }) => {
  await open(page);
  await page.getByLabel('Scrape interval', { exact: true }).selectOption('15000');
  await page.getByLabel('Duration').selectOption(String(2 * 3600_000));
  await expect(page.getByTestId('status')).toContainText('evaluated in');
  await expect(page.locator('.footnote')).toContainText('scrape every 15s');
  await expect(page.getByTestId('chart-up')).toContainText('2h');
});

test('a click on a bar changes nothing and keeps the redo history', async ({ page }) => {
  await open(page);
  const lane = page.getByTestId('lane-etcd-2');
  const box = await lane.boundingBox();
  if (!box) throw new Error('no lane');
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  const bar = page.getByRole('button', { name: /^crash of etcd-2 from 30m to 35m$/ });
  await bar.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('button', { name: /^crash of etcd-2 from 30m30s/ })).toBeVisible();

  const redo = page.getByRole('button', { name: 'Redo' });
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(bar).toBeVisible();
  await expect(redo).toBeEnabled();

  // A click (press and release without moving) on the bar is no edit at all.
  await bar.click();
  await expect(bar).toBeVisible();
  await expect(redo).toBeEnabled();
  await redo.click();
  await expect(page.getByRole('button', { name: /^crash of etcd-2 from 30m30s/ })).toBeVisible();
});

test('the cluster lane adds the chosen cluster-wide kind, else leader churn, and says so', async ({
  page,
}) => {
  await open(page);
  const cluster = page.getByTestId('lane-cluster');
  // Clicks the empty track at a fraction of its width (selecting a kind can move the lanes),
  // away from the cursor at 15m, which takes the click itself.
  const clickAt = async (fraction: number) => {
    const box = await cluster.boundingBox();
    if (!box) throw new Error('no lane');
    await cluster.click({ position: { x: box.width * fraction, y: box.height / 2 } });
  };
  const kind = page.getByLabel('Kind of new event');
  const note = page.getByTestId('new-event-lanes');

  // A member-only kind: the cluster lane falls back to its default, and the note says which.
  await kind.selectOption('evict');
  await expect(note).toHaveText(
    "Adds evict on a member's lane, leader-churn on the cluster lane, an outage on prom.",
  );
  await expect(cluster).toHaveAttribute(
    'title',
    'Click to add a leader-churn to the whole cluster (partitions, leader churn, slow network, growth)',
  );
  await clickAt(0.3);
  await expect(
    page.getByRole('button', { name: /^leader-churn of cluster from 18m to 23m$/ }),
  ).toBeVisible();

  // A cluster-wide kind is used as chosen.
  await kind.selectOption('slow-network');
  await expect(note).toHaveText(
    "Adds slow-network on a member's lane, slow-network on the cluster lane, an outage on prom.",
  );
  await clickAt(0.7);
  await expect(
    page.getByRole('button', { name: /^slow-network of cluster from 42m to 47m$/ }),
  ).toBeVisible();
  await expect(page.locator('.error')).toHaveCount(0);
});
