// The shipped recordings as the playground opens them: the recorded series evaluated by Quorum
// Lab's engine, beside the simulation of the same scenario and the ALERTS Prometheus wrote.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readRecordingDir } from '../../src/cli/commands/lab.ts';
import {
  decodeDocFromUrl,
  docFromJson,
  docToJson,
  encodeDocForUrl,
  evaluateView,
  prepareSource,
  recorded,
  shippedRecordings,
  sourceDuration,
  sourceStart,
  type StateSpan,
} from '../../src/lab/index.ts';
import { compareRecording, toLoadedRecording } from '../../src/reality/index.ts';

const root = fileURLToPath(new URL('../../recordings/', import.meta.url));

function open(name: string) {
  const rec = readRecordingDir(`${root}${name}`);
  const loaded = toLoadedRecording(name, rec, compareRecording(rec));
  const shipped = shippedRecordings().find((r) => r.name === name)!;
  const prepared = prepareSource(recorded(name), loaded);
  return { rec, loaded, shipped, prepared, view: evaluateView(prepared, shipped.rules) };
}

/** The spans of one state, as [from, to] pairs. */
const spansOf = (spans: readonly StateSpan<string>[], state: string) =>
  spans.filter((s) => s.state === state).map((s) => [s.from, s.to]);

describe('a shipped recording in the playground', () => {
  const names = shippedRecordings().map((r) => r.name);

  it('ships the recordings of recordings/, each with the rules Prometheus evaluated', () => {
    expect(names.sort()).toEqual(['evict-scrape-hang', 'kill-hang-leader']);
    for (const r of shippedRecordings()) {
      expect(r.etcd).toMatch(/^3\.4\./);
      expect(r.rules.map((x) => x.alert).sort()).toEqual([
        'etcdInsufficientMembers',
        'etcdMembersDown',
        'etcdNoLeader',
        'etcdTargetDown',
      ]);
      const source = recorded(r.name);
      expect(sourceStart(source)).toBe(r.t0);
      expect(sourceDuration(source)).toBe(r.scenario.duration);
    }
  });

  it.each(names)(
    '%s: a document and a share link name it, and bad names are refused',
    async (name) => {
      const doc = { source: recorded(name), rules: [] };
      expect(JSON.parse(docToJson(doc)).source).toEqual({ kind: 'recorded', recording: name });
      const back = await decodeDocFromUrl(await encodeDocForUrl(doc));
      expect(back).toEqual({ ok: true, doc });
      const bad = docFromJson(
        JSON.stringify({ version: 2, source: { kind: 'recorded', recording: 'nope' }, rules: [] }),
      );
      expect(bad.ok).toBe(false);
      if (!bad.ok)
        expect(bad.errors[0]).toMatch(/source\.recording: expected one of .*kill-hang-leader/);
    },
  );

  it.each(names)(
    '%s: rule states of the recording, the simulation and Prometheus on one time axis',
    (name) => {
      const { view, prepared, rec } = open(name);
      expect(view.recording?.checks.length).toBeGreaterThan(10);
      expect(view.recording?.checks.every((c) => c.ok)).toBe(true);
      expect(view.times).toEqual(prepared.twin!.times);
      expect(view.truth).not.toBeNull();
      expect(view.members.map((m) => m.instance)).toEqual(rec.meta.instances);
      const tol = rec.meta.scrapeInterval + rec.meta.evaluationInterval;
      expect(view.rules.some((r) => spansOf(r.spans, 'firing').length > 0)).toBe(true);
      for (const rule of view.rules) {
        expect(rule.error).toBeNull();
        const beside = rule.beside!;
        expect(beside.prometheus).not.toBeNull();
        for (const state of ['pending', 'firing']) {
          const ours = spansOf(rule.spans, state);
          const prom = spansOf(beside.prometheus!, state);
          const sim = spansOf(beside.simulated, state);
          // The engine on the recorded series agrees with what Prometheus wrote, and with the
          // simulation, within one scrape and one evaluation interval.
          for (const other of [prom, sim]) {
            expect(other.length, `${rule.alert} ${state}`).toBe(ours.length);
            other.forEach(([a, b], i) => {
              expect(
                Math.abs(a! - ours[i]![0]!),
                `${rule.alert} ${state} start`,
              ).toBeLessThanOrEqual(tol);
              expect(Math.abs(b! - ours[i]![1]!), `${rule.alert} ${state} end`).toBeLessThanOrEqual(
                tol,
              );
            });
          }
        }
      }
    },
  );

  it('an edited rule has no Prometheus band: Prometheus evaluated the recorded one', () => {
    const name = 'kill-hang-leader';
    const { loaded, shipped } = open(name);
    const prepared = prepareSource(recorded(name), loaded);
    const edited = shipped.rules.map((r) =>
      r.alert === 'etcdTargetDown' ? { ...r, forMs: 60_000 } : r,
    );
    const view = evaluateView(prepared, edited);
    const target = view.rules.find((r) => r.alert === 'etcdTargetDown')!;
    expect(target.beside?.prometheus).toBeNull();
    expect(target.beside?.simulated.length).toBeGreaterThan(0);
  });

  it('an evicted member is stale from the scrape after its last one, as Prometheus marks it', () => {
    const { view } = open('evict-scrape-hang');
    const up = view.raw[0]!;
    const member3 = up.lines.find((l) => l.labels.instance === view.members[2]!.instance)!;
    // Evicted at 20 s for a minute: no up from about 30 s until it is listed again.
    const at = (t: number) => member3.values[view.times.indexOf(t)];
    expect(at(15_000)).toBe(1);
    expect(at(60_000)).toBeNull();
    expect(at(120_000)).toBe(1);
  });
});
