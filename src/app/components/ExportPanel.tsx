// Builds the export dialog's files for some rules and the current scenario: the rule file, the
// PrometheusRule resource, and a promtool unit test of the scenario with the alerts the engine
// computes (for Prometheus 3 or 2 semantics, since the two can differ at window edges).
import { useEffect, useMemo, useRef, useState } from 'react';
import { checkRuleFile } from '../../rules/index.ts';
import { exportPrometheusRule, exportRuleFile } from '../../lab/index.ts';
import type { RuleDraft } from '../../lab/index.ts';
import type { ScenarioSource } from '../../lab/index.ts';
import type { ExportTestRequest, ExportTestResponse } from '../worker/exportWorker.ts';
import { ExportDialog, type ExportFile } from './ExportDialog.tsx';

/**
 * The promtool unit test of the scenario, written in a worker: null while it is being written.
 * A newer request (another Prometheus version) makes an older answer stale.
 */
function useUnitTest(request: Omit<ExportTestRequest, 'id'>): string | null {
  const worker = useRef<Worker | null>(null);
  const latest = useRef(0);
  const [answer, setAnswer] = useState<{ id: number; text: string } | null>(null);
  useEffect(() => {
    const w = new Worker(new URL('../worker/exportWorker.ts', import.meta.url), {
      type: 'module',
    });
    w.onmessage = (e: MessageEvent<ExportTestResponse>) => {
      const r = e.data;
      if (r.id !== latest.current) return;
      setAnswer({
        id: r.id,
        text: r.ok ? r.text : `# The unit test could not be written: ${r.error}`,
      });
    };
    worker.current = w;
    return () => {
      w.terminate();
      worker.current = null;
    };
  }, []);
  const { source, rules, ruleFileName, compat } = request;
  const [id, setId] = useState(0);
  useEffect(() => {
    latest.current += 1;
    setId(latest.current);
    worker.current?.postMessage({ id: latest.current, source, rules, ruleFileName, compat });
  }, [source, rules, ruleFileName, compat]);
  return answer !== null && answer.id === id ? answer.text : null;
}

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
  const testText = useUnitTest({ source, rules, ruleFileName: ruleFile, compat });
  const ruleText = useMemo(() => exportRuleFile(rules), [rules]);
  // What promtool check rules says of the file: errors (an expression that does not parse), and
  // its lint of rules with the same name and labels (two versions of one alert).
  const report = useMemo(() => checkRuleFile(ruleText, ruleFile), [ruleText, ruleFile]);
  const duplicates = report.lint?.match(/^lint error (\d+)/)?.[1];
  const rejected =
    report.errors.length > 0
      ? `promtool check rules will reject this file; fix the rule first:\n${report.errors.join('\n')}`
      : undefined;
  const files: ExportFile[] = [
    {
      label: 'Rule file',
      fileName: ruleFile,
      text: ruleText,
      hint: `promtool check rules ${ruleFile}`,
      error: rejected,
      warning: duplicates
        ? `promtool check rules will report ${duplicates} duplicate rule(s): rules with the same name and labels. It still accepts the file, but their alerts cannot be told apart: give each version a label of its own.`
        : undefined,
    },
    {
      label: 'PrometheusRule',
      fileName: 'etcd-rules.prometheusrule.yaml',
      text: exportPrometheusRule(rules),
      hint: 'kubectl apply -f etcd-rules.prometheusrule.yaml (prometheus-operator)',
      error: rejected,
    },
    {
      label: 'promtool unit test',
      fileName: ruleFile.replace(/\.yaml$/, '.test.yaml'),
      text: testText ?? 'Writing the unit test of the scenario…',
      pending: testText === null,
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
