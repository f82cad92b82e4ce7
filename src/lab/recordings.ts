// The recordings of a real etcd cluster that ship with Quorum Lab (recordings/, each made with
// `quorumlab lab run` on a real etcd 3.4 cluster behind a real Prometheus). Their small part,
// meta.json (the scenario played, the programs' versions, the scrape targets and member ids, the
// rule files Prometheus evaluated), is bundled here; their series are loaded only when one is
// opened (the app's worker fetches them and src/reality reads them), then handed to
// prepareSource as a LoadedRecording.
import { formatExpr, parseExpr, type Labels, type Point } from '../promql/index.ts';
import { isAlertRule, parseRuleFile } from '../rules/index.ts';
import { validateScenario, type Scenario } from '../sim/index.ts';
import evictScrapeHangMeta from '../../recordings/evict-scrape-hang/meta.json' with { type: 'json' };
import killHangLeaderMeta from '../../recordings/kill-hang-leader/meta.json' with { type: 'json' };
import { rulePresets, type RuleDraft } from './rulePresets.ts';

/** A recording shipped with the project, as the page knows it before its series are loaded. */
export interface ShippedRecording {
  /** Its directory under recordings/, and its name in documents and links. */
  readonly name: string;
  /** What the harness did, in a sentence. */
  readonly summary: string;
  /** The scenario the harness played: the simulation shown beside the recording. */
  readonly scenario: Scenario;
  /** Unix ms of the scenario's t = 0: the time axis counts from here. */
  readonly t0: number;
  /** The real programs' versions, e.g. "3.4.23" and "2.42.0". */
  readonly etcd: string;
  readonly prometheus: string;
  /** Scrape targets and etcd member ids, in member order. */
  readonly instances: readonly string[];
  readonly ids: readonly string[];
  /** The alerting rules Prometheus evaluated during the run, as the playground's rules. */
  readonly rules: readonly RuleDraft[];
  /** meta.json as the harness wrote it. */
  readonly meta: RecordingMeta;
}

/** A recording's series once loaded (read by src/reality from the files beside meta.json). */
export interface LoadedRecording {
  readonly name: string;
  /** Every recorded series at its real time (Unix ms); null: a staleness marker. */
  readonly series: readonly { readonly labels: Labels; readonly points: readonly Point[] }[];
  /** The ALERTS series Prometheus wrote, at their real times. */
  readonly alerts: readonly { readonly labels: Labels; readonly points: readonly Point[] }[];
  /** The comparison with the simulator, figure by figure (src/reality's compareRecording). */
  readonly checks: readonly RecordingCheck[];
}

/** One compared figure of a recording and the simulation (src/reality's compareRecording). */
export interface RecordingCheck {
  /** The event the row is about ("crash member 3 at 3m"), or "rules" for alert intervals. */
  readonly event: string;
  /** What is compared. */
  readonly check: string;
  readonly real: string;
  readonly sim: string;
  /** The tolerance applied, in words. */
  readonly tolerance: string;
  readonly ok: boolean;
  /** Why a difference is accepted, or what it means. */
  readonly note?: string;
}

const summaries: Record<string, string> = {
  'kill-hang-leader':
    'a follower killed for 40 s, then the leader killed for 30 s, then the old leader (now a follower) hung with SIGSTOP for 30 s',
  'evict-scrape-hang':
    'a member evicted from service discovery for a minute, another member’s scrapes blocked for 40 s, then that member hung with SIGSTOP for 40 s',
};

/** The harness's record of a run (meta.json beside the series). Times: ms from `t0`. */
export interface RecordingMeta {
  /** Unix ms of the scenario's t = 0. */
  t0: number;
  /** The scenario played, in its JSON form. */
  scenario: unknown;
  /** Versions of the real programs, e.g. "3.4.23" and "2.42.0". */
  etcd: string;
  prometheus: string;
  /** Scrape targets, in member order (member 1 first). */
  instances: string[];
  /** etcd member ids (16 hex digits), in member order. */
  ids: string[];
  /** What the harness did, each stamped right after it was done. */
  actions: { t: number; what: string; member?: number }[];
  /** Leaders elected, from etcd's own log: the time, the new leader (1-based), its term. */
  elections: { t: number; member: number; term?: number }[];
  /** The rule files Prometheus evaluated. */
  rules: { name: string; text: string }[];
  /** Prometheus's scrape and evaluation intervals (ms). */
  scrapeInterval: number;
  evaluationInterval: number;
}

function sameExpr(a: string, b: string): boolean {
  const pa = parseExpr(a);
  const pb = parseExpr(b);
  return pa.ok && pb.ok ? formatExpr(pa.value) === formatExpr(pb.value) : a === b;
}

/** The rule files' alerting rules as drafts: the preset itself where one is the same rule. */
function recordedRules(files: readonly { name: string; text: string }[]): RuleDraft[] {
  const out: RuleDraft[] = [];
  for (const file of files) {
    const parsed = parseRuleFile(file.text, file.name, { compat: 'v2' });
    if (!parsed.ok) continue;
    for (const group of parsed.groups)
      for (const rule of group.rules) {
        if (!isAlertRule(rule)) continue;
        const preset = rulePresets.find(
          (p) => p.alert === rule.alert && p.forMs === rule.for && sameExpr(p.expr, rule.expr),
        );
        out.push(
          preset ?? {
            id: rule.alert,
            alert: rule.alert,
            expr: rule.expr,
            forMs: rule.for,
            keepFiringForMs: rule.keepFiringFor,
            labels: rule.labels,
            annotations: rule.annotations,
            note: `As Prometheus evaluated it during the recording (${file.name}).`,
          },
        );
      }
  }
  return out;
}

function shipped(name: string, raw: RecordingMeta): ShippedRecording {
  const scenario = validateScenario(raw.scenario);
  // The unit tests read every shipped meta.json: a broken one fails there, not on a user's page.
  if (!scenario.ok) throw new Error(`recordings/${name}/meta.json: its scenario is not valid`);
  // The rule files are parsed when first asked for: listing the recordings (the page's scenario
  // menu, on its first screen) needs only their names.
  let rules: readonly RuleDraft[] | null = null;
  return {
    name,
    summary: summaries[name] ?? scenario.value.title ?? name,
    scenario: scenario.value,
    t0: raw.t0,
    etcd: raw.etcd,
    prometheus: raw.prometheus,
    instances: raw.instances,
    ids: raw.ids,
    get rules() {
      rules ??= recordedRules(raw.rules);
      return rules;
    },
    meta: raw,
  };
}

let catalog: readonly ShippedRecording[] | null = null;

/** Every recording shipped with the project (read once, when first asked). */
export function shippedRecordings(): readonly ShippedRecording[] {
  catalog ??= [
    shipped('kill-hang-leader', killHangLeaderMeta),
    shipped('evict-scrape-hang', evictScrapeHangMeta),
  ];
  return catalog;
}

/** The shipped recording of that name, if there is one. */
export function findRecording(name: string): ShippedRecording | undefined {
  return shippedRecordings().find((r) => r.name === name);
}

/** The major.minor of a recording's etcd ("3.4"), as the page names it. */
export function recordingEtcdSeries(r: Pick<ShippedRecording, 'etcd'>): string {
  return /^\d+\.\d+/.exec(r.etcd)?.[0] ?? r.etcd;
}
