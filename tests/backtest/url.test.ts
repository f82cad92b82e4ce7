// The data source's URL as typed: a missing scheme is completed with http://, anything that
// cannot be called is refused with a message before a request is sent.
import { describe, expect, it } from 'vitest';
import { checkSourceUrl, createClient, serverCompletion } from '../../src/backtest/index.ts';

describe('checkSourceUrl', () => {
  it.each([
    { typed: 'http://localhost:9090', url: 'http://localhost:9090', completed: false },
    { typed: ' https://prom.example/ ', url: 'https://prom.example', completed: false },
    {
      typed: 'http://mimir:8080/prometheus/api/v1',
      url: 'http://mimir:8080/prometheus',
      completed: false,
    },
    { typed: 'localhost:9090', url: 'http://localhost:9090', completed: true },
    { typed: '127.0.0.1:9090/', url: 'http://127.0.0.1:9090', completed: true },
    { typed: 'prometheus', url: 'http://prometheus', completed: true },
    { typed: 'HTTP://Prom:9090', url: 'HTTP://Prom:9090', completed: false },
  ])('$typed → $url', ({ typed, url, completed }) => {
    expect(checkSourceUrl(typed)).toEqual({ ok: true, url, completed });
  });

  it.each([
    { typed: '', message: 'enter the server’s URL' },
    { typed: 'ftp://prom:9090', message: 'must start with http:// or https://, not ftp://' },
    { typed: 'http://', message: 'is not a URL' },
    { typed: 'http://prom:9090/?x=1', message: 'without a query' },
    { typed: 'local host:9090', message: 'is not a URL' },
  ])('refuses “$typed”', ({ typed, message }) => {
    const r = checkSourceUrl(typed);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(message);
  });
});

describe('the client with a URL as typed', () => {
  it('calls a URL without a scheme over http://', async () => {
    const asked: string[] = [];
    const api = createClient(
      { url: 'localhost:9090' },
      {
        fetch: (input) => {
          asked.push(input);
          return Promise.resolve(
            new Response('{"status":"success","data":{"version":"2.42.0"}}', { status: 200 }),
          );
        },
      },
    );
    const r = await api.buildInfo();
    expect(r).toEqual({ ok: true, value: { version: '2.42.0' } });
    expect(asked).toEqual(['http://localhost:9090/api/v1/status/buildinfo?']);
  });

  it('refuses a URL it cannot call without sending anything', async () => {
    let sent = 0;
    const api = createClient(
      { url: 'ftp://prom:9090' },
      {
        fetch: () => {
          sent++;
          return Promise.reject(new Error('not reached'));
        },
      },
    );
    const r = await api.buildInfo();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('bad-url');
      expect(r.error.message).toContain('http:// or https://');
      expect(r.error.hint).toContain('http://localhost:9090');
    }
    expect(sent).toBe(0);
  });

  it('offers no completion for a URL it cannot call', async () => {
    expect(await serverCompletion({ url: 'ftp://x' }, () => Promise.reject(new Error('no')))).toBe(
      null,
    );
  });
});
