// Mounts the playground. The evaluation worker starts first: it fetches and compiles its bundle
// and evaluates the restored document while the page renders.
import './boot.ts';
import { followDocument } from './state/evaluation.ts';
import { restoreDocOnce } from './state/persistence.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './styles.css';

void restoreDocOnce().finally(followDocument);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
