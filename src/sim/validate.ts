// Scenario validation: unknown JSON in, a complete Scenario or a list of errors out, each error
// naming the bad field (`events[2].at`). Nothing is applied unless everything is valid.
import { formatDuration, parseDuration } from '../text/index.ts';
import type { EtcdVersion, EventKind, MetricsLevel, Scenario, ScenarioEvent } from './types.ts';

/** A validation error: the JSON path of the bad field and what is wrong with it. */
export interface ValidationError {
  path: string;
  message: string;
}

/** The result of validateScenario. */
export type ValidationResult =
  { ok: true; value: Scenario } | { ok: false; errors: ValidationError[] };

/** Largest cluster the simulator accepts. */
export const MAX_MEMBERS = 7;
/** Longest scenario. */
export const MAX_DURATION = 7 * 24 * 3600_000;
/** Most scrapes per target, to keep a scenario light enough for the browser. */
export const MAX_SCRAPES = 50_000;
/** Most rule evaluations over the scenario (duration / evaluationInterval). */
export const MAX_EVALUATIONS = 50_000;
/** Most events in one scenario. */
export const MAX_EVENTS = 1000;
/** Most leader elections that leader-churn events cause in all (each is Raft work and events). */
export const MAX_CHURN_ELECTIONS = 5000;

const EVENT_FIELDS: Record<EventKind, readonly string[]> = {
  crash: ['member'],
  restart: ['member'],
  evict: ['member'],
  hang: ['member'],
  partition: ['groups'],
  'one-way-loss': ['member', 'to'],
  'scrape-failure': ['member'],
  'prometheus-outage': [],
  'slow-disk': ['member', 'fsyncSeconds'],
  'leader-churn': ['every'],
  'slow-network': ['member', 'rttSeconds'],
  'db-growth': ['bytesPerSecond'],
};

const TOP_FIELDS = [
  'version',
  'name',
  'title',
  'members',
  'etcdVersion',
  'metrics',
  'writesPerSecond',
  'labelScheme',
  'scrapeInterval',
  'scrapeTimeout',
  'evaluationInterval',
  'duration',
  'seed',
  'dbSizeBytes',
  'dbInUseBytes',
  'quotaBackendBytes',
  'events',
];

/** A restart without `until` takes this long. */
const DEFAULT_RESTART_DOWNTIME = 5000;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Collects errors while reading one object. */
class Reader {
  readonly errors: ValidationError[] = [];

  fail(path: string, message: string): undefined {
    // A hostile file can hold any number of mistakes; the first MAX_ERRORS say enough.
    if (this.errors.length < MAX_ERRORS) this.errors.push({ path, message });
    else this.dropped++;
    return undefined;
  }

  /** Counts errors past MAX_ERRORS, reported as one line. */
  dropped = 0;

  duration(v: unknown, path: string): number | undefined {
    if (typeof v === 'number') {
      if (!Number.isInteger(v) || v < 0) {
        return this.fail(path, `must be a non-negative whole number of milliseconds, got ${v}`);
      }
      return v;
    }
    if (typeof v === 'string') {
      const ms = parseDuration(v);
      if (ms === null) {
        return this.fail(
          path,
          `not a valid duration string: ${quoteInput(v)} (use e.g. "30s", "10m", "1h30m")`,
        );
      }
      return ms;
    }
    return this.fail(
      path,
      `must be a duration (milliseconds or a string like "30s"), got ${describe(v)}`,
    );
  }

  integer(v: unknown, path: string, min: number, max: number): number | undefined {
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      return this.fail(path, `must be a whole number, got ${describe(v)}`);
    }
    if (v < min || v > max) return this.fail(path, `must be between ${min} and ${max}, got ${v}`);
    return v;
  }

  positive(v: unknown, path: string): number | undefined {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      return this.fail(path, `must be a positive number, got ${describe(v)}`);
    }
    return v;
  }

  unknownFields(obj: Record<string, unknown>, allowed: readonly string[], path: string): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) {
        this.fail(
          path === '' ? fieldName(key) : `${path}.${fieldName(key)}`,
          `unknown field (allowed: ${allowed.join(', ')})`,
        );
      }
    }
  }
}

/** Most errors listed for one scenario. */
const MAX_ERRORS = 100;

/** A field name for a path: as written when it is a plain name, else quoted and cut. */
function fieldName(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(key) ? key : quoteInput(key);
}

/** Longest part of a user's value echoed back in a message. */
const MAX_ECHO = 80;

/**
 * A user's text quoted for a message, as check rules quotes (JSON string syntax, so ESC, BEL and
 * every other control character is escaped) and cut to MAX_ECHO characters.
 */
export function quoteInput(s: string): string {
  if (s.length <= MAX_ECHO) return `"${escapeInput(s)}"`;
  return `"${escapeInput(s.slice(0, MAX_ECHO))}"… (${s.length} characters)`;
}

/** quoteInput without the quotes, for text that goes inside a message of its own. */
export function escapeInput(s: string): string {
  const cut = s.length > MAX_ECHO ? s.slice(0, MAX_ECHO) : s;
  // JSON leaves DEL and the C1 controls (U+0080–U+009F, CSI among them) as they are.
  const escaped = JSON.stringify(cut)
    .slice(1, -1)
    .replace(/[\u007f-\u009f]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  return s.length > MAX_ECHO ? `${escaped}… (${s.length} characters)` : escaped;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return quoteInput(v);
  if (typeof v === 'object') return 'an object';
  return String(v);
}

/** Validates a scenario (parsed JSON or an object) and fills in defaults. */
export function validateScenario(input: unknown): ValidationResult {
  const r = new Reader();
  if (!isRecord(input)) {
    return {
      ok: false,
      errors: [{ path: '', message: `a scenario must be an object, got ${describe(input)}` }],
    };
  }
  r.unknownFields(input, TOP_FIELDS, '');
  if (input.version !== 1) r.fail('version', `must be 1, got ${describe(input.version)}`);

  let name: string | undefined;
  if (input.name !== undefined) {
    if (typeof input.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(input.name)) {
      r.fail('name', `must be lowercase letters, digits and dashes, got ${describe(input.name)}`);
    } else name = input.name;
  }
  let title: string | undefined;
  if (input.title !== undefined) {
    if (typeof input.title !== 'string')
      r.fail('title', `must be a string, got ${describe(input.title)}`);
    else title = input.title;
  }
  const members =
    input.members === undefined
      ? r.fail('members', 'is required (1 to 7)')
      : r.integer(input.members, 'members', 1, MAX_MEMBERS);

  let etcdVersion: EtcdVersion = '3.5';
  if (input.etcdVersion !== undefined) {
    if (input.etcdVersion === '3.4' || input.etcdVersion === '3.5' || input.etcdVersion === '3.6')
      etcdVersion = input.etcdVersion;
    else r.fail('etcdVersion', `must be "3.4", "3.5" or "3.6", got ${describe(input.etcdVersion)}`);
  }
  let metrics: MetricsLevel = 'extensive';
  if (input.metrics !== undefined) {
    if (input.metrics === 'basic' || input.metrics === 'extensive') metrics = input.metrics;
    else r.fail('metrics', `must be "basic" or "extensive", got ${describe(input.metrics)}`);
  }
  let writesPerSecond: number | undefined;
  if (input.writesPerSecond !== undefined) {
    writesPerSecond = r.positive(input.writesPerSecond, 'writesPerSecond');
    if (writesPerSecond !== undefined && writesPerSecond > 100_000) {
      writesPerSecond = r.fail('writesPerSecond', `must be at most 100000, got ${writesPerSecond}`);
    }
  }

  let labelScheme: 'plain' | 'kube' = 'plain';
  if (input.labelScheme !== undefined) {
    if (input.labelScheme === 'plain' || input.labelScheme === 'kube')
      labelScheme = input.labelScheme;
    else r.fail('labelScheme', `must be "plain" or "kube", got ${describe(input.labelScheme)}`);
  }

  const scrapeInterval =
    input.scrapeInterval === undefined
      ? 30_000
      : r.duration(input.scrapeInterval, 'scrapeInterval');
  if (scrapeInterval !== undefined && (scrapeInterval < 1000 || scrapeInterval > 3600_000)) {
    r.fail('scrapeInterval', `must be between 1s and 1h, got ${formatDuration(scrapeInterval)}`);
  }
  let scrapeTimeout: number | undefined;
  if (input.scrapeTimeout !== undefined) {
    scrapeTimeout = r.duration(input.scrapeTimeout, 'scrapeTimeout');
    if (scrapeTimeout !== undefined && scrapeInterval !== undefined) {
      if (scrapeTimeout <= 0 || scrapeTimeout > scrapeInterval) {
        r.fail(
          'scrapeTimeout',
          `must be positive and at most scrapeInterval (${formatDuration(scrapeInterval)})`,
        );
      }
    }
  }
  const evaluationInterval =
    input.evaluationInterval === undefined
      ? scrapeInterval
      : r.duration(input.evaluationInterval, 'evaluationInterval');
  if (evaluationInterval !== undefined && evaluationInterval < 1000) {
    r.fail('evaluationInterval', `must be at least 1s, got ${formatDuration(evaluationInterval)}`);
  }
  const duration = input.duration === undefined ? 3600_000 : r.duration(input.duration, 'duration');
  if (duration !== undefined) {
    if (duration <= 0 || duration > MAX_DURATION) {
      r.fail('duration', `must be more than 0s and at most 7d, got ${formatDuration(duration)}`);
    } else if (scrapeInterval !== undefined && duration / scrapeInterval > MAX_SCRAPES) {
      r.fail(
        'duration',
        `too many scrapes: ${formatDuration(duration)} at ${formatDuration(scrapeInterval)} is more than ${MAX_SCRAPES}`,
      );
    }
  }
  if (
    duration !== undefined &&
    evaluationInterval !== undefined &&
    duration / evaluationInterval > MAX_EVALUATIONS
  ) {
    r.fail(
      'evaluationInterval',
      `too many evaluations: ${formatDuration(duration)} at ${formatDuration(evaluationInterval)} is more than ${MAX_EVALUATIONS}`,
    );
  }
  const seed = input.seed === undefined ? 1 : r.integer(input.seed, 'seed', 0, 0xffffffff);
  let dbSizeBytes: number | undefined;
  if (input.dbSizeBytes !== undefined) dbSizeBytes = r.positive(input.dbSizeBytes, 'dbSizeBytes');
  let dbInUseBytes: number | undefined;
  if (input.dbInUseBytes !== undefined) {
    dbInUseBytes = r.positive(input.dbInUseBytes, 'dbInUseBytes');
    if (dbInUseBytes !== undefined && dbSizeBytes === undefined) {
      dbInUseBytes = r.fail('dbInUseBytes', 'needs dbSizeBytes');
    } else if (
      dbInUseBytes !== undefined &&
      dbSizeBytes !== undefined &&
      dbInUseBytes > dbSizeBytes
    ) {
      dbInUseBytes = r.fail('dbInUseBytes', `must be at most dbSizeBytes (${dbSizeBytes})`);
    }
  }
  let quotaBackendBytes: number | undefined;
  if (input.quotaBackendBytes !== undefined) {
    quotaBackendBytes = r.positive(input.quotaBackendBytes, 'quotaBackendBytes');
  }

  const events: ScenarioEvent[] = [];
  if (input.events !== undefined && !Array.isArray(input.events)) {
    r.fail('events', `must be an array, got ${describe(input.events)}`);
  } else if (Array.isArray(input.events) && input.events.length > MAX_EVENTS) {
    r.fail('events', `too many events: ${input.events.length}, at most ${MAX_EVENTS}`);
  } else if (Array.isArray(input.events)) {
    input.events.forEach((raw: unknown, i) => {
      const ev = readEvent(r, raw, `events[${i}]`, members, duration);
      if (ev) events.push(ev);
    });
    // Leader churn costs an election every `every`: bound them all together.
    let elections = 0;
    for (const ev of events) {
      if (ev.kind !== 'leader-churn' || duration === undefined) continue;
      elections += Math.max(0, ((ev.until ?? duration) - ev.at) / (ev.every ?? 120_000));
    }
    if (elections > MAX_CHURN_ELECTIONS) {
      r.fail(
        'events',
        `too many leader elections: the leader-churn events cause ${Math.ceil(elections)}, at most ${MAX_CHURN_ELECTIONS} (churn less often or for less time)`,
      );
    }
  }

  if (
    r.errors.length > 0 ||
    members === undefined ||
    scrapeInterval === undefined ||
    evaluationInterval === undefined ||
    duration === undefined ||
    seed === undefined
  ) {
    const more =
      r.dropped > 0 ? [{ path: '', message: `and ${r.dropped} more errors not shown` }] : [];
    return { ok: false, errors: [...r.errors, ...more] };
  }
  const value: Scenario = {
    version: 1,
    ...(name !== undefined && { name }),
    ...(title !== undefined && { title }),
    members,
    etcdVersion,
    metrics,
    ...(writesPerSecond !== undefined && { writesPerSecond }),
    labelScheme,
    scrapeInterval,
    scrapeTimeout: scrapeTimeout ?? Math.min(10_000, scrapeInterval),
    evaluationInterval,
    duration,
    seed,
    ...(dbSizeBytes !== undefined && { dbSizeBytes }),
    ...(dbInUseBytes !== undefined && { dbInUseBytes }),
    ...(quotaBackendBytes !== undefined && { quotaBackendBytes }),
    events,
  };
  return { ok: true, value };
}

function readMember(
  r: Reader,
  v: unknown,
  path: string,
  members: number | undefined,
): number | undefined {
  if (v === undefined) return r.fail(path, 'is required (a 1-based member number)');
  return r.integer(v, path, 1, members ?? MAX_MEMBERS);
}

function readMemberList(
  r: Reader,
  v: unknown,
  path: string,
  members: number | undefined,
): number[] | undefined {
  if (!Array.isArray(v) || v.length === 0) {
    return r.fail(path, `must be a non-empty array of member numbers, got ${describe(v)}`);
  }
  const out: number[] = [];
  let ok = true;
  v.forEach((m: unknown, i) => {
    const n = readMember(r, m, `${path}[${i}]`, members);
    if (n === undefined) ok = false;
    else if (out.includes(n)) {
      r.fail(`${path}[${i}]`, `member ${n} is listed twice`);
      ok = false;
    } else out.push(n);
  });
  return ok ? out : undefined;
}

function readEvent(
  r: Reader,
  raw: unknown,
  path: string,
  members: number | undefined,
  duration: number | undefined,
): ScenarioEvent | undefined {
  if (!isRecord(raw)) return r.fail(path, `an event must be an object, got ${describe(raw)}`);
  const kind = raw.kind;
  if (typeof kind !== 'string' || !(kind in EVENT_FIELDS)) {
    return r.fail(
      `${path}.kind`,
      `must be one of ${Object.keys(EVENT_FIELDS).join(', ')}; got ${describe(kind)}`,
    );
  }
  const k = kind as EventKind;
  const before = r.errors.length;
  r.unknownFields(raw, ['kind', 'at', 'until', ...EVENT_FIELDS[k]], path);
  const at =
    raw.at === undefined ? r.fail(`${path}.at`, 'is required') : r.duration(raw.at, `${path}.at`);
  if (at !== undefined && duration !== undefined && at > duration) {
    r.fail(
      `${path}.at`,
      `is after the end of the scenario (${formatDuration(at)} > ${formatDuration(duration)})`,
    );
  }
  let until: number | undefined;
  if (raw.until !== undefined) {
    until = r.duration(raw.until, `${path}.until`);
    if (until !== undefined && at !== undefined && until <= at) {
      r.fail(
        `${path}.until`,
        `must be after at (${formatDuration(until)} <= ${formatDuration(at)})`,
      );
    }
  }
  const span = until === undefined ? {} : { until };
  let ev: ScenarioEvent | undefined;
  switch (k) {
    case 'crash':
    case 'evict':
    case 'hang':
    case 'scrape-failure': {
      const member = readMember(r, raw.member, `${path}.member`, members);
      if (member !== undefined && at !== undefined) ev = { kind: k, at, ...span, member };
      break;
    }
    case 'restart': {
      const member = readMember(r, raw.member, `${path}.member`, members);
      if (member !== undefined && at !== undefined) {
        ev = { kind: k, at, until: until ?? at + DEFAULT_RESTART_DOWNTIME, member };
      }
      break;
    }
    case 'partition': {
      const groups = readGroups(r, raw.groups, `${path}.groups`, members);
      if (groups !== undefined && at !== undefined) ev = { kind: k, at, ...span, groups };
      break;
    }
    case 'one-way-loss': {
      const member = readMember(r, raw.member, `${path}.member`, members);
      let to: number[] | undefined;
      if (raw.to !== undefined) {
        to = readMemberList(r, raw.to, `${path}.to`, members);
        if (to !== undefined && member !== undefined && to.includes(member)) {
          r.fail(`${path}.to`, `must not include the sending member ${member}`);
          to = undefined;
        }
      } else if (members === 1) {
        r.fail(`${path}.member`, 'one-way loss needs at least two members');
      }
      if (member !== undefined && at !== undefined && (raw.to === undefined || to !== undefined)) {
        ev = { kind: k, at, ...span, member, ...(to !== undefined && { to }) };
      }
      break;
    }
    case 'prometheus-outage':
      if (at !== undefined) ev = { kind: k, at, ...span };
      break;
    case 'slow-disk': {
      const member = readMember(r, raw.member, `${path}.member`, members);
      let fsyncSeconds: number | undefined;
      if (raw.fsyncSeconds !== undefined) {
        fsyncSeconds = r.positive(raw.fsyncSeconds, `${path}.fsyncSeconds`);
        if (fsyncSeconds !== undefined && fsyncSeconds > 60) {
          fsyncSeconds = r.fail(`${path}.fsyncSeconds`, `must be at most 60, got ${fsyncSeconds}`);
        }
      }
      if (member !== undefined && at !== undefined) {
        ev = { kind: k, at, ...span, member, ...(fsyncSeconds !== undefined && { fsyncSeconds }) };
      }
      break;
    }
    case 'leader-churn': {
      let every: number | undefined;
      if (raw.every !== undefined) {
        every = r.duration(raw.every, `${path}.every`);
        if (every !== undefined && every < 5000) {
          every = r.fail(`${path}.every`, `must be at least 5s, got ${formatDuration(every)}`);
        }
      }
      if (at !== undefined) ev = { kind: k, at, ...span, ...(every !== undefined && { every }) };
      break;
    }
    case 'slow-network': {
      let member: number | undefined;
      if (raw.member !== undefined) member = readMember(r, raw.member, `${path}.member`, members);
      let rttSeconds: number | undefined;
      if (raw.rttSeconds !== undefined) {
        rttSeconds = r.positive(raw.rttSeconds, `${path}.rttSeconds`);
        if (rttSeconds !== undefined && rttSeconds > 10) {
          rttSeconds = r.fail(`${path}.rttSeconds`, `must be at most 10, got ${rttSeconds}`);
        }
      }
      if (at !== undefined) {
        ev = {
          kind: k,
          at,
          ...span,
          ...(member !== undefined && { member }),
          ...(rttSeconds !== undefined && { rttSeconds }),
        };
      }
      break;
    }
    case 'db-growth': {
      const bytesPerSecond =
        raw.bytesPerSecond === undefined
          ? r.fail(`${path}.bytesPerSecond`, 'is required')
          : r.positive(raw.bytesPerSecond, `${path}.bytesPerSecond`);
      if (bytesPerSecond !== undefined && at !== undefined)
        ev = { kind: k, at, ...span, bytesPerSecond };
      break;
    }
    default: {
      const never: never = k;
      return r.fail(`${path}.kind`, `unknown kind ${String(never)}`);
    }
  }
  return r.errors.length === before ? ev : undefined;
}

function readGroups(
  r: Reader,
  v: unknown,
  path: string,
  members: number | undefined,
): number[][] | undefined {
  if (!Array.isArray(v) || v.length === 0) {
    return r.fail(
      path,
      `must be a non-empty array of member groups, e.g. [[1], [2, 3]]; got ${describe(v)}`,
    );
  }
  const seen = new Set<number>();
  const groups: number[][] = [];
  let ok = true;
  v.forEach((g: unknown, i) => {
    const list = readMemberList(r, g, `${path}[${i}]`, members);
    if (list === undefined) {
      ok = false;
      return;
    }
    list.forEach((m, j) => {
      if (seen.has(m)) {
        r.fail(`${path}[${i}][${j}]`, `member ${m} is in more than one group`);
        ok = false;
      }
      seen.add(m);
    });
    groups.push(list);
  });
  if (!ok) return undefined;
  const rest = members === undefined ? 0 : members - seen.size;
  if (groups.length + (rest > 0 ? 1 : 0) < 2) {
    return r.fail(
      path,
      'must split the cluster into at least two groups (unlisted members form one more group)',
    );
  }
  return groups;
}
