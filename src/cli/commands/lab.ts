// `quorumlab lab run SCENARIO -o DIR` plays a scenario on a real etcd cluster behind a real
// Prometheus, all on 127.0.0.1 with their own ports and data directories, and records what
// Prometheus stored; `quorumlab lab compare DIR` compares a recording with the simulator.
// Thin: the plan and the comparison are src/reality's; this file runs processes and proxies.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
  createWriteStream,
} from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Command } from '../command.ts';
import {
  compareRecording,
  formatComparisonTable,
  formatRecordedSeries,
  LinkTable,
  blocksConnection,
  noteRequest,
  planScenario,
  readRecording,
  RequestTracker,
  sameMemberId,
  type PeerConnection,
  type PlanAction,
  type RecordedSeries,
} from '../../reality/index.ts';
import {
  etcdInsufficientMembers,
  etcdMembersDown,
  formatDraftRuleFile,
  naiveUpRule,
} from '../../rules/index.ts';
import type { RecordingMeta } from '../../lab/index.ts';
import { findPreset, scenarioToJson, validateScenario, type Scenario } from '../../sim/index.ts';
import { formatDuration, parseDuration } from '../../text/index.ts';

const run = promisify(execFile);

const usage = `Usage:
  quorumlab lab run NAME|FILE -o DIR [--settle 20s] [--write-rate N]
  quorumlab lab compare DIR [--format table|json]

"run" starts real etcd members (etcd from PATH) and a real Prometheus (prometheus from PATH) on
127.0.0.1 with ports picked free and data directories under DIR/work, plays the scenario's
events for real (kill, SIGTERM restart, SIGSTOP/SIGCONT for a hang, eviction from a file_sd
file, scrape failures through a loopback proxy in front of each member's metrics, partitions
and one-way loss through a loopback proxy in front of each member's peer port), keeps a
write load (the scenario's writesPerSecond, default 1.5/s, spread over the members), and writes
DIR/meta.json (event times, elections from etcd's log, versions), DIR/series.om.gz (the job="etcd"
series the rules read, OpenMetrics) and DIR/alerts.om.txt (the ALERTS Prometheus wrote). Every
process it started is stopped at the end, on failure and on Ctrl+C. Events it cannot play for
real are named with the reason, and the run refuses to start.
"compare" compares a recording with the simulation of its scenario, per event and per rule,
each figure with its tolerance; exit 0 when everything holds, 1 when not.`;

/** The metric names a recording keeps (those the rules and the comparison read). */
const KEPT = [
  'up',
  'scrape_duration_seconds',
  'etcd_server_has_leader',
  'etcd_server_is_leader',
  'etcd_server_leader_changes_seen_total',
  'etcd_server_proposals_committed_total',
  'etcd_server_proposals_applied_total',
  'etcd_server_proposals_pending',
  'etcd_server_proposals_failed_total',
  'etcd_server_heartbeat_send_failures_total',
  'etcd_network_peer_sent_failures_total',
  'etcd_network_peer_sent_bytes_total',
  'etcd_network_peer_received_bytes_total',
  'etcd_network_active_peers',
  'etcd_network_disconnected_peers_total',
  'etcd_network_peer_round_trip_time_seconds_bucket',
  'etcd_network_peer_round_trip_time_seconds_count',
  'etcd_network_peer_round_trip_time_seconds_sum',
  'grpc_server_handled_total',
  'grpc_server_started_total',
];

/** The rules Prometheus evaluates during a run: the shipped members-down rules and no-leader. */
function harnessRules(): { name: string; text: string }[] {
  const noLeader = [
    'groups:',
    '  - name: no-leader',
    '    rules:',
    '      - alert: etcdNoLeader',
    '        expr: etcd_server_has_leader{job=~".*etcd.*"} == 0',
    '        for: 1m',
    '        labels:',
    '          severity: critical',
    '',
  ].join('\n');
  return [
    {
      name: 'etcd.yaml',
      text: formatDraftRuleFile([etcdMembersDown, etcdInsufficientMembers, naiveUpRule]),
    },
    { name: 'no-leader.yaml', text: noLeader },
  ];
}

function loadScenario(arg: string): Scenario {
  const preset = findPreset(arg);
  if (preset) return preset.scenario;
  const json: unknown = JSON.parse(readFileSync(arg, 'utf8'));
  const r = validateScenario(json);
  if (!r.ok)
    throw new Error(`${arg}: ${r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return r.value;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/**
 * A loopback TCP proxy in front of a member's client port, through which Prometheus scrapes it.
 * Blocked, it accepts connections and answers nothing, like a firewall that drops packets: the
 * scrape fails at its timeout.
 */
class ScrapeProxy {
  blocked = false;
  private readonly sockets = new Set<Socket>();
  private server: Server | null = null;
  constructor(
    readonly port: number,
    readonly target: number,
  ) {}
  async start(): Promise<void> {
    this.server = createServer((client) => {
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      client.on('error', () => client.destroy());
      if (this.blocked) return;
      const upstream = connect(this.target, '127.0.0.1');
      this.sockets.add(upstream);
      upstream.on('close', () => {
        this.sockets.delete(upstream);
        client.destroy();
      });
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
    });
    this.server.listen(this.port, '127.0.0.1');
    await once(this.server, 'listening');
  }
  block(on: boolean): void {
    this.blocked = on;
    if (on) for (const s of this.sockets) s.destroy();
  }
  stop(): void {
    for (const s of this.sockets) s.destroy();
    this.server?.close();
  }
}

/**
 * A loopback TCP proxy in front of a member's peer port: the cluster's peer URLs name it, so every
 * connection between members passes one. It reads the head of each connection's first request to
 * learn who dialed and which links the connection carries (src/reality's peerLinks), refuses new
 * connections of a cut link, and ends those open when their link is cut: the members see their
 * peer unreachable, as behind a firewall that rejects, and count failed sends.
 */
export class PeerProxy {
  private readonly open = new Map<Socket, PeerConnection>();
  private server: Server | null = null;
  constructor(
    readonly port: number,
    readonly target: number,
    /** The member (1-based) behind this proxy, and how many there are. */
    readonly member: number,
    readonly members: number,
    readonly links: LinkTable,
    readonly memberOfId: (id: string) => number | undefined,
  ) {}
  private blocks(conn: PeerConnection): boolean {
    return blocksConnection(this.links, conn, this.member, this.members, this.memberOfId);
  }
  async start(): Promise<void> {
    this.server = createServer((client) => {
      const conn: PeerConnection = { requests: [] };
      const tracker = new RequestTracker();
      this.open.set(client, conn);
      const upstream = connect(this.target, '127.0.0.1');
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end);
      upstream.on('error', end);
      client.on('close', () => {
        this.open.delete(client);
        upstream.destroy();
      });
      upstream.on('close', () => client.destroy());
      // Each request is read before its bytes go on: a cut link's request never arrives.
      client.on('data', (chunk: Buffer) => {
        for (const head of tracker.feed(chunk) ?? []) noteRequest(conn, head);
        if (this.blocks(conn)) return end();
        if (!upstream.write(chunk)) {
          client.pause();
          upstream.once('drain', () => client.resume());
        }
      });
      upstream.pipe(client);
    });
    this.server.listen(this.port, '127.0.0.1');
    await once(this.server, 'listening');
  }
  /** Ends the open connections that a cut made just now blocks. */
  enforce(): void {
    for (const [socket, conn] of this.open) if (this.blocks(conn)) socket.destroy();
  }
  stop(): void {
    for (const s of this.open.keys()) s.destroy();
    this.server?.close();
  }
}

interface Member {
  index: number;
  name: string;
  clientPort: number;
  peerPort: number;
  /** The port of the peer proxy in front of peerPort: the peer URL the others dial. */
  peerProxy: PeerProxy;
  proxy: ScrapeProxy;
  dataDir: string;
  log: string;
  proc: ChildProcess | null;
  stopped: boolean;
  id: string;
}

/** Everything a run started, stopped in reverse on any exit. */
class Processes {
  private readonly children = new Set<ChildProcess>();
  private readonly proxies: { stop(): void }[] = [];
  add(p: ChildProcess): void {
    this.children.add(p);
    p.on('exit', () => this.children.delete(p));
  }
  addProxy(p: { stop(): void }): void {
    this.proxies.push(p);
  }
  stopAll(): void {
    for (const p of this.children) {
      try {
        p.kill('SIGCONT');
        p.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
    this.children.clear();
    for (const p of this.proxies) p.stop();
  }
}

async function etcdctl(endpoints: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(
    'etcdctl',
    ['--endpoints', endpoints, '--command-timeout=3s', ...args],
    {
      env: { ...process.env, ETCDCTL_API: '3' },
    },
  );
  return stdout;
}

/** One line of `etcdctl endpoint status` (simple format): endpoint, id (hex), …, is leader. */
interface Status {
  endpoint: string;
  id: string;
  leader: boolean;
}

/** Reads the simple output, which prints ids in hex (its JSON prints uint64s a float loses). */
function parseStatus(text: string): Status[] {
  return text
    .trim()
    .split('\n')
    .filter((l) => l.includes(','))
    .map((l) => {
      const f = l.split(',').map((x) => x.trim());
      return { endpoint: f[0]!, id: f[1]!, leader: f[4] === 'true' };
    });
}

async function runScenario(arg: string, out: string, settleMs: number, rate: number | undefined) {
  const input = loadScenario(arg);
  const plan = planScenario(input);
  if (plan.unplayable.length > 0) {
    throw new Error(
      `cannot play for real: ${plan.unplayable.map((u) => `events[${u.index}] ${u.kind}: ${u.reason}`).join('; ')}`,
    );
  }
  const writesPerSecond = rate ?? input.writesPerSecond ?? 1.5;
  const scenario: Scenario = { ...input, writesPerSecond };
  const n = scenario.members;
  const work = join(out, 'work');
  mkdirSync(work, { recursive: true });
  const procs = new Processes();
  const onSignal = () => {
    procs.stopAll();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const members: Member[] = [];
    const links = new LinkTable();
    const memberOfId = (id: string) =>
      members.find((m) => m.id !== '' && sameMemberId(m.id, id))?.index;
    for (let i = 1; i <= n; i++) {
      const proxy = new ScrapeProxy(await freePort(), await freePort());
      const peerPort = await freePort();
      members.push({
        index: i,
        name: `etcd-${i}`,
        clientPort: proxy.target,
        peerPort,
        peerProxy: new PeerProxy(await freePort(), peerPort, i, n, links, memberOfId),
        proxy,
        dataDir: join(work, `etcd-${i}`),
        log: join(work, `etcd-${i}.log`),
        proc: null,
        stopped: false,
        id: '',
      });
    }
    // The peer URLs every member dials are the proxies'; each member listens behind its own.
    const cluster = members.map((m) => `${m.name}=http://127.0.0.1:${m.peerProxy.port}`).join(',');
    const token = `quorumlab-${process.pid}-${members[0]!.peerPort}`;
    const elections: { t: number; member: number; term: number }[] = [];
    let t0 = Number.POSITIVE_INFINITY;
    const seenTerms = new Set<number>();
    const startEtcd = (m: Member) => {
      const args = [
        `--name=${m.name}`,
        `--data-dir=${m.dataDir}`,
        `--listen-client-urls=http://127.0.0.1:${m.clientPort}`,
        `--advertise-client-urls=http://127.0.0.1:${m.clientPort}`,
        `--listen-peer-urls=http://127.0.0.1:${m.peerPort}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${m.peerProxy.port}`,
        `--initial-cluster=${cluster}`,
        `--initial-cluster-token=${token}`,
        '--initial-cluster-state=new',
        `--metrics=${scenario.metrics ?? 'basic'}`,
        '--logger=zap',
        '--log-outputs=stderr',
      ];
      const proc = spawn('etcd', args, { stdio: ['ignore', 'ignore', 'pipe'] });
      procs.add(proc);
      m.proc = proc;
      const log = createWriteStream(m.log, { flags: 'a' });
      let rest = '';
      proc.stderr!.on('data', (chunk: Buffer) => {
        log.write(chunk);
        rest += chunk.toString('utf8');
        const lines = rest.split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) {
          const hit = /elected leader ([0-9a-f]{16}) at term (\d+)/.exec(line);
          if (!hit) continue;
          const term = Number(hit[2]);
          if (seenTerms.has(term)) continue;
          seenTerms.add(term);
          const leader = members.find((x) => x.id === hit[1]);
          let t = Date.now();
          const ts = /"ts":"([^"]+)"/.exec(line)?.[1];
          if (ts !== undefined && !Number.isNaN(Date.parse(ts))) t = Date.parse(ts);
          elections.push({ t, member: leader?.index ?? 0, term });
        }
      });
      proc.on('exit', () => log.end());
    };
    for (const m of members) {
      await m.proxy.start();
      procs.addProxy(m.proxy);
      await m.peerProxy.start();
      procs.addProxy(m.peerProxy);
      startEtcd(m);
    }
    const all = members.map((m) => `http://127.0.0.1:${m.clientPort}`).join(',');
    // Wait for a leader, learn the ids, and make member 1 the leader as the simulator assumes.
    let statuses: Status[] = [];
    for (let tries = 0; ; tries++) {
      try {
        statuses = parseStatus(await etcdctl(all, 'endpoint', 'status'));
        if (statuses.length === n && statuses.some((s) => s.leader)) break;
      } catch {
        // not up yet
      }
      if (tries > 60) throw new Error('the etcd cluster did not elect a leader within 60 s');
      await sleep(1000);
    }
    for (const s of statuses) {
      const m = members.find((x) => s.endpoint.endsWith(`:${x.clientPort}`))!;
      m.id = s.id;
    }
    // Member 1 leads, as the simulator assumes: move leadership there and confirm it took (a
    // member that has just joined is refused as transferee until it caught up, and under load
    // leadership can move again on its own), now and once more right before t0.
    const leadByMember1 = async () => {
      for (let tries = 0; ; tries++) {
        try {
          const now = parseStatus(await etcdctl(all, 'endpoint', 'status'));
          const leading = now.find((s) => s.leader);
          if (leading?.id === members[0]!.id) return;
          const leader = leading && members.find((m) => m.id === leading.id);
          if (leader) {
            await etcdctl(`http://127.0.0.1:${leader.clientPort}`, 'move-leader', members[0]!.id);
          }
        } catch (err) {
          if (tries > 20) throw err;
        }
        if (tries > 20) throw new Error('member 1 did not become the etcd leader within 20 tries');
        await sleep(1000);
      }
    };
    await leadByMember1();
    const etcdVersion =
      /etcd Version: (\S+)/.exec((await run('etcd', ['--version'])).stdout)?.[1] ?? '?';
    const promVersion =
      /version (\d+\.\d+\.\d+)/.exec((await run('prometheus', ['--version'])).stdout + '')?.[1] ??
      '?';

    // Prometheus: file_sd targets (the scrape proxies), the rules, its own port and TSDB.
    const promPort = await freePort();
    const targetsFile = join(work, 'targets.json');
    const listed = new Set(members.map((m) => m.index));
    const writeTargets = () => {
      const targets = members
        .filter((m) => listed.has(m.index))
        .map((m) => `127.0.0.1:${m.proxy.port}`);
      writeFileSync(`${targetsFile}.tmp`, JSON.stringify([{ targets, labels: {} }]));
      renameSync(`${targetsFile}.tmp`, targetsFile);
    };
    writeTargets();
    const rules = harnessRules();
    for (const r of rules) writeFileSync(join(work, r.name), r.text);
    const sec = (ms: number) => formatDuration(ms);
    writeFileSync(
      join(work, 'prometheus.yml'),
      [
        'global:',
        `  scrape_interval: ${sec(scenario.scrapeInterval)}`,
        `  scrape_timeout: ${sec(scenario.scrapeTimeout ?? Math.min(10_000, scenario.scrapeInterval))}`,
        `  evaluation_interval: ${sec(scenario.evaluationInterval)}`,
        'rule_files:',
        ...rules.map((r) => `  - ${r.name}`),
        'scrape_configs:',
        '  - job_name: etcd',
        '    file_sd_configs:',
        `      - files: ['${targetsFile}']`,
        '        refresh_interval: 5s',
        '',
      ].join('\n'),
    );
    const prom = spawn(
      'prometheus',
      [
        `--config.file=${join(work, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(work, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        '--storage.tsdb.retention.time=2d',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    procs.add(prom);
    prom.stderr!.pipe(createWriteStream(join(work, 'prometheus.log')));
    const api = `http://127.0.0.1:${promPort}/api/v1`;
    for (let tries = 0; ; tries++) {
      try {
        if ((await fetch(`http://127.0.0.1:${promPort}/-/ready`)).ok) break;
      } catch {
        // starting
      }
      if (tries > 60) throw new Error('Prometheus did not become ready within 60 s');
      await sleep(1000);
    }

    // The write load: round robin over the members, skipping those the harness took down.
    let loadRunning = true;
    let k = 0;
    const load = (async () => {
      const every = 1000 / writesPerSecond;
      let next = Date.now();
      while (loadRunning) {
        const m = members[k++ % n]!;
        if (m.proc !== null && !m.stopped) {
          const key = Buffer.from(`/quorumlab/${k % 100}`).toString('base64');
          const value = Buffer.from(String(Date.now())).toString('base64');
          void fetch(`http://127.0.0.1:${m.clientPort}/v3/kv/put`, {
            method: 'POST',
            body: JSON.stringify({ key, value }),
            signal: AbortSignal.timeout(5000),
          }).catch(() => undefined);
        }
        next += every;
        await sleep(next - Date.now());
      }
    })();

    // Let the cluster and Prometheus settle, then play the events on time.
    await sleep(settleMs);
    await leadByMember1();
    t0 = Date.now();
    const actions: RecordingMeta['actions'] = [];
    process.stderr.write(
      `quorumlab lab: t0 = ${new Date(t0).toISOString()}, ${plan.actions.length} actions over ${sec(scenario.duration)}\n`,
    );
    const apply = async (a: PlanAction) => {
      const m = 'member' in a ? members[a.member - 1]! : undefined;
      switch (a.do) {
        case 'kill':
          m!.proc?.kill('SIGKILL');
          m!.proc = null;
          break;
        case 'terminate':
          if (m!.proc) {
            m!.proc.kill('SIGTERM');
            await once(m!.proc, 'exit');
          }
          m!.proc = null;
          break;
        case 'start':
          startEtcd(m!);
          break;
        case 'sigstop':
          m!.proc?.kill('SIGSTOP');
          m!.stopped = true;
          break;
        case 'sigcont':
          m!.proc?.kill('SIGCONT');
          m!.stopped = false;
          break;
        case 'unlist':
          listed.delete(m!.index);
          writeTargets();
          break;
        case 'list':
          listed.add(m!.index);
          writeTargets();
          break;
        case 'block-scrape':
          m!.proxy.block(true);
          break;
        case 'unblock-scrape':
          m!.proxy.block(false);
          break;
        case 'cut':
        case 'heal':
          links.setCut({ from: a.from, to: a.to }, a.do === 'cut');
          for (const x of members) x.peerProxy.enforce();
          break;
        default: {
          const never: never = a;
          throw new Error(`unknown action ${JSON.stringify(never)}`);
        }
      }
      actions.push({
        t: Date.now() - t0,
        what: `${a.do}${m ? ` etcd-${m.index}` : ''}${'from' in a ? ` etcd-${a.from} → etcd-${a.to}` : ''}`,
        ...(m && { member: m.index }),
      });
    };
    for (const a of plan.actions) {
      await sleep(t0 + a.t - Date.now());
      await apply(a);
      process.stderr.write(
        `quorumlab lab: ${(actions.at(-1)!.t / 1000).toFixed(2)}s ${actions.at(-1)!.what}\n`,
      );
    }
    await sleep(t0 + scenario.duration + 2 * scenario.evaluationInterval - Date.now());
    loadRunning = false;
    await load;

    // What Prometheus stored: raw samples with their own timestamps, through the API.
    const end = Date.now();
    const window = `${Math.ceil((end - t0 + settleMs) / 1000)}s`;
    const query = async (expr: string): Promise<RecordedSeries[]> => {
      const url = `${api}/query?query=${encodeURIComponent(`${expr}[${window}]`)}&time=${end / 1000}`;
      const body = (await (await fetch(url)).json()) as {
        status: string;
        data: { result: { metric: Record<string, string>; values: [number, string][] }[] };
      };
      if (body.status !== 'success') throw new Error(`Prometheus refused ${expr}`);
      return body.data.result.map((r) => ({
        labels: r.metric,
        points: r.values.map(([t, v]) => [Math.round(t * 1000), Number(v)] as const),
      }));
    };
    const names = KEPT.join('|');
    const series = await query(`{job="etcd",__name__=~"${names}"}`);
    const alerts = await query('ALERTS');
    const meta: RecordingMeta = {
      t0,
      scenario: scenarioToJson(scenario),
      etcd: etcdVersion,
      prometheus: promVersion,
      instances: members.map((m) => `127.0.0.1:${m.proxy.port}`),
      ids: members.map((m) => m.id),
      actions,
      elections: elections
        .filter((e) => e.t >= t0 - settleMs)
        .map((e) => ({ ...e, t: e.t - t0 }))
        .filter((e) => e.t > 0),
      rules,
      scrapeInterval: scenario.scrapeInterval,
      evaluationInterval: scenario.evaluationInterval,
    };
    writeFileSync(join(out, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
    writeFileSync(join(out, 'series.om.gz'), gzipSync(formatRecordedSeries(series), { level: 9 }));
    writeFileSync(join(out, 'alerts.om.txt'), formatRecordedSeries(alerts));
    process.stderr.write(
      `quorumlab lab: recorded ${series.length} series and ${alerts.length} ALERTS series in ${out}\n`,
    );
  } finally {
    procs.stopAll();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/** Reads a recording directory written by `lab run`. */
export function readRecordingDir(dir: string) {
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as RecordingMeta;
  const seriesFile = join(dir, 'series.om.gz');
  const series = existsSync(seriesFile)
    ? gunzipSync(readFileSync(seriesFile)).toString('utf8')
    : readFileSync(join(dir, 'series.om'), 'utf8');
  const alertsFile = join(dir, 'alerts.om.txt');
  const alerts = existsSync(alertsFile) ? readFileSync(alertsFile, 'utf8') : '';
  const r = readRecording(meta, series, alerts);
  if (!r.ok) throw new Error(`${dir}: ${r.error}`);
  return r.value;
}

export const labCommand: Command = {
  name: 'lab',
  summary: 'play a scenario on a real etcd cluster and compare it with the simulator',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        settle: { type: 'string', default: '20s' },
        'write-rate': { type: 'string' },
        format: { type: 'string', default: 'table' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      process.stdout.write(usage + '\n');
      return 0;
    }
    const [sub, target] = positionals;
    if (sub === 'run' && target !== undefined && values.out !== undefined) {
      const settle = /^\d+$/.test(values.settle) ? Number(values.settle) * 1000 : undefined;
      const parsed = settle ?? parseDurationArg(values.settle);
      const rate = values['write-rate'] === undefined ? undefined : Number(values['write-rate']);
      if (rate !== undefined && !(rate > 0 && rate <= 200)) {
        process.stderr.write('quorumlab lab run: --write-rate must be between 0 and 200\n');
        return 2;
      }
      await runScenario(target, resolve(values.out), parsed, rate);
      return 0;
    }
    if (sub === 'compare' && target !== undefined) {
      const comparison = compareRecording(readRecordingDir(target));
      process.stdout.write(
        values.format === 'json'
          ? JSON.stringify(comparison, null, 2) + '\n'
          : formatComparisonTable(comparison),
      );
      return comparison.ok ? 0 : 1;
    }
    process.stderr.write(usage + '\n');
    return 2;
  },
};

function parseDurationArg(text: string): number {
  const ms = parseDuration(text);
  if (ms === null) throw new Error(`not a duration: "${text}" (e.g. 20s)`);
  return ms;
}
