// Builds the quorumlab command to JavaScript (dist-cli/), so that the packed package runs with
// Node alone: no tsx, no sources, no runtime dependencies (yaml and the PromQL grammar are
// bundled). Each subcommand stays its own chunk, loaded when it runs, as in the sources.
//
// Then a startup snapshot of the whole command (src/cli/snapshot.ts bundled into one script,
// `node --build-snapshot`): dist-cli/quorumlab.blob, which bin/quorumlab starts node from when
// the node it finds is the binary that built it (dist-cli/quorumlab.blob.node records that
// binary's inode and size; V8 refuses a blob from another version or with other V8 flags, so it
// is built with bin/quorumlab's own flags). Where the snapshot cannot be built, the command runs
// without it, as before.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const outdir = new URL('../dist-cli/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  // ESM builds first: they tree-shake (the CJS ones bring all of CodeMirror with them).
  mainFields: ['module', 'main'],
  target: 'node20',
  minify: true,
  logLevel: 'warning',
};
await build({
  ...common,
  entryPoints: { quorumlab: new URL('../src/cli/main.ts', import.meta.url).pathname },
  outdir,
  splitting: true,
  format: 'esm',
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS modules require Node's built-ins; ESM has no require of its own.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});

const tmp = mkdtempSync(join(tmpdir(), 'quorumlab-snapshot-'));
try {
  // A snapshot's entry is one script that requires nothing but Node's built-ins.
  const entry = join(tmp, 'snapshot.cjs');
  await build({
    ...common,
    entryPoints: [new URL('../src/cli/snapshot.ts', import.meta.url).pathname],
    outfile: entry,
    format: 'cjs',
  });
  const bin = readFileSync(new URL('../bin/quorumlab', import.meta.url), 'utf8');
  const flags = /^':' \/\/; flags='([^']*)'$/m.exec(bin)?.[1];
  if (flags === undefined) throw new Error("bin/quorumlab has no flags='...' line");
  const blob = join(outdir, 'quorumlab.blob');
  const made = spawnSync(
    process.execPath,
    [...flags.split(' '), '--snapshot-blob', blob, '--build-snapshot', entry],
    { encoding: 'utf8', cwd: tmp },
  );
  // The same inode and size that bin/quorumlab reads with `ls -iLn` for the node it runs.
  const id = spawnSync(
    'sh',
    ['-c', 'set -- $(LC_ALL=C ls -iLn -- "$1") && echo "$1 $6"', '_', process.execPath],
    {
      encoding: 'utf8',
    },
  );
  if (made.status !== 0 || id.status !== 0 || id.stdout.trim() === '') {
    rmSync(blob, { force: true });
    process.stderr.write(
      `build-cli: no startup snapshot (the command runs without it): ${made.stderr}${id.stderr}\n`,
    );
  } else {
    writeFileSync(`${blob}.node`, id.stdout);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
