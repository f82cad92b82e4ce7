// The Web Worker that runs the simulator and the engine off the page's main thread.
import { evaluateView } from '../model/evaluateView.ts';
import type { EvaluateRequest, EvaluateResponse } from './protocol.ts';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<EvaluateRequest>) => void) | null;
  postMessage(message: EvaluateResponse): void;
};

scope.onmessage = (e) => {
  const { id, scenario, rules } = e.data;
  const started = performance.now();
  try {
    const view = evaluateView(scenario, rules);
    scope.postMessage({ id, ok: true, view, ms: performance.now() - started });
  } catch (err) {
    scope.postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
};
