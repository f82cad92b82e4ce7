// `promtool check rules` (cmd/promtool/main.go CheckRules/checkRules/checkDuplicates): validate
// each rule file, count its rules, lint duplicate rules, and print what promtool prints.
import { compareLabels } from '../promql/index.ts';
import { isAlertRule, parseRuleFile, type RuleGroupSpec } from './ruleFile.ts';
import type { OutputChunk } from './unitTest.ts';
import { ruleFileShapeErrors, yamlStreamError } from './yamlStream.ts';

/** The result of checking one rule file. */
export interface CheckRulesReport {
  /** Validation errors, each as promtool prints it (`FILE: line:col: …`). */
  errors: string[];
  /** The duplicate-rules lint message, if any. */
  lint: string | undefined;
  ruleCount: number;
}

function duplicateRules(
  groups: readonly RuleGroupSpec[],
): { metric: string; labels: Record<string, string> }[] {
  const rules = groups.flatMap((g) =>
    g.rules.map((r) => ({ metric: isAlertRule(r) ? r.alert : r.record, labels: r.labels })),
  );
  const compare = (a: (typeof rules)[number], b: (typeof rules)[number]): number =>
    a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : compareLabels(a.labels, b.labels);
  const dups: typeof rules = [];
  if (rules.length < 2) return dups;
  rules.sort(compare);
  let last = rules[0];
  for (const r of rules.slice(1)) {
    if (last && compare(last, r) === 0) {
      const prev = dups[dups.length - 1];
      if (!prev || compare(last, prev) !== 0) dups.push(r);
    }
    last = r;
  }
  return dups;
}

/** Checks one rule file's text. */
export function checkRuleFile(
  text: string,
  fileName: string,
  opts: { compat?: 'v2' | 'v3'; lint?: boolean; prometheusRule?: boolean } = {},
): CheckRulesReport {
  const shape = ruleFileShapeErrors(text);
  if (shape !== null) {
    return { errors: shape.map((e) => `${fileName}: ${e}`), lint: undefined, ruleCount: 0 };
  }
  const parsed = parseRuleFile(text, fileName, {
    compat: opts.compat,
    prometheusRule: opts.prometheusRule,
  });
  if (!parsed.ok)
    return {
      errors: parsed.errors.map((e) => `${fileName}: ${e.formatted}`),
      lint: undefined,
      ruleCount: 0,
    };
  const ruleCount = parsed.groups.reduce((n, g) => n + g.rules.length, 0);
  let lint: string | undefined;
  if (opts.lint ?? true) {
    const dups = duplicateRules(parsed.groups);
    if (dups.length > 0) {
      lint = `lint error ${dups.length} duplicate rule(s) found.\n`;
      for (const d of dups) {
        lint += `Metric: ${d.metric}\nLabel(s):\n`;
        for (const k of Object.keys(d.labels).sort()) lint += `\t${k}: ${d.labels[k] ?? ''}\n`;
      }
      lint += 'Might cause inconsistency while recording expressions';
    }
  }
  return { errors: [], lint, ruleCount };
}

/** Runs `check rules` over files: promtool's output and exit code (3 for fatal lint errors). */
export function runCheckRules(
  files: readonly string[],
  opts: {
    compat?: 'v2' | 'v3';
    lint?: boolean;
    lintFatal?: boolean;
    /** Whether a PrometheusRule manifest is read (the default); promtool refuses one. */
    prometheusRule?: boolean;
    /** The file's text, or its bytes (checked as go-yaml checks them: UTF-8, no controls). */
    readFile: (path: string) => string | Uint8Array;
  },
): { output: OutputChunk[]; exitCode: number } {
  const output: OutputChunk[] = [];
  let failed = false;
  let hasErrors = false;
  for (const f of files) {
    output.push({ stream: 'stdout', text: `Checking ${f}\n` });
    let report: CheckRulesReport;
    try {
      const content = opts.readFile(f);
      const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
      const streamError = yamlStreamError(bytes);
      // rulefmt reads the file twice (strict and into nodes) and reports both failures.
      report =
        streamError !== null
          ? {
              errors: [`${f}: ${streamError}`, `${f}: ${streamError}`],
              lint: undefined,
              ruleCount: 0,
            }
          : checkRuleFile(
              typeof content === 'string' ? content : new TextDecoder().decode(content),
              f,
              opts,
            );
    } catch (err) {
      report = {
        errors: [`${f}: ${err instanceof Error ? err.message : String(err)}`],
        lint: undefined,
        ruleCount: 0,
      };
    }
    const errs = [...report.errors, ...(report.lint !== undefined ? [report.lint] : [])];
    if (errs.length > 0) {
      output.push({ stream: 'stderr', text: '  FAILED:\n' });
      for (const e of errs) output.push({ stream: 'stderr', text: e + '\n' });
      output.push({ stream: 'stdout', text: '\n' });
      failed = true;
      if (report.errors.length > 0) hasErrors = true;
    } else {
      output.push({ stream: 'stdout', text: `  SUCCESS: ${report.ruleCount} rules found\n\n` });
    }
  }
  if (failed && hasErrors) return { output, exitCode: 1 };
  if (failed && opts.lintFatal) return { output, exitCode: 3 };
  return { output, exitCode: 0 };
}
