// The notification outbox delivered by e-mail: `serve --smtp URL` hands each notification to an
// SMTP server (a small one in this test), retries when the server refuses for a while, and never
// sends anything without --smtp.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { startServer, Client } from './lib.mjs';

// smtp: a minimal SMTP server that records messages; the first `refuse` DATA commands get 451
function smtpServer({ refuse = 0 } = {}) {
  const messages = [];
  let refused = 0;
  const server = createServer((sock) => {
    let buf = '', inData = false, from = '', to = [];
    sock.write('220 test ESMTP\r\n');
    sock.on('data', (d) => {
      buf += d.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          const data = buf.slice(0, end);
          buf = buf.slice(end + 5);
          inData = false;
          if (refused < refuse) { refused++; sock.write('451 try again later\r\n'); } else { messages.push({ from, to, data }); sock.write('250 queued\r\n'); }
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === 'EHLO' || cmd === 'HELO') sock.write('250 test\r\n');
        else if (cmd === 'MAIL') { from = line; to = []; sock.write('250 ok\r\n'); }
        else if (cmd === 'RCPT') { to.push(line); sock.write('250 ok\r\n'); }
        else if (cmd === 'DATA') { inData = true; sock.write('354 go on\r\n'); }
        else if (cmd === 'QUIT') { sock.write('221 bye\r\n'); sock.end(); }
        else sock.write('250 ok\r\n');
      }
    });
    sock.on('error', () => {});
  });
  return new Promise((res) => server.listen(0, '127.0.0.1', () => res({ server, messages, port: server.address().port })));
}

const waitFor = async (fn, ms = 10000) => {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) { if (fn()) return true; await new Promise((r) => setTimeout(r, 100)); }
  return false;
};

async function setup(srv) {
  srv.user('anna@example.se', 'Anna', { password: 'anna password 1' });
  srv.user('ola@example.no', 'Ola', { password: 'ola password 12' });
  const ta = srv.token('anna@example.se'), to = srv.token('ola@example.no');
  const api = (t, m, p, json) => new Client(srv.base).req(m, p, { json, headers: { authorization: 'Bearer ' + t } });
  const org = (await api(ta, 'POST', '/api/v1/organisations', { name: 'Postverket Test AB', country: 'SE', kind: 'company', municipality: '1780' })).json().id;
  const ev = (await api(ta, 'POST', '/api/v1/events', { title: 'Brevdagen', start: '2027-09-14T09:00', end: '2027-09-14T16:00', country: 'SE', municipality: '1780', organisers: [org] })).json().id;
  const r = await api(to, 'POST', `/api/v1/events/${ev}/registrations`, {});
  assert.equal(r.status, 201);
  return { api, ta, to, ev };
}

let smtp;
before(async () => { smtp = await smtpServer({ refuse: 1 }); });
after(() => smtp.server.close());

test('notifications are mailed through --smtp, with a retry after the server refused', async () => {
  const srv = await startServer({ demo: false, args: ['--smtp', `smtp://127.0.0.1:${smtp.port}`, '--mail-from', 'noreply@granslos.test'], env: { GRANSLOS_SMTP_RETRY: '1' } });
  try {
    await setup(srv);
    assert.ok(await waitFor(() => smtp.messages.length >= 1), 'a message arrives after the retry: ' + srv.log.slice(-2000));
    const m = smtp.messages[0];
    assert.match(m.from, /<noreply@granslos\.test>/);
    assert.match(m.to[0], /<ola@example\.no>/);
    assert.match(m.data, /^Subject: =\?UTF-8\?B\?/m);
    const subject = Buffer.from(/Subject: =\?UTF-8\?B\?([^?]+)\?=/.exec(m.data)[1], 'base64').toString('utf8');
    assert.match(subject, /Gränslös: .*Brevdagen/);
    assert.match(m.data, /Content-Type: text\/plain; charset=UTF-8/);
    assert.match(srv.log, /mail: notification \d+ to user: .*\(attempt 1\)/, 'the refusal is logged');
    // delivered once only
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(smtp.messages.length, 1);
  } finally { await srv.stop(); }
});

test('without --smtp nothing is sent; notifications stay in the app', async () => {
  const before = smtp.messages.length;
  const srv = await startServer({ demo: false });
  try {
    const { api, to } = await setup(srv);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(smtp.messages.length, before);
    const n = (await api(to, 'GET', '/api/v1/notifications')).json().items;
    assert.equal(n[0].kind, 'registered');
  } finally { await srv.stop(); }
});

test('--smtp wants an smtp:// or smtps:// URL and belongs to serve', async () => {
  const { cli } = await import('./lib.mjs');
  let r = cli(['serve', '--smtp', 'http://example.org']);
  assert.equal(r.code, 2);
  assert.match(r.err, /smtp:\/\//);
  r = cli(['demo', '--smtp', 'smtp://127.0.0.1:25']);
  assert.equal(r.code, 2);
});
