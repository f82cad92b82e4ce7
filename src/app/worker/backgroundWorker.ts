// The background worker: matrix and sweep, one preset per task so that a newer request (or a
// stale one) is noticed between presets.
import { presets } from '../../sim/index.ts';
import { PresetCache, computeMatrix, computeSweep, type Progress } from '../../lab/index.ts';
import type { BackgroundRequest, BackgroundResponse } from './background.ts';
import { playsRole } from './role.ts';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<BackgroundRequest>) => void) | null;
  postMessage(message: BackgroundResponse): void;
};

const cache = new PresetCache(presets);
const latest = { matrix: 0, sweep: 0 };

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function drive<T>(
  kind: 'matrix' | 'sweep',
  id: number,
  work: Generator<Progress, T>,
): Promise<T | null> {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
    scope.postMessage({ kind, id, progress: step.value });
    await nextTask();
    if (latest[kind] !== id) return null;
  }
}

// Only in a worker started for this role: the page's workers share one bundle (role.ts).
if (playsRole('background')) scope.onmessage = onMessage;

function onMessage(e: MessageEvent<BackgroundRequest>): void {
  const req = e.data;
  latest[req.kind] = req.id;
  void (async () => {
    try {
      if (req.kind === 'matrix') {
        const cells = await drive('matrix', req.id, computeMatrix(req.rules, cache));
        if (cells) scope.postMessage({ kind: 'matrix', id: req.id, cells });
      } else {
        const points = await drive('sweep', req.id, computeSweep(req.rule, req.tunableKey, cache));
        if (points) scope.postMessage({ kind: 'sweep', id: req.id, points });
      }
    } catch (err) {
      scope.postMessage({
        kind: req.kind,
        id: req.id,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  })();
}
