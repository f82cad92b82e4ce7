// The page's side of the evaluation worker: while an evaluation runs, newer ones wait on the page
// and only the newest is sent, once the running one is answered (whose view is drawn meanwhile).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RuleDraft, ScenarioSource, ViewModel } from '../../lab/index.ts';
import { EvaluationBridge, type EvaluationOutcome } from './bridge.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';

/** A worker that keeps what the page posts and answers when the test says. */
class FakeWorker {
  static started: FakeWorker[] = [];
  readonly posted: WorkerRequest[] = [];
  terminated = false;
  onmessage: ((e: MessageEvent<WorkerResponse>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  constructor() {
    FakeWorker.started.push(this);
  }
  postMessage(req: WorkerRequest): void {
    this.posted.push(req);
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(r: WorkerResponse): void {
    this.onmessage?.({ data: r } as MessageEvent<WorkerResponse>);
  }
}

const source = { kind: 'simulated' } as unknown as ScenarioSource;
const rules = (n: number) => [{ id: 'r', expr: `up > ${n}` }] as unknown as RuleDraft[];
const view = (n: number) =>
  ({ scenarioKey: 's', rules: [], ruleChartsKey: '', n }) as unknown as ViewModel;
const evaluations = (w: FakeWorker) => w.posted.flatMap((r) => (r.kind === 'evaluate' ? [r] : []));

describe('EvaluationBridge', () => {
  let outcomes: EvaluationOutcome[];
  let shown: ViewModel | null;
  let bridge: EvaluationBridge;
  beforeEach(() => {
    vi.stubGlobal('Worker', FakeWorker);
    FakeWorker.started = [];
    outcomes = [];
    shown = null;
    bridge = new EvaluationBridge(
      (o) => {
        outcomes.push(o);
        if (o.ok) shown = o.view;
      },
      () => {},
      () => {},
      () => shown,
    );
  });
  afterEach(() => {
    bridge.dispose();
    vi.unstubAllGlobals();
  });

  it('sends only the newest of the evaluations asked for while one runs', () => {
    const worker = FakeWorker.started[0]!;
    bridge.evaluate(source, rules(1));
    bridge.evaluate(source, rules(2));
    bridge.evaluate(source, rules(3));
    expect(evaluations(worker).map((r) => r.rules)).toEqual([rules(1)]);
    const first = evaluations(worker)[0]!;

    worker.answer({
      kind: 'evaluate',
      id: first.id,
      ok: true,
      update: { kind: 'whole', view: view(1) },
      ms: 5,
    });
    // The overtaken answer is drawn, marked as such, and the newest document sent on its view.
    expect(outcomes).toEqual([{ ok: true, view: view(1), ms: 5, intermediate: true }]);
    const sent = evaluations(worker);
    expect(sent.map((r) => r.rules)).toEqual([rules(1), rules(3)]);
    expect(sent[1]?.base).toEqual({ scenarioKey: 's', ruleKeys: [], ruleChartsKey: '' });

    worker.answer({
      kind: 'evaluate',
      id: sent[1]!.id,
      ok: true,
      update: { kind: 'whole', view: view(3) },
      ms: 6,
    });
    expect(outcomes[1]).toEqual({ ok: true, view: view(3), ms: 6 });
    // Idle again: the next evaluation goes at once.
    bridge.evaluate(source, rules(4));
    expect(evaluations(worker).map((r) => r.rules)).toEqual([rules(1), rules(3), rules(4)]);
  });

  it("leaves an overtaken evaluation's error to the newest", () => {
    const worker = FakeWorker.started[0]!;
    bridge.evaluate(source, rules(1));
    bridge.evaluate(source, rules(2));
    worker.answer({ kind: 'evaluate', id: evaluations(worker)[0]!.id, ok: false, error: 'bad' });
    expect(outcomes).toEqual([]);
    expect(evaluations(worker).map((r) => r.rules)).toEqual([rules(1), rules(2)]);
  });

  it('drops what waited when the running evaluation is cancelled', () => {
    bridge.evaluate(source, rules(1));
    bridge.evaluate(source, rules(2));
    bridge.cancel();
    const [old, fresh] = FakeWorker.started;
    expect(old?.terminated).toBe(true);
    expect(evaluations(fresh!)).toEqual([]);
    expect(outcomes).toEqual([expect.objectContaining({ ok: false, stopped: 'cancelled' })]);
  });
});
