// The pure part of the harness's peer proxies: a loopback TCP proxy sits in front of each
// member's peer port (the cluster's peer URLs name the proxies), reads the head of the first
// HTTP request on each connection to learn which member dialed and what the connection carries
// (linksOfRequest), and refuses or ends the connections of the links a partition or a one-way
// loss cut. No privileges are needed: nothing touches the kernel's packet filter.
import { linksOfRequest } from './plan.ts';

/** The head of the first HTTP request on a peer connection. */
export interface PeerRequestHead {
  method: string;
  path: string;
  /** rafthttp's X-Server-From: the dialer's member id (hex), if it sent one. */
  from?: string;
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
  const head: PeerRequestHead = { method: m[1]!, path: m[2]!, length: end + 4 };
  for (const h of headers) {
    const colon = h.indexOf(':');
    if (colon > 0 && h.slice(0, colon).trim().toLowerCase() === 'x-server-from')
      head.from = h.slice(colon + 1).trim();
  }
  return head;
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

/**
 * Whether a proxied connection to `target`'s peer port must be refused or ended now. A
 * connection whose dialer names itself (rafthttp's streams and pipeline) carries the links
 * linksOfRequest says; one that does not (the round-trip prober's GET /raft/probing) could come
 * from any member, so it is blocked only while the target is cut off from every other member.
 */
export function blocksConnection(
  table: LinkTable,
  head: PeerRequestHead,
  target: number,
  members: number,
  memberOfId: (id: string) => number | undefined,
): boolean {
  const links = linksOfConnection(head, target, memberOfId);
  return links === null ? table.isolates(target, members) : table.blocks(links);
}

/**
 * The links a connection to `target`'s peer port carries, from its first request; null when
 * the dialer is not a member the harness knows (yet): such a connection is let through.
 */
export function linksOfConnection(
  head: PeerRequestHead,
  target: number,
  memberOfId: (id: string) => number | undefined,
): Link[] | null {
  const dialer = head.from === undefined ? undefined : memberOfId(head.from);
  if (dialer === undefined || dialer === target) return null;
  return linksOfRequest(head.method, head.path, dialer, target);
}
