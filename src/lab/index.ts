// The product's pure domain: prepare a scenario or imported series, evaluate rules into views,
// ground truth, scorecard, matrix, sweep and exports. Used by the app's workers, the CLI, e2e and bench.
export * from './alertState.ts';
export * from './delivery.ts';
export * from './document.ts';
export * from './evaluateView.ts';
export * from './eventMarkers.ts';
export * from './exportRule.ts';
export * from './importSeries.ts';
export * from './importTest.ts';
export * from './intent.ts';
export * from './labelNames.ts';
export * from './matrix.ts';
export * from './memberState.ts';
export * from './promtoolTest.ts';
export * from './ruleLint.ts';
export * from './rulePresets.ts';
export * from './scorecard.ts';
export * from './source.ts';
export * from './recordings.ts';
export * from './timelineEdit.ts';
export * from './tunables.ts';
export * from './simulationStore.ts';
export * from './docLimits.ts';
export * from './viewLink.ts';
export * from './savedState.ts';
export * from './verdict.ts';
export * from './lessons.ts';
