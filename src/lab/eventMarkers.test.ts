import { describe, expect, it } from 'vitest';
import { findPreset, type ScenarioEvent } from '../sim/index.ts';
import { eventMarkers, markerLabelRows, sourceMarkers, type EventMarker } from './eventMarkers.ts';
import { simulated, type ImportedSource } from './source.ts';

const M = 60_000;
const H = 60 * M;

describe('eventMarkers', () => {
  const cases: { name: string; events: ScenarioEvent[]; want: EventMarker[] }[] = [
    { name: 'no events, no markers', events: [], want: [] },
    {
      name: 'an event running to the end has only a start',
      events: [{ kind: 'evict', at: 10 * M, member: 3 }],
      want: [{ t: 10 * M, label: 'evict 3', title: 'evict of member 3 starts' }],
    },
    {
      name: 'an event with an end has a start and an end',
      events: [{ kind: 'partition', at: 10 * M, until: 40 * M, groups: [[3]] }],
      want: [
        { t: 10 * M, label: 'partition', title: 'partition of {3} starts' },
        { t: 40 * M, label: 'end partition', title: 'partition of {3} ends' },
      ],
    },
    {
      name: 'an end at the scenario end is no marker',
      events: [{ kind: 'prometheus-outage', at: 20 * M, until: H }],
      want: [
        { t: 20 * M, label: 'prometheus-outage', title: 'prometheus-outage of Prometheus starts' },
      ],
    },
    {
      name: 'events at one instant share a marker, in time order',
      events: [
        { kind: 'crash', at: 20 * M, member: 3 },
        { kind: 'crash', at: 10 * M, until: 20 * M, member: 2 },
        { kind: 'leader-churn', at: 20 * M, until: 30 * M },
      ],
      want: [
        { t: 10 * M, label: 'crash 2', title: 'crash of member 2 starts' },
        {
          t: 20 * M,
          label: 'crash 3, end crash 2, leader-churn',
          title:
            'crash of member 3 starts; crash of member 2 ends; leader-churn of the cluster starts',
        },
        { t: 30 * M, label: 'end leader-churn', title: 'leader-churn of the cluster ends' },
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(eventMarkers(c.events, H)).toEqual(c.want);
    });
  }
});

describe('sourceMarkers', () => {
  it('marks a simulation and leaves imported series unmarked', () => {
    const quorumLoss = findPreset('quorum-loss')?.scenario;
    if (!quorumLoss) throw new Error('no quorum-loss preset');
    expect(sourceMarkers(simulated(quorumLoss)).map((m) => m.t)).toEqual([10 * M, 20 * M, 40 * M]);
    const imported: ImportedSource = {
      kind: 'imported',
      fileName: 'test.yml',
      group: 'g',
      interval: 60_000,
      evaluationInterval: 60_000,
      series: [{ series: 'up{job="etcd"}', values: '1x10' }],
    };
    expect(sourceMarkers(imported)).toEqual([]);
    // One shared empty array: the charts' prop stays the same object.
    expect(sourceMarkers(imported)).toBe(sourceMarkers({ ...imported }));
  });
});

describe('markerLabelRows', () => {
  const quickReboot = eventMarkers(
    [{ kind: 'crash', at: 10 * 60_000, until: 11 * 60_000, member: 2 }],
    3_600_000,
  );

  it('puts the labels of close events on rows of their own', () => {
    expect(markerLabelRows(quickReboot, 3_600_000, 900)).toEqual([0, 1]);
  });

  it('keeps labels far apart on one row', () => {
    const apart = eventMarkers(
      [{ kind: 'crash', at: 10 * 60_000, until: 40 * 60_000, member: 2 }],
      3_600_000,
    );
    expect(markerLabelRows(apart, 3_600_000, 900)).toEqual([0, 0]);
  });

  it('leaves out a label that fits on no row', () => {
    const crowded = eventMarkers(
      [1, 2, 3].map((i) => ({ kind: 'crash' as const, at: i * 60_000, member: i })),
      3_600_000,
    );
    expect(markerLabelRows(crowded, 3_600_000, 300, 2)).toEqual([0, 1, null]);
  });
});
