// The backtest against a real Prometheus 2.42 (Debian's package) filled from a simulator
// scenario: the alert intervals equal what our engine computes on the same samples, the
// cross-check finds no difference, each failure is classified, and the command line agrees.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alertIntervals,
  createClient,
  crossCheck,
  runBacktest,
  type AlertInterval,
  type FetchFn,
} from '../../src/backtest/index.ts';
import { SeriesStore } from '../../src/promql/index.ts';
import { alertTimeline, formatRuleFile, type AlertRuleSpec } from '../../src/rules/index.ts';
import { findPreset, type Simulation } from '../../src/sim/index.ts';
import { rulePresets } from '../../src/lab/index.ts';
import {
  startAuthProxy,
  startPrometheus,
  type PrometheusServer,
} from '../../e2e/support/prometheusServer.ts';

const scenario = findPreset('partition-one-member')!.scenario;
const STEP = scenario.evaluationInterval;

/** The playground's rules, plus one with keep_firing_for. */
const rules: AlertRuleSpec[] = [
  ...rulePresets.map((r) => ({
    alert: r.alert,
    expr: r.expr,
    for: r.forMs,
    keepFiringFor: r.keepFiringForMs,
    labels: { ...r.labels },
    annotations: {},
  })),
  {
    alert: 'PeerFailuresKeepFiring',
    expr: 'sum without (instance, To) (rate(etcd_network_peer_sent_failures_total[1m])) > 0.01',
    for: 2 * 60_000,
    keepFiringFor: 5 * 60_000,
    labels: {},
    annotations: {},
  },
];

/** What our engine computes on the samples the server holds (no staleness markers). */
function expectedIntervals(sim: Simulation, offset: number): AlertInterval[][] {
  const store = new SeriesStore();
  for (const s of sim.series) {
    store.addSeries(
      s.labels,
      s.points.filter((p) => p[1] !== null).map(([t, v]) => [t + offset, v] as const),
    );
  }
  return rules.map((rule) => {
    const tl = alertTimeline(
      rule,
      store,
      { start: offset, end: offset + scenario.duration, interval: STEP },
      { compat: 'v2' },
    );
    if (!tl.ok) throw new Error(tl.error.message);
    return alertIntervals(rule.alert, tl.value);
  });
}

let server: PrometheusServer;
const dir = mkdtempSync(join(tmpdir(), 'quorumlab-backtest-'));
beforeAll(async () => {
  server = await startPrometheus(scenario);
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('backtest on a real Prometheus', () => {
  it('finds the same alert intervals as the in-browser engine, in chunks, with progress', async () => {
    const api = createClient({ url: server.url }, { fetch });
    const progress: number[] = [];
    const r = await runBacktest(api, rules, {
      start: server.offsetMs,
      end: server.offsetMs + scenario.duration,
      step: STEP,
      compat: 'v2',
      maxStepsPerQuery: 25,
      onProgress: (p) => progress.push(p.done),
    });
    if (!r.ok) throw new Error(r.error.message);
    const expected = expectedIntervals(server.simulation, server.offsetMs);
    expect(r.value.map((b) => b.intervals)).toEqual(expected);
    // The scenario does make alerts fire, so the comparison is not vacuous.
    expect(expected.flat().filter((i) => i.state === 'firing').length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(rules.length * Math.ceil((scenario.duration / STEP + 1) / 25));
  });

  it('cross-checks every rule with no difference between the server and our engine', async () => {
    const api = createClient({ url: server.url }, { fetch });
    // The rules, and expressions with output at every step (the rules are mostly empty).
    const exprs = [
      ...rules.map((r) => r.expr),
      'up',
      'sum without (instance, To) (rate(etcd_network_peer_sent_failures_total[1m]))',
      'histogram_quantile(0.99, rate(etcd_disk_wal_fsync_duration_seconds_bucket[5m]))',
      'max_over_time(etcd_server_has_leader[10m:1m])',
    ];
    let compared = 0;
    for (const expr of exprs) {
      const c = await crossCheck(api, expr, {
        start: server.offsetMs,
        end: server.offsetMs + scenario.duration,
        step: STEP,
        compat: 'v2',
        rawChunkMs: 20 * 60_000,
      });
      if (!c.ok) throw new Error(c.error.message);
      expect(c.value.rawSamples).toBeGreaterThan(0);
      expect(c.value.differences).toEqual([]);
      compared += c.value.compared;
    }
    expect(compared).toBeGreaterThan(1000);
  });
});

describe('backtest errors against the real server', () => {
  const range = () => ({
    start: server.offsetMs,
    end: server.offsetMs + scenario.duration,
    step: STEP,
  });

  it('reports a port nobody listens on as unreachable', async () => {
    const api = createClient({ url: 'http://127.0.0.1:9' }, { fetch });
    const r = await api.buildInfo();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('unreachable');
      expect(r.error.hint).toMatch(/server is running/);
    }
  });

  it('reports a URL without the API as not found', async () => {
    const api = createClient({ url: `${server.url}/no/such/prefix` }, { fetch });
    const r = await api.buildInfo();
    expect(r.ok ? 'ok' : r.error.kind).toBe('not-found');
  });

  it('reports the build info of a working server', async () => {
    const r = await createClient({ url: server.url + '/' }, { fetch }).buildInfo();
    expect(r.ok && r.value.version).toMatch(/^2\.42\./);
  });

  it('keeps going past a rule the server rejects, with its message', async () => {
    const api = createClient({ url: server.url }, { fetch });
    const bad: AlertRuleSpec = { ...rules[0]!, alert: 'Bad', expr: 'rate(up[1m]' };
    const r = await runBacktest(api, [bad, rules[0]!], { ...range(), compat: 'v2' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value[0]?.error?.kind).toBe('bad-query');
    expect(r.value[0]?.error?.message).toMatch(/parse error/);
    expect(r.value[1]?.error).toBeUndefined();
  });

  it('asks for credentials behind a proxy that demands a token, and works with it', async () => {
    const proxy = await startAuthProxy(server.url, 's3cret');
    try {
      const none = await createClient({ url: proxy.url }, { fetch }).buildInfo();
      expect(none.ok ? 'ok' : none.error.kind).toBe('auth');
      const wrong = await createClient(
        { url: proxy.url, auth: { type: 'bearer', token: 'nope' } },
        { fetch },
      ).buildInfo();
      expect(wrong.ok ? 'ok' : wrong.error.kind).toBe('auth');
      const api = createClient(
        { url: proxy.url, auth: { type: 'bearer', token: 's3cret' } },
        { fetch },
      );
      const r = await runBacktest(api, rules.slice(0, 1), { ...range(), compat: 'v2' });
      expect(r.ok).toBe(true);
    } finally {
      await proxy.stop();
    }
  });

  it('reports a server that stops in the middle of the range as unreachable', async () => {
    const doomed = await startPrometheus(scenario);
    try {
      let calls = 0;
      const stopping: FetchFn = async (input, init) => {
        calls++;
        if (calls === 2) await doomed.stop();
        return fetch(input, init);
      };
      const api = createClient({ url: doomed.url }, { fetch: stopping });
      const r = await runBacktest(api, rules.slice(0, 1), {
        start: doomed.offsetMs,
        end: doomed.offsetMs + scenario.duration,
        step: STEP,
        maxStepsPerQuery: 30,
      });
      expect(r.ok ? 'ok' : r.error.kind).toBe('unreachable');
      expect(calls).toBe(2);
    } finally {
      await doomed.stop();
    }
  });

  it('stops when cancelled', async () => {
    const api = createClient({ url: server.url }, { fetch });
    const controller = new AbortController();
    const r = await runBacktest(api, rules, {
      ...range(),
      maxStepsPerQuery: 10,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done === 2) controller.abort();
      },
    });
    expect(r.ok ? 'ok' : r.error.kind).toBe('aborted');
  });
});

describe('quorumlab backtest', () => {
  const BIN = new URL('../../bin/quorumlab', import.meta.url).pathname;
  function quorumlab(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args]);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  }
  function ruleFile(): string {
    const path = join(dir, 'rules.yaml');
    writeFileSync(path, formatRuleFile([{ name: 'etcd', rules }]));
    return path;
  }

  it('prints the same intervals as JSON, and cross-checks without differences', async () => {
    const r = await quorumlab([
      'backtest',
      '--url',
      server.url,
      '--rules',
      ruleFile(),
      '--start',
      String(server.offsetMs / 1000),
      '--end',
      new Date(server.offsetMs + scenario.duration).toISOString(),
      '--step',
      `${STEP / 1000}s`,
      '--compat',
      'v2',
      '--format',
      'json',
      '--cross-check',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      rules: {
        alert: string;
        intervals: { state: string; from: number; to: number | null }[];
        crossCheck: { differences: number };
      }[];
    };
    const expected = expectedIntervals(server.simulation, server.offsetMs);
    expect(doc.rules.map((x) => x.alert)).toEqual(rules.map((x) => x.alert));
    doc.rules.forEach((x, i) => {
      expect(x.intervals.map((iv) => [iv.state, iv.from * 1000, iv.to && iv.to * 1000])).toEqual(
        expected[i]!.map((iv) => [iv.state, iv.from, iv.to]),
      );
      expect(x.crossCheck.differences).toBe(0);
    });
  });

  it('prints one line per interval as text', async () => {
    const r = await quorumlab([
      'backtest',
      '--url',
      server.url,
      '--rules',
      ruleFile(),
      '--start',
      String(server.offsetMs / 1000),
      '--end',
      String((server.offsetMs + scenario.duration) / 1000),
      '--compat',
      'v2',
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => / (pending|firing) /.test(l));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatch(
        /^\w+\{.*\} (pending|firing) +\d{4}-\d\d-\d\dT\S+Z → (\S+Z|\(still at end\))$/,
      );
    }
    expect(r.stdout).toContain(`# ${rules[0]!.alert}\n`);
  });

  it('exits 1 with what to do when the server is unreachable', async () => {
    const r = await quorumlab([
      'backtest',
      '--url',
      'http://127.0.0.1:9',
      '--rules',
      ruleFile(),
      '--start',
      '0',
      '--end',
      '600',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9.*server is running/s);
  });

  it('calls a URL without a scheme over http://, and refuses another scheme with exit 2', async () => {
    const args = (url: string) => [
      'backtest',
      '--url',
      url,
      '--rules',
      ruleFile(),
      '--start',
      String(server.offsetMs / 1000),
      '--end',
      String((server.offsetMs + scenario.duration) / 1000),
      '--compat',
      'v2',
    ];
    const bare = await quorumlab(args(server.url.replace(/^http:\/\//, '')));
    expect(bare.stderr).toBe('');
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain(`# ${rules[0]!.alert}\n`);
    const ftp = await quorumlab(args(server.url.replace(/^http:/, 'ftp:')));
    expect(ftp.code).toBe(2);
    expect(ftp.stderr).toContain('--url: the URL must start with http:// or https://, not ftp://');
  });

  it('exits 2 on missing arguments', async () => {
    const r = await quorumlab(['backtest', '--url', server.url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/required/);
  });
});
