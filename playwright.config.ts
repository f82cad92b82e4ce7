// Playwright runs the e2e specs in the system Chromium against the production build served by
// `vite preview`. The browser path comes from CHROMIUM_PATH, else /usr/bin/chromium.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 4317);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  // Waits follow the work: every expectation polls until its state holds, and these bounds only
  // say when to give up. They are generous so that the suite passes on a loaded 2-core machine
  // (Playwright's default of 5 s per expectation failed the scrape-interval sweep at load 2–4).
  timeout: 300_000,
  expect: { timeout: 90_000 },
  forbidOnly: true,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    viewport: { width: 1440, height: 1000 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 180_000,
  },
});
