// The harness's peer proxy on real sockets: HTTP servers on 127.0.0.1 stand for two etcd
// members' peer ports; requests shaped as rafthttp's go through the proxy until their link is cut.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PeerProxy } from '../../src/cli/commands/lab.ts';
import { LinkTable } from '../../src/reality/index.ts';

const ids = ['0000000000000aaa', '0000000000000bbb'];
const memberOfId = (id: string) => {
  const i = ids.findIndex((x) => x.replace(/^0+/, '') === id.replace(/^0+/, ''));
  return i < 0 ? undefined : i + 1;
};

let stop: (() => void)[] = [];
afterEach(() => {
  for (const s of stop) s();
  stop = [];
});

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  stop.push(() => server.close());
  return (server.address() as AddressInfo).port;
}

async function freePort(): Promise<number> {
  const s = createServer();
  const port = await listen(s);
  s.close();
  return port;
}

/** A request through the proxy: its status, or the error that ended it. */
function send(port: number, method: string, path: string, from: string): Promise<string> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { 'X-Server-From': from },
        agent: false,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(String(res.statusCode)));
      },
    );
    req.on('error', (err) =>
      resolve(`error ${(err as NodeJS.ErrnoException).code ?? err.message}`),
    );
    req.end(method === 'POST' ? 'message' : undefined);
  });
}

describe('PeerProxy', () => {
  it('passes rafthttp requests, refuses those of a cut link and ends open ones', async () => {
    // Member 2's peer port: answers posts at once, holds a stream open.
    const streams: { end(): void }[] = [];
    const member2 = createServer((req, res) => {
      if (req.url?.startsWith('/raft/stream')) {
        res.writeHead(200);
        res.write('stream open\n');
        streams.push(res);
      } else {
        req.resume();
        req.on('end', () => res.writeHead(204).end());
      }
    });
    stop.push(() => member2.closeAllConnections());
    const target = await listen(member2);
    const links = new LinkTable();
    const proxy = new PeerProxy(await freePort(), target, 2, 2, links, memberOfId);
    await proxy.start();
    stop.push(() => proxy.stop());

    expect(await send(proxy.port, 'POST', '/raft', ids[0]!)).toBe('204');

    // A stream member 1 opened to receive member 2's messages.
    const ended = new Promise<string>((resolve) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: proxy.port,
          path: `/raft/stream/message/${ids[0]}`,
          headers: { 'X-Server-From': ids[0] },
          agent: false,
        },
        (res) => {
          res.on('data', () => {});
          res.on('close', () => resolve('closed'));
        },
      );
      req.on('error', () => resolve('closed'));
      req.end();
    });
    while (streams.length === 0) await new Promise((r) => setTimeout(r, 10));

    // One-way loss 1 → 2: member 1's posts are refused; 2's stream to 1 stays.
    links.setCut({ from: 1, to: 2 }, true);
    proxy.enforce();
    expect(await send(proxy.port, 'POST', '/raft', ids[0]!)).toMatch(/^error /);
    // Loss 2 → 1 as well: the open stream is ended.
    links.setCut({ from: 2, to: 1 }, true);
    proxy.enforce();
    expect(await ended).toBe('closed');

    // Healed: traffic passes again.
    links.setCut({ from: 1, to: 2 }, false);
    links.setCut({ from: 2, to: 1 }, false);
    expect(await send(proxy.port, 'POST', '/raft', ids[0]!)).toBe('204');
  });
});
