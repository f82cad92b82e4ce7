// The backtest worker's work: the data source's client (with the browser's fetch), the run (chunked
// range queries and the alert state machine replayed on the answers) and the cross-check (raw
// samples evaluated by our engine), each request abortable by its id.
import {
  backtestError,
  createClient,
  crossCheck,
  runBacktest,
  type DataSource,
  type FetchFn,
  type Outcome,
  type PrometheusApi,
} from '../../backtest/index.ts';
import type { BacktestRequest, BacktestResponse } from './backtest.ts';

/** Serves backtest requests over a fetch, posting each answer; returns the request handler. */
export function backtestService(
  fetchFn: FetchFn,
  post: (message: BacktestResponse) => void,
): (req: BacktestRequest) => void {
  const running = new Map<number, AbortController>();
  const client = (source: DataSource): PrometheusApi =>
    // After a network failure, a no-cors probe tells a CORS refusal from an unreachable server.
    createClient(source, { fetch: fetchFn, probeCors: true });
  /** Nothing should throw below; if something does, the page still gets an answer. */
  const guarded = async <T>(work: () => Promise<Outcome<T>>): Promise<Outcome<T>> => {
    try {
      return await work();
    } catch (err) {
      return { ok: false, error: backtestError('server', `the backtest failed: ${String(err)}`) };
    }
  };
  return (req) => {
    if (req.kind === 'cancel') {
      running.get(req.id)?.abort();
      return;
    }
    const ac = new AbortController();
    running.set(req.id, ac);
    const { signal } = ac;
    const done = () => running.delete(req.id);
    if (req.kind === 'connect') {
      void guarded(() => client(req.source).buildInfo(signal)).then((outcome) => {
        done();
        post({ kind: 'connect', id: req.id, outcome });
      });
    } else if (req.kind === 'run') {
      void guarded(() =>
        runBacktest(client(req.source), req.rules, {
          ...req.range,
          signal,
          onProgress: (progress) => post({ kind: 'progress', id: req.id, progress }),
        }),
      ).then((outcome) => {
        done();
        post({ kind: 'run', id: req.id, outcome });
      });
    } else {
      void guarded(() =>
        crossCheck(client(req.source), req.expr, {
          ...req.range,
          dialect: req.dialect,
          serverSeries: req.serverSeries,
          signal,
        }),
      ).then((outcome) => {
        done();
        post({ kind: 'cross-check', id: req.id, outcome });
      });
    }
  };
}
