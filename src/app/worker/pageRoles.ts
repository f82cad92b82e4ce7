// Every role's module of the page's workers, loaded by pageWorker.ts as one chunk: the simulator,
// the engine and the lab are downloaded and compiled once per worker, whatever its role, and only
// the module of the worker's role sets a handler (role.ts).
import './evalWorker.ts';
import './backgroundWorker.ts';
import './exportWorker.ts';
import './backtestWorker.ts';
