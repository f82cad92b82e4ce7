// The background worker: matrix and sweep, one preset per task so that a newer request (or a
// stale one) is noticed between presets.
import { presets } from '../../sim/index.ts';
import {
  PresetCache,
  checkRewrite,
  computeMatrix,
  computeSweep,
  proposeOrRewrite,
  type Progress,
  type RewriteCheck,
  type RuleDraft,
} from '../../lab/index.ts';
import type { BackgroundKind, BackgroundRequest, BackgroundResponse } from './background.ts';
import { playsRole } from './role.ts';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<BackgroundRequest>) => void) | null;
  postMessage(message: BackgroundResponse): void;
};

const cache = new PresetCache(presets);
const latest: Record<BackgroundKind, number> = { matrix: 0, sweep: 0, fixes: 0 };

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Every rule's rewrite, each checked on every preset, one preset per step. */
function* checkFixes(
  rules: readonly RuleDraft[],
  presets: PresetCache,
): Generator<Progress, RewriteCheck[]> {
  const checks: RewriteCheck[] = [];
  for (const rule of rules) {
    const rewrite = proposeOrRewrite(rule);
    if (rewrite) checks.push(yield* checkRewrite(rule, rewrite, presets));
  }
  return checks;
}

async function drive<T>(
  kind: BackgroundKind,
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
      } else if (req.kind === 'fixes') {
        const checks = await drive('fixes', req.id, checkFixes(req.rules, cache));
        if (checks) scope.postMessage({ kind: 'fixes', id: req.id, checks });
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
