// A hung member (SIGSTOP) as measured on a real etcd 3.4.23 cluster
// (../shared/reality/etcd34-3members): no send failures toward it, scrapes that fail at the
// timeout, a first good scrape a little after it resumes, and slow round trips on resume.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/sim/index.ts';
import { findSeries, id, instance, oneSeries, scenarioOf, valueAt } from './helpers.ts';

const s = (x: number): number => x * 1000;

describe('a hung member', () => {
  const sim = simulate(
    scenarioOf({
      scrapeInterval: s(5),
      scrapeTimeout: s(5),
      evaluationInterval: s(5),
      duration: s(900),
      etcdVersion: '3.5',
      events: [{ kind: 'hang', at: s(600), until: s(720), member: 2 }],
    }),
  );

  it('makes no peer count a send failure toward it', () => {
    expect(findSeries(sim, 'etcd_network_peer_sent_failures_total', { To: id(sim, 2) })).toEqual(
      [],
    );
  });

  it('fails its scrapes at the scrape timeout until a little after it resumes', () => {
    const up = oneSeries(sim, 'up', { instance: instance(sim, 2) });
    const took = oneSeries(sim, 'scrape_duration_seconds', { instance: instance(sim, 2) });
    expect(valueAt(up, s(600))).toBe(1);
    expect(valueAt(up, s(605))).toBe(0);
    expect(valueAt(took, s(605))).toBeGreaterThanOrEqual(5);
    expect(valueAt(up, s(720))).toBe(0);
    expect(valueAt(up, s(725))).toBe(1);
  });

  it('keeps its counters across the hang (the process never restarted)', () => {
    const changes = oneSeries(sim, 'etcd_server_proposals_failed_total', {
      instance: instance(sim, 2),
    });
    expect(valueAt(changes, s(725))).toBeGreaterThanOrEqual(valueAt(changes, s(600)) as number);
  });

  it('shows slow round trips toward it on resume', () => {
    const slow = oneSeries(sim, 'etcd_network_peer_round_trip_time_seconds_bucket', {
      instance: instance(sim, 1),
      To: id(sim, 2),
      le: '0.8192',
    });
    const count = oneSeries(sim, 'etcd_network_peer_round_trip_time_seconds_count', {
      instance: instance(sim, 1),
      To: id(sim, 2),
    });
    const above = (t: number) => (valueAt(count, t) as number) - (valueAt(slow, t) as number);
    expect(above(s(760)) - above(s(600))).toBeGreaterThanOrEqual(1);
  });

  it('drops the active peer gauge toward it and counts a disconnection', () => {
    const active = oneSeries(sim, 'etcd_network_active_peers', {
      instance: instance(sim, 1),
      Remote: id(sim, 2),
    });
    expect(valueAt(active, s(600))).toBe(1);
    expect(valueAt(active, s(650))).toBe(0);
    expect(valueAt(active, s(730))).toBe(1);
    const lost = oneSeries(sim, 'etcd_network_disconnected_peers_total', {
      instance: instance(sim, 1),
      Remote: id(sim, 2),
    });
    expect(valueAt(lost, s(650))).toBe(1);
  });
});

describe('etcd 3.4 basic metrics', () => {
  it('exports no gRPC handling-time histograms with --metrics=basic', () => {
    const sim = simulate(scenarioOf({ duration: s(60), metrics: 'basic' }));
    expect(sim.series.some((x) => x.labels.__name__!.startsWith('grpc_server_handling'))).toBe(
      false,
    );
    expect(findSeries(sim, 'etcd_network_peer_received_bytes_total', { From: '0' })).toHaveLength(
      3,
    );
  });

  it('takes the client load from the scenario', () => {
    const load = (writesPerSecond: number) => {
      const sim = simulate(scenarioOf({ duration: s(600), writesPerSecond }));
      const c = oneSeries(sim, 'etcd_server_proposals_committed_total', {
        instance: instance(sim, 1),
      });
      return ((valueAt(c, s(600)) as number) - (valueAt(c, 0) as number)) / 600;
    };
    expect(load(1.5)).toBeCloseTo(1.5, 0);
    expect(load(100)).toBeCloseTo(100, -1);
  });
});
