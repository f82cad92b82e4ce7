// Imports alerting rules from a Prometheus rule file or a PrometheusRule, or a promtool unit-test
// file as a scenario (its input series, and the rules of its rule files where they are chosen
// too), or an OpenMetrics file or `promtool tsdb dump` output as a scenario of its series:
// pasted, chosen or dropped on the page. Errors name the line and column; nothing is applied
// unless the whole file is valid, and what the user had stays as it was.
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { importRules } from '../../lab/index.ts';
import { describeGroup, isTestFile, readTestFile, type ParsedTestFile } from '../../lab/index.ts';
import { readSeriesFile, seriesFileFormat, type SeriesFileResult } from '../../lab/index.ts';
import { rulePresets, type RuleDraft } from '../../lab/index.ts';
import type { ImportedSource } from '../../lab/index.ts';
import { plural } from './format.ts';

/** Props of the import dialog. */
export interface ImportDialogProps {
  /** Adds the rules; `notes` say what of the file is not used. */
  readonly onImport: (rules: RuleDraft[], notes: readonly string[]) => void;
  readonly onImportScenario: (source: ImportedSource, rules: RuleDraft[]) => void;
  /** The alert names of the rules already in the playground. */
  readonly currentAlerts?: readonly string[];
  /** Files dropped on the page, read as if chosen. */
  readonly initialFiles?: readonly File[];
  readonly onClose: () => void;
}

/** A chosen file beside the main one: a rule file a test file names. */
interface SideFile {
  readonly name: string;
  readonly text: string;
}

const baseName = (path: string) => path.split('/').pop() ?? path;

/** How the dialog describes a series file it read. */
function describeSeriesFile(r: Extract<SeriesFileResult, { ok: true }>): string {
  const kind = r.format === 'openmetrics' ? 'An OpenMetrics file' : 'promtool tsdb dump output';
  const from = new Date(r.source.start ?? 0).toISOString().replace('.000Z', 'Z');
  const every = r.source.interval / 1000;
  return `${kind}: ${r.seriesCount} series, ${plural(r.sampleCount, 'sample', 'samples')} from ${from}, one every ${every}s. Its series replace the scenario (your rules stay).`;
}

/**
 * The rules of a test file: those of its rule files chosen beside it, then the known presets its
 * alert_rule_test names that the playground does not have yet. Errors of a chosen rule file count.
 */
function rulesForTest(
  file: ParsedTestFile,
  groupIndex: number,
  sideFiles: readonly SideFile[],
  currentAlerts: readonly string[],
): { rules: RuleDraft[]; errors: string[]; notes: string[] } {
  const rules: RuleDraft[] = [];
  const errors: string[] = [];
  const notes: string[] = [];
  for (const ruleFile of file.ruleFiles) {
    const side = sideFiles.find((f) => f.name === baseName(ruleFile));
    if (!side) {
      notes.push(`${ruleFile} was not chosen: its rules are not imported.`);
      continue;
    }
    const r = importRules(side.text, side.name);
    if (r.ok) rules.push(...r.rules);
    else errors.push(...r.errors);
  }
  const have = new Set([...currentAlerts, ...rules.map((r) => r.alert)]);
  for (const name of file.groups[groupIndex]?.alertnames ?? []) {
    if (have.has(name)) continue;
    const preset = rulePresets.find((p) => p.alert === name);
    if (preset) {
      rules.push(preset);
      have.add(name);
      notes.push(`${name} is a known rule: the preset is added.`);
    } else notes.push(`${name} is tested but its rule is unknown here.`);
  }
  return { rules, errors, notes };
}

/** A modal dialog to paste or choose a rule file or a promtool test file. */
export function ImportDialog({
  onImport,
  onImportScenario,
  currentAlerts = [],
  initialFiles,
  onClose,
}: ImportDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState('pasted.yaml');
  const [sideFiles, setSideFiles] = useState<readonly SideFile[]>([]);
  const [groupIndex, setGroupIndex] = useState(0);
  const [errors, setErrors] = useState<string[]>([]);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const readFiles = (files: readonly File[]) => {
    void Promise.all(files.map(async (f) => ({ name: f.name, text: await f.text() }))).then(
      (read) => {
        // The test file (or a series file) leads when there is one; the others are the rule
        // files a test file names.
        const main =
          read.find((f) => isTestFile(f.text)) ??
          read.find((f) => seriesFileFormat(f.text) !== null) ??
          read[0];
        if (!main) return;
        setFileName(main.name);
        setText(main.text);
        setSideFiles(read.filter((f) => f !== main));
        setErrors([]);
      },
    );
  };
  useEffect(() => {
    if (initialFiles && initialFiles.length > 0) readFiles(initialFiles);
    // Read each drop once; readFiles only sets state.
  }, [initialFiles]);
  // A large file takes a moment to read: typing stays responsive while it is read again.
  const settledText = useDeferredValue(text);
  const testFile = useMemo(() => readTestFile(settledText, fileName), [settledText, fileName]);
  const seriesFile = useMemo(
    () => (testFile ? null : readSeriesFile(settledText, fileName)),
    [testFile, settledText, fileName],
  );
  const parsedTest = testFile?.ok ? testFile.file : null;
  const groupOf = (file: ParsedTestFile) =>
    Math.min(groupIndex, Math.max(0, file.groups.length - 1));
  const group = parsedTest ? groupOf(parsedTest) : 0;
  const testRules = parsedTest ? rulesForTest(parsedTest, group, sideFiles, currentAlerts) : null;
  const submit = () => {
    // What is in the box now, even where the deferred reading has not caught up with it yet.
    const current = settledText === text ? testFile : readTestFile(text, fileName);
    if (current) {
      if (!current.ok) return setErrors(current.errors);
      const source = current.file.sources[groupOf(current.file)];
      if (!source) return;
      const chosen = rulesForTest(current.file, groupOf(current.file), sideFiles, currentAlerts);
      if (chosen.errors.length > 0) return setErrors(chosen.errors);
      onImportScenario(source, chosen.rules);
      onClose();
      return;
    }
    const series = settledText === text ? seriesFile : readSeriesFile(text, fileName);
    if (series) {
      if (!series.ok) return setErrors(series.errors);
      onImportScenario(series.source, []);
      onClose();
      return;
    }
    const r = importRules(text, fileName);
    if (!r.ok) return setErrors(r.errors);
    onImport(r.rules, r.notes);
    onClose();
  };
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="import-title" onClose={onClose}>
      <header className="panel-header">
        <h2 id="import-title">Import</h2>
        <span className="note">
          A Prometheus rule file or a PrometheusRule resource adds rules; a promtool unit-test file
          (choose its rule files with it), an OpenMetrics file or promtool tsdb dump output becomes
          the scenario. Files can be dropped on the page too.
        </span>
      </header>
      <label className="field">
        <span className="field-label">Files</span>
        <input
          type="file"
          accept=".yaml,.yml,.json,.txt,.om,.prom"
          multiple
          aria-label="Files to import"
          onChange={(e) => readFiles([...(e.target.files ?? [])])}
        />
      </label>
      <label className="field">
        <span className="field-label">or paste one here</span>
        <textarea
          className="import-text"
          aria-label="File text"
          rows={14}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setErrors([]);
          }}
        />
      </label>
      {parsedTest ? (
        <div className="import-test" data-testid="import-test">
          <p className="note">
            A promtool unit test: its input series replace the scenario (your rules stay).
          </p>
          {parsedTest.groups.length > 1 ? (
            <label className="field">
              <span className="field-label">Test group</span>
              <select
                aria-label="Test group"
                value={group}
                onChange={(e) => setGroupIndex(Number(e.target.value))}
              >
                {parsedTest.groups.map((g, i) => (
                  <option key={i} value={i}>
                    {describeGroup(g)}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <p className="note">
              {parsedTest.groups[0] ? describeGroup(parsedTest.groups[0]) : ''}
            </p>
          )}
          {testRules && (testRules.notes.length > 0 || testRules.rules.length > 0) ? (
            <ul className="note" aria-label="Rules of the test">
              {testRules.rules.length > 0 ? (
                <li>Rules to add: {testRules.rules.map((r) => r.alert).join(', ')}.</li>
              ) : null}
              {testRules.notes.map((n, i) => (
                <li key={i}>{n}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {seriesFile?.ok ? (
        <div className="import-test" data-testid="import-series">
          <p className="note">{describeSeriesFile(seriesFile)}</p>
          {seriesFile.notes.length > 0 ? (
            <ul className="note">
              {seriesFile.notes.map((n, i) => (
                <li key={i}>{n}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {errors.length > 0 ? (
        <ul className="error" role="alert">
          {errors.map((e, i) => (
            <li key={i}>{e}</li>
          ))}
        </ul>
      ) : null}
      <footer className="dialog-actions">
        <button type="button" className="button" onClick={submit} disabled={text.trim() === ''}>
          {testFile || seriesFile ? 'Import as scenario' : 'Import rules'}
        </button>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
      </footer>
    </dialog>
  );
}
