// The architecture as docs/ARCHITECTURE.md states it, checked on the code: which folder may
// import which, other folders only through a folder's index.ts, no import cycles between
// modules (type-only imports included, as they are edges a reader follows too), every folder
// but app and cli kept pure by the ESLint guard, and no state kept at module level: caches belong
// to whoever runs the work (a query, a rule, a test run, the worker), as in Prometheus.
import { ESLint } from 'eslint';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/** The folders each folder may import (ARCHITECTURE.md's dependency rule). */
const allowed: Record<string, readonly string[]> = {
  text: [],
  promql: ['text'],
  sim: ['text'],
  rules: ['text', 'promql'],
  lab: ['text', 'promql', 'rules', 'sim'],
  backtest: ['text', 'promql', 'rules'],
  reality: ['text', 'promql', 'rules', 'sim', 'lab'],
  cli: ['text', 'promql', 'rules', 'sim', 'lab', 'backtest', 'reality'],
  app: ['text', 'promql', 'rules', 'sim', 'lab', 'backtest', 'reality'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.d.ts')
      ? [path]
      : [];
  });
}

const files = sourceFiles(src);
const known = new Set(files);
const importPattern =
  /(?:^|\n)\s*(?:import|export)\s[^;'"]*?from\s*'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)|(?:^|\n)\s*import\s*'(\.[^']+)'/g;

/** Each module's imports of other modules of src, type-only ones included. */
const graph = new Map<string, string[]>(
  files.map((file) => {
    const text = readFileSync(file, 'utf8');
    const deps = [...text.matchAll(importPattern)]
      .map((m) => resolve(dirname(file), m[1] ?? m[2] ?? m[3] ?? ''))
      .filter((dep) => known.has(dep));
    return [file, deps];
  }),
);

/**
 * The module-level variables of the pure folders that ARCHITECTURE.md allows, each with its
 * reason there ("State"): none of them remembers anything a caller handed in.
 */
const allowedModuleState: Record<string, readonly string[]> = {
  'promql/store.ts': ['zeros'],
  'promql/functions.ts': ['planCounts'],
  'lab/recordings.ts': ['catalog'],
};

const folderOf = (file: string) => relative(src, file).split('/')[0] ?? '';
const rel = (file: string) => relative(src, file);

describe('architecture', () => {
  it('every folder is in the dependency rule', () => {
    const folders = new Set(files.map(folderOf).filter((f) => !f.includes('.')));
    for (const folder of folders) expect(Object.keys(allowed)).toContain(folder);
  });

  it('folders import only what the dependency rule allows, through index.ts', () => {
    const wrong: string[] = [];
    for (const [file, deps] of graph) {
      const from = folderOf(file);
      for (const dep of deps) {
        const to = folderOf(dep);
        if (to === from) continue;
        if (!(allowed[from] ?? []).includes(to)) wrong.push(`${rel(file)} -> ${rel(dep)}`);
        else if (relative(join(src, to), dep) !== 'index.ts')
          wrong.push(`${rel(file)} -> ${rel(dep)} (not the folder's index.ts)`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('no module imports itself back, directly or through others', () => {
    // Tarjan's strongly connected components: any component of two or more modules is a cycle.
    let next = 0;
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    const visit = (v: string) => {
      index.set(v, next);
      low.set(v, next);
      next++;
      stack.push(v);
      onStack.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!index.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(rel(w));
        } while (w !== v);
        if (component.length > 1) cycles.push(component.sort());
      }
    };
    for (const v of graph.keys()) if (!index.has(v)) visit(v);
    expect(cycles).toEqual([]);
  });

  it('the purity guard refuses UI libraries, the DOM and the wall clock in every pure folder', async () => {
    const eslint = new ESLint({ cwd: resolve(src, '..') });
    const probe = [
      "import { useState } from 'react';",
      "import { create } from 'zustand';",
      'export const t = Date.now() + window.innerWidth + (useState === create ? 1 : 0);',
      '',
    ].join('\n');
    const pure = Object.keys(allowed).filter((f) => f !== 'app' && f !== 'cli');
    expect(pure).toContain('backtest');
    for (const folder of pure) {
      const [result] = await eslint.lintText(probe, { filePath: join(src, folder, 'probe.ts') });
      const rules = (result?.messages ?? []).map((m) => `${m.line}:${m.ruleId ?? m.message}`);
      expect(rules, folder).toEqual(
        expect.arrayContaining([
          '1:no-restricted-imports',
          '2:no-restricted-imports',
          '3:no-restricted-properties',
          '3:no-restricted-globals',
        ]),
      );
    }
  });

  it('no module keeps a cache: no Map or Set filled at run time, no mutable variable in a pure folder', () => {
    // Top-level declarations start at column 0 (prettier's layout). A Map or Set created empty is
    // filled later, a cache; tables built from their entries at once (`new Map(table)`) are not.
    const emptyCollection =
      /^(?:export )?(?:const|let|var) (\w+)[^=\n]*= new (?:Weak)?(?:Map|Set)\b(?:<[^(\n]*>)?\(\s*\)/gm;
    const mutable = /^(?:export )?(?:let|var) (\w+)/gm;
    const pure = new Set(Object.keys(allowed).filter((f) => f !== 'app' && f !== 'cli'));
    const found: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(emptyCollection)) found.push(`${rel(file)}: ${m[1]}`);
      if (!pure.has(folderOf(file))) continue;
      for (const m of text.matchAll(mutable))
        if (!allowedModuleState[rel(file)]?.includes(m[1]!))
          found.push(`${rel(file)}: let ${m[1]}`);
    }
    expect(found).toEqual([]);
    // Each allowed one is still there and documented with its reason.
    const doc = readFileSync(resolve(src, '../docs/ARCHITECTURE.md'), 'utf8');
    for (const [file, names] of Object.entries(allowedModuleState)) {
      for (const name of names) {
        expect(readFileSync(join(src, file), 'utf8')).toMatch(new RegExp(`^let ${name}\\b`, 'm'));
        expect(doc).toContain(`\`${name}\` (\`src/${file}\`)`);
      }
    }
  });
});
