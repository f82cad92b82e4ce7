// The page's entry, kept small so that it runs at once: it starts the evaluation worker (which
// downloads and compiles its bundle meanwhile), then loads the state and sends the restored
// document to the worker (boot.ts), and only then React, the charts and the panels (mount.tsx),
// which render while the worker evaluates. index.html preloads all three (vite.config.ts). The
// stages are marked on the performance timeline for bench/firstLoadTrace.ts (loadMarks.ts).
import { markLoadStage } from './loadMarks.ts';
import { startPageWorkerEarly } from './worker/role.ts';
import './styles.css';

markLoadStage('entry');
startPageWorkerEarly('eval');
void import('./boot.ts').then(() => import('./mount.tsx')).then(() => markLoadStage('mounted'));
