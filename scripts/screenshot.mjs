// Takes screenshots of the production build for the README: `node scripts/screenshot.mjs [out.png]`.
// Builds nothing itself: run `npm run build` first.
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';

const out = process.argv[2] ?? 'docs/screenshot.png';
const theme = process.argv[3] ?? 'light';
const port = 4399;
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
  const page = await browser.newPage({
    viewport: { width: 1440, height: 1000 },
    colorScheme: theme === 'dark' ? 'dark' : 'light',
  });
  await page.goto(url);
  await page.getByTestId('status').filter({ hasText: 'evaluated in' }).waitFor();
  await page.screenshot({ path: out, fullPage: true });
  await browser.close();
  console.log(`wrote ${out}`);
} finally {
  process.kill(-server.pid);
}
