// Builds the quorumlab command to JavaScript (dist-cli/), so that the packed package runs with
// Node alone: no tsx, no sources, no runtime dependencies (yaml and the PromQL grammar are
// bundled). Each subcommand stays its own chunk, loaded when it runs, as in the sources.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const outdir = new URL('../dist-cli/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { quorumlab: new URL('../src/cli/main.ts', import.meta.url).pathname },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // ESM builds first: they tree-shake (the CJS ones bring all of CodeMirror with them).
  mainFields: ['module', 'main'],
  target: 'node20',
  minify: true,
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  // Bundled CommonJS modules require Node's built-ins; ESM has no require of its own.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
