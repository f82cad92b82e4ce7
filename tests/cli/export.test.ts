// `quorumlab export` writes each delivery format as the export dialog does, from the default
// rules or a rule file, and refuses metadata Kubernetes would refuse.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runExport, type ExportIo } from '../../src/cli/commands/export.ts';
import { defaultRules, deliveryFormats, exportDelivery } from '../../src/lab/index.ts';

function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: ExportIo = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    readFile: (p) => readFileSync(p, 'utf8'),
    writeFile: (p, t) => writeFileSync(p, t),
  };
  const code = runExport(args, io);
  return { code, out: out.join(''), err: err.join('') };
}

describe('quorumlab export', () => {
  it.each(deliveryFormats)('--format %s prints what the dialog shows', (format) => {
    const r = run(['--format', format]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(exportDelivery(format, defaultRules).text);
  });

  it('names and labels the PrometheusRule and reads a rule file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quorumlab-export-cli-'));
    const rules = join(dir, 'in.yaml');
    writeFileSync(
      rules,
      'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n',
    );
    const out = join(dir, 'out.yaml');
    const r = run([
      '--format=prometheusrule',
      '--rules',
      rules,
      '--name',
      'etcd-a',
      '--namespace',
      'mon',
      '--label',
      'release=prom',
      '--label',
      'team=storage',
      '-o',
      out,
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const doc = parse(readFileSync(out, 'utf8'));
    expect(doc.metadata).toEqual({
      name: 'etcd-a',
      namespace: 'mon',
      labels: { release: 'prom', team: 'storage' },
    });
    expect(doc.spec.groups[0].rules).toEqual([{ alert: 'A', expr: 'up == 0' }]);
  });

  it('refuses a name Kubernetes would refuse, and an unknown format', () => {
    const r = run(['--format', 'prometheusrule', '--name', 'Etcd_Rules']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('name "Etcd_Rules": lower-case letters');
    expect(run(['--format', 'kustomize']).err).toContain(
      '--format must be one of rules, prometheusrule, helm, jsonnet, got "kustomize"',
    );
  });

  it('names the line and column of a bad rule file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quorumlab-export-cli-'));
    const rules = join(dir, 'bad.yaml');
    writeFileSync(
      rules,
      'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up ==\n',
    );
    const r = run(['--rules', rules]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.yaml:5:\d+: /);
  });
});
