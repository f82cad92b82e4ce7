// The quorumlab command as a Node startup snapshot (scripts/build-cli.mjs bundles this file into
// one script and runs `node --build-snapshot` on it; bin/quorumlab starts node with the blob when
// it was built by the same node binary). Every subcommand's module is loaded here, at build time,
// so a run starts with the modules evaluated and the PromQL grammar decoded: no module loading
// at all. `lab` is left to load when it runs: it spawns processes and listens on sockets, which
// Node does not promise to restore from a snapshot.
import { startupSnapshot } from 'node:v8';
import { commands } from './commands.ts';
import { exitQuietlyOnBrokenPipe, main } from './main.ts';

/** Subcommands not loaded into the snapshot (see above). */
const LOADED_WHEN_RUN = new Set(['lab']);

void Promise.all(commands.filter((c) => !LOADED_WHEN_RUN.has(c.name)).map((c) => c.load()));

startupSnapshot.setDeserializeMainFunction(() => {
  exitQuietlyOnBrokenPipe();
  // Started as `node --snapshot-blob BLOB -- ARGS...`: argv is [node, ...ARGS].
  void main(process.argv.slice(1)).then((code) => {
    process.exitCode = code;
  });
});
