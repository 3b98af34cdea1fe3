// Personal data (issue 11 item 12): the export holds everything a user made — roundtable
// bullets, action items and notes, events created, invitations sent, document versions — and
// account deletion leaves no e-mail, name or IP address of theirs in any table of the database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, sql as storeSql, STORE } from './lib.mjs';

const EMAIL = 'petra.pd@example.se', NAME = 'Petra Personuppgift', PW = 'petra password 12', IP = '127.0.0.1';
let srv, tokens = {};
before(async () => {
  srv = await startServer();
  srv.user(EMAIL, NAME, { password: PW });
  srv.user('hanna@example.no', 'Hanna Host', { password: 'hanna password 1' });
  tokens.petra = srv.token(EMAIL);
  tokens.hanna = srv.token('hanna@example.no');
});
after(async () => { await srv.stop(); });

const sql = (q) => storeSql(srv.db, q);   // either store (lib.mjs)
function api(who, method, path, json) {
  return new Client(srv.base).req(method, path, { json, headers: { authorization: 'Bearer ' + tokens[who] } });
}
async function ok(p, status = 201) {
  const r = await p;
  assert.equal(r.status, status, r.text);
  return r.json();
}
// every table of the database file, dumped whole: where does s occur?
function tablesHolding(s) {
  const tables = sql(STORE === 'pg' ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
    : "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").split('\n').filter(Boolean);
  assert.ok(tables.length > 30, 'every table is scanned');
  // every table in one run of the client: the test's event loop is not held for a run per table
  // (under load that outlasted the server's 30 s idle timeout and broke the next request's
  // kept-alive connection)
  const out = sql(tables.map((t) => `SELECT '@@table ${t}'; SELECT * FROM "${t}";`).join(' '));
  const parts = out.split(/^@@table /m).slice(1);
  assert.equal(parts.length, tables.length, 'every table answered');
  return parts.filter((p) => p.slice(p.indexOf('\n')).toLowerCase().includes(s.toLowerCase())).map((p) => p.slice(0, p.indexOf('\n')));
}

test('personal data: the export holds bullets, action items and notes, events, invitations and versions; deletion leaves no e-mail, name or IP', async () => {
  // Hanna's event with a roundtable; Petra writes a bullet through its short link
  const horg = (await ok(api('hanna', 'POST', '/api/v1/organisations', { name: 'Fjordklyngen AS', country: 'NO', kind: 'cluster', municipality: '3403' }))).id;
  const ev = { title: 'Gränsdagen', start: '2031-09-14T09:00', end: '2031-09-14T16:00', country: 'SE', municipality: '1780', status: 'planned' };
  const hev = (await ok(api('hanna', 'POST', '/api/v1/events', { ...ev, organisers: [horg] }))).id;
  const ht = await ok(api('hanna', 'POST', `/api/v1/events/${hev}/roundtables`, { hosts: [{ org: horg }] }));
  const linked = await ok(api('petra', 'POST', `/api/v1/roundtables/${ht.id}/bullets`, { question: ht.questions[0].id, text: 'Via länken från Petra.', token: ht.token }));
  // Petra's own organisation, event (inviting Hanna's cluster), roundtable, bullet, action item with a note, obstacle with two versions
  const porg = (await ok(api('petra', 'POST', '/api/v1/organisations', { name: 'Datafirman AB', country: 'SE', kind: 'company', municipality: '1780' }))).id;
  const pev = (await ok(api('petra', 'POST', '/api/v1/events', { ...ev, title: 'Datadagen', organisers: [porg] }))).id;
  await ok(api('petra', 'POST', `/api/v1/events/${pev}/invitations`, { organisation: horg, message: 'Välkomna till Datadagen!' }));
  const pt = await ok(api('petra', 'POST', `/api/v1/events/${pev}/roundtables`, { hosts: [{ org: porg }] }));
  const pb = await ok(api('petra', 'POST', `/api/v1/roundtables/${pt.id}/bullets`, { question: pt.questions[0].id, text: 'Ett gemensamt dataprojekt.' }));
  await ok(api('petra', 'PATCH', `/api/v1/bullets/${pb.id}`, { status: 'approved' }), 200);
  const act = await ok(api('petra', 'POST', `/api/v1/bullets/${pb.id}/action`, {}));
  await ok(api('petra', 'PATCH', `/api/v1/actions/${act.id}`, { note: 'Ansökan skickad.', note_date: '2031-10-01' }), 200);
  const obs = (await ok(api('petra', 'POST', '/api/v1/obstacles', { title: 'Datadelning över gränsen', description: 'Olika regler.', country: 'both' }))).id;
  await ok(api('petra', 'PATCH', `/api/v1/obstacles/${obs}`, { description: 'Olika regler för data.' }), 200);
  // a saved search she named after herself (notify/): exported, and gone with her
  await ok(api('petra', 'POST', '/api/v1/account/searches', { query: 'q=data&country=NO', name: `${NAME}s bevakning` }));

  const c = new Client(srv.base);
  await c.login(EMAIL, PW);
  let r = await c.get('/account/export');
  assert.equal(r.status, 200);
  const data = JSON.parse(r.text);
  assert.equal(data.user.email, EMAIL);
  assert.deepEqual(data.roundtable_bullets.map((b) => b.text).sort(), ['Ett gemensamt dataprojekt.', 'Via länken från Petra.']);
  assert.equal(data.roundtable_bullets.find((b) => b.bullet === linked.id).ip, IP);
  assert.deepEqual(data.action_items.map((a) => a.action), [act.id]);
  assert.ok(data.action_notes.some((n) => n.note === 'Ansökan skickad.'));
  assert.deepEqual(data.events_created.map((e) => e.event), [pev]);
  assert.deepEqual(data.invitations_sent.map((i) => [i.event, i.organisation, i.message]), [[pev, horg, 'Välkomna till Datadagen!']]);
  assert.deepEqual(data.document_versions.filter((v) => v.kind === 'obstacle').map((v) => [v.id, v.version]), [[obs, 1], [obs, 2]]);
  assert.ok(data.document_versions.some((v) => v.kind === 'organisation' && v.id === porg));
  assert.ok(data.document_versions.some((v) => v.kind === 'event' && v.id === pev));
  assert.ok(data.roundtables_created.some((t) => t.table === pt.id));
  assert.deepEqual(data.saved_searches.map((x) => x.query), ['q=data&country=NO']);

  // a mistyped password from her own browser: the login throttle counts it under her address
  const again = new Client(srv.base);
  again.cookies.set('device', c.cookies.get('device'));
  const wrong = await again.submit('/login', '/login', { email: EMAIL, password: 'not her password' });
  assert.notEqual(wrong.status, 303);

  // before: the scan finds them (so it can fail)
  assert.ok(tablesHolding(EMAIL).includes('users'));
  assert.ok(tablesHolding(EMAIL).includes('rate_limits'), 'the throttle keeps the address it counts');
  assert.ok(tablesHolding(NAME).includes('users'));
  assert.deepEqual(tablesHolding(IP), ['rt_bullets', 'sessions']);   // a session keeps the address it was opened from

  r = await c.submit('/account', '/account/delete', { confirm_password: PW });
  assert.equal(r.status, 303);
  assert.deepEqual(tablesHolding(EMAIL), [], 'no table holds the e-mail address');
  assert.deepEqual(tablesHolding(NAME), [], 'no table holds the name');
  assert.deepEqual(tablesHolding(IP), [], 'no table holds the IP address');
  assert.equal(sql(`SELECT count(*) FROM rt_bullets WHERE id = ${linked.id} AND user_id IS NULL AND ip IS NULL`).trim(), '1', 'the bullet stays, anonymous');
  // what they made stays, shown as by a deleted user
  r = await new Client(srv.base).get('/api/v1/obstacles/' + obs);
  const v = r.json().versions[0];
  assert.equal(v.user.deleted, true);
  assert.equal(v.user.name, '');
});
