// The physical world over time, from the scenario's events: which processes run, which targets
// service discovery lists, which network links deliver, disk latency, load changes.
import type { Scenario, ScenarioEvent } from './types.ts';

/** Default median WAL fsync latency of a healthy SSD, in seconds. */
export const HEALTHY_FSYNC = 0.002;
/** Default median fsync latency under a slow-disk event, in seconds. */
export const SLOW_FSYNC = 0.5;
/** Median round-trip time between members on a healthy LAN, seconds. */
export const HEALTHY_RTT = 0.0006;
/** Default median round-trip time under a slow-network event, seconds. */
export const SLOW_RTT = 0.2;
/**
 * A resumed member still fails the scrapes that start within this long after SIGCONT (measured on
 * etcd 3.4.23: a scrape started 0.8 s after it timed out; the next, 5.8 s after, succeeded).
 */
export const RESUME_SCRAPE_DELAY = 1000;
/**
 * After a hang, the probers' smoothed round trips to and from the resumed member stay slow for
 * one 30 s reporting period (measured: two observations, about 0.8 s and over 3.3 s)…
 */
export const RESUME_RTT_WINDOW = 30_000;
/** …at about this median. */
export const RESUME_RTT = 1.5;
/**
 * Prometheus's discovery manager passes target changes on at most every 5 s, and the scrape pool
 * follows: an evicted target is still scraped (and fails) for a while. Measured with file_sd on
 * Prometheus 2.42: an evicted member was scraped 3.5 s and 8.5 s after its eviction, not 13.5 s
 * after; a target listed again was first scraped 8.5 s later.
 */
export const SD_UPDATE_DELAY = 10_000;
/** How long a target listed again waits for the discovery manager (its 5 s throttle). */
export const SD_ADD_DELAY = 5000;
/** Default leader-churn period. */
export const DEFAULT_CHURN_EVERY = 120_000;

/** The physical state during one span of time (members 0-based). */
export interface Phys {
  running: boolean[];
  /** The process is stopped (a hang): running, sockets open, but it does nothing. */
  hung: boolean[];
  listed: boolean[];
  /** Prometheus cannot scrape the member although etcd may be fine. */
  scrapeBlocked: boolean[];
  /** link[i][j]: a message from i to j is delivered (when both run). */
  link: boolean[][];
  promDown: boolean;
  /** rtt[i][j]: median round-trip time between i and j, seconds. */
  rtt: number[][];
  /** Median WAL fsync latency per member, seconds. */
  fsync: number[];
  /** Leader-churn period, or null. */
  churnEvery: number | null;
  /** Extra database growth while writes commit, bytes per second. */
  dbGrowth: number;
  /** Members stopping now for a graceful restart (they hand leadership over first). */
  graceful: boolean[];
}

function endOf(ev: ScenarioEvent): number {
  return ev.until ?? Number.POSITIVE_INFINITY;
}

/** The physical state for the span starting at t (events with at <= t < until are active). */
export function physAt(s: Scenario, t: number): Phys {
  const n = s.members;
  const p: Phys = {
    running: Array<boolean>(n).fill(true),
    hung: Array<boolean>(n).fill(false),
    listed: Array<boolean>(n).fill(true),
    scrapeBlocked: Array<boolean>(n).fill(false),
    link: Array.from({ length: n }, () => Array<boolean>(n).fill(true)),
    promDown: false,
    rtt: Array.from({ length: n }, () => Array<number>(n).fill(HEALTHY_RTT)),
    fsync: Array<number>(n).fill(HEALTHY_FSYNC),
    churnEvery: null,
    dbGrowth: 0,
    graceful: Array<boolean>(n).fill(false),
  };
  for (const ev of s.events) {
    if (ev.kind === 'hang' && ev.until !== undefined && ev.until <= t) {
      const m = ev.member - 1;
      if (t < ev.until + RESUME_SCRAPE_DELAY) p.scrapeBlocked[m] = true;
      if (t < ev.until + RESUME_RTT_WINDOW) {
        for (let j = 0; j < n; j++) {
          if (j === m) continue;
          p.rtt[m]![j] = Math.max(p.rtt[m]![j]!, RESUME_RTT);
          p.rtt[j]![m] = Math.max(p.rtt[j]![m]!, RESUME_RTT);
        }
      }
    }
    if (ev.kind === 'evict') {
      if (ev.at <= t && t < endOf(ev)) p.running[ev.member - 1] = false;
      if (ev.at + SD_UPDATE_DELAY <= t && t < endOf(ev) + SD_ADD_DELAY) {
        p.listed[ev.member - 1] = false;
      }
      continue;
    }
    if (!(ev.at <= t && t < endOf(ev))) continue;
    switch (ev.kind) {
      case 'crash':
        p.running[ev.member - 1] = false;
        break;
      case 'restart':
        p.running[ev.member - 1] = false;
        p.graceful[ev.member - 1] = true;
        break;
      case 'hang': {
        const m = ev.member - 1;
        p.hung[m] = true;
        p.scrapeBlocked[m] = true;
        for (let j = 0; j < n; j++) {
          p.link[m]![j] = false;
          p.link[j]![m] = false;
        }
        break;
      }
      case 'partition': {
        const group = Array<number>(n).fill(-1);
        ev.groups.forEach((g, gi) => g.forEach((m) => (group[m - 1] = gi)));
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            if (group[i] !== group[j]) p.link[i]![j] = false;
          }
        }
        break;
      }
      case 'one-way-loss': {
        const from = ev.member - 1;
        const to =
          ev.to ?? Array.from({ length: n }, (_, i) => i + 1).filter((m) => m !== ev.member);
        for (const m of to) p.link[from]![m - 1] = false;
        break;
      }
      case 'scrape-failure':
        p.scrapeBlocked[ev.member - 1] = true;
        break;
      case 'prometheus-outage':
        p.promDown = true;
        break;
      case 'slow-disk':
        p.fsync[ev.member - 1] = Math.max(p.fsync[ev.member - 1]!, ev.fsyncSeconds ?? SLOW_FSYNC);
        break;
      case 'leader-churn':
        p.churnEvery = Math.min(p.churnEvery ?? Infinity, ev.every ?? DEFAULT_CHURN_EVERY);
        break;
      case 'slow-network': {
        const slow = ev.rttSeconds ?? SLOW_RTT;
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            if (i === j || (ev.member !== undefined && i !== ev.member - 1 && j !== ev.member - 1))
              continue;
            p.rtt[i]![j] = Math.max(p.rtt[i]![j]!, slow);
          }
        }
        break;
      }
      case 'db-growth':
        p.dbGrowth += ev.bytesPerSecond;
        break;
      default: {
        const never: never = ev;
        throw new Error(`unhandled event ${JSON.stringify(never)}`);
      }
    }
  }
  return p;
}

/** The times in [0, duration] at which the physical state may change, sorted. */
export function changeTimes(s: Scenario): number[] {
  const set = new Set<number>();
  for (const ev of s.events) {
    if (ev.at <= s.duration) set.add(ev.at);
    if (ev.until !== undefined && ev.until <= s.duration) set.add(ev.until);
    if (ev.kind === 'evict') {
      if (ev.at + SD_UPDATE_DELAY <= s.duration) set.add(ev.at + SD_UPDATE_DELAY);
      if (ev.until !== undefined && ev.until + SD_ADD_DELAY <= s.duration) {
        set.add(ev.until + SD_ADD_DELAY);
      }
    }
    if (ev.kind === 'hang' && ev.until !== undefined) {
      for (const d of [RESUME_SCRAPE_DELAY, RESUME_RTT_WINDOW]) {
        if (ev.until + d <= s.duration) set.add(ev.until + d);
      }
    }
  }
  return [...set].sort((a, b) => a - b);
}

/** The physical state as Raft sees it: a hung member does nothing, as if it were not running. */
export function raftView(p: Phys): Phys {
  if (!p.hung.some(Boolean)) return p;
  return { ...p, running: p.running.map((r, i) => r && !p.hung[i]) };
}

/** i and j can exchange messages both ways (both running). */
export function connected(p: Phys, i: number, j: number): boolean {
  return p.running[i]! && p.running[j]! && p.link[i]![j]! && p.link[j]![i]!;
}
