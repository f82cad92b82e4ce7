// The backtest worker: fetch, the run and the cross-check off the page's main thread (see
// backtestService.ts), in a worker of the page's one bundle started for the role 'backtest'.
import type { BacktestRequest, BacktestResponse } from './backtest.ts';
import { backtestService } from './backtestService.ts';
import { playsRole } from './role.ts';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<BacktestRequest>) => void) | null;
  postMessage(message: BacktestResponse): void;
};

// Only in a worker started for this role: the page's workers share one bundle (role.ts).
if (playsRole('backtest')) {
  const serve = backtestService(
    (input, init) => fetch(input, init),
    (m) => scope.postMessage(m),
  );
  scope.onmessage = (e) => serve(e.data);
}
