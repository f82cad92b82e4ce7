// The page's side of the backtest worker: each request answered through a promise, progress
// through a callback, and cancel by the request's handle. The worker is started on the first
// request, so a page that never opens the Backtest tab never starts it.
import { backtestError, type Outcome } from '../../backtest/index.ts';
import type { BacktestProgress, BuildInfo, CrossCheckResult } from '../../backtest/index.ts';
import type { RuleBacktest } from '../../backtest/index.ts';
import type { BacktestRequest, BacktestResponse } from './backtest.ts';
import { startPageWorker } from './role.ts';

/** A request without its id, as the page asks it. */
export type BacktestAsk =
  | Omit<Extract<BacktestRequest, { kind: 'connect' }>, 'id'>
  | Omit<Extract<BacktestRequest, { kind: 'run' }>, 'id'>
  | Omit<Extract<BacktestRequest, { kind: 'cross-check' }>, 'id'>;

/** What each kind of request resolves to. */
export interface BacktestAnswers {
  readonly connect: Outcome<BuildInfo>;
  readonly run: Outcome<RuleBacktest[]>;
  readonly 'cross-check': Outcome<CrossCheckResult>;
}

/** A request on its way: its answer, and how to abort it. */
export interface BacktestCall<T> {
  readonly answer: Promise<T>;
  cancel(): void;
}

/** What the backtest store needs from the worker (a fake in unit tests). */
export interface BacktestClient {
  ask<A extends BacktestAsk>(
    request: A,
    onProgress?: (p: BacktestProgress) => void,
  ): BacktestCall<BacktestAnswers[A['kind']]>;
}

interface Pending {
  resolve(outcome: Outcome<unknown>): void;
  progress?: (p: BacktestProgress) => void;
}

/** Runs the backtest's requests in the page's worker of role 'backtest'. */
export class BacktestBridge implements BacktestClient {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = startPageWorker('backtest');
    worker.onmessage = (e: MessageEvent<BacktestResponse>) => {
      const r = e.data;
      const p = this.pending.get(r.id);
      if (!p) return;
      if (r.kind === 'progress') {
        p.progress?.(r.progress);
        return;
      }
      this.pending.delete(r.id);
      p.resolve(r.outcome);
    };
    // A worker that fails answers nothing more: every request waiting gets the failure, and the
    // next request starts a fresh worker.
    worker.onerror = (e) => {
      e.preventDefault();
      worker.terminate();
      this.worker = null;
      const waiting = [...this.pending.values()];
      this.pending.clear();
      const error = backtestError('server', `the backtest worker failed: ${e.message}`);
      for (const p of waiting) p.resolve({ ok: false, error });
    };
    this.worker = worker;
    return worker;
  }

  ask<A extends BacktestAsk>(
    request: A,
    onProgress?: (p: BacktestProgress) => void,
  ): BacktestCall<BacktestAnswers[A['kind']]> {
    const worker = this.started();
    const id = ++this.nextId;
    const answer = new Promise<BacktestAnswers[A['kind']]>((resolve) => {
      this.pending.set(id, {
        resolve: resolve as (o: Outcome<unknown>) => void,
        ...(onProgress ? { progress: onProgress } : {}),
      });
    });
    worker.postMessage({ ...request, id } as BacktestRequest);
    return {
      answer,
      cancel: () => {
        if (this.pending.has(id)) this.worker?.postMessage({ kind: 'cancel', id });
      },
    };
  }
}
