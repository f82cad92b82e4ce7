import { beforeEach, describe, expect, it } from 'vitest';
import { defaultScenario } from '../../sim/index.ts';
import type { ImportedSource } from '../../lab/index.ts';
import { getInitialState, usePlayground } from './store.ts';

const imported: ImportedSource = {
  kind: 'imported',
  fileName: 't.yaml',
  group: 'g',
  interval: 60_000,
  evaluationInterval: 60_000,
  series: [{ series: 'up{job="etcd",instance="a"}', values: '1x5 0x5' }],
};

const rule = {
  id: 'Down',
  alert: 'Down',
  expr: 'up == 0',
  forMs: 0,
  keepFiringForMs: 0,
  labels: {},
  annotations: {},
  note: '',
};

describe('importing a promtool test as the scenario', () => {
  beforeEach(() => usePlayground.setState(getInitialState()));

  it('replaces the scenario and adds the rules in one undo step', () => {
    const before = usePlayground.getState().doc;
    usePlayground.getState().importScenario(imported, [rule]);
    const after = usePlayground.getState();
    expect(after.doc.source).toBe(imported);
    expect(after.doc.rules.map((r) => r.id)).toEqual([...before.rules.map((r) => r.id), 'Down']);
    expect(after.selectedRuleId).toBe('Down');
    expect(after.cursor).toBe(0);
    after.undo();
    expect(usePlayground.getState().doc).toBe(before);
    usePlayground.getState().redo();
    expect(usePlayground.getState().doc.source).toBe(imported);
  });

  it('keeps the cursor within the imported series', () => {
    usePlayground.getState().importScenario(imported, []);
    usePlayground.getState().setCursor(99 * 3600_000);
    // 1x5 0x5 is twelve values, one a minute: the last at 11m.
    expect(usePlayground.getState().cursor).toBe(11 * 60_000);
  });

  it("says the source's duration, and a new source's after an undo", () => {
    expect(usePlayground.getState().sourceDuration()).toBe(defaultScenario.duration);
    usePlayground.getState().importScenario(imported, []);
    expect(usePlayground.getState().sourceDuration()).toBe(11 * 60_000);
    expect(usePlayground.getState().sourceDuration()).toBe(11 * 60_000);
    usePlayground.getState().undo();
    expect(usePlayground.getState().sourceDuration()).toBe(defaultScenario.duration);
  });

  it('ignores cluster edits, which imported series do not have, and a preset brings one back', () => {
    usePlayground.getState().importScenario(imported, []);
    const doc = usePlayground.getState().doc;
    usePlayground.getState().toggleMember(1);
    usePlayground.getState().setClusterSize(5);
    usePlayground.getState().setScrapeInterval(15_000);
    expect(usePlayground.getState().doc).toBe(doc);
    usePlayground.getState().loadPreset(defaultScenario.name ?? '');
    expect(usePlayground.getState().doc.source).toEqual({
      kind: 'simulated',
      scenario: defaultScenario,
    });
  });
});

describe('the cluster size switch', () => {
  beforeEach(() => usePlayground.setState(getInitialState()));

  it('says which events went with the members, and undo brings them back', () => {
    usePlayground.getState().setScenario({
      ...defaultScenario,
      members: 5,
      events: [
        { kind: 'crash', at: 600_000, until: 900_000, member: 4 },
        { kind: 'crash', at: 1_200_000, member: 2 },
      ],
    });
    const before = usePlayground.getState().doc;
    usePlayground.getState().setClusterSize(3);
    expect(usePlayground.getState().notice).toBe(
      'Switching to 3 members removed an event that no longer applies: crash of etcd-4 at 10m. Undo brings it back.',
    );
    usePlayground.getState().undo();
    expect(usePlayground.getState().doc).toBe(before);
  });

  it('says nothing when no event had to go', () => {
    usePlayground.getState().setClusterSize(5);
    expect(usePlayground.getState().notice).toBeNull();
  });
});

describe("a rule of the user's own", () => {
  beforeEach(() => usePlayground.setState(getInitialState()));

  it('is added with a name of its own, selected, and undone in one step', () => {
    const before = usePlayground.getState().doc;
    const first = usePlayground.getState().addOwnRule();
    const second = usePlayground.getState().addOwnRule();
    const { doc, selectedRuleId } = usePlayground.getState();
    expect([first, second]).toEqual(['MyAlert', 'MyAlert-2']);
    expect(doc.rules.slice(-2).map((r) => r.alert)).toEqual(['MyAlert', 'MyAlert2']);
    expect(selectedRuleId).toBe('MyAlert-2');
    usePlayground.getState().undo();
    usePlayground.getState().undo();
    expect(usePlayground.getState().doc).toBe(before);
  });
});

describe("a lesson's step opens as one undo step", () => {
  beforeEach(() => usePlayground.setState(getInitialState()));

  it('sets the document, the cursor and the selected rule; undo brings the old document back', async () => {
    const { lessons, lessonStepDoc } = await import('../../lab/index.ts');
    const step = lessons[0]?.steps[1];
    if (!step) throw new Error('no step');
    const before = usePlayground.getState().doc;
    usePlayground.getState().loadDoc(lessonStepDoc(step), null, {
      cursor: step.cursor,
      selectedRuleId: step.selectedRuleId,
    });
    const after = usePlayground.getState();
    expect(after.cursor).toBe(step.cursor);
    expect(after.selectedRuleId).toBe(step.selectedRuleId);
    expect(after.past).toHaveLength(1);
    // The same step again changes no document: no second undo step.
    after.setCursor(0);
    usePlayground.getState().loadDoc(lessonStepDoc(step), null, {
      cursor: step.cursor,
      selectedRuleId: step.selectedRuleId,
    });
    expect(usePlayground.getState().past).toHaveLength(1);
    expect(usePlayground.getState().cursor).toBe(step.cursor);
    usePlayground.getState().undo();
    expect(usePlayground.getState().doc).toBe(before);
  });
});
