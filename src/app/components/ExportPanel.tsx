// Builds the export dialog's files for some rules and the current scenario: the rule file, the
// PrometheusRule resource, and a promtool unit test of the scenario with the alerts the engine
// computes (for Prometheus 3 or 2 semantics, since the two can differ at window edges).
import { useMemo, useState } from 'react';
import { exportPrometheusRule, exportRuleFile } from '../model/exportRule.ts';
import { formatPromtoolTest } from '../model/promtoolTest.ts';
import type { RuleDraft } from '../model/rulePresets.ts';
import type { ScenarioSource } from '../model/source.ts';
import { ExportDialog, type ExportFile } from './ExportDialog.tsx';

/** Props of the export panel. */
export interface ExportPanelProps {
  readonly rules: readonly RuleDraft[];
  readonly source: ScenarioSource;
  readonly onClose: () => void;
}

/** The export dialog for the given rules. */
export function ExportPanel({ rules, source, onClose }: ExportPanelProps) {
  const [compat, setCompat] = useState<'v3' | 'v2'>('v3');
  const only = rules.length === 1 ? rules[0] : undefined;
  const ruleFile = only ? `${only.alert}.rules.yaml` : 'etcd.rules.yaml';
  const testText = useMemo(() => {
    try {
      return formatPromtoolTest(source, rules, { ruleFileName: ruleFile, compat }).test;
    } catch (err) {
      return `# The unit test could not be written: ${err instanceof Error ? err.message : String(err)}`;
    }
  }, [source, rules, ruleFile, compat]);
  const files: ExportFile[] = [
    {
      label: 'Rule file',
      fileName: ruleFile,
      text: exportRuleFile(rules),
      hint: `promtool check rules ${ruleFile}`,
    },
    {
      label: 'PrometheusRule',
      fileName: 'etcd-rules.prometheusrule.yaml',
      text: exportPrometheusRule(rules),
      hint: 'kubectl apply -f etcd-rules.prometheusrule.yaml (prometheus-operator)',
    },
    {
      label: 'promtool unit test',
      fileName: ruleFile.replace(/\.yaml$/, '.test.yaml'),
      text: testText,
      hint: `save beside ${ruleFile}, then promtool test rules ${ruleFile.replace(/\.yaml$/, '.test.yaml')}`,
    },
  ];
  return (
    <ExportDialog
      title={only ? `Export ${only.alert}` : `Export ${rules.length} rules`}
      files={files}
      onClose={onClose}
      controls={
        <label className="toolbar-field">
          <span>Unit test for</span>
          <select
            aria-label="Prometheus version of the unit test"
            value={compat}
            onChange={(e) => setCompat(e.target.value === 'v2' ? 'v2' : 'v3')}
          >
            <option value="v3">Prometheus 3 (promtool 3.x)</option>
            <option value="v2">Prometheus 2 (promtool 2.x)</option>
          </select>
        </label>
      }
    />
  );
}
