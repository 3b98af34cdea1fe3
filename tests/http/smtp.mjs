// A real SMTP server for the tests (RFC 5321 subset: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
// QUIT) on a free loopback port; it records every message, decodes the Subject and offers
// helpers to wait for a mail and take a link out of it.
import { createServer } from 'node:net';
import assert from 'node:assert/strict';

// reject: addresses whose RCPT is refused permanently (550), as a server reports a bounce
// delay: ms before each message is acknowledged (a slow server: senders overlap)
export async function smtpServer({ reject = [], delay = 0 } = {}) {
  const messages = [], rejected = [];
  const server = createServer((sock) => {
    let buf = '', inData = false, from = '', to = [];
    sock.write('220 test ESMTP\r\n');
    sock.on('data', (d) => {
      buf += d.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          const data = buf.slice(0, end).replace(/^\.\./gm, '.');
          buf = buf.slice(end + 5);
          inData = false;
          const sep = data.indexOf('\r\n\r\n');
          const head = data.slice(0, sep), body = data.slice(sep + 4);
          const sm = /^Subject: =\?UTF-8\?B\?([^?]+)\?=/m.exec(head);
          const subject = sm ? Buffer.from(sm[1], 'base64').toString('utf8') : (/^Subject: (.*)$/m.exec(head) || [])[1];
          messages.push({ from, to, head, body, subject, data });
          if (delay) setTimeout(() => sock.write('250 queued\r\n'), delay);
          else sock.write('250 queued\r\n');
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === 'EHLO' || cmd === 'HELO') sock.write('250 test\r\n');
        else if (cmd === 'MAIL') { from = line; to = []; sock.write('250 ok\r\n'); }
        else if (cmd === 'RCPT') {
          const addr = /<([^>]*)>/.exec(line)?.[1] ?? line;
          if (reject.includes(addr)) { rejected.push(addr); sock.write('550 no such user\r\n'); } else { to.push(addr); sock.write('250 ok\r\n'); }
        }
        else if (cmd === 'DATA') { inData = true; sock.write('354 go on\r\n'); }
        else if (cmd === 'QUIT') { sock.write('221 bye\r\n'); sock.end(); }
        else sock.write('250 ok\r\n');
      }
    });
    sock.on('error', () => {});
  });
  await new Promise((res) => server.listen(0, '127.0.0.1', res));
  const port = server.address().port;
  return {
    server, messages, rejected, port,
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise((res) => server.close(res)),
    // mailsTo: the messages to an address so far
    mailsTo: (addr) => messages.filter((m) => m.to.includes(addr)),
    // waitFor: the first message to addr (after the first `skip` ones) matching pred, within ms
    async waitFor(addr, { skip = 0, pred = () => true, ms = 15000 } = {}) {
      const t0 = Date.now();
      while (Date.now() - t0 < ms) {
        const m = messages.filter((x) => x.to.includes(addr)).slice(skip).find(pred);
        if (m) return m;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no mail to ${addr} within ${ms} ms (have: ${messages.map((x) => x.to + ' ' + x.subject).join('; ')})`);
    },
  };
}

// linkIn: the first http link in a mail whose path starts with `path`, as a local path + query
export function linkIn(mail, path) {
  const re = new RegExp(`https?://[^\\s/]+(${path.replace(/[/?]/g, '\\$&')}[^\\s]*)`);
  const m = re.exec(mail.body);
  if (!m) throw new Error(`no link to ${path} in: ${mail.body}`);
  return m[1];
}

// parts: the text/plain and text/html parts of a multipart/alternative message
export function parts(m) {
  const b = /boundary="([^"]+)"/.exec(m.head)?.[1];
  assert.ok(b, 'a multipart message: ' + m.head);
  assert.match(m.head, /Content-Type: multipart\/alternative/);
  const out = {};
  for (const p of m.body.split('--' + b).slice(1, -1)) {
    const sep = p.indexOf('\r\n\r\n');
    const type = /Content-Type: ([^;\r\n]+)/.exec(p.slice(0, sep))?.[1];
    assert.match(p.slice(0, sep), /charset=UTF-8/);
    out[type] = p.slice(sep + 4);
  }
  assert.ok(out['text/plain'] && out['text/html'], 'both parts');
  return out;
}
