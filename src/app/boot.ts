// Imported first by main.tsx: the evaluation worker starts before the page's other modules (React,
// the charts, the panels) are evaluated, so that it downloads and compiles its bundle meanwhile.
import { evaluationBridge } from './state/evaluation.ts';

evaluationBridge();
