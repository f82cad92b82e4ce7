// The backtest store: the data source saved as the first Backtest tab saved it (credentials only
// when asked), errors about an old URL gone when it changes, and a run, a cancel and a
// cross-check through the worker's own service, in-process over a fake server.
import { beforeEach, describe, expect, it } from 'vitest';
import type { BacktestProgress, FetchFn } from '../../backtest/index.ts';
import { defaultRules } from '../../lab/index.ts';
import type { BacktestRequest, BacktestResponse } from '../worker/backtest.ts';
import type { BacktestAsk, BacktestClient } from '../worker/backtestBridge.ts';
import { backtestService } from '../worker/backtestService.ts';
import {
  EMPTY_SOURCE,
  SOURCE_STORAGE_KEY,
  getInitialBacktestState,
  loadSourceForm,
  saveSourceForm,
  setBacktestClient,
  useBacktest,
  type SourceStorage,
} from './backtest.ts';

function memoryStorage(initial: Record<string, string> = {}): SourceStorage & {
  items: Record<string, string>;
} {
  const items = { ...initial };
  return {
    items,
    getItem: (k) => items[k] ?? null,
    setItem: (k, v) => {
      items[k] = v;
    },
  };
}

/** The worker's service run in-process, as the page's bridge would reach it. */
function inProcess(fetchFn: FetchFn): BacktestClient {
  let nextId = 0;
  const waiting = new Map<
    number,
    { resolve: (r: unknown) => void; progress?: (p: BacktestProgress) => void }
  >();
  const serve = backtestService(fetchFn, (m: BacktestResponse) => {
    const w = waiting.get(m.id);
    if (!w) return;
    if (m.kind === 'progress') w.progress?.(m.progress);
    else {
      waiting.delete(m.id);
      w.resolve(m.outcome);
    }
  });
  return {
    ask(request: BacktestAsk, onProgress?: (p: BacktestProgress) => void) {
      const id = ++nextId;
      const answer = new Promise((resolve) => {
        waiting.set(id, { resolve, ...(onProgress ? { progress: onProgress } : {}) });
      });
      serve({ ...request, id } as BacktestRequest);
      return { answer, cancel: () => serve({ kind: 'cancel', id }) };
    },
  } as BacktestClient;
}

const json = (data: unknown) =>
  Promise.resolve(new Response(JSON.stringify({ status: 'success', data })));

/**
 * A server with `up` of one target: 1, then 0 from 3m on, a sample a minute. It answers `up` and
 * `up == 0` over ranges, and range selectors of `up`; query_range answers wait on `gate`.
 */
function fakeServer(gate: Promise<void> = Promise.resolve()): { fetch: FetchFn; asked: string[] } {
  const asked: string[] = [];
  const up = (t: number) => (t >= 180 ? 0 : 1);
  const metric = { __name__: 'up', job: 'etcd', instance: 'a' };
  return {
    asked,
    fetch: async (url, init) => {
      asked.push(url);
      const u = new URL(url);
      const q = u.searchParams;
      if (u.pathname.endsWith('/status/buildinfo')) return json({ version: '2.42.0' });
      if (u.pathname.endsWith('/query_range')) {
        await new Promise<void>((resolve, reject) => {
          void gate.then(resolve);
          init?.signal?.addEventListener('abort', () =>
            reject(new DOMException('aborted', 'AbortError')),
          );
        });
        const values: [number, string][] = [];
        for (let t = Number(q.get('start')); t <= Number(q.get('end')); t += 60)
          if (q.get('query') !== 'up == 0' || up(t) === 0) values.push([t, String(up(t))]);
        return json({ resultType: 'matrix', result: [{ metric, values }] });
      }
      const window = /^\{__name__="up"\}\[(\d+)s\]$/.exec(q.get('query') ?? '');
      if (u.pathname.endsWith('/query') && window) {
        const at = Number(q.get('time'));
        const values: [number, string][] = [];
        for (let t = Math.ceil((at - Number(window[1])) / 60) * 60; t <= at; t += 60)
          if (t >= 0) values.push([t, String(up(t))]);
        return json({ resultType: 'matrix', result: [{ metric, values }] });
      }
      return Promise.resolve(new Response(`unexpected ${url}`, { status: 404 }));
    },
  };
}

const downRule = {
  id: 'Down',
  alert: 'Down',
  expr: 'up == 0',
  forMs: 60_000,
  keepFiringForMs: 0,
  labels: {},
  annotations: {},
  note: '',
};

const settled = () => new Promise((r) => setTimeout(r, 0));
async function until(ok: () => boolean): Promise<void> {
  while (!ok()) await settled();
}

describe('the saved data source', () => {
  it('reads what the first Backtest tab saved, credentials only if remembered', () => {
    expect(
      loadSourceForm(
        memoryStorage({
          [SOURCE_STORAGE_KEY]: JSON.stringify({ url: 'http://prom:9090', authType: 'bearer' }),
        }),
      ),
    ).toEqual({ ...EMPTY_SOURCE, url: 'http://prom:9090', authType: 'bearer' });
    const remembered = {
      url: 'http://prom:9090',
      authType: 'basic',
      token: '',
      user: 'u',
      password: 'p',
      remember: true,
    } as const;
    expect(
      loadSourceForm(memoryStorage({ [SOURCE_STORAGE_KEY]: JSON.stringify(remembered) })),
    ).toEqual(remembered);
  });

  it.each(['{not json', '"a string"', '{"authType":"magic","url":7,"remember":"yes"}'])(
    'takes the defaults for what is broken in %s',
    (raw) => {
      expect(loadSourceForm(memoryStorage({ [SOURCE_STORAGE_KEY]: raw }))).toEqual(EMPTY_SOURCE);
    },
  );

  it('writes the credentials only when asked to remember them', () => {
    const storage = memoryStorage();
    const form = { ...EMPTY_SOURCE, authType: 'bearer', token: 'secret' } as const;
    saveSourceForm(form, storage);
    expect(JSON.parse(storage.items[SOURCE_STORAGE_KEY] ?? '')).toEqual({
      url: EMPTY_SOURCE.url,
      authType: 'bearer',
    });
    saveSourceForm({ ...form, remember: true }, storage);
    expect(loadSourceForm(storage)).toEqual({ ...form, remember: true });
  });
});

describe('the backtest store', () => {
  beforeEach(() => useBacktest.setState(getInitialBacktestState(null)));

  it('tests the connection, and forgets what it said about a URL once the URL changes', async () => {
    setBacktestClient(inProcess(fakeServer().fetch));
    useBacktest.getState().updateSource({ url: 'ftp://prom:9090' });
    useBacktest.getState().testConnection();
    await until(() => useBacktest.getState().connection.state === 'error');
    const c = useBacktest.getState().connection;
    expect(c.state === 'error' && c.error.kind).toBe('bad-url');

    useBacktest.getState().updateSource({ url: 'prom:9090' });
    expect(useBacktest.getState().connection).toEqual({ state: 'idle' });
    useBacktest.getState().testConnection();
    await until(() => useBacktest.getState().connection.state !== 'testing');
    expect(useBacktest.getState().connection).toEqual({ state: 'ok', version: '2.42.0' });
  });

  it('runs the rules with progress, and a changed URL clears the run’s server error', async () => {
    const server = fakeServer();
    setBacktestClient(inProcess(server.fetch));
    useBacktest.getState().updateSource({ url: 'http://prom:9090' });
    useBacktest.getState().updateRange({ startText: '0', endText: '600', stepText: '1m' });
    const seen: BacktestProgress[] = [];
    const stop = useBacktest.subscribe((s) => {
      if (s.progress && s.progress !== seen[seen.length - 1]) seen.push(s.progress);
    });
    useBacktest.getState().start(defaultRules);
    await until(() => !useBacktest.getState().running);
    stop();
    const { run, runError } = useBacktest.getState();
    expect(runError).toBe(null);
    expect(run?.results.map((r) => r.rule.alert)).toEqual(defaultRules.map((r) => r.alert));
    expect(seen[seen.length - 1]).toMatchObject({ done: defaultRules.length });
    expect(server.asked.filter((u) => u.includes('query_range'))).toHaveLength(defaultRules.length);

    // A server that is not there: the error names it, and goes once the URL changes.
    setBacktestClient(inProcess(() => Promise.reject(new TypeError('Failed to fetch'))));
    useBacktest.getState().start(defaultRules);
    await until(() => !useBacktest.getState().running);
    expect(useBacktest.getState().runError).toMatchObject({ kind: 'unreachable' });
    expect(useBacktest.getState().run).toBe(run);
    useBacktest.getState().updateSource({ url: 'http://prom:9091' });
    expect(useBacktest.getState().runError).toBe(null);
  });

  it('cancels a run waiting for the server, and cross-checks a finished one', async () => {
    let release = () => {};
    const server = fakeServer(new Promise<void>((r) => (release = r)));
    setBacktestClient(inProcess(server.fetch));
    useBacktest.getState().updateRange({ startText: '0', endText: '600', stepText: '1m' });
    useBacktest.getState().start(defaultRules);
    await until(() => server.asked.length > 0);
    expect(useBacktest.getState().running).toBe(true);
    useBacktest.getState().cancel();
    await until(() => !useBacktest.getState().running);
    expect(useBacktest.getState().runError).toMatchObject({ kind: 'aborted' });

    release();
    useBacktest.getState().start([downRule]);
    await until(() => !useBacktest.getState().running);
    const run = useBacktest.getState().run!;
    expect(run.results[0]?.intervals.map((i) => [i.state, i.from, i.to])).toEqual([
      ['pending', 180_000, 240_000],
      ['firing', 240_000, null],
    ]);
    useBacktest.getState().crossCheck(downRule, run.results[0]!);
    expect(useBacktest.getState().checks[downRule.id]).toEqual({ state: 'running' });
    await until(() => useBacktest.getState().checks[downRule.id]?.state !== 'running');
    expect(useBacktest.getState().checks[downRule.id]).toMatchObject({
      state: 'done',
      result: { differences: [], compared: 8 },
    });
  });

  it('says what is wrong with the form before asking the server', () => {
    let asked = 0;
    setBacktestClient({
      ask: () => {
        asked++;
        throw new Error('not reached');
      },
    });
    useBacktest.getState().updateRange({ startText: 'yesterday' });
    useBacktest.getState().start(defaultRules);
    expect(useBacktest.getState().runError).toContain('RFC 3339');
    useBacktest.getState().updateRange({ startText: 'now-1h' });
    useBacktest.getState().updateSource({ url: 'ftp://prom' });
    useBacktest.getState().start(defaultRules);
    expect(useBacktest.getState().runError).toContain('http:// or https://');
    expect(asked).toBe(0);
  });
});
