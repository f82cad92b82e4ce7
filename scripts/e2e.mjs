// Runs the Playwright e2e suite against a fresh production build in the system Chromium.
// In CI a missing Chromium is a failure; on a developer's machine it is reported loudly and the
// step fails too, so nobody mistakes a skipped suite for a passing one.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  const bar = '!'.repeat(78);
  console.error(
    `${bar}\n!! e2e: no Chromium at ${chromium}.\n!! Install it (Debian: apt-get install chromium) or set CHROMIUM_PATH.\n!! The e2e suite did NOT run.\n${bar}`,
  );
  process.exit(1);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: false });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run('npx', ['vite', 'build', '--logLevel', 'warn']);
run('npx', ['playwright', 'test', ...process.argv.slice(2)]);
