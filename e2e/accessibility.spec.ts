// Keyboard and screen-reader audit of the playground in a real Chromium: Tab reaches every
// control, every control has an accessible name, and what the mouse does on the time axis (move
// the cursor, add an event) the keyboard can do too.
import { expect, test, type Page } from '@playwright/test';

const controls =
  'button:not([disabled]), select:not([disabled]), input:not([disabled]), textarea, summary, [tabindex="0"], [role="slider"]';

async function open(page: Page) {
  await page.goto('/');
  await expect(page.getByTestId('playground')).toBeVisible();
  await expect(page.getByTestId('status')).toContainText('evaluated in');
  // The lazily loaded panels (lint findings, the preset matrix) are part of the page to audit.
  await expect(page.getByTestId('lints-etcdMembersDown')).toBeVisible();
}

/** Tabs from the top of the page until focus leaves it, marking every element it reaches. */
async function tabThrough(page: Page): Promise<number> {
  await page.locator('body').focus();
  let stops = 0;
  for (; stops < 400; stops++) {
    await page.keyboard.press('Tab');
    const marked = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return false;
      if (el.hasAttribute('data-tabbed')) return false;
      el.setAttribute('data-tabbed', '');
      return true;
    });
    if (!marked) break;
  }
  return stops;
}

test('Tab reaches every control of the playground, and each has a name', async ({ page }) => {
  await open(page);
  const stops = await tabThrough(page);
  expect(stops).toBeGreaterThan(30);
  const all = page.locator(`:is(${controls}):visible`);
  const count = await all.count();
  for (let i = 0; i < count; i++) {
    const el = all.nth(i);
    const what = await el.evaluate((e) => e.outerHTML.slice(0, 120));
    expect(await el.getAttribute('data-tabbed'), `not reachable by Tab: ${what}`).not.toBeNull();
    await expect(el, `no accessible name: ${what}`).toHaveAccessibleName(/\S/);
  }
});

test('the charts are named by their title and query', async ({ page }) => {
  await open(page);
  await expect(page.getByTestId('chart-up').getByRole('application')).toHaveAccessibleName(
    'up, per member: up{job=~".*etcd.*"}',
  );
});

test('the keyboard moves the cursor and adds an event at it', async ({ page }) => {
  await open(page);
  const main = page.getByTestId('playground');
  const slider = page.getByRole('slider', { name: 'Cursor time' });
  await expect(slider).toHaveAttribute('aria-valuetext', '15m');
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await expect(main).toHaveAttribute('data-cursor', String(15 * 60_000 + 30_000));
  await expect(page.getByRole('heading', { name: 'Cluster at 15m30s' })).toBeVisible();
  await page.keyboard.press('Home');
  await expect(main).toHaveAttribute('data-cursor', '0');
  await page.keyboard.press('End');
  await expect(main).toHaveAttribute('data-cursor', String(3600_000));

  await page.keyboard.press('Home');
  for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowRight');
  await expect(main).toHaveAttribute('data-cursor', String(20 * 60_000));
  await page.getByRole('combobox', { name: 'Kind of new event' }).selectOption('crash');
  await page.getByRole('button', { name: 'Add an event to etcd-1 at the cursor' }).focus();
  await page.keyboard.press('Enter');
  const bar = page.getByRole('button', { name: /^crash of etcd-1 from 20m to / });
  await expect(bar).toBeVisible();
  await bar.focus();
  await page.keyboard.press('Delete');
  await expect(bar).toHaveCount(0);
});

test('the import dialog is reachable, named, and closes with Escape', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Import…' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Import' });
  await expect(dialog).toBeVisible();
  for (const name of ['Files to import', 'File text']) {
    await expect(dialog.getByLabel(name)).toBeVisible();
  }
  await page.keyboard.press('Tab');
  await expect(dialog.locator(':focus')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

/** WCAG contrast ratio of two computed CSS colours (rgb/rgba, opaque enough to compare). */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? []).slice(0, 3).map((x) => {
      const v = Number(x) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (bl ?? 0);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the PromQL editor, its completion and its lint message are readable (${colorScheme})`, async ({
    browser,
  }) => {
    const page = await browser.newPage({ colorScheme, viewport: { width: 1440, height: 1000 } });
    await open(page);
    const panel = page.getByTestId('rule-naiveUp');
    await panel.getByRole('button', { name: 'Edit' }).click();
    const editor = panel.locator('.cm-content');
    await editor.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('rate(etcd_server_has_le');
    const option = page.locator('.cm-tooltip-autocomplete li').first();
    await expect(option).toBeVisible();
    await page.keyboard.press('Escape');
    // rate() of an instant vector: a type error over the argument, shown on hover.
    await panel.locator('.cm-lintRange-error').first().hover();
    const diagnostic = page.locator('.cm-tooltip-lint .cm-diagnostic');
    await expect(diagnostic).toBeVisible();
    const colours = await page.evaluate(() => {
      const style = (sel: string) => {
        const el = document.querySelector(sel);
        if (!el) throw new Error(`no ${sel}`);
        const s = getComputedStyle(el);
        return { color: s.color, caret: s.caretColor };
      };
      const bg = (sel: string) => {
        let el: Element | null = document.querySelector(sel);
        while (el) {
          const c = getComputedStyle(el).backgroundColor;
          if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c;
          el = el.parentElement;
        }
        return 'rgb(255, 255, 255)';
      };
      return {
        text: style('.promql-editor .cm-content').color,
        caret: style('.promql-editor .cm-content').caret,
        editorBg: bg('.promql-editor .cm-content'),
        lint: style('.cm-tooltip-lint .cm-diagnostic').color,
        lintBg: bg('.cm-tooltip-lint .cm-diagnostic'),
      };
    });
    expect(contrast(colours.text, colours.editorBg)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(colours.caret, colours.editorBg)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(colours.lint, colours.lintBg)).toBeGreaterThanOrEqual(4.5);
    await page.close();
  });
}
