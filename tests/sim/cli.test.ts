import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/cli/commands/scenario.ts';
import { presets } from '../../src/sim/index.ts';

function capture(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runScenario(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quorumlab-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('quorumlab scenario', () => {
  it('lists preset names', () => {
    const r = capture(['list', '--format', 'names']);
    expect(r).toEqual({ code: 0, out: presets.map((p) => p.name).join('\n') + '\n', err: '' });
  });

  it('lists presets as a table by default', () => {
    const r = capture(['list']);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+MEMBERS\s+SCRAPE\s+DURATION\s+TITLE$/);
    expect(lines[1]).toMatch(/^pod-eviction-default\s+3\s+30s\s+1h\s+Pod eviction/);
    expect(lines).toHaveLength(presets.length + 1);
  });

  it('shows a preset as JSON with duration strings', () => {
    const r = capture(['show', 'pod-eviction-default']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      version: 1,
      members: 3,
      scrapeInterval: '30s',
      duration: '1h',
      events: [{ kind: 'evict', at: '10m', member: 3 }],
    });
  });

  it('reads a scenario file and exports its series', async () => {
    const file = join(dir, 'small.json');
    await writeFile(file, JSON.stringify({ version: 1, members: 1, duration: '1m' }));
    const promtool = capture(['series', file]);
    expect(promtool.code).toBe(0);
    expect(promtool.out.startsWith('input_series:\n')).toBe(true);
    const load = capture(['series', file, '--format', 'promqltest']);
    expect(load.out.startsWith('load 30s\n')).toBe(true);
    const om = capture(['series', file, '--format', 'openmetrics']);
    expect(om.out.endsWith('# EOF\n')).toBe(true);
  });

  it('moves OpenMetrics timestamps to --start', async () => {
    const file = join(dir, 'start.json');
    await writeFile(file, JSON.stringify({ version: 1, members: 1, duration: '30s' }));
    for (const start of ['1700000000', '2023-11-14T22:13:20Z']) {
      const r = capture(['series', file, '--format', 'openmetrics', '--start', start]);
      expect(r.code).toBe(0);
      expect(r.out).toContain(' 1 1700000000\n');
      expect(r.out).toContain(' 1 1700000030\n');
    }
  });

  it('prints every validation error with its path and exits 1', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({
        version: 1,
        members: 3,
        events: [{}, {}, { kind: 'crash', at: 'later', member: 1 }],
      }),
    );
    const r = capture(['show', file]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain(`${file}: events[2].at: not a valid duration string: "later"`);
    expect(r.err).toContain(`${file}: events[0].kind: must be one of`);
  });

  it.each([
    [['list', '--format', 'csv'], /--format must be names or table/],
    [['series', 'pod-eviction-default', '--format', 'json'], /--format must be promtool/],
    [['frobnicate'], /unknown subcommand/],
    [[], /missing subcommand/],
    [['show'], /show takes one NAME or FILE/],
    [['series', 'pod-eviction-default', '--start', '5'], /only applies to --format openmetrics/],
    [
      ['series', 'pod-eviction-default', '--format', 'openmetrics', '--start', 'yesterday'],
      /--start must be Unix seconds or an RFC 3339 time/,
    ],
  ])('rejects %j with usage', (args, message) => {
    const r = capture(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toContain('Usage:');
  });

  it('explains an unknown name', () => {
    const r = capture(['show', 'no-such-preset']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/neither a preset nor a readable file/);
  });
});
