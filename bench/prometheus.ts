// A real Prometheus 2.42 server for bench/run.ts (issue 15): the simulation's series backfilled
// with `promtool tsdb create-blocks-from openmetrics` into a temporary data directory, a server
// on 127.0.0.1 over it, and `query_range` calls against it. The caller stops the server (also
// when the bench fails or is interrupted: startPrometheus registers exit and signal handlers).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMetricsChunks, type Simulation } from '../src/sim/index.ts';

export const PROMETHEUS = process.env['PROMETHEUS'] ?? '/usr/bin/prometheus';
const PROMTOOL = process.env['PROMTOOL'] ?? 'promtool';

/** A running server and its data; stop() ends it and removes the directory. */
export interface PrometheusServer {
  readonly url: string;
  /** The server's process id (for its CPU time). */
  readonly pid: number | undefined;
  stop(): void;
}

/**
 * Writes the simulation as OpenMetrics (no staleness markers: the format cannot carry them) and
 * backfills it into blocks in a new temporary directory. Returns the directory.
 */
export function backfill(sim: Simulation): { dir: string; bytes: number } {
  const dir = mkdtempSync(join(tmpdir(), 'quorumlab-bench-prometheus-'));
  const file = join(dir, 'series.om');
  const fd = openSync(file, 'w');
  let bytes = 0;
  try {
    for (const chunk of openMetricsChunks(sim)) bytes += writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  const run = spawnSync(
    PROMTOOL,
    ['tsdb', 'create-blocks-from', 'openmetrics', '-q', file, join(dir, 'data')],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  rmSync(file);
  if (run.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`promtool tsdb create-blocks-from openmetrics: ${run.stderr || run.error}`);
  }
  return { dir, bytes };
}

/**
 * Starts Prometheus over the blocks in `dir` (from backfill) on 127.0.0.1:port, with no scrape
 * targets, and waits until it is ready. The directory is removed when the server stops.
 */
export async function startPrometheus(dir: string, port: number): Promise<PrometheusServer> {
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, 'global:\n  evaluation_interval: 1m\n');
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // The blocks lie in 1970: keep them (retention counts from the newest block anyway).
      '--storage.tsdb.retention.time=100y',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (log.length < 20_000) log += d.toString();
  });
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    child.kill('SIGTERM');
    process.off('exit', stop);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // The server may still write its head while it shuts down; removal is best effort.
    rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    stop();
    process.kill(process.pid, signal);
  };
  process.on('exit', stop);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) {
      stop();
      throw new Error(`prometheus exited (${child.exitCode}): ${log.slice(-2000)}`);
    }
    try {
      const r = await fetch(`${url}/-/ready`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      stop();
      throw new Error(`prometheus not ready after 120 s: ${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, pid: child.pid, stop };
}

/** One series of a query_range answer: labels and [unix seconds, value text] pairs. */
export interface RangeSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

/** Calls /api/v1/query_range; returns the body's text (for timing) and its parsed series. */
export async function queryRange(
  url: string,
  expr: string,
  startMs: number,
  endMs: number,
  stepMs: number,
): Promise<{ text: string; series: () => RangeSeries[] }> {
  const body = new URLSearchParams({
    query: expr,
    start: String(startMs / 1000),
    end: String(endMs / 1000),
    step: String(stepMs / 1000),
  });
  const r = await fetch(`${url}/api/v1/query_range`, { method: 'POST', body });
  const text = await r.text();
  return {
    text,
    series: () => {
      const doc = JSON.parse(text) as {
        status: string;
        error?: string;
        data?: { resultType: string; result: RangeSeries[] };
      };
      if (doc.status !== 'success' || !doc.data) throw new Error(`query_range: ${doc.error}`);
      return doc.data.result;
    },
  };
}

/** A value as Prometheus's API writes it ("NaN", "+Inf", "-Inf" or a number). */
export function apiValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}
