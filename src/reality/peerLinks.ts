// The pure part of the harness's peer proxies: a loopback TCP proxy sits in front of each
// member's peer port (the cluster's peer URLs name the proxies), reads the head of the first
// HTTP request on each connection to learn which member dialed and what the connection carries
// (linksOfRequest), and refuses or ends the connections of the links a partition or a one-way
// loss cut. No privileges are needed: nothing touches the kernel's packet filter.
import { linksOfRequest } from './plan.ts';

/** The head of an HTTP request on a peer connection. */
export interface PeerRequestHead {
  method: string;
  path: string;
  /**
   * The dialer's member id (hex): rafthttp's X-Server-From, or the last segment of a stream's
   * path (/raft/stream/TYPE/ID); absent for the round-trip prober's GET /raft/probing.
   */
  from?: string;
  /** The body's Content-Length; null for a chunked body (read to the connection's end). */
  bodyLength: number | null;
  /** Bytes of the head, up to and including the blank line. */
  length: number;
}

/** The most bytes a request head may take before the proxy gives up reading it. */
export const MAX_HEAD_BYTES = 16 * 1024;

/**
 * Reads the request head at the start of the bytes: null while the blank line that ends it has
 * not arrived, an error when the bytes are no HTTP request or the head is too long.
 */
export function parsePeerRequestHead(bytes: Uint8Array): PeerRequestHead | null | Error {
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, MAX_HEAD_BYTES + 4));
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return bytes.length > MAX_HEAD_BYTES ? new Error('request head too long') : null;
  const [request, ...headers] = text.slice(0, end).split('\r\n');
  const m = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(request ?? '');
  if (!m) return new Error(`not an HTTP request: ${JSON.stringify(request?.slice(0, 80))}`);
  const head: PeerRequestHead = { method: m[1]!, path: m[2]!, bodyLength: 0, length: end + 4 };
  const stream = /^\/raft\/stream\/[^/]+\/([0-9a-fA-F]+)$/.exec(head.path);
  if (stream) head.from = stream[1];
  for (const h of headers) {
    const colon = h.indexOf(':');
    if (colon <= 0) continue;
    const name = h.slice(0, colon).trim().toLowerCase();
    const value = h.slice(colon + 1).trim();
    if (name === 'x-server-from') head.from = value;
    else if (name === 'content-length') head.bodyLength = Number(value) || 0;
    else if (name === 'transfer-encoding' && /chunked/i.test(value)) head.bodyLength = null;
  }
  return head;
}

/**
 * Finds the request heads in a connection's bytes from client to server as they arrive: Go's
 * HTTP client keeps connections alive, and rafthttp's prober (whose GET names no member) shares
 * its pool with the pipeline's posts, so a connection first seen as a probe may later carry a
 * member's messages. Bodies are skipped by their length; after a chunked body (a snapshot) or
 * bytes that are no request, nothing more is read (null from then on).
 */
export class RequestTracker {
  private pending = new Uint8Array(0);
  /** Body bytes still to skip; null once the tracker has given up. */
  private skip: number | null = 0;

  /** The heads that begin in these bytes, or null once the tracker has given up. */
  feed(chunk: Uint8Array): PeerRequestHead[] | null {
    if (this.skip === null) return null;
    const heads: PeerRequestHead[] = [];
    let bytes = chunk;
    for (;;) {
      if (this.skip! > 0) {
        const n = Math.min(this.skip!, bytes.length);
        this.skip! -= n;
        bytes = bytes.subarray(n);
        if (this.skip! > 0 || bytes.length === 0) return heads;
      }
      const all = new Uint8Array(this.pending.length + bytes.length);
      all.set(this.pending);
      all.set(bytes, this.pending.length);
      if (all.length === 0) return heads;
      const head = parsePeerRequestHead(all);
      if (head === null) {
        this.pending = all;
        return heads;
      }
      this.pending = new Uint8Array(0);
      if (head instanceof Error) {
        this.skip = null;
        return heads;
      }
      heads.push(head);
      if (head.bodyLength === null) {
        this.skip = null;
        return heads;
      }
      this.skip = head.bodyLength;
      bytes = all.subarray(head.length);
      if (bytes.length === 0 && this.skip === 0) return heads;
    }
  }
}

/** A directed peer link: messages from one member (1-based) to another. */
export interface Link {
  from: number;
  to: number;
}

/** Which directed links are cut now: a partition cuts both ways, a one-way loss one. */
export class LinkTable {
  private readonly cut = new Set<string>();
  private static key(l: Link): string {
    return `${l.from}>${l.to}`;
  }
  setCut(link: Link, cut: boolean): void {
    if (cut) this.cut.add(LinkTable.key(link));
    else this.cut.delete(LinkTable.key(link));
  }
  isCut(link: Link): boolean {
    return this.cut.has(LinkTable.key(link));
  }
  /** Whether a connection carrying these links must be refused or ended. */
  blocks(links: readonly Link[]): boolean {
    return links.some((l) => this.isCut(l));
  }
  /** Whether every link between the member and each of the others is cut, both ways. */
  isolates(member: number, members: number): boolean {
    for (let other = 1; other <= members; other++) {
      if (other === member) continue;
      if (!this.isCut({ from: member, to: other }) || !this.isCut({ from: other, to: member }))
        return false;
    }
    return members > 1;
  }
  get size(): number {
    return this.cut.size;
  }
}

/** The same member id however it is spelled: etcd prints ids in hex without leading zeros. */
export function sameMemberId(a: string, b: string): boolean {
  const norm = (x: string) => x.trim().toLowerCase().replace(/^0+/, '');
  return norm(a) === norm(b);
}

/** What the proxy knows of one connection to a member's peer port. */
export interface PeerConnection {
  /** The member (1-based) that dialed, once a request named it. */
  dialer?: number;
  /** Every link its requests carried so far. */
  links: Link[];
}

/** Adds what a request on the connection says: who dialed, which links it carries. */
export function noteRequest(
  conn: PeerConnection,
  head: PeerRequestHead,
  target: number,
  memberOfId: (id: string) => number | undefined,
): void {
  const dialer = head.from === undefined ? conn.dialer : (memberOfId(head.from) ?? conn.dialer);
  if (dialer === undefined || dialer === target) return;
  conn.dialer = dialer;
  for (const l of linksOfRequest(head.method, head.path, dialer, target))
    if (!conn.links.some((x) => x.from === l.from && x.to === l.to)) conn.links.push(l);
}

/**
 * Whether a proxied connection to `target`'s peer port must be refused or ended now. One whose
 * requests named their member (rafthttp's streams and pipeline) carries the links they did; one
 * that named nobody (the round-trip prober's GET /raft/probing) could come from any member, so
 * it is blocked only while the target is cut off from every other member.
 */
export function blocksConnection(
  table: LinkTable,
  conn: PeerConnection,
  target: number,
  members: number,
): boolean {
  return conn.links.length === 0 ? table.isolates(target, members) : table.blocks(conn.links);
}
