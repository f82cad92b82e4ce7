// Takes the README's screenshots of the production build: `node scripts/screenshot.mjs [dir]`.
// Builds nothing itself: run `npm run build` first.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { chromium } from '@playwright/test';

const dir = process.argv[2] ?? 'docs';
const port = Number(process.env.SCREENSHOT_PORT ?? 4399);
const server = spawn(
  'npx',
  ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
  {
    stdio: 'ignore',
    detached: true,
  },
);
try {
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  for (const theme of ['light', 'dark']) {
    const page = await browser.newPage({
      // The first screen a person sees on a laptop: the verdict must be on it.
      viewport: { width: 1280, height: 800 },
      colorScheme: theme,
    });
    await page.goto(url);
    await page.getByTestId('status').filter({ hasText: 'evaluated in' }).waitFor();
    await page.getByTestId('lints-etcdMembersDown').waitFor();
    const suffix = theme === 'dark' ? '-dark' : '';
    await page.screenshot({ path: join(dir, `screenshot${suffix}.png`) });
    if (theme === 'light') {
      await page.getByTestId('explain').screenshot({ path: join(dir, 'screenshot-explain.png') });
      await page
        .waitForFunction(() =>
          [...document.querySelectorAll('[data-testid="matrix"] td')].every(
            (c) => c.textContent !== '…',
          ),
        )
        .catch(() => undefined);
      await page.getByTestId('matrix').screenshot({ path: join(dir, 'screenshot-matrix.png') });
      // A lesson's step with its answer shown, beside the panel it points at.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.getByRole('button', { name: 'Lessons' }).click();
      await page.getByRole('button', { name: /^Start: Degraded quorum/ }).click();
      await page.getByRole('button', { name: 'Next step' }).click();
      await page.getByRole('heading', { name: 'Cluster at 25m' }).waitFor();
      await page.getByTestId('status').filter({ hasText: 'evaluated in' }).waitFor();
      await page.getByRole('button', { name: 'Show the answer' }).click();
      await page.getByTestId('lesson-answer').getByRole('listitem').first().waitFor();
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(dir, 'screenshot-lessons.png') });
      await page.getByRole('button', { name: 'Close' }).click();
      await page.getByRole('tab', { name: 'Backtest' }).click();
      await page.waitForTimeout(500);
      await page.screenshot({ path: join(dir, 'screenshot-backtest.png') });
    }
    await page.close();
  }
  await browser.close();
  console.log(`wrote screenshots to ${dir}/`);
} finally {
  process.kill(-server.pid);
}
