// Several nodes on one store (issue 15): two `granslos serve` processes on the same database —
// PostgreSQL under GRANSLOS_TEST_STORE=pg (tests/run http-pg), else one SQLite file — as behind a
// load balancer. What one node writes the other reads and finds (the change feed, src/db/feed.c);
// a session made on one works on the other; a meeting slot asked for through both at once is
// given once; a node killed right after it acknowledged a write loses nothing. Also the load
// balancer's view of a node: /healthz, /readyz, and draining on SIGTERM.
// Nothing here asserts a speed: what must arrive is polled for with a generous deadline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, newStore, Client } from './lib.mjs';
import { smtpServer } from './smtp.mjs';

let dir, store, a, b;
const tok = {};
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'granslos-nodes-'));
  store = newStore(dir);
  a = await startServer({ store });
  b = await startServer({ store });
  for (const k of ['anna', 'ola', 'bo', 'kari', 'eve']) {
    a.user(`${k}@example.org`, k[0].toUpperCase() + k.slice(1), { password: k + ' password 123' });
    tok[k] = a.token(`${k}@example.org`);
  }
});
after(async () => {
  if (a) await a.stop(); // unless a test killed it
  if (b) await b.stop();
  store?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function api(srv, who, method, path, json) {
  return new Client(srv.base, { lang: 'en' }).req(method, path, { json, headers: { authorization: 'Bearer ' + tok[who] } });
}

// eventually: poll f until it gives a truthy value, for at most ms (a deadline, not a speed)
async function eventually(what, f, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) assert.fail(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const found = async (srv, q, id) =>
  (await new Client(srv.base).get('/api/v1/organisations?q=' + encodeURIComponent(q))).json().items.some((o) => o.id === id);

test('both nodes are alive and ready', async () => {
  for (const srv of [a, b]) {
    const h = await new Client(srv.base).get('/healthz');
    assert.equal(h.status, 200);
    const r = await eventually('ready', async () => { const x = await new Client(srv.base).get('/readyz'); return x.status === 200 && x; });
    assert.equal(r.text, 'ready\n');
    assert.equal(r.headers.get('cache-control'), 'no-store');
  }
});

test('a write through node A is read and found by search through node B, and B\'s cached pages follow', async () => {
  const visitor = new Client(b.base);
  // B caches the directory's search page for visitors before the write
  await eventually('B serves the page from its cache', async () => (await visitor.get('/organisations?q=Havsvindslaboratoriet')).headers.get('x-cache') === 'hit');
  const r = await api(a, 'anna', 'POST', '/api/v1/organisations', {
    name: 'Havsvindslaboratoriet Nord AB', country: 'SE', kind: 'company', municipality: '1486',
    competences: ['flytande havsvind'], description: { sv: 'Provbädd för flytande havsvindkraft.', nb: '', en: '' },
  });
  assert.equal(r.status, 201, r.text);
  const { id } = r.json();
  const read = await eventually('read through B', async () => { const x = await api(b, 'ola', 'GET', '/api/v1/organisations/' + id); return x.status === 200 && x; });
  assert.equal(read.json().name, 'Havsvindslaboratoriet Nord AB');
  await eventually('found through B', () => found(b, 'havsvindslaboratoriet', id));
  await eventually('B\'s cached search page shows it', async () => (await visitor.get('/organisations?q=Havsvindslaboratoriet')).text.includes(`/organisations/${id}"`));
  // an edit on A: B finds the new words and no longer the old ones; its cached profile follows
  assert.match((await visitor.get('/organisations/' + id)).text, /Havsvindslaboratoriet Nord AB/);
  const p = await api(a, 'anna', 'PATCH', '/api/v1/organisations/' + id, { name: 'Vågkraftverkstaden Nord AB', competences: ['vågkraft'] });
  assert.equal(p.status, 200, p.text);
  await eventually('the new name found through B', () => found(b, 'vågkraftverkstaden', id));
  assert.equal(await found(b, 'havsvindslaboratoriet', id), false, 'the old name is gone from B\'s index');
  await eventually('B\'s cached profile shows the new name', async () => /Vågkraftverkstaden Nord AB/.test((await visitor.get('/organisations/' + id)).text));
  // and the other way round
  const c = await api(b, 'ola', 'POST', '/api/v1/organisations', { name: 'Fjordsensorikk Vest AS', country: 'NO', kind: 'company', municipality: '4601' });
  assert.equal(c.status, 201, c.text);
  await eventually('found through A', () => found(a, 'fjordsensorikk', c.json().id));
});

test('a session made on node A works on node B, and a logout on B ends it on A', async () => {
  const user = new Client(a.base, { lang: 'en' });
  await user.login('kari@example.org', 'kari password 123');
  assert.equal((await user.get('/account')).status, 200);
  user.base = b.base;
  const r = await user.get('/account');
  assert.equal(r.status, 200, 'the session cookie of A is known to B');
  assert.match(r.text, /kari@example\.org/);
  // a form on B with the CSRF token B gave: the same session
  const lo = await user.submit('/account', '/logout', {});
  assert.ok(lo.status === 303 || lo.status === 200, lo.status + lo.text.slice(0, 300));
  user.base = a.base;
  assert.equal((await user.get('/account')).status, 303, 'logged out on A as well');
});

test('the login throttle is shared: failures counted on node A make node B wait too', async () => {
  // five mistyped passwords for Eve from one unknown browser, all through A
  for (let i = 0; i < 5; i++) {
    const r = await new Client(a.base, { lang: 'en' }).submit('/login', '/login', { email: 'eve@example.org', password: 'wrong ' + i });
    assert.notEqual(r.status, 303, `attempt ${i + 1} through A`);
  }
  // the sixth, through B, even with the right password: the back-off both nodes read in the store
  const r = await new Client(b.base, { lang: 'en' }).submit('/login', '/login', { email: 'eve@example.org', password: 'eve password 123' });
  assert.equal(r.status, 429);
  assert.ok(Number(r.headers.get('retry-after')) > 0);
});

test('two nodes that both send mail send each message once', async () => {
  const smtp = await smtpServer({ delay: 400 });   // slow: each sender is still at work when the other looks
  const d2 = mkdtempSync(join(tmpdir(), 'granslos-nodes-mail-'));
  const st = newStore(d2);
  const args = ['--smtp', smtp.url, '--mail-from', 'noreply@granslos.test'];
  const m1 = await startServer({ store: st, args }), m2 = await startServer({ store: st, args });
  try {
    // ten sign-ups through both nodes: ten confirmation mails in the one outbox
    const to = [];
    for (let i = 0; i < 10; i++) {
      const email = `twice${i}@example.se`;
      to.push(email);
      const r = await new Client((i % 2 ? m2 : m1).base, { lang: 'sv' }).submit('/register', '/register', { name: 'Nod ' + i, email, password: 'node password ' + i, lang: 'sv' });
      assert.equal(r.status, 303);
    }
    await eventually('ten mails', async () => smtp.messages.length >= 10);
    await new Promise((r) => setTimeout(r, 2500));   // both senders have looked at the outbox again meanwhile
    const got = smtp.messages.flatMap((m) => m.to).map((x) => x.replace(/[<>]/g, '')).sort();
    assert.deepEqual(got, to.sort(), 'each address once');
  } finally {
    await m1.stop();
    await m2.stop();
    st.drop();
    rmSync(d2, { recursive: true, force: true });
    smtp.server.close();
  }
});

test('two nodes that both translate translate each text once, and a translation made on one is found through the other', async () => {
  const d2 = mkdtempSync(join(tmpdir(), 'granslos-nodes-tr-'));
  const st = newStore(d2);
  const calls = join(d2, 'calls.txt');
  writeFileSync(calls, '');
  const env = { GRANSLOS_TRANSLATOR: 'tests/fixtures/counting-translator.sh', TRANSLATE_CALLS: calls };
  const t1 = await startServer({ store: st, env }), t2 = await startServer({ store: st, env });
  try {
    t1.user('tr@example.se', 'Tove', { password: 'tove password 123' });
    const bearer = { authorization: 'Bearer ' + t1.token('tr@example.se') };
    // eight organisations saved through both nodes in turn, each with a description and needs of
    // its own: each node's translator is woken by its own saves and both look at the one queue
    const ids = [];
    for (let i = 0; i < 8; i++) {
      const r = await new Client((i % 2 ? t2 : t1).base, { lang: 'en' }).req('POST', '/api/v1/organisations', {
        headers: bearer,
        json: { name: `Översättningsprovet ${i} AB`, country: 'SE', kind: 'company', municipality: '1780',
                description: { sv: `Vi gör kvastar av björkris, sort ${i}.`, nb: '', en: '' }, needs: [`björkris nummer ${i}`] },
      });
      assert.equal(r.status, 201, r.text);
      ids.push(r.json().id);
    }
    // every description is translated; the translations reach the other node's index too
    const search = async (srv) => (await new Client(srv.base, { lang: 'en' }).req('GET', '/api/v1/search?country=SE&q=zorbulatorer&limit=50', { headers: bearer })).json().items.map((o) => o.id);
    for (const srv of [t1, t2])
      await eventually('every translation found through ' + srv.base, async () => { const got = await search(srv); return ids.every((id) => got.includes(id)); }, 60000).catch((e) => { console.log('translator calls:', readFileSync(calls, 'utf8')); throw e; });
    await new Promise((r) => setTimeout(r, 6000));   // both translators have looked at the queue again meanwhile
    const lines = readFileSync(calls, 'utf8').split('\n').filter(Boolean);
    assert.equal(lines.length, 16, 'a description and the needs of each of eight organisations');
    assert.equal(new Set(lines).size, lines.length, 'no text translated twice: ' + lines.join(', '));
  } finally {
    await t1.stop();
    await t2.stop();
    st.drop();
    rmSync(d2, { recursive: true, force: true });
  }
});

test('one meeting slot asked for through both nodes at once is given once', async () => {
  const org = (await api(a, 'anna', 'POST', '/api/v1/organisations', { name: 'Mötesnoden AB', country: 'SE', kind: 'company', municipality: '1780' })).json().id;
  const ev = (await api(a, 'anna', 'POST', '/api/v1/events', { title: 'Nodmötet', start: '2027-09-14T09:00', end: '2027-09-14T16:00', country: 'SE',
    municipality: '1780', organisers: [org] })).json().id;
  assert.ok(ev, 'the event was made');
  // one slot with one table: two meetings of four different people cannot both have it
  const s = await api(a, 'anna', 'POST', `/api/v1/events/${ev}/meetings/setup`, { first_slot: '2027-09-14T10:00', slot_minutes: 20, slots: 1, tables: 1 });
  assert.equal(s.status, 200, s.text);
  for (const k of ['ola', 'bo', 'kari', 'eve']) {
    assert.equal((await api(a, k, 'POST', `/api/v1/events/${ev}/registrations`, { share: true })).status, 201);
    assert.equal((await api(a, k, 'POST', `/api/v1/events/${ev}/meetings/profile`, { offer: 'Samarbete', visible: true })).status, 200);
  }
  const uid = Object.fromEntries((await api(a, 'ola', 'GET', `/api/v1/events/${ev}/meetings/profiles`)).json().items.map((p) => [p.name.toLowerCase(), p.user]));
  const m1 = (await api(a, 'ola', 'POST', `/api/v1/events/${ev}/meetings`, { with: uid.bo })).json().id;
  const m2 = (await api(b, 'kari', 'POST', `/api/v1/events/${ev}/meetings`, { with: uid.eve })).json().id;
  // both accepted at the same moment, one through each node
  const [r1, r2] = await Promise.all([
    api(a, 'bo', 'POST', `/api/v1/meetings/${m1}`, { answer: 'accept' }),
    api(b, 'eve', 'POST', `/api/v1/meetings/${m2}`, { answer: 'accept' }),
  ]);
  assert.equal(r1.status, 200, r1.text);
  assert.equal(r2.status, 200, r2.text);
  const placed = [];
  for (const [who, id] of [['bo', m1], ['eve', m2]]) {
    const m = (await api(b, who, 'GET', `/api/v1/events/${ev}/agenda`)).json().items.find((x) => x.id === id);
    assert.equal(m.status, 'accepted');
    if (m.slot !== undefined) placed.push(m);
  }
  assert.equal(placed.length, 1, 'the one slot with its one table went to exactly one meeting: ' + JSON.stringify(placed));
  assert.equal(placed[0].slot, 0);
});

test('node A killed right after it acknowledged writes: node B reads every one of them', async () => {
  const ids = [];
  for (let i = 0; i < 5; i++) {
    const r = await api(a, 'anna', 'POST', '/api/v1/organisations', { name: `Kraschprovet ${i} AB`, country: 'SE', kind: 'company', municipality: '1780' });
    assert.equal(r.status, 201, r.text);
    ids.push(r.json().id);
  }
  // the last acknowledgement, then at once SIGKILL (no drain, nothing flushed on the way out)
  const last = await api(a, 'anna', 'PATCH', '/api/v1/organisations/' + ids[4], { name: 'Kraschprovet sist AB' });
  assert.equal(last.status, 200, last.text);
  const gone = new Promise((res) => a.proc.on('exit', (code, sig) => res(sig)));
  a.proc.kill('SIGKILL');
  assert.equal(await gone, 'SIGKILL');
  a = null;
  for (const id of ids) assert.equal((await api(b, 'ola', 'GET', '/api/v1/organisations/' + id)).status, 200, `organisation ${id} on B`);
  assert.equal((await api(b, 'ola', 'GET', '/api/v1/organisations/' + ids[4])).json().name, 'Kraschprovet sist AB');
  await eventually('the last write found through B', () => found(b, 'kraschprovet sist', ids[4]));
  assert.equal((await new Client(b.base).get('/readyz')).status, 200, 'B does not depend on A');
});

test('SIGTERM drains: a request in flight is answered (and its connection closed), then exit 0', async () => {
  const c = await startServer({ store });
  const sock = connect(c.port, '127.0.0.1');
  let got = '';
  sock.setEncoding('utf8');
  sock.on('data', (d) => { got += d; });
  const closed = new Promise((res) => sock.on('close', res));
  await new Promise((res) => sock.on('connect', res));
  // the headers with Expect: 100-continue: the interim answer says the server holds the request
  const body = 'email=x%40example.org&password=y';
  sock.write(`POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`);
  await eventually('100 Continue', () => got.includes('100 Continue'));
  const exited = new Promise((res) => c.proc.on('exit', (code, sig) => res({ code, sig })));
  c.proc.kill('SIGTERM');
  await eventually('draining', () => c.log.includes('shutting down'));
  sock.write(body); // the rest of the request, after the signal
  await closed;
  assert.match(got, /HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 403 /, got.slice(0, 300)); // no CSRF token: refused, but answered
  assert.match(got, /\r\nConnection: close\r\n/i);
  assert.deepEqual(await exited, { code: 0, sig: null });
  rmSync(c.dir, { recursive: true, force: true });
});
