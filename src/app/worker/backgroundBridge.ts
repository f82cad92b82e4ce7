// The page's side of the background worker: the newest matrix, sweep and fix-check requests, with
// progress.
import type { MatrixCell, Progress, RewriteCheck, SweepPoint } from '../../lab/index.ts';
import type { RuleDraft } from '../../lab/index.ts';
import type { BackgroundKind, BackgroundRequest, BackgroundResponse } from './background.ts';
import { startPageWorker } from './role.ts';

/** Callbacks for background results; only the newest request of each kind reports. */
export interface BackgroundListener {
  progress(kind: BackgroundKind, progress: Progress): void;
  matrix(cells: MatrixCell[]): void;
  sweep(points: SweepPoint[]): void;
  fixes(checks: RewriteCheck[]): void;
  error(kind: BackgroundKind, message: string): void;
}

/** Runs matrices, sweeps and fix checks in a second worker. */
export class BackgroundBridge {
  private readonly worker: Worker;
  private readonly latest: Record<BackgroundKind, number> = { matrix: 0, sweep: 0, fixes: 0 };

  constructor(listener: BackgroundListener) {
    this.worker = startPageWorker('background');
    this.worker.onmessage = (e: MessageEvent<BackgroundResponse>) => {
      const r = e.data;
      if (r.id !== this.latest[r.kind]) return;
      if ('progress' in r) listener.progress(r.kind, r.progress);
      else if ('error' in r) listener.error(r.kind, r.error);
      else if ('cells' in r) listener.matrix(r.cells);
      else if ('checks' in r) listener.fixes(r.checks);
      else listener.sweep(r.points);
    };
  }

  private send(req: BackgroundRequest) {
    this.worker.postMessage(req);
  }

  /** Scores every rule on every preset. */
  matrix(rules: readonly RuleDraft[]): void {
    this.latest.matrix += 1;
    this.send({ kind: 'matrix', id: this.latest.matrix, rules });
  }

  /** Checks on every preset the rewrites the rules' findings could offer. */
  fixes(rules: readonly RuleDraft[]): void {
    this.latest.fixes += 1;
    this.send({ kind: 'fixes', id: this.latest.fixes, rules });
  }

  /** Sweeps one number of a rule. */
  sweep(rule: RuleDraft, tunableKey: string): void {
    this.latest.sweep += 1;
    this.send({ kind: 'sweep', id: this.latest.sweep, rule, tunableKey });
  }
}
