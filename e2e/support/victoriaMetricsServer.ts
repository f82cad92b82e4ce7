// Starts a real VictoriaMetrics (Debian's /usr/bin/victoria-metrics) for the backtest's tests: a
// free port on 127.0.0.1, its own temporary data directory, fed the same OpenMetrics backfill as
// Prometheus through its import API (/api/v1/import/prometheus), flushed so that queries see it.
// It answers queries with CORS headers by default.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatOpenMetrics, simulate, type Scenario } from '../../src/sim/index.ts';
import { freePort, recentOffset, startProcess, type PrometheusServer } from './prometheusServer.ts';

/** Backfills the scenario into a new VictoriaMetrics and returns it running. */
export async function startVictoriaMetrics(
  scenario: Scenario,
  opts: { now?: number } = {},
): Promise<PrometheusServer> {
  const simulation = simulate(scenario);
  const offsetMs = recentOffset(scenario.duration, opts.now ?? Date.now());
  const dir = mkdtempSync(join(tmpdir(), 'quorumlab-vm-'));
  const dataDir = join(dir, 'data');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { child, output, stop } = startProcess(
    '/usr/bin/victoria-metrics',
    [
      `-httpListenAddr=127.0.0.1:${port}`,
      `-storageDataPath=${dataDir}`,
      '-retentionPeriod=100y',
      // Backfilled history: no cached rollups of a time before the data arrived.
      '-search.disableCache',
    ],
    dir,
  );
  try {
    await waitHealthy(url, output, () => child.exitCode);
    // VictoriaMetrics reads OpenMetrics' timestamps in seconds as such.
    const r = await fetch(`${url}/api/v1/import/prometheus`, {
      method: 'POST',
      body: formatOpenMetrics(simulation, { offsetMs }),
    });
    if (!r.ok) throw new Error(`import failed: ${r.status} ${await r.text()}`);
    const flush = await fetch(`${url}/internal/force_flush`);
    if (!flush.ok) throw new Error(`force_flush failed: ${flush.status}`);
    await waitForSamples(url, offsetMs, scenario.duration);
  } catch (e) {
    await stop();
    throw new Error(
      `victoria-metrics: ${e instanceof Error ? e.message : String(e)}\n${output()}`,
      {
        cause: e,
      },
    );
  }
  return { url, port, dataDir, offsetMs, simulation, stop };
}

async function waitHealthy(
  url: string,
  log: () => string,
  exitCode: () => number | null,
): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (exitCode() !== null) throw new Error(`exited with ${exitCode()}:\n${log()}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('did not become healthy');
}

/** Waits until the imported `up` series answer at the scenario's end (indexing is asynchronous). */
async function waitForSamples(url: string, offsetMs: number, duration: number): Promise<void> {
  const at = (offsetMs + duration) / 1000;
  for (let i = 0; i < 300; i++) {
    const r = await fetch(`${url}/api/v1/query?query=count(up)&time=${at}`);
    const body = (await r.json()) as { data?: { result?: unknown[] } };
    if ((body.data?.result?.length ?? 0) > 0) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('the imported series did not become searchable');
}
