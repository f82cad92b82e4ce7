import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readText } from '../../src/cli/commands/test.ts';

const dir = mkdtempSync(join(tmpdir(), 'quorumlab-readtext-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readText', () => {
  const cases: [string, Buffer][] = [
    ['ASCII', Buffer.from('tests:\n  - name: a\n    interval: 1m\n')],
    ['UTF-8', Buffer.from('summary: "Dünne Luft — 1 µs"\n')],
    ['a byte-order mark', Buffer.from('\ufeffrule_files: []\n')],
    ['invalid UTF-8', Buffer.from([0x61, 0xff, 0x62, 0xc3])],
    ['nothing', Buffer.alloc(0)],
  ];
  for (const [name, bytes] of cases) {
    it(`reads ${name} as readFileSync(path, 'utf8') does`, () => {
      const path = join(dir, `${name}.yaml`);
      writeFileSync(path, bytes);
      expect(readText(path)).toBe(readFileSync(path, 'utf8'));
    });
  }
});
