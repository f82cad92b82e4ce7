import { describe, expect, it } from 'vitest';
import { defaultScenario, presets, simulate } from '../../src/sim/index.ts';
import type { SimSeries, Simulation } from '../../src/sim/index.ts';
import { findSeries, id, instance, min, oneSeries, scenarioOf, valueAt } from './helpers.ts';

const preset = (name: string): Simulation =>
  simulate(presets.find((p) => p.name === name)!.scenario);

const ofMember = (sim: Simulation, m: number): SimSeries[] =>
  sim.series.filter((s) => s.labels.instance === instance(sim, m));

function increase(series: SimSeries, from: number, to: number): number {
  return (valueAt(series, to) as number) - (valueAt(series, from) as number);
}

describe('samples as Prometheus stores them', () => {
  const sim = simulate(defaultScenario);

  it('stores samples only at scrape times, in order', () => {
    for (const s of sim.series) {
      let last = -1;
      for (const [t] of s.points) {
        expect(t % 30_000).toBe(0);
        expect(t).toBeGreaterThan(last);
        last = t;
      }
    }
  });

  it('puts job and instance on every series', () => {
    for (const s of sim.series) {
      expect(s.labels.job).toBe('etcd');
      expect(sim.members.map((m) => m.instance)).toContain(s.labels.instance);
    }
  });

  it('exposes the metrics of the brief for every member', () => {
    const names = new Set(sim.series.map((s) => s.labels.__name__));
    for (const name of [
      'up',
      'scrape_duration_seconds',
      'scrape_samples_scraped',
      'etcd_server_has_leader',
      'etcd_server_is_leader',
      'etcd_server_leader_changes_seen_total',
      'etcd_server_proposals_committed_total',
      'etcd_server_proposals_applied_total',
      'etcd_server_proposals_failed_total',
      'etcd_server_proposals_pending',
      'etcd_network_peer_sent_failures_total',
      'etcd_network_peer_sent_bytes_total',
      'etcd_network_peer_received_bytes_total',
      'etcd_network_peer_round_trip_time_seconds_bucket',
      'grpc_server_started_total',
      'grpc_server_handled_total',
      'grpc_server_handling_seconds_bucket',
      'etcd_disk_wal_fsync_duration_seconds_bucket',
      'etcd_disk_backend_commit_duration_seconds_bucket',
      'etcd_disk_backend_commit_duration_seconds_sum',
      'etcd_disk_backend_commit_duration_seconds_count',
      'etcd_mvcc_db_total_size_in_bytes',
      'etcd_mvcc_db_total_size_in_use_in_bytes',
      'etcd_server_quota_backend_bytes',
    ]) {
      expect(names, name).toContain(name);
    }
  });

  it('makes member 1 the leader', () => {
    const is = (m: number) =>
      oneSeries(sim, 'etcd_server_is_leader', { instance: instance(sim, m) });
    expect(valueAt(is(1), 0)).toBe(1);
    expect(valueAt(is(2), 0)).toBe(0);
    expect(valueAt(is(3), 0)).toBe(0);
  });

  it('writes staleness markers on every series of the evicted member at the next scrape, then nothing', () => {
    const mine = ofMember(sim, 3);
    expect(mine.length).toBeGreaterThan(100);
    for (const s of mine) {
      expect(valueAt(s, min(10)), JSON.stringify(s.labels)).toEqual(expect.any(Number));
      expect(s.points.at(-1)).toEqual([min(10.5), null]);
      expect(s.points.filter((p) => p[1] === null)).toHaveLength(1);
    }
  });

  it('counts about ten failed sends a second from the leader to the evicted member', () => {
    const failures = oneSeries(sim, 'etcd_network_peer_sent_failures_total', {
      instance: instance(sim, 1),
      To: id(sim, 3),
    });
    expect(increase(failures, min(20), min(30))).toBe(6000);
    // The other follower does not send to it, but its stream writers fail once: a series that
    // appears and stays at 2 (measured on etcd 3.4.23).
    const follower = oneSeries(sim, 'etcd_network_peer_sent_failures_total', {
      instance: instance(sim, 2),
      To: id(sim, 3),
    });
    expect(follower.points[0]).toEqual([min(10.5), 2]);
    expect(valueAt(follower, min(60))).toBe(2);
    // The series appears with the first failure; before that it does not exist.
    expect(failures.points[0]![0]).toBe(min(10.5));
  });

  it('keeps sample counts consistent with what is exposed', () => {
    const samples = oneSeries(sim, 'scrape_samples_scraped', { instance: instance(sim, 1) });
    const t = min(30);
    const exposed = ofMember(sim, 1).filter(
      (s) => !s.labels.__name__!.startsWith('scrape_') && s.labels.__name__ !== 'up',
    );
    expect(valueAt(samples, t)).toBe(
      exposed.filter((s) => typeof valueAt(s, t) === 'number').length,
    );
  });
});

describe('failures Prometheus sees', () => {
  it('marks a crashed but listed member up 0 and its other series stale', () => {
    const sim = preset('member-crash');
    const up = oneSeries(sim, 'up', { instance: instance(sim, 2) });
    expect(valueAt(up, min(10))).toBe(1);
    expect(valueAt(up, min(10.5))).toBe(0);
    expect(valueAt(up, min(60))).toBe(0);
    const dur = oneSeries(sim, 'scrape_duration_seconds', { instance: instance(sim, 2) });
    expect(valueAt(dur, min(20))).toBeLessThan(0.01);
    const has = oneSeries(sim, 'etcd_server_has_leader', { instance: instance(sim, 2) });
    expect(has.points.at(-1)).toEqual([min(10.5), null]);
  });

  it('times out scrapes of a healthy member that Prometheus cannot reach', () => {
    const sim = preset('scrape-failures');
    const up = oneSeries(sim, 'up', { instance: instance(sim, 2) });
    expect(valueAt(up, min(20))).toBe(0);
    expect(valueAt(up, min(41))).toBe(1);
    const dur = oneSeries(sim, 'scrape_duration_seconds', { instance: instance(sim, 2) });
    expect(valueAt(dur, min(20))).toBeGreaterThanOrEqual(10);
    // etcd itself is fine: no peer failures anywhere.
    expect(findSeries(sim, 'etcd_network_peer_sent_failures_total')).toEqual([]);
    // The member's series come back after the failures, with the values they grew to.
    const started = oneSeries(sim, 'grpc_server_started_total', {
      instance: instance(sim, 2),
      grpc_method: 'Range',
    });
    expect(valueAt(started, min(20))).toBeUndefined();
    expect(valueAt(started, min(10.5))).toBeNull();
    expect(increase(started, min(10), min(41))).toBeGreaterThan(0);
  });

  it('stores nothing during a Prometheus outage and no staleness markers for the gap', () => {
    const sim = preset('prometheus-outage');
    for (const s of sim.series) {
      const inGap = s.points.filter(([t]) => t > min(20) && t <= min(35));
      expect(inGap).toEqual([]);
      // No staleness marker for the gap; member 2's series end with the ones of its crash.
      const stale = s.points.filter(([, v]) => v === null).map(([t]) => t);
      expect(stale.filter((t) => t > min(20))).toEqual([]);
      if (s.labels.instance !== instance(sim, 2)) expect(stale).toEqual([]);
    }
    const up = oneSeries(sim, 'up', { instance: instance(sim, 1) });
    expect(valueAt(up, min(20))).toBe(1);
    expect(valueAt(up, min(35.5))).toBe(1);
  });

  it('restarts counters from zero when a member restarts', () => {
    const sim = preset('rolling-restart');
    const started = oneSeries(sim, 'grpc_server_started_total', {
      instance: instance(sim, 3),
      grpc_method: 'Range',
    });
    const before = valueAt(started, min(10)) as number;
    const after = valueAt(started, min(11)) as number;
    expect(after).toBeLessThan(before);
    expect(after).toBeGreaterThan(0);
    const lc = oneSeries(sim, 'etcd_server_leader_changes_seen_total', {
      instance: instance(sim, 3),
    });
    expect(valueAt(lc, min(11))).toBe(1);
    // The commit index is persisted: it does not restart.
    const committed = oneSeries(sim, 'etcd_server_proposals_committed_total', {
      instance: instance(sim, 3),
    });
    expect(valueAt(committed, min(11))).toBeGreaterThan(valueAt(committed, min(10)) as number);
  });

  it('puts the kube-prometheus target labels on every series', () => {
    const sim = preset('pod-eviction-kube');
    for (const s of sim.series) {
      expect(Object.keys(s.labels)).toEqual(
        expect.arrayContaining(['job', 'instance', 'endpoint', 'namespace', 'pod', 'service']),
      );
    }
  });
});

describe('etcd under stress', () => {
  it('fails proposals and writes on the survivor of a quorum loss', () => {
    const sim = preset('quorum-loss');
    const failed = oneSeries(sim, 'etcd_server_proposals_failed_total', {
      instance: instance(sim, 1),
    });
    expect(increase(failed, min(10), min(20))).toBe(0);
    expect(increase(failed, min(25), min(35))).toBeGreaterThan(1000);
    const unknown = oneSeries(sim, 'grpc_server_handled_total', {
      instance: instance(sim, 1),
      grpc_method: 'Put',
      grpc_code: 'Unknown',
    });
    expect(increase(unknown, min(25), min(35))).toBeGreaterThan(0);
    const committed = oneSeries(sim, 'etcd_server_proposals_committed_total', {
      instance: instance(sim, 1),
    });
    expect(increase(committed, min(25), min(35))).toBe(0);
  });

  it('records failures both ways across a partition', () => {
    const sim = preset('partition-one-member');
    const fromLeader = oneSeries(sim, 'etcd_network_peer_sent_failures_total', {
      instance: instance(sim, 1),
      To: id(sim, 3),
    });
    expect(increase(fromLeader, min(20), min(30))).toBe(6000);
    const fromIsolated = oneSeries(sim, 'etcd_network_peer_sent_failures_total', {
      instance: instance(sim, 3),
      To: id(sim, 1),
    });
    const votes = increase(fromIsolated, min(20), min(30));
    expect(votes).toBeGreaterThan(300);
    expect(votes).toBeLessThan(500);
  });

  it('slows fsync on the slow disk until p99 is well above 0.5s', () => {
    const sim = preset('slow-fsync');
    const bucket = oneSeries(sim, 'etcd_disk_wal_fsync_duration_seconds_bucket', {
      instance: instance(sim, 1),
      le: '0.512',
    });
    const count = oneSeries(sim, 'etcd_disk_wal_fsync_duration_seconds_count', {
      instance: instance(sim, 1),
    });
    const share = (from: number, to: number) =>
      increase(bucket, from, to) / increase(count, from, to);
    expect(share(min(1), min(9))).toBe(1);
    expect(share(min(20), min(30))).toBeLessThan(0.5);
  });

  it('rejects writes with ResourceExhausted once the quota is reached', () => {
    const sim = preset('db-quota');
    const size = oneSeries(sim, 'etcd_mvcc_db_total_size_in_bytes', { instance: instance(sim, 1) });
    const quota = oneSeries(sim, 'etcd_server_quota_backend_bytes', { instance: instance(sim, 1) });
    expect(valueAt(size, min(5))).toBeLessThan(0.8 * (valueAt(quota, min(5)) as number));
    expect(valueAt(size, min(40))).toBeGreaterThanOrEqual(valueAt(quota, min(40)) as number);
    const exhausted = oneSeries(sim, 'grpc_server_handled_total', {
      instance: instance(sim, 1),
      grpc_method: 'Put',
      grpc_code: 'ResourceExhausted',
    });
    expect(increase(exhausted, min(5), min(25))).toBe(0);
    expect(increase(exhausted, min(30), min(40))).toBeGreaterThan(0);
  });

  it('moves round trips to the slow member above 0.15s at the 99th percentile', () => {
    const sim = preset('slow-network');
    const share = (m: number, to: number, from: number, until: number) => {
      const bucket = oneSeries(sim, 'etcd_network_peer_round_trip_time_seconds_bucket', {
        instance: instance(sim, m),
        To: id(sim, to),
        le: '0.1024',
      });
      const count = oneSeries(sim, 'etcd_network_peer_round_trip_time_seconds_count', {
        instance: instance(sim, m),
        To: id(sim, to),
      });
      return increase(bucket, from, until) / increase(count, from, until);
    };
    expect(share(1, 3, min(1), min(9))).toBe(1);
    expect(share(1, 3, min(20), min(30))).toBeLessThan(0.1);
    expect(share(1, 2, min(20), min(30))).toBe(1);
  });

  it('reports a fragmented database: in use well below the allocated size', () => {
    const sim = preset('fragmented-database');
    const total = oneSeries(sim, 'etcd_mvcc_db_total_size_in_bytes', {
      instance: instance(sim, 2),
    });
    const inUse = oneSeries(sim, 'etcd_mvcc_db_total_size_in_use_in_bytes', {
      instance: instance(sim, 2),
    });
    const ratio = (valueAt(inUse, min(30)) as number) / (valueAt(total, min(30)) as number);
    expect(ratio).toBeGreaterThan(0.38);
    expect(ratio).toBeLessThan(0.4);
  });

  it('keeps histogram buckets cumulative and +Inf equal to _count', () => {
    const sim = preset('slow-fsync');
    const buckets = findSeries(sim, 'etcd_disk_wal_fsync_duration_seconds_bucket', {
      instance: instance(sim, 1),
    }).sort((a, b) => Number(a.labels.le) - Number(b.labels.le));
    const count = oneSeries(sim, 'etcd_disk_wal_fsync_duration_seconds_count', {
      instance: instance(sim, 1),
    });
    expect(buckets.at(-1)!.labels.le).toBe('+Inf');
    for (const t of sim.scrapeTimes) {
      const values = buckets.map((b) => valueAt(b, t) as number);
      for (let i = 1; i < values.length; i++)
        expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
      expect(values.at(-1)).toBe(valueAt(count, t));
    }
  });

  it('never lets a counter go down except across a restart', () => {
    const sim = preset('healthy-baseline');
    for (const s of sim.series) {
      if (!s.labels.__name__!.endsWith('_total') && !s.labels.__name__!.endsWith('_bucket'))
        continue;
      for (let i = 1; i < s.points.length; i++) {
        expect(s.points[i]![1]).toBeGreaterThanOrEqual(s.points[i - 1]![1]!);
      }
    }
  });
});

describe('size', () => {
  it('keeps a 5-member cluster to a moderate number of series', () => {
    const sim = simulate(scenarioOf({ members: 5, duration: min(10) }));
    expect(sim.series.length).toBeLessThan(1200);
  });
});
