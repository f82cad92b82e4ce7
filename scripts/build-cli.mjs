// Builds the quorumlab command to JavaScript (dist-cli/), so that the packed package runs with
// Node alone: no tsx, no sources, no runtime dependencies (yaml and the PromQL grammar are
// bundled). Each subcommand stays its own chunk, loaded when it runs, as in the sources.
//
// Then a startup snapshot of the whole command (src/cli/snapshot.ts bundled into one script,
// `node --build-snapshot`): dist-cli/quorumlab.blob, which bin/quorumlab starts node from when
// the node it finds is the binary that built it (dist-cli/quorumlab.blob.node records that
// binary's inode and size; V8 refuses a blob from another version or with other V8 flags, so it
// is built with bin/quorumlab's own flags), less the code cache of Node's own modules that the
// builder appends to it (dropBuiltinCodeCache below). Where the snapshot cannot be built, the
// command runs without it, as before.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
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
  // The builder's standard output a file and its standard error a pipe: src/cli/snapshot.ts
  // makes both streams, so that the snapshot holds the modules of either kind.
  const builderOut = openSync(join(tmp, 'build-snapshot.out'), 'w');
  const made = spawnSync(
    process.execPath,
    [...flags.split(' '), '--snapshot-blob', blob, '--build-snapshot', entry],
    { encoding: 'utf8', cwd: tmp, stdio: ['ignore', builderOut, 'pipe'] },
  );
  closeSync(builderOut);
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
    dropBuiltinCodeCache(blob, flags);
    writeFileSync(`${blob}.node`, id.stdout);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

/**
 * Drops from the blob the code cache of Node's own built-in modules that `--build-snapshot`
 * appends to it (about 2.5 MB of 6). Node reads the whole blob as it starts and keeps it for the
 * life of the process, so every run paid that much resident memory, for nothing: the cache
 * serves only to compile a built-in module when it is first required, and the snapshot holds
 * the command's modules already evaluated (a built-in first required at run time compiles from
 * its source instead, as without a snapshot). The builder's own switch for it
 * (`--build-snapshot-config` with `withoutCodeCache`) also clears the bytecode of every
 * function, the warm-up's (src/cli/warmup.ts), and broke the command on Node 20 ("... is not a
 * constructor"). The cache is the blob's last field (node's src/node_snapshotable.cc,
 * `SnapshotData::ToBlob`): a 64-bit count, then per module its id and its data, each a 64-bit
 * length and bytes. It is found by reading that layout back to the end of the file; where it
 * does not read so (another Node's layout) or the blob so cut does not start, the blob stays
 * as it was.
 */
function dropBuiltinCodeCache(path, flags) {
  const blob = readFileSync(path);
  // magic, type, three length-prefixed strings (version, arch, platform), tag, flags; then V8's
  // startup data: a 32-bit length and its bytes.
  let at = 5;
  for (let i = 0; i < 3 && at + 8 <= blob.length; i++) at += 8 + Number(blob.readBigUInt64LE(at));
  at += 8;
  if (at + 4 > blob.length) return;
  at += 4 + blob.readInt32LE(at);
  const start = findCodeCache(blob, at);
  if (start === undefined) return;
  const cut = Buffer.concat([blob.subarray(0, start), Buffer.alloc(8)]);
  const trial = `${path}.cut`;
  writeFileSync(trial, cut);
  const run = (file) =>
    spawnSync(process.execPath, [...flags.split(' '), '--snapshot-blob', file, '--', '--version'], {
      encoding: 'utf8',
    });
  const before = run(path);
  const after = run(trial);
  if (after.status === 0 && after.stdout === before.stdout && after.stderr === before.stderr) {
    renameSync(trial, path);
  } else {
    rmSync(trial, { force: true });
    process.stderr.write(`build-cli: the snapshot keeps Node's code cache: ${after.stderr}\n`);
  }
}

/** The offset from which the blob reads to its end as a list of built-in modules' caches. */
function findCodeCache(blob, from) {
  const u64 = (at) => (at + 8 <= blob.length ? Number(blob.readBigUInt64LE(at)) : -1);
  const reads = (start) => {
    const count = u64(start);
    if (count < 1 || count > 10_000) return false;
    let at = start + 8;
    for (let i = 0; i < count; i++) {
      const idLength = u64(at);
      if (idLength < 1 || idLength > 256 || at + 8 + idLength > blob.length) return false;
      const id = blob.subarray(at + 8, at + 8 + idLength);
      if (!id.every((c) => c > 0x20 && c < 0x7f)) return false;
      at += 8 + idLength;
      const dataLength = u64(at);
      if (dataLength < 0 || at + 8 + dataLength > blob.length) return false;
      at += 8 + dataLength;
    }
    return at === blob.length;
  };
  for (let start = from; start + 8 <= blob.length; start++) if (reads(start)) return start;
  return undefined;
}
