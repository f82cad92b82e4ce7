// The simulator's bounds: validateScenario refuses what would cost more work than the page and
// the CLI can give it, in clear words, and echoes a user's values escaped and cut.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  MAX_CHURN_ELECTIONS,
  MAX_EVENTS,
  quoteInput,
  simulate,
  validateScenario,
} from '../../src/sim/index.ts';

const base = { version: 1, name: 'x', members: 3, scrapeInterval: '15s', duration: '7h' };

function errors(input: unknown): string[] {
  const r = validateScenario(input);
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
}

describe('validateScenario bounds the work a scenario causes', () => {
  it('refuses leader churn every 5s over 4 days (it crashed the simulator) by its elections', () => {
    const e = errors({
      ...base,
      duration: '4d',
      scrapeInterval: '1m',
      events: [{ kind: 'leader-churn', at: '0s', every: '5s' }],
    });
    expect(e).toEqual([
      `events: too many leader elections: the leader-churn events cause 69120, at most ${MAX_CHURN_ELECTIONS} (churn less often or for less time)`,
    ]);
  });
  it('simulates the most churn it accepts', () => {
    const r = validateScenario({
      ...base,
      events: [
        { kind: 'leader-churn', at: '0s', until: `${MAX_CHURN_ELECTIONS * 5}s`, every: '5s' },
      ],
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const sim = simulate(r.value);
    expect(sim.events.length).toBeGreaterThan(MAX_CHURN_ELECTIONS);
  });
  it('refuses more than MAX_EVENTS events without reading each', () => {
    const events = Array.from({ length: 100_000 }, () => ({ kind: 'crash', member: 1, at: '1m' }));
    expect(errors({ ...base, events })).toEqual([
      `events: too many events: 100000, at most ${MAX_EVENTS}`,
    ]);
  });
  it('refuses more than 50000 rule evaluations', () => {
    expect(
      errors({ ...base, duration: '7d', scrapeInterval: '15s', evaluationInterval: '1s' }),
    ).toEqual(['evaluationInterval: too many evaluations: 1w at 1s is more than 50000']);
  });
  it('lists at most 100 errors and says how many it left out', () => {
    const junk = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`f${i}`, 1]));
    const e = errors({ ...base, ...junk });
    expect(e).toHaveLength(101);
    expect(e.at(-1)).toBe(': and 4900 more errors not shown');
  });
});

describe('what a scenario echoes', () => {
  it('escapes control characters and cuts long values', () => {
    expect(quoteInput('a\u001b[2J\u0007\u009b')).toBe('"a\\u001b[2J\\u0007\\u009b"');
    expect(quoteInput('x'.repeat(10_000_000))).toBe(`"${'x'.repeat(80)}"… (10000000 characters)`);
  });

  const dir = mkdtempSync(join(tmpdir(), 'quorumlab-sim-limits-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('quorumlab scenario prints no raw ESC or BEL and no 10 MB value', () => {
    const file = join(dir, 'hostile.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        name: 'x\u001b[2J\u0007',
        members: 3,
        duration: '1h\u001b]0;pwn\u0007',
        labelScheme: 'y'.repeat(10_000_000),
        'bogus\u001b': 1,
      }),
    );
    const r = spawnSync(
      process.execPath,
      [join(import.meta.dirname, '../../bin/quorumlab'), 'scenario', 'show', file],
      { encoding: 'utf8' },
    );
    expect(r.status).not.toBe(0);
    const controls = [...r.stderr].filter((c) => {
      const code = c.charCodeAt(0);
      return (code < 0x20 && c !== '\n' && c !== '\t') || (code >= 0x7f && code <= 0x9f);
    });
    expect(controls).toEqual([]);
    expect(r.stderr.length).toBeLessThan(2000);
    expect(r.stderr).toContain(
      'name: must be lowercase letters, digits and dashes, got "x\\u001b[2J\\u0007"',
    );
    expect(r.stderr).toContain('… (10000000 characters)');
  });
});
