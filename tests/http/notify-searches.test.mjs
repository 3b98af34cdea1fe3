// Issue 14, the rest of following: saved searches (save on the search page and the directory,
// the list on the account and in the API, a notification when a NEW organisation matches — once),
// following a key area, the one inbox (/notifications redirects to /inbox, invitations in it),
// saved searches catching up with imports, and `granslos bench digest` (the events in the weekly
// news are tested with the rest of the news in notify.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, cli, sql as storeSql } from './lib.mjs';
import { smtpServer, parts } from './smtp.mjs';

async function setup(srv, people) {
  const tok = {};
  for (const [email, name, lang] of people) {
    srv.user(email, name, { password: name.toLowerCase() + ' password 123' });
    tok[email] = srv.token(email);
  }
  const api = (email, m, p, json) => new Client(srv.base).req(m, p, { json, headers: { authorization: 'Bearer ' + tok[email] } });
  const browser = async (email, lang) => {
    const c = new Client(srv.base);
    const name = people.find((p) => p[0] === email)[1];
    await c.login(email, name.toLowerCase() + ' password 123');
    if (lang) assert.equal((await c.submit('/account', '/account', { name, lang })).status, 303);
    return c;
  };
  return { api, browser };
}
const inbox = async (api, email) => (await api(email, 'GET', '/api/v1/notifications')).json().items;

test('saved searches: save on the page, manage on the account and in the API, a new match notified once', async () => {
  const srv = await startServer({ demo: false });
  try {
    const { api, browser } = await setup(srv, [['anna@example.se', 'Anna'], ['ola@example.no', 'Ola'], ['kari@example.no', 'Kari']]);
    const ola = await browser('ola@example.no');
    // visitors see no form; a search without words or filters has none either
    assert.doesNotMatch((await new Client(srv.base).get('/search?q=v%C3%A4tgas&country=NO')).text, /action="\/account\/searches"/);
    assert.doesNotMatch((await ola.get('/search')).text, /action="\/account\/searches"/);
    let r = await ola.get('/search?q=+v%C3%A4tgas+&country=NO&page=2');
    assert.equal(r.status, 200);
    assert.match(r.text, /<form method="post" action="\/account\/searches" class="save-search"><input type="hidden" name="csrf" value="[^"]+">/);
    assert.match(r.text, /name="query" value="q=v%C3%A4tgas&amp;country=NO">/, 'canonical: the words trimmed, no page');
    assert.match(r.text, /<label for="save-search-name">Sökningens namn<\/label><input id="save-search-name" name="name" type="text" maxlength="120" value="“vätgas” · Norge">/);
    assert.match(r.text, /<button type="submit" class="secondary">Spara sökningen och följ den<\/button>/);
    // the form needs its token
    assert.equal((await ola.post('/account/searches', { form: { scope: 'org', path: '/search', query: 'q=v%C3%A4tgas&country=NO' } })).status, 403);
    r = await ola.submit('/search?q=v%C3%A4tgas&country=NO', '/account/searches', { scope: 'org', path: '/search', query: 'q=v%C3%A4tgas&country=NO', name: 'Vätgas i Norge' });
    assert.equal(r.status, 303);
    assert.equal(r.location, '/search?q=v%C3%A4tgas&country=NO');
    r = await ola.get(r.location);
    assert.match(r.text, /Sökningen är sparad: nya träffar kommer till din inkorg\. <a href="\/account\/searches">Dina sparade sökningar<\/a>/);
    // the directory saves its own query (several values of a facet are alternatives)
    r = await ola.get('/organisations?kind=company&country=SE&country=NO');
    assert.match(r.text, /name="path" value="\/organisations"><input type="hidden" name="query" value="country=NO&amp;country=SE&amp;kind=company">/);
    // bad input: a clear page in the user's language, 422, nothing saved
    r = await ola.submit('/account/searches', '/account/searches', { scope: 'org', path: '/search', query: 'country=XX' });
    assert.equal(r.status, 422);
    assert.match(r.text, /Sökningen kan inte sparas: ett av dess filter är ogiltigt\./);
    r = await ola.submit('/account/searches', '/account/searches', { scope: 'org', path: '/search', query: 'page=3' });
    assert.equal(r.status, 422);
    assert.match(r.text, /en sökning efter allt kan inte följas/);
    r = await ola.submit('/account/searches', '/account/searches', { scope: 'org', path: '/search', query: 'q=sol', name: 'x'.repeat(121) });
    assert.equal(r.status, 422);
    assert.match(r.text, /Namnet får ha högst 120 tecken/);
    assert.match(r.text, /name="query" value="q=sol">/, 'the search is offered again with another name');
    r = await ola.submit('/account/searches', '/account/searches', { scope: 'nonsense', query: 'q=sol' });
    assert.equal(r.status, 422);
    // the API: the same search again is the same one; the list; bad values are 422
    r = await api('ola@example.no', 'POST', '/api/v1/account/searches', { query: 'country=SE&kind=company&country=NO', path: '/organisations' });
    assert.equal(r.status, 201);
    const dir = r.json();
    assert.equal(dir.query, 'country=NO&country=SE&kind=company');
    assert.equal(dir.url, '/organisations?country=NO&country=SE&kind=company');
    assert.equal(dir.notify, true);
    assert.equal((await api('ola@example.no', 'POST', '/api/v1/account/searches', { query: 'kind=company&country=NO&country=SE' })).status, 200);
    assert.equal((await api('ola@example.no', 'POST', '/api/v1/account/searches', { query: 'kind=company&country=SE,NO' })).status, 200, 'a comma list is the same choices');
    assert.equal((await api('ola@example.no', 'POST', '/api/v1/account/searches', { query: 'kind=spaceship' })).status, 422);
    assert.equal((await api('ola@example.no', 'POST', '/api/v1/account/searches', { query: 42 })).status, 422);
    assert.equal((await api('ola@example.no', 'POST', '/api/v1/account/searches', { query: 'q=x', notify: 'yes' })).status, 422);
    let list = (await api('ola@example.no', 'GET', '/api/v1/account/searches')).json().items;
    assert.deepEqual(list.map((s) => [s.name, s.path, s.query]), [['Vätgas i Norge', '/search', 'q=v%C3%A4tgas&country=NO'],
      ['Norge · Sverige · Företag', '/organisations', 'country=NO&country=SE&kind=company']]);
    const vat = list[0].id;
    // a new organisation in Norway that has the word: notified once, with the search's name
    const match = (await api('kari@example.no', 'POST', '/api/v1/organisations', { name: 'Hydrogenfabrikken AS', country: 'NO', kind: 'cluster', municipality: '3401', offers: ['vätgas'] })).json().id;
    // Swedish, or without the word: not this search
    await api('anna@example.se', 'POST', '/api/v1/organisations', { name: 'Vätgasbolaget AB', country: 'SE', kind: 'cluster', municipality: '1780', offers: ['vätgas'] });
    await api('kari@example.no', 'POST', '/api/v1/organisations', { name: 'Fiskeriet AS', country: 'NO', kind: 'cluster', municipality: '3401', offers: ['fisk'] });
    let n = (await inbox(api, 'ola@example.no')).filter((x) => x.kind === 'new-in-search');
    assert.deepEqual(n.map((x) => [x.subject_id, x.detail, x.url]), [[match, 'Vätgas i Norge', `/organisations/${match}`]]);
    assert.equal(n[0].text, 'Ny och matchar en sökning du har sparat: Hydrogenfabrikken AS.');
    assert.equal((await inbox(api, 'kari@example.no')).filter((x) => x.kind === 'new-in-search').length, 0, 'only the search\'s owner');
    // a later save of it is not new: nothing more
    assert.equal((await api('kari@example.no', 'PATCH', `/api/v1/organisations/${match}`, { website: 'https://h2.example' })).status, 200);
    assert.equal((await inbox(api, 'ola@example.no')).filter((x) => x.kind === 'new-in-search').length, 1);
    // a company in either country matches the directory search
    const co = (await api('anna@example.se', 'POST', '/api/v1/organisations', { name: 'Företaget AB', country: 'SE', kind: 'company', municipality: '1780' })).json().id;
    n = (await inbox(api, 'ola@example.no')).filter((x) => x.kind === 'new-in-search');
    assert.deepEqual(n.map((x) => [x.subject_id, x.detail]), [[co, 'Norge · Sverige · Företag'], [match, 'Vätgas i Norge']]);
    // the account's list: follow on and off, rename, delete; only one's own
    r = await ola.get('/account/searches');
    assert.equal(r.status, 200);
    assert.match(r.text, /<h2><a href="\/search\?q=v%C3%A4tgas&amp;country=NO">Vätgas i Norge<\/a><\/h2><p class="small">“vätgas” · Norge<\/p>/);
    assert.match(r.text, /Nya träffar aviseras/);
    r = await ola.submit('/account/searches', `/account/searches/${dir.id}`, { notify: '0' });
    assert.equal(r.status, 303);
    assert.match((await ola.get('/account/searches')).text, /Följs inte/);
    await api('anna@example.se', 'POST', '/api/v1/organisations', { name: 'Andra företaget AB', country: 'SE', kind: 'company', municipality: '1780' });
    assert.equal((await inbox(api, 'ola@example.no')).filter((x) => x.kind === 'new-in-search').length, 2, 'not followed: not told');
    assert.equal((await ola.submit('/account/searches', `/account/searches/${dir.id}`, { notify: 'maybe' })).status, 422);
    r = await api('ola@example.no', 'PATCH', `/api/v1/account/searches/${vat}`, { name: 'Vätgas, norska sidan' });
    assert.equal(r.json().name, 'Vätgas, norska sidan');
    assert.equal((await api('ola@example.no', 'PATCH', `/api/v1/account/searches/${vat}`, { name: '' })).status, 422);
    assert.equal((await api('kari@example.no', 'PATCH', `/api/v1/account/searches/${vat}`, { name: 'Mitt' })).status, 404);
    assert.equal((await api('kari@example.no', 'DELETE', `/api/v1/account/searches/${vat}`)).status, 404);
    const kari = await browser('kari@example.no');
    assert.equal((await kari.submit('/account/searches', `/account/searches/${vat}/delete`, {})).status, 404);
    // personal data: exported
    const data = (await ola.get('/account/export')).json();
    assert.deepEqual(data.saved_searches.map((s) => s.name), ['Vätgas, norska sidan', 'Norge · Sverige · Företag']);
    r = await ola.submit('/account/searches', `/account/searches/${vat}/delete`, {});
    assert.equal(r.status, 303);
    assert.equal((await api('ola@example.no', 'DELETE', `/api/v1/account/searches/${dir.id}`)).status, 204);
    assert.deepEqual((await api('ola@example.no', 'GET', '/api/v1/account/searches')).json().items, []);
    assert.match((await ola.get('/account/searches')).text, /Du har inga sparade sökningar/);
    // the follows API's target "search" is a saved search too
    r = await api('ola@example.no', 'POST', '/api/v1/follows', { target: 'search', key: 'q=biogas' });
    assert.equal(r.status, 200);
    assert.deepEqual((await api('ola@example.no', 'GET', '/api/v1/account/searches')).json().items.map((s) => s.query), ['q=biogas']);
    assert.equal((await api('ola@example.no', 'POST', '/api/v1/follows', { target: 'search', key: 'country=XX' })).status, 422);
    assert.equal((await api('ola@example.no', 'DELETE', '/api/v1/follows', { target: 'search', key: 'q=biogas' })).status, 200);
    assert.deepEqual((await api('ola@example.no', 'GET', '/api/v1/account/searches')).json().items, []);
    // the account page leads to all of it
    r = await ola.get('/account');
    assert.match(r.text, /<a href="\/account\/searches">Sparade sökningar<\/a>/);
    assert.match(r.text, /<a href="\/account\/notifications">Aviseringar via e-post<\/a>/);
  } finally { await srv.stop(); }
});

test('saved searches in bokmål, and follows of a search made before migration 081 become saved searches', async () => {
  const srv = await startServer({ demo: false });
  const sql = (q) => storeSql(srv.db, q).trim();   // sqlite3 or psql, whichever store the suite runs on
  try {
    const { api, browser } = await setup(srv, [['ola@example.no', 'Ola']]);
    const ola = await browser('ola@example.no', 'nb');
    let r = await ola.get('/search?theme=blue-bioeconomy');
    assert.match(r.text, /<label for="save-search-name">Navn på søket<\/label>.*value="Blå bioøkonomi">/s);
    assert.match(r.text, /Lagre søket og følg det/);
    r = await ola.submit('/account/searches', '/account/searches', { query: 'country=XX' });
    assert.match(r.text, /Søket kan ikke lagres: ett av filtrene er ugyldig\./);
    await srv.stop({ keep: true });
    // the store before 081 (and 084: on PostgreSQL the tables made again get their instants as timestamptz)
    sql(`DROP TABLE notify_search_hits; DROP TABLE notify_searches; DROP TABLE notify_search_marks; ALTER TABLE notify_news_runs DROP COLUMN ev_from; ALTER TABLE notify_news_runs DROP COLUMN ev_to;
         DELETE FROM schema_migrations WHERE version IN (81, 84);
         INSERT INTO notify_follows (user_id, target, target_key, created_at) SELECT id, 'search', 'q=energi&country=NO', '2026-11-30T10:00:00Z' FROM users WHERE email = 'ola@example.no';`);
    const srv2 = await startServer({ demo: false, args: ['--db', srv.db] });
    try {
      const tok = cli(['token', 'add', 'ola@example.no'], { db: srv.db }).out.trim();
      const items = (await new Client(srv2.base).req('GET', '/api/v1/account/searches', { headers: { authorization: 'Bearer ' + tok } })).json().items;
      assert.deepEqual(items.map((s) => [s.scope, s.path, s.query, s.notify]), [['org', '/organisations', 'q=energi&country=NO', true]]);
    } finally { await srv2.stop({ keep: true }); }
    assert.equal(sql("SELECT count(*) FROM notify_follows WHERE target = 'search'"), '0');
  } finally { (await import('node:fs')).rmSync(srv.dir, { recursive: true, force: true }); }
});

test('key areas, series and the one inbox: follow buttons, /notifications redirects to /inbox with the invitations', async () => {
  const srv = await startServer({ demo: false });
  try {
    const { api, browser } = await setup(srv, [['anna@example.se', 'Anna'], ['ola@example.no', 'Ola']]);
    const ola = await browser('ola@example.no');
    // a follow button for the key area filtered on, on the directory, the calendar and the obstacles
    for (const path of ['/organisations', '/events', '/obstacles']) {
      const r = await ola.get(`${path}?theme=blue-bioeconomy`);
      assert.match(r.text, /name="target" value="theme"><input type="hidden" name="key" value="blue-bioeconomy">.*aria-pressed="false">Följ nyckelområdet Blå bioekonomi<\/button>/s, path);
      assert.doesNotMatch((await ola.get(path)).text, /name="target" value="theme"/, 'none without one key area');
    }
    let r = await ola.submit('/organisations?theme=blue-bioeconomy', '/follow', { target: 'theme', key: 'blue-bioeconomy', on: '1', back: '/organisations?theme=blue-bioeconomy' });
    assert.equal(r.status, 303);
    assert.equal(r.location, '/organisations?theme=blue-bioeconomy');
    assert.match((await ola.get(r.location)).text, /aria-pressed="true">Du följer nyckelområdet Blå bioekonomi – sluta följa</);
    assert.equal((await ola.submit('/organisations', '/follow', { target: 'theme', key: 'Not a slug!', on: '1' })).status, 400);
    // a new organisation and a new event in that key area reach the follower
    const org = (await api('anna@example.se', 'POST', '/api/v1/organisations', { name: 'Tångodlarna AB', country: 'SE', kind: 'company', municipality: '1780', themes: ['blue-bioeconomy'] })).json().id;
    const ev = (await api('anna@example.se', 'POST', '/api/v1/events', { title: 'Tångdagen', start: '2027-09-14T09:00', end: '2027-09-14T16:00', country: 'SE', municipality: '1780', organisers: [org], themes: ['blue-bioeconomy'] })).json().id;
    const got = (await (await api('ola@example.no', 'GET', '/api/v1/notifications')).json()).items.filter((x) => x.kind === 'new-in-theme');
    assert.deepEqual(got.map((x) => [x.subject, x.subject_id]).sort(), [['event', ev], ['org', org]]);
    // the series' follow-up page has its follow button
    const series = (await api('anna@example.se', 'POST', '/api/v1/events', { title: 'Serie 1', start: '2027-10-14T09:00', end: '2027-10-14T16:00', country: 'SE', municipality: '1780', organisers: [org], series: 'Tångserien' })).json();
    const sid = (await api('anna@example.se', 'GET', `/api/v1/events/${series.id}`)).json().series.id;
    assert.ok(sid > 0);
    assert.match((await ola.get(`/series/${sid}/followup`)).text, new RegExp(`name="target" value="series"><input type="hidden" name="key" value="${sid}">`));
    // one inbox: the old address redirects, its form still marks read, the invitations are in the inbox
    const olaOrg = (await api('ola@example.no', 'POST', '/api/v1/organisations', { name: 'Olas Klynge', country: 'NO', kind: 'cluster', municipality: '3401' })).json().id;
    const inv = (await api('anna@example.se', 'POST', `/api/v1/events/${ev}/invitations`, { organisation: olaOrg })).json().id;
    r = await ola.get('/notifications');
    assert.equal(r.status, 301);
    assert.equal(r.location, '/inbox');
    assert.equal((await new Client(srv.base).get('/notifications')).status, 301, 'the redirect asks no login');
    r = await ola.get('/inbox');
    assert.match(r.text, /<h2 id="inv-h">Inbjudningar till dina organisationer<\/h2>/);
    assert.match(r.text, new RegExp(`<form method="post" action="/invitations/${inv}/answer" class="inline">`));
    assert.match(r.text, /<button type="submit" class="">Tacka ja för Olas Klynge<\/button>/);
    assert.doesNotMatch(r.text, /<a href="\/notifications"/, 'no second inbox in the menu');
    assert.match(r.text, /<li class="unread">/);
    r = await ola.submit('/inbox', '/notifications', {});
    assert.equal(r.status, 303);
    assert.equal(r.location, '/inbox');
    assert.equal((await api('ola@example.no', 'GET', '/api/v1/notifications/unread')).json().unread, 0);
    r = await ola.submit('/inbox', `/invitations/${inv}/answer`, { answer: 'accept' });
    assert.equal(r.status, 303);
  } finally { await srv.stop(); }
});

test('a saved search\'s news by mail: to a real SMTP server, in the recipient\'s bokmål, with both parts and an unsubscribe page in bokmål', async () => {
  const smtp = await smtpServer();
  const srv = await startServer({ demo: false, args: ['--smtp', smtp.url, '--mail-from', 'noreply@granslos.test'],
    env: { GRANSLOS_SMTP_RETRY: '1', GRANSLOS_PUBLIC_URL: 'https://granslos.test' } });
  try {
    const { api, browser } = await setup(srv, [['anna@example.se', 'Anna'], ['ola@example.no', 'Ola']]);
    await browser('ola@example.no', 'nb');
    assert.equal((await api('ola@example.no', 'PUT', '/api/v1/account/notifications', { kinds: { follows: 'immediately' } })).status, 200);
    assert.equal((await api('ola@example.no', 'POST', '/api/v1/account/searches', { query: 'q=skogsr%C3%A5vara&country=SE', name: 'Skog i Sverige' })).status, 201);
    const org = (await api('anna@example.se', 'POST', '/api/v1/organisations', { name: 'Skogsbolaget AB', country: 'SE', kind: 'company', municipality: '1780', offers: ['skogsråvara'] })).json().id;
    const m = await smtp.waitFor('ola@example.no');
    assert.equal(m.subject, 'Gränslös: Ny og passer til et søk du har lagret: Skogsbolaget AB.');
    assert.match(m.head, /^List-Unsubscribe: <https:\/\/granslos\.test\/unsubscribe\?u=\d+&g=follows&t=[0-9a-f]{64}&l=nb>, <mailto:[^>]+>$/m);
    assert.match(m.head, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    const p = parts(m);
    assert.match(p['text/plain'], new RegExp(`- Ny og passer til et søk du har lagret: Skogsbolaget AB\\. \\(Skog i Sverige\\)\\r?\\n {2}https://granslos\\.test/organisations/${org}`));
    assert.match(p['text/html'], /<html lang="nb">/);
    assert.match(p['text/html'], new RegExp(`<a href="https://granslos\\.test/organisations/${org}">Ny og passer til et søk du har lagret: Skogsbolaget AB\\.</a> \\(Skog i Sverige\\)`));
    // the unsubscribe page of that mail speaks bokmål to a browser that asks for English
    const link = /^List-Unsubscribe: <https:\/\/granslos\.test([^>]+)>/m.exec(m.head)[1];
    const r = await new Client(srv.base, { lang: 'en' }).get(link);
    assert.equal(r.status, 200);
    assert.match(r.text, /<html lang="nb">/);
    assert.match(r.text, /<button type="submit">Meld av<\/button>/);
    // the same organisation saved again is not news again
    await api('anna@example.se', 'PATCH', `/api/v1/organisations/${org}`, { website: 'https://skog.example' });
    await new Promise((res) => setTimeout(res, 2500));
    assert.equal(smtp.mailsTo('ola@example.no').length, 1);
  } finally { await srv.stop(); await smtp.close(); }
});

test('saved searches hear of organisations other processes made (an import): told at the next look, once', async () => {
  const srv = await startServer({ demo: false });
  const sql = (q) => storeSql(srv.db, q).trim();   // sqlite3 or psql, whichever store the suite runs on
  try {
    const { api } = await setup(srv, [['ola@example.no', 'Ola']]);
    assert.equal((await api('ola@example.no', 'POST', '/api/v1/account/searches', { query: 'country=NO&kind=company', name: 'Norska företag' })).status, 201);
    await srv.stop({ keep: true });
    // the first look sets the mark; then another process imports the register
    let r = cli(['digest', '--at', '2026-12-06T08:00:00Z'], { db: srv.db });
    assert.equal(r.code, 0, r.err);
    r = cli(['import', 'brreg', 'tests/fixtures/brreg-enheter.csv'], { db: srv.db });
    assert.equal(r.code, 0, r.err);
    const expect = sql("SELECT count(*) FROM organisations WHERE country = 'NO' AND kind = 'company'");
    assert.ok(Number(expect) >= 5 && Number(expect) < 30, 'the register has companies and others: ' + expect);
    assert.equal(sql("SELECT count(*) FROM notify_items WHERE kind = 'new-in-search'"), '0', 'the import itself tells nobody');
    r = cli(['digest', '--at', '2026-12-06T08:00:00Z'], { db: srv.db });
    assert.equal(r.code, 0, r.err);
    const told = sql("SELECT count(*) FROM notify_items WHERE kind = 'new-in-search' AND detail = 'Norska företag'");
    assert.equal(told, expect, 'each company once, nothing else');
    r = cli(['digest', '--at', '2026-12-06T09:00:00Z'], { db: srv.db });
    assert.equal(sql("SELECT count(*) FROM notify_items WHERE kind = 'new-in-search'"), told, 'not again');
  } finally { (await import('node:fs')).rmSync(srv.dir, { recursive: true, force: true }); }
});


test('granslos bench digest: the weekly run over generated organisations, events and saved searches, with news of both kinds', () => {
  const r = cli(['bench', 'digest', '--orgs', '300', '--new', '10', '--events', '5', '--searches', '100']);
  assert.equal(r.code, 0, r.err);
  const v = Object.fromEntries(r.out.trim().split('\n').map((l) => l.split(': ')).map(([k, x]) => [k, parseFloat(x)]));
  assert.equal(v.organisations, 300);
  assert.equal(v.new_events, 5);
  assert.ok(v.digests > 0 && v.digests <= 300, r.out);
  assert.ok(v.links_to_organisations > 0, 'new organisations across the border reach digests: ' + r.out);
  assert.ok(v.links_to_events > 0, 'new events across the border reach digests: ' + r.out);
  assert.equal(v.saved_searches, 100);
  assert.match(r.out, /^digest_cpu_ms: \d+$/m);
});
