// A hostile Prometheus-compatible server on 127.0.0.1: every malformed answer is reported as "not a
// Prometheus API response" with where it broke the schema, an endless answer is cut at the cap,
// the backtest run ends with that error (never a TypeError), and the CLI exits 1 with the message.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClient,
  NOT_PROMETHEUS,
  parseEnvelope,
  parseQueryData,
  runBacktest,
} from '../../src/backtest/index.ts';

const BIN = join(import.meta.dirname, '../../bin/quorumlab');

const matrix = (result: unknown) =>
  JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } });

/** Hostile answers of /api/v1/query_range, by path, and what the error must point at. */
const hostile: Record<string, { body: string; where: string }> = {
  '/null-series': { body: matrix([null]), where: 'data.result[0] must be an object' },
  '/values-nope': {
    body: matrix([{ metric: {}, values: 'nope' }]),
    where: 'data.result[0].values must be a list',
  },
  '/object-labels': {
    body: matrix([{ metric: { instance: { a: 1 } }, values: [[1, '1']] }]),
    where: 'data.result[0].metric.instance must be a string',
  },
  '/word-time': {
    body: matrix([{ metric: {}, values: [['abc', '1']] }]),
    where: 'data.result[0].values[0][0] must be a Unix time',
  },
  '/word-value': {
    body: matrix([{ metric: {}, values: [[1, 'one']] }]),
    where: 'data.result[0].values[0][1] must be a sample value',
  },
  '/no-data': { body: '{"status":"success"}', where: 'a success without data' },
  '/array': { body: '[1,2]', where: 'the answer must be an object' },
  '/html': { body: '<html>hi</html>', where: 'not JSON' },
  '/result-type': {
    body: JSON.stringify({ status: 'success', data: { resultType: 'streams', result: [] } }),
    where: 'data.resultType must be',
  },
};

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const prefix = url.pathname.slice(0, url.pathname.indexOf('/api/v1'));
    res.setHeader('Content-Type', 'application/json');
    if (prefix === '/endless') {
      // An answer that never ends: a result list of one series repeated until the client leaves.
      res.write('{"status":"success","data":{"resultType":"matrix","result":[');
      const chunk = `${'{"metric":{"a":"b"},"values":[[1,"1"]]},'.repeat(2000)}`;
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => res.destroy());
      pump();
      return;
    }
    if (prefix === '/many-series') {
      const result = Array.from({ length: 20_000 }, (_, i) => ({
        metric: { i: String(i) },
        values: [[1, '1']],
      }));
      res.end(matrix(result));
      return;
    }
    const h = hostile[prefix];
    res.end(h ? h.body : matrix([]));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const rule = {
  alert: 'A',
  expr: 'up == 0',
  for: 0,
  keepFiringFor: 0,
  labels: {},
  annotations: {},
};

describe('a hostile server', () => {
  it.each(Object.entries(hostile))('%s is not a Prometheus API response', async (path, h) => {
    const api = createClient({ url: base + path }, { fetch });
    const r = await api.queryRange('up', 0, 60_000, 15_000);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.kind).toBe('bad-response');
    expect(r.error.message).toContain(`${NOT_PROMETHEUS}: `);
    expect(r.error.message).toContain(h.where);
  });

  it('a backtest over a malformed answer ends with the error and its progress complete', async () => {
    const api = createClient({ url: `${base}/null-series` }, { fetch });
    const progress: number[] = [];
    const r = await runBacktest(api, [rule, { ...rule, alert: 'B' }], {
      start: 0,
      end: 3_600_000,
      step: 60_000,
      onProgress: (p) => progress.push(p.done),
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain(NOT_PROMETHEUS);
  });

  it('an endless answer is cut at the cap, not held whole', async () => {
    const api = createClient({ url: `${base}/endless` }, { fetch });
    const r = await api.queryRange('up', 0, 60_000, 15_000);
    expect(r.ok ? 'ok' : r.error.kind).toBe('too-large');
    if (!r.ok) expect(r.error.message).toContain('the answer is too large: more than 32 MiB');
  });

  it('an answer of 20,000 series is refused as too large', async () => {
    const api = createClient({ url: `${base}/many-series` }, { fetch });
    const r = await api.queryRange('up', 0, 60_000, 15_000);
    expect(r.ok ? 'ok' : r.error.message).toBe('the answer is too large: more than 5,000 series');
  });

  it('the CLI reports the answer and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostile-'));
    try {
      const rules = join(dir, 'rules.yml');
      writeFileSync(rules, 'groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n');
      const child = spawn(process.execPath, [
        BIN,
        'backtest',
        '--url',
        `${base}/values-nope`,
        '--rules',
        rules,
        '--start',
        '0',
        '--end',
        '3600',
      ]);
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((r) => child.on('close', r));
      expect(stderr).toContain(
        `quorumlab backtest: ${NOT_PROMETHEUS}: data.result[0].values must be a list`,
      );
      expect(code).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the schema check', () => {
  it('reads a real answer: matrix, vector, scalar, special values', () => {
    const m = parseQueryData({
      resultType: 'matrix',
      result: [
        {
          metric: { a: 'b' },
          values: [
            [1.5, '+Inf'],
            [2, 'NaN'],
            [3, '-1e-3'],
          ],
        },
      ],
    });
    expect(m).toEqual({
      ok: true,
      value: [
        {
          labels: { a: 'b' },
          points: [
            [1500, Infinity],
            [2000, NaN],
            [3000, -0.001],
          ],
        },
      ],
    });
    expect(
      parseQueryData({ resultType: 'vector', result: [{ metric: {}, value: [1, '2'] }] }),
    ).toMatchObject({ ok: true, value: [{ labels: {}, points: [[1000, 2]] }] });
    expect(parseQueryData({ resultType: 'scalar', result: [1, '2'] })).toMatchObject({ ok: true });
  });

  it('tells an API error from a broken envelope', () => {
    expect(parseEnvelope('{"status":"error","errorType":"bad_data","error":"x"}')).toEqual({
      ok: true,
      value: { status: 'error', errorType: 'bad_data', error: 'x' },
    });
    const r = parseEnvelope('{"status":7}');
    expect(r.ok ? '' : r.error.message).toBe(
      `${NOT_PROMETHEUS}: status must be "success" or "error", got number 7`,
    );
  });
});
