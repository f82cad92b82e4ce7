import { describe, expect, it } from 'vitest';
import { validateScenario, type Scenario } from '../sim/index.ts';
import { linksOfRequest, planScenario } from './plan.ts';

function scenario(events: unknown[]): Scenario {
  const r = validateScenario({ version: 1, members: 3, duration: '10m', events });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

describe('planScenario', () => {
  it('plays a crash as SIGKILL and a start on the same data dir', () => {
    expect(planScenario(scenario([{ kind: 'crash', member: 3, at: '1m', until: '2m' }]))).toEqual({
      actions: [
        { t: 60_000, do: 'kill', member: 3 },
        { t: 120_000, do: 'start', member: 3 },
      ],
      unplayable: [],
    });
  });

  it('plays a hang as SIGSTOP and SIGCONT, an eviction by leaving the file_sd file', () => {
    const plan = planScenario(
      scenario([
        { kind: 'hang', member: 2, at: '1m', until: '2m' },
        { kind: 'evict', member: 3, at: '3m' },
      ]),
    );
    expect(plan.actions.map((a) => a.do)).toEqual(['sigstop', 'sigcont', 'unlist', 'kill']);
  });

  it('cuts both directions across a partition and one for a one-way loss', () => {
    const plan = planScenario(
      scenario([
        { kind: 'partition', groups: [[3]], at: '1m', until: '2m' },
        { kind: 'one-way-loss', member: 1, to: [2], at: '3m' },
      ]),
    );
    expect(plan.actions.filter((a) => a.do === 'cut')).toEqual([
      { t: 60_000, do: 'cut', from: 1, to: 3 },
      { t: 60_000, do: 'cut', from: 2, to: 3 },
      { t: 60_000, do: 'cut', from: 3, to: 1 },
      { t: 60_000, do: 'cut', from: 3, to: 2 },
      { t: 180_000, do: 'cut', from: 1, to: 2 },
    ]);
  });

  it('names the events it cannot play and why', () => {
    const plan = planScenario(
      scenario([
        { kind: 'slow-disk', member: 1, at: '1m' },
        { kind: 'leader-churn', at: '1m' },
      ]),
    );
    expect(plan.unplayable.map((u) => [u.index, u.kind])).toEqual([
      [0, 'slow-disk'],
      [1, 'leader-churn'],
    ]);
    expect(plan.unplayable[0]!.reason).toMatch(/privileges/);
  });
});

describe('linksOfRequest', () => {
  it('reads rafthttp streams as carrying the target’s messages to the dialer', () => {
    expect(linksOfRequest('GET', '/raft/stream/msgapp/abc', 1, 2)).toEqual([{ from: 2, to: 1 }]);
    expect(linksOfRequest('POST', '/raft', 1, 2)).toEqual([{ from: 1, to: 2 }]);
  });
});
