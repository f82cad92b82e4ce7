import { defaultScenario } from '../src/sim/index.ts';
import { defaultRules, prepareSource, evaluateView, simulated } from '../src/lab/index.ts';
const src = simulated({ ...defaultScenario, members: 5, scrapeInterval: 15_000, evaluationInterval: 15_000, duration: 6 * 3600_000 });
const p = prepareSource(src);
evaluateView(p, defaultRules);
const rule = defaultRules[0]!;
const ts: number[] = [];
for (let i = 0; i < 40; i++) {
  const r = { ...rule, expr: rule.expr.replace(/> 0\.01/, `> ${0.005 + 0.0005 * i}`) };
  const t = performance.now();
  evaluateView(p, [r, ...defaultRules.slice(1)]);
  ts.push(performance.now() - t);
}
ts.sort((a, b) => a - b);
console.log('median', ts[20]!.toFixed(1), 'p95', ts[37]!.toFixed(1));
