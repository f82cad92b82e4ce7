// Builds the export dialog's files for some rules and the current scenario: the rule file, the
// PrometheusRule resource, kube-prometheus-stack values, an etcd mixin jsonnet patch, and a
// promtool unit test of the scenario with the alerts the engine computes (for Prometheus 3 or 2
// semantics, since the two can differ at window edges).
import { useEffect, useMemo, useRef, useState } from 'react';
import { checkRuleFile } from '../../rules/index.ts';
import {
  checkPrometheusRuleMeta,
  exportDelivery,
  formatLabelList,
  parseLabelList,
  type PrometheusRuleMeta,
} from '../../lab/index.ts';
import type { RuleDraft } from '../../lab/index.ts';
import type { ScenarioSource } from '../../lab/index.ts';
import { loadPrometheusRuleMeta, savePrometheusRuleMeta } from '../state/exportSettings.ts';
import type { ExportTestRequest, ExportTestResponse } from '../worker/exportWorker.ts';
import { startPageWorker } from '../worker/role.ts';
import { ExportDialog, type ExportFile } from './ExportDialog.tsx';
import { plural } from './format.ts';

/**
 * The PrometheusRule's name, namespace and labels as typed, the metadata they make (the last
 * valid labels while the typed ones do not read), and why Kubernetes would refuse them.
 */
function useResourceMeta() {
  const [initial] = useState(loadPrometheusRuleMeta);
  const [name, setName] = useState(initial.name);
  const [namespace, setNamespace] = useState(initial.namespace);
  const [labelText, setLabelText] = useState(formatLabelList(initial.labels));
  const [labels, setLabels] = useState(initial.labels);
  const parsed = parseLabelList(labelText);
  const meta: PrometheusRuleMeta = { name, namespace, labels: parsed.ok ? parsed.labels : labels };
  const errors = [
    ...(parsed.ok ? [] : [`labels: ${parsed.error}`]),
    ...checkPrometheusRuleMeta(meta),
  ];
  const valid = errors.length === 0;
  useEffect(() => {
    if (valid) savePrometheusRuleMeta({ name, namespace, labels });
  }, [valid, name, namespace, labels]);
  const controls = (
    <fieldset className="toolbar-field export-meta" aria-label="PrometheusRule metadata">
      <label>
        <span>Name</span>
        <input
          aria-label="Resource name"
          value={name}
          spellCheck={false}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <label>
        <span>Namespace</span>
        <input
          aria-label="Resource namespace"
          value={namespace}
          spellCheck={false}
          onChange={(e) => setNamespace(e.target.value)}
        />
      </label>
      <label>
        <span>Labels</span>
        <input
          aria-label="Resource labels"
          value={labelText}
          spellCheck={false}
          placeholder="release=kube-prometheus-stack"
          onChange={(e) => {
            setLabelText(e.target.value);
            const read = parseLabelList(e.target.value);
            if (read.ok) setLabels(read.labels);
          }}
        />
      </label>
    </fieldset>
  );
  return {
    meta,
    controls,
    error: valid ? undefined : `Kubernetes would refuse this resource: ${errors.join('; ')}`,
  };
}

/**
 * The promtool unit test of the scenario, written in a worker: null while it is being written.
 * A newer request (another Prometheus version) makes an older answer stale.
 */
function useUnitTest(request: Omit<ExportTestRequest, 'id'>): string | null {
  const worker = useRef<Worker | null>(null);
  const latest = useRef(0);
  const [answer, setAnswer] = useState<{ id: number; text: string } | null>(null);
  useEffect(() => {
    const w = startPageWorker('export');
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
  const resource = useResourceMeta();
  const ruleText = useMemo(() => exportDelivery('rules', rules).text, [rules]);
  // What promtool check rules says of the file: errors (an expression that does not parse), and
  // its lint of rules with the same name and labels (two versions of one alert).
  const report = useMemo(() => checkRuleFile(ruleText, ruleFile), [ruleText, ruleFile]);
  const duplicates = report.lint?.match(/^lint error (\d+)/)?.[1];
  const rejected =
    report.errors.length > 0
      ? `promtool check rules will reject this file; fix the rule first:\n${report.errors.join('\n')}`
      : undefined;
  const deliver = (format: 'prometheusrule' | 'helm' | 'jsonnet'): ExportFile => {
    const f = exportDelivery(format, rules, { meta: resource.meta });
    const named = format !== 'jsonnet';
    return {
      label: f.label,
      fileName: f.fileName,
      text: f.text,
      hint: f.hint,
      error: rejected ?? (named ? resource.error : undefined),
      ...(named ? { controls: resource.controls } : {}),
      ...(format === 'helm'
        ? {
            warning:
              'The chart names the resource after itself and this key, puts it in its own namespace and labels it with its release; the other labels are additionalLabels.',
          }
        : {}),
    };
  };
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
    deliver('prometheusrule'),
    deliver('helm'),
    deliver('jsonnet'),
    {
      label: 'promtool unit test',
      fileName: ruleFile.replace(/\.yaml$/, '.test.yaml'),
      text: testText ?? 'Writing the unit test of the scenario…',
      pending: testText === null,
      hint: `save beside ${ruleFile}, then promtool test rules ${ruleFile.replace(/\.yaml$/, '.test.yaml')}`,
      controls: (
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
      ),
    },
  ];
  return (
    <ExportDialog
      title={only ? `Export ${only.alert}` : `Export ${plural(rules.length, 'rule', 'rules')}`}
      files={files}
      onClose={onClose}
    />
  );
}
