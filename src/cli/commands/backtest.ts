// `quorumlab backtest`: runs the alerting rules of a rule file against a real
// Prometheus-compatible server over a time range and prints each alert's pending and firing
// intervals, as the playground's backtest mode computes them.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { isAlertRule, parseRuleFile, type AlertRuleSpec } from '../../rules/index.ts';
import {
  createClient,
  crossCheck,
  formatBacktestError,
  formatIntervals,
  intervalsJson,
  runBacktest,
  type DataSourceAuth,
} from '../../backtest/index.ts';
import { parseDuration, parseTimeInput } from '../../text/index.ts';

const usage = `Usage: quorumlab backtest --url URL --rules FILE --start T --end T [--step D]
                          [--format text|json] [--compat v2|v3] [--cross-check]
                          [--dialect promql|metricsql]
                          [--bearer-token TOKEN | --user USER --password PASSWORD]
                          [--timeout D] [--max-steps N]

URL is the base of a Prometheus-compatible HTTP API (Prometheus, Thanos Query, Cortex/Mimir
with its /prometheus prefix, VictoriaMetrics). T is RFC 3339, Unix seconds, "now" or "now-2h".
The step (the rules' evaluation interval) defaults to the first group's interval, else 1m. Use
--compat v2 against Prometheus 2.x. --dialect metricsql against VictoriaMetrics: the cross-check
then names what MetricsQL computes otherwise than PromQL for each rule. The token may also come
from QUORUMLAB_BEARER_TOKEN.`;

export const backtestCommand: Command = {
  name: 'backtest',
  summary: 'replay alerting rules on a real Prometheus over a time range',
  async run(args) {
    const out = (s: string) => process.stdout.write(s);
    const err = (s: string) => process.stderr.write(`quorumlab backtest: ${s}\n`);
    let values;
    try {
      ({ values } = parseArgs({
        args,
        options: {
          url: { type: 'string' },
          rules: { type: 'string' },
          start: { type: 'string' },
          end: { type: 'string' },
          step: { type: 'string' },
          format: { type: 'string', default: 'text' },
          compat: { type: 'string', default: 'v3' },
          'cross-check': { type: 'boolean', default: false },
          dialect: { type: 'string', default: 'promql' },
          'bearer-token': { type: 'string' },
          user: { type: 'string' },
          password: { type: 'string' },
          timeout: { type: 'string', default: '2m' },
          'max-steps': { type: 'string', default: '720' },
          help: { type: 'boolean', short: 'h', default: false },
        },
      }));
    } catch (e) {
      err(e instanceof Error ? e.message : String(e));
      process.stderr.write(usage + '\n');
      return 2;
    }
    if (values.help) {
      out(usage + '\n');
      return 0;
    }
    if (!values.url || !values.rules || !values.start || !values.end) {
      err('--url, --rules, --start and --end are required');
      process.stderr.write(usage + '\n');
      return 2;
    }
    const dialect = values.dialect;
    if (dialect !== 'promql' && dialect !== 'metricsql') {
      err('--dialect must be promql or metricsql');
      return 2;
    }
    const compat = values.compat;
    if (compat !== 'v2' && compat !== 'v3') {
      err('--compat must be v2 or v3');
      return 2;
    }
    const format = values.format;
    if (format !== 'text' && format !== 'json') {
      err('--format must be text or json');
      return 2;
    }
    const now = Date.now();
    const start = parseTimeInput(values.start, now);
    const end = parseTimeInput(values.end, now);
    if (start === null || end === null) {
      err('--start and --end must be RFC 3339, Unix seconds, "now" or "now-<duration>"');
      return 2;
    }
    if (end < start) {
      err('--end is before --start');
      return 2;
    }
    const timeout = parseDuration(values.timeout);
    const maxSteps = Number(values['max-steps']);
    if (timeout === null || timeout <= 0 || !(maxSteps >= 1)) {
      err('--timeout must be a positive duration and --max-steps a positive number');
      return 2;
    }

    let text: string;
    try {
      text = readFileSync(values.rules, 'utf8');
    } catch (e) {
      err(`cannot read ${values.rules}: ${e instanceof Error ? e.message : String(e)}`);
      return 2;
    }
    const parsed = parseRuleFile(text, values.rules, { compat });
    if (!parsed.ok) {
      for (const e of parsed.errors) err(`${values.rules}: ${e.formatted}`);
      return 2;
    }
    const rules: AlertRuleSpec[] = parsed.groups.flatMap((g) => g.rules.filter(isAlertRule));
    if (rules.length === 0) {
      err(`${values.rules} has no alerting rules`);
      return 2;
    }
    let step = parsed.groups.find((g) => g.interval !== undefined)?.interval ?? 60_000;
    if (values.step !== undefined) {
      const s = parseDuration(values.step);
      if (s === null || s <= 0) {
        err('--step must be a positive duration');
        return 2;
      }
      step = s;
    }

    const token = values['bearer-token'] ?? process.env['QUORUMLAB_BEARER_TOKEN'];
    const auth: DataSourceAuth =
      token !== undefined && token !== ''
        ? { type: 'bearer', token }
        : values.user !== undefined
          ? { type: 'basic', user: values.user, password: values.password ?? '' }
          : { type: 'none' };
    const api = createClient({ url: values.url, auth }, { fetch, timeoutMs: timeout });

    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      const result = await runBacktest(api, rules, {
        start,
        end,
        step,
        compat,
        maxStepsPerQuery: maxSteps,
        signal: controller.signal,
        onProgress: (p) => {
          if (process.stderr.isTTY && p.total > 1) {
            process.stderr.write(
              `\r${p.done}/${p.total} queries${p.rule ? ` (${p.rule})` : ''}\x1b[K`,
            );
          }
        },
      });
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      if (!result.ok) {
        err(formatBacktestError(result.error));
        return 1;
      }
      const checks = new Map<
        string,
        { compared: number; differences: number; dialectNotes: readonly string[] } | string
      >();
      if (values['cross-check']) {
        for (const r of result.value) {
          if (r.error) continue;
          const c = await crossCheck(api, r.rule.expr, {
            start,
            end,
            step,
            compat,
            dialect,
            serverSeries: r.series,
            signal: controller.signal,
          });
          if (!c.ok && c.error.kind !== 'bad-query') {
            err(formatBacktestError(c.error));
            return 1;
          }
          checks.set(
            r.rule.alert,
            c.ok
              ? {
                  compared: c.value.compared,
                  differences: c.value.differences.length,
                  dialectNotes: c.value.dialectNotes,
                }
              : formatBacktestError(c.error),
          );
        }
      }
      let failed = false;
      if (format === 'json') {
        const doc = {
          url: values.url,
          start: start / 1000,
          end: end / 1000,
          step: step / 1000,
          compat,
          rules: result.value.map((r) => {
            if (r.error) failed = true;
            const check = checks.get(r.rule.alert);
            return {
              alert: r.rule.alert,
              expr: r.rule.expr,
              ...(r.error ? { error: formatBacktestError(r.error) } : {}),
              ...(r.timeline.error ? { evalError: r.timeline.error } : {}),
              intervals: intervalsJson(r.intervals),
              ...(check !== undefined ? { crossCheck: check } : {}),
            };
          }),
        };
        out(JSON.stringify(doc, null, 2) + '\n');
      } else {
        for (const r of result.value) {
          out(`# ${r.rule.alert}\n`);
          if (r.error) {
            failed = true;
            out(`error: ${formatBacktestError(r.error)}\n`);
            continue;
          }
          if (r.timeline.error) {
            out(
              `evaluation error at ${new Date(r.timeline.error.t).toISOString()}: ${r.timeline.error.message}\n`,
            );
          }
          out(formatIntervals(r.intervals));
          const check = checks.get(r.rule.alert);
          if (typeof check === 'string') out(`cross-check: ${check}\n`);
          else if (check) {
            out(`cross-check: ${check.differences} differences in ${check.compared} points\n`);
            for (const note of check.dialectNotes) out(`cross-check: ${note}\n`);
          }
        }
      }
      return failed ? 1 : 0;
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  },
};
