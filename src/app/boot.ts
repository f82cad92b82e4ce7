// Loaded by main.tsx before the page's React modules: the evaluation bridge takes the worker the
// entry started, and the document is sent to it the moment it is restored.
import { evaluationBridge, followDocument } from './state/evaluation.ts';
import { restoreDocOnce } from './state/persistence.ts';

evaluationBridge();
void restoreDocOnce().finally(followDocument);
