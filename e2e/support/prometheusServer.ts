// Starts a real Prometheus (Debian's /usr/bin/prometheus, 2.42) for the backtest's tests: a free
// port on 127.0.0.1, its own temporary data directory filled from a simulator scenario's
// OpenMetrics export with `promtool tsdb create-blocks-from openmetrics` (Prometheus loads the
// blocks it finds in the data directory at startup), CORS open so the page can call it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  formatOpenMetrics,
  simulate,
  type Scenario,
  type Simulation,
} from '../../src/sim/index.ts';

/** A running Prometheus. */
export interface PrometheusServer {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Where the scenario's time 0 lies on the server (Unix ms). */
  readonly offsetMs: number;
  readonly simulation: Simulation;
  /** Stops the server (SIGTERM, then SIGKILL) and removes its data directory. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A server process of a test: its output so far, and a stop that also removes its directory. */
export interface TestProcess {
  readonly child: ChildProcess;
  output(): string;
  /** SIGTERM, SIGKILL after 5 s, then the directory goes; safe to call twice. */
  stop(): Promise<void>;
}

/** Starts `command` with its output kept; `dir` (its data) is removed when it is stopped. */
export function startProcess(command: string, args: readonly string[], dir: string): TestProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { child, output: () => output, stop };
}

/** Where to place a scenario so that it ends a little before now, on a whole hour. */
export function recentOffset(durationMs: number, now: number): number {
  const hour = 3_600_000;
  return Math.floor((now - durationMs - hour) / hour) * hour;
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  // Ready when it says so: the bound is generous for a loaded machine.
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`prometheus exited with ${child.exitCode}:\n${log()}`);
    }
    try {
      const r = await fetch(`${url}/-/ready`);
      if (r.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`prometheus did not become ready:\n${log()}`);
}

/** Backfills the scenario into a new data directory and starts Prometheus on it. */
export async function startPrometheus(
  scenario: Scenario,
  opts: { now?: number } = {},
): Promise<PrometheusServer> {
  const simulation = simulate(scenario);
  const offsetMs = recentOffset(scenario.duration, opts.now ?? Date.now());
  const dir = mkdtempSync(join(tmpdir(), 'quorumlab-prom-'));
  const dataDir = join(dir, 'data');
  const input = join(dir, 'scenario.om');
  writeFileSync(input, formatOpenMetrics(simulation, { offsetMs }));
  const backfill = spawnSync(
    'promtool',
    ['tsdb', 'create-blocks-from', 'openmetrics', input, dataDir],
    { encoding: 'utf8' },
  );
  if (backfill.error || backfill.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `promtool tsdb create-blocks-from openmetrics failed: ${backfill.error?.message ?? ''}${backfill.stdout}${backfill.stderr}`,
    );
  }
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 1m\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { child, output, stop } = startProcess(
    '/usr/bin/prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.cors.origin=.*',
      '--storage.tsdb.retention.time=30d',
    ],
    dir,
  );
  try {
    await waitReady(url, child, output);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, port, dataDir, offsetMs, simulation, stop };
}

/** A reverse proxy in front of `target` that demands `Authorization: Bearer <token>`. */
export async function startAuthProxy(
  target: string,
  token: string,
): Promise<{ url: string; stop(): Promise<void> }> {
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const cors = {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept',
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors);
      res.end();
      return;
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401, { ...cors, 'Content-Type': 'text/plain' });
      res.end('Unauthorized\n');
      return;
    }
    const proxied = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: upstream.host },
      },
      (up) => {
        // The proxy's CORS headers replace the server's (two Allow-Origin values fail).
        const headers = Object.fromEntries(
          Object.entries(up.headers).filter(([k]) => !k.startsWith('access-control-')),
        );
        res.writeHead(up.statusCode ?? 502, { ...headers, ...cors });
        up.pipe(res);
      },
    );
    proxied.on('error', (e) => {
      res.writeHead(502, cors);
      res.end(String(e));
    });
    req.pipe(proxied);
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
