// A bounded, seeded fuzz of the page's decoders and validators: random and hostile share links,
// saved states and Prometheus server answers. Every input must be answered with a value (a
// document or an error list, an answer or a classified error): no exception, no hang (each run is
// bounded by the test's timeout), and errors that are messages, not JavaScript's. A failure
// names the seed and the case, so it can be replayed.
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  createClient,
  parseEnvelope,
  parseQueryData,
  type FetchFn,
} from '../../src/backtest/index.ts';
import {
  decodeDocFromUrl,
  defaultRules,
  docFromJson,
  docToJson,
  simulated,
  type PlaygroundDoc,
} from '../../src/lab/index.ts';
import { presets } from '../../src/sim/index.ts';
import { createRng, type Rng } from '../differential/rng.ts';

const SEED = 18;
const CASES = 150;

/** Values that broke or could break a decoder. */
function hostileValue(rng: Rng): unknown {
  switch (rng.int(0, 13)) {
    case 0:
      return null;
    case 1:
      return 'nope';
    case 2:
      return {};
    case 3:
      return [];
    case 4:
      return -1;
    case 5:
      return 1e308 * 10;
    case 6:
      return 'x'.repeat(rng.int(60_000, 80_000));
    case 7: {
      let v: unknown = 1;
      for (let i = 0; i < 1_000; i++) v = [v];
      return v;
    }
    case 8:
      return { a: { b: 1 } };
    case 9:
      return '\u0000\u001b[31m\ud800';
    case 10:
      return 'abc';
    case 11:
      return [null];
    case 12:
      return { __proto__: { polluted: true }, constructor: 1 };
    default:
      return rng.int(-1e9, 1e9) / 7;
  }
}

/** The value with some of its nodes replaced, removed or doubled. */
function mutate(rng: Rng, v: unknown, depth = 0): unknown {
  if (rng.chance(0.04 + depth * 0.01)) return hostileValue(rng);
  if (Array.isArray(v)) {
    const out = v.map((x) => mutate(rng, x, depth + 1));
    if (rng.chance(0.05)) out.push(hostileValue(rng));
    if (rng.chance(0.05)) out.splice(rng.int(0, out.length), 1);
    return out;
  }
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (rng.chance(0.03)) continue;
      out[k] = mutate(rng, x, depth + 1);
    }
    if (rng.chance(0.05))
      out[rng.pick(['extra', '__proto__', 'version', 'kind'])] = hostileValue(rng);
    return out;
  }
  return v;
}

function validDoc(rng: Rng): PlaygroundDoc {
  const preset = rng.pick(presets);
  return { source: simulated(preset.scenario), rules: defaultRules };
}

const imported = {
  kind: 'imported',
  fileName: 't.yaml',
  group: 'g',
  interval: 60_000,
  evaluationInterval: 60_000,
  series: [{ series: 'up{job="etcd",instance="a"}', values: '1x5 0x5' }],
};

function randomText(rng: Rng, n: number): string {
  const alphabet = 'ABCabc019-_+/=%{}[]":,\\\u0000\u00ff';
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[rng.int(0, alphabet.length - 1)];
  return s;
}

/** A share link: random text, a mutated valid document, truncated or flipped bytes, a bomb. */
function hostileLink(rng: Rng): string {
  const kind = rng.int(0, 5);
  if (kind === 0) return randomText(rng, rng.int(0, 400));
  const json =
    kind === 1
      ? JSON.stringify(mutate(rng, JSON.parse(docToJson(validDoc(rng)))))
      : kind === 2
        ? JSON.stringify(mutate(rng, { version: 2, source: imported, rules: defaultRules }))
        : docToJson(validDoc(rng));
  let bytes = deflateRawSync(Buffer.from(json));
  if (kind === 3) bytes = bytes.subarray(0, rng.int(0, bytes.length));
  if (kind === 4) {
    bytes = Buffer.from(bytes);
    for (let i = 0; i < 3; i++) {
      const at = rng.int(0, bytes.length - 1);
      bytes[at] = (bytes[at] ?? 0) ^ (1 << rng.int(0, 7));
    }
  }
  if (kind === 5) bytes = deflateRawSync(Buffer.alloc(rng.int(9, 30) * 1024 * 1024, 32));
  return bytes.toString('base64url');
}

/** A saved state: a mutated or cut document's JSON, or random text. */
function hostileSaved(rng: Rng): string {
  const json = docToJson(validDoc(rng));
  switch (rng.int(0, 3)) {
    case 0:
      return json.slice(0, rng.int(0, json.length));
    case 1:
      return randomText(rng, rng.int(0, 200));
    default:
      return JSON.stringify(mutate(rng, JSON.parse(json)));
  }
}

/** A query answer's body: a mutated valid answer, or something else entirely. */
function hostileAnswer(rng: Rng): string {
  const valid = {
    status: 'success',
    data: {
      resultType: rng.pick(['matrix', 'vector', 'scalar']),
      result: [
        {
          metric: { __name__: 'up', instance: 'a' },
          values: [
            [1, '1'],
            [2, 'NaN'],
          ],
          value: [1, '+Inf'],
        },
        { metric: {}, values: [[3, '0']], value: [3, '0'] },
      ],
    },
  };
  switch (rng.int(0, 4)) {
    case 0:
      return randomText(rng, rng.int(0, 300));
    case 1:
      return JSON.stringify(hostileValue(rng));
    default:
      return JSON.stringify(mutate(rng, valid));
  }
}

/** An error list holds messages, not JavaScript's own errors leaking through. */
function expectMessages(errors: readonly string[]) {
  expect(errors.length).toBeGreaterThan(0);
  for (const e of errors) {
    expect(typeof e).toBe('string');
    expect(e).not.toMatch(/TypeError|Cannot read prop|undefined is not|is not a function/);
  }
}

describe(`page fuzz (seed ${SEED})`, () => {
  it('share links decode to a document or errors', { timeout: 600_000 }, async () => {
    const rng = createRng(SEED);
    for (let i = 0; i < CASES; i++) {
      const link = hostileLink(rng);
      const r = await decodeDocFromUrl(link).catch((e: unknown) => {
        throw new Error(`case ${i}: threw ${String(e)}`, { cause: e });
      });
      if (!r.ok) expectMessages(r.errors);
    }
  });

  it('saved states decode to a document or errors', { timeout: 300_000 }, () => {
    const rng = createRng(SEED + 1);
    for (let i = 0; i < CASES * 2; i++) {
      const text = hostileSaved(rng);
      let r: ReturnType<typeof docFromJson>;
      try {
        r = docFromJson(text);
      } catch (e) {
        throw new Error(`case ${i}: threw ${String(e)} on ${text.slice(0, 200)}`, { cause: e });
      }
      if (!r.ok) expectMessages(r.errors);
      else expect(docFromJson(docToJson(r.doc)).ok).toBe(true);
    }
  });

  it(
    'server answers are read or reported as not a Prometheus API response',
    { timeout: 300_000 },
    async () => {
      const rng = createRng(SEED + 2);
      for (let i = 0; i < CASES * 2; i++) {
        const body = hostileAnswer(rng);
        const env = parseEnvelope(body);
        if (env.ok && env.value.status === 'success') {
          const data = parseQueryData(env.value.data);
          if (data.ok) {
            for (const s of data.value) {
              for (const [k, v] of Object.entries(s.labels)) {
                expect(typeof k).toBe('string');
                expect(typeof v).toBe('string');
              }
              for (const [t, v] of s.points) {
                expect(Number.isFinite(t)).toBe(true);
                expect(typeof v).toBe('number');
              }
            }
          } else
            expect(data.error.kind === 'bad-response' || data.error.kind === 'too-large').toBe(
              true,
            );
        }
        // The same body through the client, as the page and the CLI read it.
        const fetch: FetchFn = () =>
          Promise.resolve(new Response(body, { status: rng.pick([200, 200, 400, 500]) }));
        const api = createClient({ url: 'http://127.0.0.1:1' }, { fetch });
        const r = await api.queryRange('up', 0, 60_000, 15_000);
        if (!r.ok) expect(r.error.message).not.toMatch(/TypeError|Cannot read prop/);
      }
    },
  );
});
