// --trust-proxy: only from a trusted peer is X-Forwarded-For / Forwarded believed; the client it
// names then drives the rate limits, the log and the per-address limit (docs/operations.md).
// Every request here comes from 127.0.0.1: as a trusted proxy, or as an untrusted peer when the
// trusted list names another address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, Client } from './lib.mjs';

// register: one registration attempt sent with extra headers (the form's CSRF token is fetched
// with the same headers: it is the client's cookie, not its address)
async function register(srv, i, headers) {
  const c = new Client(srv.base, { lang: 'en' });
  const csrf = await c.csrf('/register');
  const form = new URLSearchParams({ name: 'Proxy ' + i, email: `proxy${i}@example.se`, password: 'proxy password ' + i, lang: 'en', csrf });
  return (await c.post('/register', { form, headers })).status;
}

// logged: the server writes a request's log line once its answer is sent, so wait for it a little
async function logged(srv, re) {
  for (let i = 0; i < 50 && !re.test(srv.log); i++) await new Promise((r) => setTimeout(r, 100));
  assert.match(srv.log, re);
}

// the registration limit is 10 an hour per address (src/account/pages.c)
async function tenFrom(srv, headersOf) {
  for (let i = 0; i < 10; i++) assert.equal(await register(srv, i, headersOf(i)), 303, `registration ${i + 1}`);
}

test('without --trust-proxy the headers are ignored: the limit hits the peer', async () => {
  const srv = await startServer({ demo: false });
  try {
    await tenFrom(srv, (i) => ({ 'x-forwarded-for': `203.0.113.${i + 1}` }));
    assert.equal(await register(srv, 10, { 'x-forwarded-for': '203.0.113.99' }), 429);
    assert.equal(await register(srv, 11, { forwarded: 'for=198.51.100.1' }), 429);
    await logged(srv, /127\.0\.0\.1 POST \/register 429/);
    assert.doesNotMatch(srv.log, /203\.0\.113\.\d+ (GET|POST)/);
  } finally { await srv.stop(); }
});

test('from a peer that is not the trusted proxy the headers are ignored', async () => {
  const srv = await startServer({ demo: false, args: ['--trust-proxy', '10.9.9.9,2001:db8::7'] });
  try {
    await tenFrom(srv, (i) => ({ 'x-forwarded-for': `203.0.113.${i + 1}` }));
    assert.equal(await register(srv, 10, { 'x-forwarded-for': '203.0.113.99' }), 429);
    await logged(srv, /127\.0\.0\.1 POST \/register 429/);
  } finally { await srv.stop(); }
});

test('behind a trusted proxy the limit is per forwarded client; malformed headers count for the peer', async () => {
  const srv = await startServer({ demo: false, args: ['--trust-proxy', '127.0.0.1'] });
  try {
    // client A (a spoofed first item is ignored: the right-most untrusted address counts)
    await tenFrom(srv, (i) => ({ 'x-forwarded-for': `192.0.2.${i}, 203.0.113.1` }));
    assert.equal(await register(srv, 10, { 'x-forwarded-for': '203.0.113.1' }), 429);
    // client B does not share A's limit, whichever header the proxy uses
    assert.equal(await register(srv, 11, { forwarded: 'for="203.0.113.2:5511";proto=https' }), 303);
    assert.equal(await register(srv, 12, { 'x-forwarded-for': '203.0.113.2' }), 303);
    // the log names the client and the proxy
    await logged(srv, /203\.0\.113\.1 POST \/register 429 .* via 127\.0\.0\.1/);
    await logged(srv, /203\.0\.113\.2 POST \/register 303 .* via 127\.0\.0\.1/);
    // a header that does not parse is the peer's: those share the proxy's own limit
    const bad = ['unknown', '203.0.113.3:80', '', 'for=203.0.113.3', '203.0.113.3,,', 'x', 'not an address', '300.1.1.1', '::g', '1.2.3'];
    for (let i = 0; i < 10; i++) assert.equal(await register(srv, 20 + i, { 'x-forwarded-for': bad[i] }), 303, `malformed ${i}`);
    assert.equal(await register(srv, 30, {}), 429, 'the proxy itself (no header) is over its limit');
    assert.equal(await register(srv, 31, { forwarded: 'for=unknown' }), 429);
    assert.equal(await register(srv, 32, { 'x-forwarded-for': '203.0.113.4' }), 303, 'a well-formed client still gets through');
  } finally { await srv.stop(); }
});

// hold: a connection whose request is in flight (headers sent, the body not yet)
function hold(port, xff) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.write(`POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: ${xff}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10\r\n\r\n`);
      setTimeout(() => resolve(s), 150);
    });
    s.on('error', reject);
  });
}

test('per-address limit behind a trusted proxy: requests in flight per client, the proxy itself unlimited', async () => {
  const srv = await startServer({ demo: false, args: ['--trust-proxy', '127.0.0.1', '--max-per-ip', '2'] });
  const held = [];
  try {
    held.push(await hold(srv.port, '203.0.113.1'), await hold(srv.port, '203.0.113.1'));
    const c = new Client(srv.base, { lang: 'en' });
    let r = await c.get('/', { headers: { 'x-forwarded-for': '203.0.113.1' } });
    assert.equal(r.status, 429, 'a third request of client A while two are in flight');
    assert.ok(Number(r.headers.get('retry-after')) > 0);
    // client B, and the proxy's own further connections (4 open now, over 2), are served
    r = await c.get('/', { headers: { 'x-forwarded-for': '203.0.113.2' } });
    assert.equal(r.status, 200);
    for (const s of held) s.destroy();
    held.length = 0;
    await new Promise((res) => setTimeout(res, 300));
    r = await c.get('/', { headers: { 'x-forwarded-for': '203.0.113.1' } });
    assert.equal(r.status, 200, 'client A again once its requests are done');
  } finally { for (const s of held) s.destroy(); await srv.stop(); }
});

test('per-address connection limit still holds for an untrusted peer when proxies are trusted', async () => {
  const srv = await startServer({ demo: false, args: ['--trust-proxy', '10.9.9.9', '--max-per-ip', '2'] });
  const held = [];
  try {
    held.push(await hold(srv.port, '203.0.113.1'), await hold(srv.port, '203.0.113.2'));
    const third = await new Promise((resolve) => {
      const s = net.connect(srv.port, '127.0.0.1', () => s.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
      let got = '';
      s.on('data', (d) => { got += d; });
      s.on('close', () => resolve(got));
      s.on('error', () => resolve(got));
      setTimeout(() => { s.destroy(); resolve(got); }, 3000);
    });
    assert.doesNotMatch(third, /^HTTP\/1\.1 200/, 'the third connection from 127.0.0.1 is refused');
    await logged(srv, /127\.0\.0\.1: refused a connection over the per-address limit/);
  } finally { for (const s of held) s.destroy(); await srv.stop(); }
});

test('a slow body behind a trusted proxy is logged with its client, and the proxy it came through', async () => {
  const srv = await startServer({ demo: false, args: ['--trust-proxy', '127.0.0.1', '--body-timeout', '1'] });
  try {
    // the headers of a registration arrive at once, its body (50 bytes announced) never does
    const closed = await new Promise((resolve) => {
      const s = net.connect(srv.port, '127.0.0.1', () => s.write('POST /register HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
        'X-Forwarded-For: 203.0.113.9\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 50\r\n\r\nname=Sl'));
      let got = '';
      s.on('data', (d) => { got += d; });
      s.on('close', () => resolve(got));
      s.on('error', () => resolve(got));
      setTimeout(() => { s.destroy(); resolve('still open'); }, 15000);
    });
    assert.notEqual(closed, 'still open', 'the server closed the connection');
    await logged(srv, /203\.0\.113\.9 \(via 127\.0\.0\.1\): closed a slow connection \(request body not complete in time\)/);
  } finally { await srv.stop(); }
});

test('--trust-proxy refuses what is not an address', async () => {
  const { cli } = await import('./lib.mjs');
  const r = cli(['serve', '--trust-proxy', '127.0.0.1,proxy.example']);
  assert.equal(r.code, 2);
  assert.match(r.err, /not an IPv4 or IPv6 address: proxy\.example/);
});
