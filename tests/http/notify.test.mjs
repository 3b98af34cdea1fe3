// Following and notifications (issue 14): follow buttons and the API, the inbox and its bell,
// preferences per kind, mail to a real SMTP server (tests/http/smtp.mjs) with both parts, the
// user's language and a one-click unsubscribe that works without a session, bounces that stop
// mail to an address, and digests made exactly once across a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, cli, sql as storeSql } from './lib.mjs';
import { smtpServer, linkIn, parts } from './smtp.mjs';

const wait = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(fn, ms = 15000) {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) { const v = await fn(); if (v) return v; await wait(100); }
  return null;
}

async function setup(srv, people) {
  const tok = {};
  for (const [email, name] of people) { srv.user(email, name, { password: name.toLowerCase() + ' password 123' }); tok[email] = srv.token(email); }
  const api = (email, m, p, json) => new Client(srv.base).req(m, p, { json, headers: { authorization: 'Bearer ' + tok[email] } });
  const browser = async (email, lang) => {
    const c = new Client(srv.base);
    await c.login(email, people.find((p) => p[0] === email)[1].toLowerCase() + ' password 123');
    if (lang) {
      const r = await c.submit('/account', '/account', { name: people.find((p) => p[0] === email)[1], lang });
      assert.equal(r.status, 303, 'language saved');
    }
    return c;
  };
  return { api, browser };
}

test('following, the inbox, the bell and preferences, in pages and the API', async () => {
  const srv = await startServer({ demo: false });
  try {
    const { api, browser } = await setup(srv, [['anna@example.se', 'Anna'], ['ola@example.no', 'Ola']]);
    const org = (await api('anna@example.se', 'POST', '/api/v1/organisations', { name: 'Följbar AB', country: 'SE', kind: 'company', municipality: '1780' })).json().id;
    const ola = await browser('ola@example.no');
    // the follow button on the profile: a POST form with the CSRF token
    let r = await ola.get(`/organisations/${org}`);
    assert.match(r.text, /<form method="post" action="\/follow"[^>]*><input type="hidden" name="csrf"/);
    assert.match(r.text, /aria-pressed="false">Följ</);
    assert.equal((await ola.post('/follow', { form: { target: 'org', key: String(org), on: '1' } })).status, 403, 'no CSRF token, no follow');
    r = await ola.submit(`/organisations/${org}`, '/follow', { target: 'org', key: String(org), on: '1', back: `/organisations/${org}` });
    assert.equal(r.status, 303);
    assert.equal(r.location, `/organisations/${org}`);
    assert.match((await ola.get(`/organisations/${org}`)).text, /aria-pressed="true"/);
    assert.deepEqual((await api('ola@example.no', 'GET', '/api/v1/follows')).json().items.map((f) => [f.target, f.key]), [['org', String(org)]]);
    // bad targets are refused
    assert.equal((await ola.submit('/inbox', '/follow', { target: 'nonsense', key: '1' })).status, 400);
    assert.equal((await api('ola@example.no', 'POST', '/api/v1/follows', { target: 'org', key: 'x' })).status, 422);
    // a save of the organisation reaches its follower's inbox
    assert.equal((await api('anna@example.se', 'PATCH', `/api/v1/organisations/${org}`, { website: 'https://foljbar.example' })).status, 200);
    let n = (await api('ola@example.no', 'GET', '/api/v1/notifications')).json();
    assert.equal(n.unread, 1);
    assert.equal(n.items[0].kind, 'updated');
    assert.equal(n.items[0].url, `/organisations/${org}`);
    assert.match(n.items[0].text, /Följbar AB/);
    assert.equal((await api('anna@example.se', 'GET', '/api/v1/notifications')).json().items.length, 0, 'not to others');
    // the bell on every page, and the inbox grouped by day with a link to the subject
    r = await ola.get('/organisations');
    assert.match(r.text, /<a href="\/inbox" class="bell" data-unread="1">.*Inkorg <span class="count">1<\/span>/);
    assert.deepEqual((await api('ola@example.no', 'GET', '/api/v1/notifications/unread')).json(), { unread: 1 });
    r = await ola.get('/inbox');
    assert.match(r.text, /<section class="inbox-day"><h2>\d+ \p{L}+ \d{4}<\/h2>/u);
    assert.match(r.text, new RegExp(`<a href="/organisations/${org}">Följbar AB, som du följer, har uppdaterats.</a>`));
    assert.equal((await api('ola@example.no', 'GET', '/api/v1/notifications/unread')).json().unread, 1, 'a GET reads nothing');
    assert.equal((await ola.post('/inbox/read', { form: {} })).status, 403, 'marking read needs the token');
    r = await ola.submit('/inbox', '/inbox/read', {});
    assert.equal(r.status, 303);
    assert.match((await ola.get('/inbox')).text, /data-unread="0"/);
    // unfollow: nothing more arrives
    r = await api('ola@example.no', 'DELETE', '/api/v1/follows', { target: 'org', key: org });
    assert.deepEqual(r.json(), { target: 'org', key: String(org), following: false });
    await api('anna@example.se', 'PATCH', `/api/v1/organisations/${org}`, { website: 'https://foljbar2.example' });
    assert.equal((await api('ola@example.no', 'GET', '/api/v1/notifications')).json().items.length, 1);
    // a saved search: its query string is what is saved and followed (notify-searches.test.mjs)
    r = await ola.get('/organisations?q=energi&country=NO');
    assert.match(r.text, /name="query" value="q=energi&amp;country=NO">/);
    // a join request reaches the organisation's administrators
    r = await ola.submit(`/organisations/${org}`, `/organisations/${org}/join`, { message: 'Hej' });
    assert.equal(r.status, 303);
    n = (await api('anna@example.se', 'GET', '/api/v1/notifications')).json().items;
    assert.equal(n[0].kind, 'join-request');
    assert.equal(n[0].detail, 'Ola');
    // one read through the API
    r = await api('anna@example.se', 'POST', '/api/v1/notifications/read', { id: n[0].id });
    assert.deepEqual(r.json(), { unread: 0 });
    assert.equal((await api('anna@example.se', 'POST', '/api/v1/notifications/read', { id: 'x' })).status, 422);
    // preferences: defaults, a bad value, a change; the page shows the same
    r = await api('ola@example.no', 'GET', '/api/v1/account/notifications');
    assert.equal(r.json().timezone, 'Europe/Stockholm', 'Ola writes Swedish: Swedish time');
    assert.deepEqual(r.json().kinds, { invitations: 'immediately', answers: 'immediately', registrations: 'immediately', follows: 'weekly', matches: 'weekly',
      obstacles: 'daily', 'project-invitations': 'immediately', 'project-answers': 'immediately', 'project-comments': 'daily', 'project-ready': 'daily',
      'project-status': 'daily', 'project-deadlines': 'immediately' });
    r = await api('ola@example.no', 'PUT', '/api/v1/account/notifications', { kinds: { follows: 'hourly', nothing: 'never' } });
    assert.equal(r.status, 422);
    assert.ok(r.json().errors.follows && r.json().errors.nothing);
    r = await api('ola@example.no', 'PUT', '/api/v1/account/notifications', { kinds: { follows: 'daily', registrations: 'never' } });
    assert.equal(r.status, 200);
    assert.equal(r.json().kinds.follows, 'daily');
    assert.equal(r.json().timezone, 'Europe/Stockholm');
    assert.equal((await api('ola@example.no', 'PUT', '/api/v1/account/notifications', { timezone: 'Europe/Helsinki' })).status, 422);
    assert.equal((await api('ola@example.no', 'PUT', '/api/v1/account/notifications', { timezone: 'Europe/Oslo' })).json().timezone, 'Europe/Oslo');
    r = await ola.get('/account/notifications');
    assert.match(r.text, /name="follows" value="daily" checked/);
    assert.match(r.text, /name="timezone" value="Europe\/Oslo" checked/);
    r = await ola.submit('/account/notifications', '/account/notifications', { follows: 'never' });
    assert.equal(r.status, 303);
    assert.equal((await api('ola@example.no', 'GET', '/api/v1/account/notifications')).json().kinds.follows, 'never');
    // personal data: exported, and forgotten with the account
    const data = (await ola.get('/account/export')).json();
    assert.ok(data.follows && data.notification_preferences.some((p) => p.kind === 'follows' && p.mode === 'never'));
  } finally { await srv.stop(); }
});

test('mail: both parts, the user language, RFC 8058 one-click unsubscribe without a session, tampered links refused, bounces', async () => {
  const smtp = await smtpServer({ reject: ['gone@example.no'] });
  const srv = await startServer({ demo: false, args: ['--smtp', smtp.url, '--mail-from', 'noreply@granslos.test'],
    env: { GRANSLOS_SMTP_RETRY: '1', GRANSLOS_PUBLIC_URL: 'https://granslos.test' } });
  try {
    const { api, browser } = await setup(srv, [['anna@example.se', 'Anna'], ['ola@example.no', 'Ola'], ['gone@example.no', 'Gone']]);
    await browser('ola@example.no', 'nb');
    const org = (await api('anna@example.se', 'POST', '/api/v1/organisations', { name: 'Postverket Test AB', country: 'SE', kind: 'company', municipality: '1780' })).json().id;
    const ev = (await api('anna@example.se', 'POST', '/api/v1/events', { title: 'Brevdagen', start: '2027-09-14T09:00', end: '2027-09-14T16:00', country: 'SE', municipality: '1780', organisers: [org] })).json().id;
    assert.equal((await api('ola@example.no', 'POST', `/api/v1/events/${ev}/registrations`, {})).status, 201);
    const m = await smtp.waitFor('ola@example.no');
    assert.equal(m.subject, 'Gränslös: Du er påmeldt til Brevdagen.');
    assert.match(m.head, /^List-Unsubscribe: <https:\/\/granslos\.test\/unsubscribe\?u=\d+&g=registrations&t=[0-9a-f]{64}&l=nb>, <mailto:unsubscribe@granslos\.test\?subject=[^>]+>$/m);
    assert.match(m.head, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    const p = parts(m);
    assert.match(p['text/plain'], /Du er påmeldt til Brevdagen\./);
    assert.match(p['text/plain'], new RegExp(`https://granslos\\.test/events/${ev}`));
    assert.match(p['text/plain'], /Meld av: https:\/\/granslos\.test\/unsubscribe/);
    assert.match(p['text/html'], /<html lang="nb">/);
    assert.match(p['text/html'], new RegExp(`<a href="https://granslos\\.test/events/${ev}">Du er påmeldt til Brevdagen\\.</a>`));
    const link = /^List-Unsubscribe: <https:\/\/granslos\.test([^>]+)>/m.exec(m.head)[1];
    // the link opens a confirmation page without a session; a GET changes nothing
    const visitor = new Client(srv.base, { lang: 'en' });
    let r = await visitor.get(link);
    assert.equal(r.status, 200);
    assert.match(r.text, /<html lang="nb">/, 'the signed link knows the user: bokmål, not the browser\'s English');
    assert.match(r.text, /<form method="post" action="\/unsubscribe\?u=/);
    // tampered: refused with a clear page
    const bad = link.replace(/t=([0-9a-f])/, (x, c) => 't=' + (c === '0' ? '1' : '0'));
    r = await visitor.post(bad, { form: { 'List-Unsubscribe': 'One-Click' } });
    assert.equal(r.status, 403);
    assert.match(r.text, /<html lang="nb">/, 'in the recipient\'s language, not the browser\'s');
    assert.match(r.text, /<h1>[^<]+<\/h1><p>[^<]*ikke gyldig[^<]*<\/p>/);
    // tampered beyond the user: the link's language still speaks
    r = await visitor.get('/unsubscribe?u=x&g=all&t=00&l=nb');
    assert.equal(r.status, 403);
    assert.match(r.text, /<html lang="nb">/);
    assert.equal((await visitor.post(link.replace(/g=registrations/, 'g=all'), { form: { 'List-Unsubscribe': 'One-Click' } })).status, 403, 'the group is signed too');
    // the one-click POST as a mail client sends it: no cookie, no CSRF token
    const oneClick = await fetch(srv.base + link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click', redirect: 'manual' });
    assert.equal(oneClick.status, 200);
    assert.equal((await api('ola@example.no', 'GET', '/api/v1/account/notifications')).json().kinds.registrations, 'never');
    // no more mail of that kind; the inbox still has it
    const ev2 = (await api('anna@example.se', 'POST', '/api/v1/events', { title: 'Brevdagen två', start: '2027-09-15T09:00', end: '2027-09-15T16:00', country: 'SE', municipality: '1780', organisers: [org] })).json().id;
    await api('ola@example.no', 'POST', `/api/v1/events/${ev2}/registrations`, {});
    await wait(2500);
    assert.equal(smtp.mailsTo('ola@example.no').length, 1);
    assert.equal((await api('ola@example.no', 'GET', '/api/v1/notifications')).json().items.length, 2);
    // bounces: a permanent refusal is not retried, and after three the address is suppressed
    for (let i = 0; i < 4; i++) {
      const e = (await api('anna@example.se', 'POST', '/api/v1/events', { title: 'Studs ' + i, start: `2027-10-0${i + 1}T09:00`, end: `2027-10-0${i + 1}T16:00`, country: 'SE', municipality: '1780', organisers: [org] })).json().id;
      await api('gone@example.no', 'POST', `/api/v1/events/${e}/registrations`, {});
    }
    assert.ok(await until(() => /suppressed after permanent failures/.test(srv.log)), 'the fourth is not even tried: ' + srv.log.slice(-1500));
    assert.equal(smtp.rejected.filter((a) => a === 'gone@example.no').length, 3);
    const admin = new Client(srv.base);
    srv.user('root@example.se', 'Root', { admin: true, password: 'root password 123' });
    await admin.login('root@example.se', 'root password 123');
    r = await admin.get('/admin');
    assert.match(r.text, /<h2>E-postkö<\/h2>/);
    assert.match(r.text, /gone@example\.no: 3 ✕/);
  } finally { await srv.stop(); await smtp.close(); }
});

test('digests: one mail with sections per user, exactly once across a crash and a restart; --dry-run changes nothing', async () => {
  const smtp = await smtpServer();
  const srv = await startServer({ demo: false });
  const people = [['anna@example.se', 'Anna'], ['u1@example.se', 'Uno'], ['u2@example.no', 'Duo'], ['u3@example.se', 'Tre'], ['u4@example.no', 'Fyra']];
  let db;
  try {
    const { api } = await setup(srv, people);
    const org = (await api('anna@example.se', 'POST', '/api/v1/organisations', { name: 'Sammandrag AB', country: 'SE', kind: 'company', municipality: '1780' })).json().id;
    for (const [email] of people.slice(1)) assert.equal((await api(email, 'POST', '/api/v1/follows', { target: 'org', key: org })).status, 200);
    await api('u1@example.se', 'PUT', '/api/v1/account/notifications', { kinds: { follows: 'daily' } });
    await api('anna@example.se', 'PATCH', `/api/v1/organisations/${org}`, { website: 'https://sammandrag.example' });
    db = srv.db;
    await srv.stop({ keep: true });
  } catch (e) { await srv.stop(); throw e; }
  const monday = '2026-12-07T08:00:00Z', sunday = '2026-12-06T08:00:00Z';
  try {
    // a Sunday: only the daily digest is due
    let r = cli(['digest', '--dry-run', '--at', sunday], { db });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^daily digest 2026-12-06 to u1@example\.se \(sv, Europe\/Stockholm\): 1 items/m);
    assert.match(r.out, /1 digest would be sent/);
    r = cli(['digest', '--dry-run', '--at', monday], { db });
    assert.match(r.out, /4 digests would be sent/);
    assert.match(r.out, /weekly digest 2026-W50 to u2@example\.no \(sv, Europe\/Stockholm\)/);
    assert.match(r.out, /== Det du följer ==/);
    // die (as kill -9 does) after two digests, then run again, and again
    const crashed = (await import('node:child_process')).spawnSync(process.env.GRANSLOS_BIN || './granslos', ['digest', '--at', monday, '--db', db],
      { env: { ...process.env, GRANSLOS_DIGEST_CRASH_AFTER: '2' }, encoding: 'utf8' });
    assert.equal(crashed.signal, 'SIGKILL');
    r = cli(['digest', '--at', monday], { db });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^2 digests queued/m);
    r = cli(['digest', '--at', monday], { db });
    assert.match(r.out, /^0 digests queued/m);
    // the sender delivers each once
    const srv2 = await startServer({ demo: false, args: ['--db', db, '--smtp', smtp.url], env: { GRANSLOS_SMTP_RETRY: '1' } });
    try {
      await until(() => smtp.messages.length >= 4);
      await wait(2500);
      const to = smtp.messages.map((x) => x.to[0]).sort();
      assert.deepEqual(to, ['u1@example.se', 'u2@example.no', 'u3@example.se', 'u4@example.no']);
      const m = smtp.mailsTo('u2@example.no')[0];
      assert.equal(m.subject, 'Gränslös: Din veckosammanfattning från Gränslös');
      assert.match(m.head, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
      const p = parts(m);
      assert.match(p['text/plain'], /== Det du följer ==\r\n\r\n- Sammandrag AB, som du följer, har uppdaterats\./);
      assert.match(p['text/html'], /<h2>Det du följer<\/h2>/);
      assert.equal(smtp.mailsTo('u1@example.se')[0].subject, 'Gränslös: Din dagliga sammanfattning från Gränslös');
    } finally { await srv2.stop(); }
  } finally { await smtp.close(); (await import('node:fs')).rmSync(db.replace(/\/test\.db$/, ''), { recursive: true, force: true }); }
});

test('weekly news from the other side: the best organisations and events across the border, with reasons, new since the last digest, never twice', async () => {
  const srv = await startServer({ demo: false });
  let db;
  try {
    const { api } = await setup(srv, [['anna@example.se', 'Anna'], ['nils@example.no', 'Nils'], ['sven@example.se', 'Sven']]);
    await api('anna@example.se', 'POST', '/api/v1/organisations', { name: 'Havsforskning Väst AB', country: 'SE', kind: 'company', municipality: '1780', needs: ['undervattensdrönare'], offers: ['sensorer'] });
    await api('nils@example.no', 'POST', '/api/v1/organisations', { name: 'Dronefabrikken AS', country: 'NO', kind: 'company', municipality: '3401', offers: ['undervattensdrönare'], needs: ['sensorer'] });
    const hemma = (await api('sven@example.se', 'POST', '/api/v1/organisations', { name: 'Drönarbolaget Hemma AB', country: 'SE', kind: 'company', municipality: '1780', offers: ['undervattensdrönare'] })).json().id;
    // the week's new events: one across the border about what Anna needs, one at home
    const fjord = (await api('nils@example.no', 'POST', '/api/v1/organisations', { name: 'Fjordklyngen', country: 'NO', kind: 'cluster', municipality: '3401', offers: ['reiseliv'] })).json().id;
    assert.equal((await api('nils@example.no', 'POST', '/api/v1/events', { title: 'Undervattensdrönare i fjorden', description: 'Demonstrasjon av undervattensdrönare og sensorer.',
      start: '2027-09-14T09:00', end: '2027-09-14T16:00', country: 'NO', municipality: '3401', organisers: [fjord] })).status, 201);
    assert.equal((await api('sven@example.se', 'POST', '/api/v1/events', { title: 'Undervattensdrönare hemma', start: '2027-09-15T09:00', end: '2027-09-15T16:00',
      country: 'SE', municipality: '1780', organisers: [hemma] })).status, 201);
    db = srv.db;
    await srv.stop({ keep: true });
  } catch (e) { await srv.stop(); throw e; }
  try {
    let r = cli(['digest', '--dry-run', '--at', '2026-12-07T08:00:00Z'], { db });
    assert.equal(r.code, 0, r.err);
    const annas = r.out.split(/^weekly digest /m).find((x) => x.includes('to anna@example.se'));
    assert.ok(annas, r.out);
    assert.match(annas, /== Nytt från andra sidan för Havsforskning Väst AB ==/);
    assert.match(annas, /- Dronefabrikken AS/);
    assert.doesNotMatch(annas, /Drönarbolaget Hemma/, 'only the other side');
    assert.match(annas, /- Evenemang: Undervattensdrönare i fjorden \(det handlar om ”[^”]+”, ni har ”[^”]+”\)\n {2}http:\/\/127\.0\.0\.1:8080\/events\/\d+/);
    assert.doesNotMatch(annas, /Undervattensdrönare hemma/, 'only the other side\'s events');
    r = cli(['digest', '--at', '2026-12-07T08:00:00Z'], { db });
    assert.match(r.out, /digests? queued/);
    // next Monday: nothing new across the border, so nothing for Anna (neither organisation nor event twice)
    r = cli(['digest', '--dry-run', '--at', '2026-12-14T08:00:00Z'], { db });
    assert.doesNotMatch(r.out, /to anna@example\.se/);
  } finally { (await import('node:fs')).rmSync(db.replace(/\/test\.db$/, ''), { recursive: true, force: true }); }
});

test('migration 080 moves the events\' notifications into the inbox without loss', async () => {
  const srv = await startServer({ demo: false });
  const sql = (q) => storeSql(srv.db, q).trim();   // either store (lib.mjs)
  try {
    const { api } = await setup(srv, [['anna@example.se', 'Anna'], ['ola@example.no', 'Ola']]);
    const org = (await api('anna@example.se', 'POST', '/api/v1/organisations', { name: 'Gamla AB', country: 'SE', kind: 'company', municipality: '1780' })).json().id;
    const ev = (await api('anna@example.se', 'POST', '/api/v1/events', { title: 'Gamla dagen', start: '2027-09-14T09:00', end: '2027-09-14T16:00', country: 'SE', municipality: '1780', organisers: [org] })).json().id;
    await srv.stop({ keep: true });
    // the database as it was before 080, with two rows in the old outbox (one read, one mailed)
    // (and 084 not yet either: on PostgreSQL the tables made again get their instants as timestamptz)
    sql(`DROP TABLE notify_items; DROP TABLE notify_follows; DROP TABLE notify_prefs; DROP TABLE notify_settings; DROP TABLE notify_digests;
         DROP TABLE notify_news_seen; DROP TABLE notify_news_runs; DROP TABLE notify_key; DROP TABLE mail_bounces; ALTER TABLE mail_outbox DROP COLUMN html; ALTER TABLE mail_outbox DROP COLUMN headers;
         DELETE FROM schema_migrations WHERE version IN (80, 84);
         INSERT INTO event_notifications (user_id, event_id, kind, detail, created_at, read_at, mail_status)
           SELECT id, ${ev}, 'registered', NULL, '2026-11-30T10:00:00Z', '2026-11-30T11:00:00Z', 'sent' FROM users WHERE email = 'ola@example.no';
         INSERT INTO event_notifications (user_id, event_id, kind, detail, created_at, mail_status)
           SELECT id, ${ev}, 'accepted', 'Gamla AB', '2026-11-30T12:00:00Z', 'failed' FROM users WHERE email = 'anna@example.se';`);
    const srv2 = await startServer({ demo: false, args: ['--db', srv.db] });
    try {
      const tok = cli(['token', 'add', 'ola@example.no'], { db: srv.db }).out.trim();
      const n = (await new Client(srv2.base).req('GET', '/api/v1/notifications', { headers: { authorization: 'Bearer ' + tok } })).json().items;
      assert.deepEqual(n.map((x) => [x.kind, x.event, x.read, x.created_at]), [['registered', ev, true, '2026-11-30T10:00:00Z']]);
    } finally { await srv2.stop(); }
    assert.equal(sql("SELECT kind || ':' || mail_status || ':' || detail FROM notify_items WHERE kind = 'accepted'"), 'accepted:failed:Gamla AB');
    assert.equal(sql('SELECT count(*) FROM event_notifications'), '0');
  } finally { (await import('node:fs')).rmSync(srv.dir, { recursive: true, force: true }); }
});
