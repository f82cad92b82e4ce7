import { describe, expect, it } from 'vitest';
import {
  LinkTable,
  MAX_HEAD_BYTES,
  RequestTracker,
  blocksConnection,
  noteRequest,
  parsePeerRequestHead,
  sameMemberId,
  type PeerConnection,
} from './peerLinks.ts';

const bytes = (s: string) => new TextEncoder().encode(s);
const ids = ['f735a716d514ad63', 'b8424a89d4b70c93', '0a42b68c72f1a9e7'];
const memberOfId = (id: string) => {
  const i = ids.findIndex((x) => sameMemberId(x, id));
  return i < 0 ? undefined : i + 1;
};

/** A request head as etcd's rafthttp sends it (Go's net/http client). */
function head(method: string, path: string, from?: string) {
  const lines = [
    `${method} ${path} HTTP/1.1`,
    'Host: 127.0.0.1:40001',
    'User-Agent: Go-http-client/1.1',
    ...(from !== undefined
      ? [`X-Server-From: ${from}`, 'X-Etcd-Cluster-Id: cdf818194e3a8c32']
      : []),
    '',
    '',
  ];
  const r = parsePeerRequestHead(bytes(lines.join('\r\n') + 'body'));
  if (r === null || r instanceof Error) throw new Error(`no head: ${String(r)}`);
  return r;
}

describe('parsePeerRequestHead', () => {
  it('reads the method, the path and who dialed, and where the head ends', () => {
    const h = head('GET', `/raft/stream/msgappv2/${ids[0]}`, ids[0]);
    expect(h).toMatchObject({
      method: 'GET',
      path: `/raft/stream/msgappv2/${ids[0]}`,
      from: ids[0],
    });
    const text = `POST /raft HTTP/1.1\r\nx-server-from: ${ids[1]}\r\n\r\nprotobuf`;
    const post = parsePeerRequestHead(bytes(text));
    expect(post).toMatchObject({ method: 'POST', path: '/raft', from: ids[1] });
    expect(text.slice((post as { length: number }).length)).toBe('protobuf');
  });

  it('waits for the blank line, and refuses what is no HTTP request or too long', () => {
    expect(parsePeerRequestHead(bytes('GET /raft/probing HTTP/1.1\r\nHost: x\r\n'))).toBeNull();
    expect(parsePeerRequestHead(bytes('\x16\x03\x01 TLS hello\r\n\r\n'))).toBeInstanceOf(Error);
    expect(
      parsePeerRequestHead(bytes('GET / HTTP/1.1\r\nX: ' + 'a'.repeat(MAX_HEAD_BYTES))),
    ).toBeInstanceOf(Error);
  });
});

/** The connection state after these requests to member `target`. */
function connection(target: number, ...heads: ReturnType<typeof head>[]): PeerConnection {
  const conn: PeerConnection = { links: [] };
  for (const h of heads) noteRequest(conn, h, target, memberOfId);
  return conn;
}

describe('which connections a cut blocks', () => {
  it('a stream the dialer opened carries the target’s messages to it', () => {
    // Member 1 dials member 2 for 2's messages; member 1's pipeline posts carry 1's to 2.
    const stream = connection(2, head('GET', `/raft/stream/message/${ids[0]}`, ids[0]));
    const post = connection(2, head('POST', '/raft', ids[0]));
    expect(stream.links).toEqual([{ from: 2, to: 1 }]);
    expect(post).toEqual({ dialer: 1, links: [{ from: 1, to: 2 }] });
    // The stream's path names its dialer even without the header.
    expect(connection(2, head('GET', `/raft/stream/msgappv2/${ids[2]}`)).dialer).toBe(3);
    const table = new LinkTable();
    table.setCut({ from: 1, to: 2 }, true);
    // A one-way loss from 1 to 2 ends 1's posts to 2, not 2's stream of messages to 1.
    expect(blocksConnection(table, post, 2, 3)).toBe(true);
    expect(blocksConnection(table, stream, 2, 3)).toBe(false);
    table.setCut({ from: 1, to: 2 }, false);
    expect(blocksConnection(table, post, 2, 3)).toBe(false);
  });

  it('an id without its leading zero is the same member', () => {
    expect(memberOfId('a42b68c72f1a9e7')).toBe(3);
    expect(connection(1, head('POST', '/raft', 'a42b68c72f1a9e7')).links).toEqual([
      { from: 3, to: 1 },
    ]);
  });

  it('a connection that names nobody is blocked only while its member is isolated', () => {
    const probe = connection(3, head('GET', '/raft/probing'));
    const table = new LinkTable();
    table.setCut({ from: 3, to: 1 }, true);
    expect(blocksConnection(table, probe, 3, 3)).toBe(false);
    // The partition {1,2} | {3}: every link of member 3 is cut both ways.
    for (const [from, to] of [
      [1, 3],
      [2, 3],
      [3, 2],
    ] as const)
      table.setCut({ from, to }, true);
    expect(table.isolates(3, 3)).toBe(true);
    expect(table.isolates(1, 3)).toBe(false);
    expect(blocksConnection(table, probe, 3, 3)).toBe(true);
    expect(blocksConnection(table, connection(1, head('GET', '/raft/probing')), 1, 3)).toBe(false);
    // An unknown dialer (before the harness learned the ids) is the same as nobody.
    expect(blocksConnection(table, connection(1, head('POST', '/raft', 'ffff')), 1, 3)).toBe(false);
  });

  it('a kept-alive probe connection that then carries a member’s posts is theirs', () => {
    // Go's client pools the prober's connections with the pipeline's: one connection, a probe
    // then a post, the head and body split across chunks.
    const tracker = new RequestTracker();
    const conn: PeerConnection = { links: [] };
    const feed = (text: string) => {
      for (const h of tracker.feed(bytes(text)) ?? []) noteRequest(conn, h, 3, memberOfId);
    };
    feed('GET /raft/probing HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(conn.links).toEqual([]);
    feed(`POST /raft HTTP/1.1\r\nX-Server-From: ${ids[0]}\r\nContent-Length: 10\r\n`);
    feed('\r\n01234');
    feed(`56789POST /raft HTTP/1.1\r\nX-Server-From: ${ids[0]}\r\nContent-Length: 3\r\n\r\nabc`);
    expect(conn).toEqual({ dialer: 1, links: [{ from: 1, to: 3 }] });
    const table = new LinkTable();
    table.setCut({ from: 1, to: 3 }, true);
    expect(blocksConnection(table, conn, 3, 3)).toBe(true);
  });

  it('a chunked body (a snapshot) ends the reading: its bytes are no heads', () => {
    const tracker = new RequestTracker();
    const heads = tracker.feed(
      bytes(
        `POST /raft/snapshot HTTP/1.1\r\nX-Server-From: ${ids[0]}\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nGET /\r\n`,
      ),
    );
    expect(heads?.map((h) => h.path)).toEqual(['/raft/snapshot']);
    expect(tracker.feed(bytes('GET /raft/probing HTTP/1.1\r\n\r\n'))).toBeNull();
  });
});
