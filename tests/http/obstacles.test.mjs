// The border-obstacle register: pages, status workflow, affects-us-too, feeds, API, permissions,
// bad input and escaping.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from './lib.mjs';

let srv, anna, ola, root, desk, annaOrg, olaOrg, annaToken, olaToken, deskToken;
const X = '<script>alert(1)</script>"\'';

before(async () => {
  srv = await startServer();
  srv.user('anna@example.se', 'Anna Andersson', { password: 'anna password 1' });
  srv.user('ola@example.no', 'Ola Nordmann', { password: 'ola password 12' });
  srv.user('admin@example.org', 'Plattform Admin', { admin: true, password: 'admin password 1' });
  srv.user('desk@example.org', 'Desk Person', { password: 'desk password 1' });
  annaToken = srv.token('anna@example.se');
  olaToken = srv.token('ola@example.no');
  deskToken = srv.token('desk@example.org');
  anna = await as('anna@example.se', 'anna password 1');
  ola = await as('ola@example.no', 'ola password 12');
  root = await as('admin@example.org', 'admin password 1');
  desk = await as('desk@example.org', 'desk password 1');
  // each of Anna and Ola creates an organisation and so becomes its administrator
  annaOrg = (await api(annaToken, 'POST', '/api/v1/organisations', { name: 'Annas Fiskodling AB', country: 'SE', kind: 'company', municipality: '1780' })).json().id;
  olaOrg = (await api(olaToken, 'POST', '/api/v1/organisations', { name: 'Olas Oppdrett AS', country: 'NO', kind: 'company', municipality: '3403' })).json().id;
});
after(async () => { await srv.stop(); });

async function as(email, password, lang = 'en') {
  const c = new Client(srv.base, { lang });
  await c.login(email, password);
  return c;
}

function api(token, method, path, json, lang = 'en') {
  const c = new Client(srv.base, { lang });
  c.cookies.set('lang', lang); // the language switch's cookie wins over the user's own setting
  return c.req(method, path, { json, headers: token ? { authorization: 'Bearer ' + token } : {} });
}

// form: the report form's fields, with references per side
function form(o = {}) {
  const p = new URLSearchParams({
    title: o.title ?? 'Tolls on fish feed', description: o.description ?? 'Feed crossing the border is stopped at customs.',
    country: o.country ?? 'both', rules_se: o.rules_se ?? 'Swedish rule', rules_no: o.rules_no ?? 'Norwegian rule',
    consequences: o.consequences ?? 'Delays', affected: o.affected ?? 'Fish farmers', organisation: o.organisation ?? '',
  });
  for (const t of o.themes ?? ['blue-bioeconomy']) p.append('themes', t);
  (o.refs_se ?? [['Tullag (2016:253)', '']]).forEach(([t, u], i) => { p.set(`ref_se_title_${i}`, t); p.set(`ref_se_url_${i}`, u); });
  (o.refs_no ?? [['Tolloven', 'https://lovdata.no/lov/2007-12-21-119']]).forEach(([t, u], i) => { p.set(`ref_no_title_${i}`, t); p.set(`ref_no_url_${i}`, u); });
  return p;
}

async function report(c, o) {
  const r = await c.submit('/obstacles/new', '/obstacles/new', form(o));
  assert.equal(r.status, 303, r.text.slice(0, 800));
  assert.match(r.location, /^\/obstacles\/\d+$/);
  return r.location;
}

const total = async () => (await api(null, 'GET', '/api/v1/obstacles?per_page=1')).json().total;

test('visitors read the register: demo obstacles from the report, filters, search, an obstacle with its history, feeds', async () => {
  const c = new Client(srv.base, { lang: 'en' });
  let r = await c.get('/obstacles');
  assert.equal(r.status, 200);
  assert.match(r.text, /<p class="total">7 obstacles<\/p>/);
  assert.match(r.text, /Landbaserad fiskodling \(RAS\) utesluten från regionalt investeringsstöd/);
  assert.match(r.text, /<nav class="main"[^]*href="\/obstacles"[^>]*>Border obstacles<\/a>/, 'in the main navigation');
  assert.match(r.text, /Log in to report an obstacle/);
  // filters
  r = await c.get('/obstacles?status=analysis');
  assert.match(r.text, /1 obstacle</);
  assert.match(r.text, /regionalt investeringsstöd/);
  r = await c.get('/obstacles?status=open');
  assert.match(r.text, /6 obstacles/);
  r = await c.get('/obstacles?theme=tech');
  assert.match(r.text, /2 obstacles/);
  r = await c.get('/obstacles?country=NO');
  assert.match(r.text, /4 obstacles/, 'felt in Norway or in both');
  r = await c.get('/obstacles?q=FISKODLING+stödområde');
  assert.match(r.text, /2 obstacles/);
  r = await c.get('/obstacles?q=upphandling&status=raised&country=SE');
  assert.match(r.text, /1 obstacle</);
  r = await c.get('/obstacles?q=nothing-like-this');
  assert.match(r.text, /No obstacle matches/);
  for (const bad of ['status=bogus', 'country=DK', 'theme=NOT%20A%20SLUG', 'page=0', 'per_page=1000']) {
    r = await c.get('/obstacles?' + bad);
    assert.equal(r.status, 400, bad);
    r = await c.get('/api/v1/obstacles?' + bad);
    assert.equal(r.status, 422, bad);
    assert.equal(r.json().code, 'bad-filter');
  }
  // an obstacle: demo badge, both sides' rules and references, affected organisations, history
  const list = (await c.get('/api/v1/obstacles?q=RAS-anläggningar')).json();
  assert.equal(list.total, 1);
  const ras = list.items[0];
  assert.equal(ras.demo, true);
  assert.equal(ras.status, 'analysis');
  assert.equal(ras.organisation_name, 'Region Värmland');
  assert.deepEqual(ras.themes, ['blue-bioeconomy']);
  assert.equal(ras.references_se[0].title, 'Förordning (2015:211) om statligt stöd till regionala investeringar');
  assert.deepEqual(ras.affected_organisations.map((o) => o.name).sort(), ['Sotenäs Symbioscentrum', 'Vänerns Landbaserade Fisk AB']);
  assert.deepEqual(ras.status_history.map((h) => [h.from, h.to]), [[null, 'reported'], ['reported', 'analysis']]);
  r = await c.get('/obstacles/' + ras.id);
  assert.equal(r.status, 200);
  assert.match(r.text, /Demo record/);
  assert.match(r.text, /In Sweden/);
  assert.match(r.text, /Förordning \(2015:211\)/);
  assert.match(r.text, /Sotenäs Symbioscentrum/);
  assert.match(r.text, /Status history/);
  assert.match(r.text, /Demo: jämförelse med de norska reglerna/);
  assert.doesNotMatch(r.text, /Change status/, 'visitors cannot move the status');
  assert.doesNotMatch(r.text, /href="\/obstacles\/\d+\/edit"/);
  // in Swedish and Norwegian
  r = await new Client(srv.base, { lang: 'sv' }).get('/obstacles/' + ras.id);
  assert.match(r.text, /Statushistorik/);
  assert.match(r.text, /Under analys/);
  r = await new Client(srv.base, { lang: 'nb' }).get('/obstacles');
  assert.match(r.text, /<h1>Grensehindre<\/h1>/);
  // feeds
  r = await c.get('/obstacles.atom');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/atom\+xml/);
  assert.match(r.text, /^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
  assert.equal((r.text.match(/<entry>/g) || []).length, 7);
  // the feed is in the page's language; an obstacle written in another carries its own xml:lang on its title and text
  assert.match(r.text, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom" xml:lang="en">/);
  assert.match(r.text, /<entry><title xml:lang="sv">[^<]+<\/title>.*?<summary>[^<]+<\/summary><content type="text" xml:lang="sv">/);
  const nbFeed = (await new Client(srv.base, { lang: 'nb' }).get('/obstacles.atom')).text;
  assert.match(nbFeed, /xml:lang="nb">/);
  assert.match(nbFeed, /<title xml:lang="sv">/);
  const svFeed = (await new Client(srv.base, { lang: 'sv' }).get('/obstacles.atom')).text;
  for (const e of svFeed.split('<entry>').slice(1)) {
    const t = /<title( xml:lang="(\w+)")?>/.exec(e);
    assert.notEqual(t[2], 'sv', 'a Swedish title in a Swedish feed needs no xml:lang');
  }
  r = await c.get('/obstacles.atom?status=not-obstacle');
  assert.equal((r.text.match(/<entry>/g) || []).length, 1);
  r = await c.get(`/obstacles/${ras.id}/status.atom`);
  assert.equal(r.status, 200);
  assert.equal((r.text.match(/<entry>/g) || []).length, 2);
  assert.match(r.text, /Reported → Under analysis/);
  // unknown ids
  for (const p of ['/obstacles/999999', '/obstacles/999999/status.atom', '/api/v1/obstacles/999999', '/obstacles/abc']) {
    assert.equal((await c.get(p)).status, 404, p);
  }
});

test('report an obstacle through the form, for one of your organisations only; then edit it with versions kept', async () => {
  const before = await total();
  // not for an organisation Anna is not a member of
  let r = await anna.submit('/obstacles/new', '/obstacles/new', form({ organisation: String(olaOrg) }));
  assert.equal(r.status, 422);
  assert.match(r.text, /id="e-organisation"/);
  assert.match(r.text, /only when you are one of its members/);
  assert.equal(await total(), before, 'nothing saved');
  // the form offers her own organisation
  r = await anna.get('/obstacles/new');
  assert.equal(r.status, 200);
  assert.match(r.text, new RegExp(`<option value="${annaOrg}">Annas Fiskodling AB</option>`));
  assert.doesNotMatch(r.text, /Olas Oppdrett AS/);
  const path = await report(anna, { organisation: String(annaOrg), refs_se: [['Tullag (2016:253)', ''], ['Tullförordning (2016:287)', 'https://example.se/tf']] });
  r = await anna.get(path);
  assert.match(r.text, /Thank you: the obstacle has been reported/);
  assert.match(r.text, /<h1>Tolls on fish feed<\/h1>/);
  assert.match(r.text, /Annas Fiskodling AB/);
  assert.match(r.text, /<a href="https:\/\/example\.se\/tf" rel="nofollow noopener">Tullförordning \(2016:287\)<\/a>/);
  assert.match(r.text, /Tolloven/);
  assert.match(r.text, /by Anna Andersson/, 'the history names the reporter');
  assert.equal(await total(), before + 1);
  // the reporter edits: a new version, the old text kept
  r = await anna.submit(path + '/edit', path + '/edit', form({ title: 'Customs stop fish feed', organisation: String(annaOrg) }));
  assert.equal(r.status, 303);
  r = await anna.submit(path + '/edit', path + '/edit', form({ title: 'Customs stop fish feed', organisation: String(annaOrg) }));
  assert.equal(r.status, 303, 'saving the same again');
  const doc = (await api(null, 'GET', '/api/v1' + path)).json();
  assert.equal(doc.title, 'Customs stop fish feed');
  assert.equal(doc.version, 2, 'no version for an unchanged save');
  assert.deepEqual(doc.versions[0].changes.title, ['Tolls on fish feed', 'Customs stop fish feed']);
  r = await anna.get(path);
  assert.match(r.text, /Earlier versions of the text/);
  assert.match(r.text, /<th scope="row">Title<\/th><td>Tolls on fish feed<\/td><td>Customs stop fish feed<\/td>/);
  // others may not edit
  assert.equal((await ola.get(path + '/edit')).status, 403);
  r = await ola.submit(path, path + '/edit', form({ title: 'Taken over' }));
  assert.equal(r.status, 403);
  assert.equal((await api(olaToken, 'PATCH', '/api/v1' + path, { title: 'Taken over' })).status, 403);
  // visitors are sent to log in
  const v = new Client(srv.base);
  r = await v.get('/obstacles/new');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/login?next=%2Fobstacles%2Fnew');
});

test('bad input in the form and the API: clear messages, 422, nothing saved', async () => {
  const before = await total();
  const cases = [
    [{ title: '' }, 'title'],
    [{ title: '   ' }, 'title'],
    [{ description: '' }, 'description'],
    [{ title: 'x'.repeat(201) }, 'title'],
    [{ description: 'y'.repeat(5001) }, 'description'],
    [{ rules_se: 'z'.repeat(5001) }, 'rules_se'],
    [{ affected: 'a'.repeat(2001) }, 'affected'],
    [{ country: 'DK' }, 'country'],
    [{ country: '' }, 'country'],
    [{ themes: ['no-such-theme'] }, 'themes'],
    [{ refs_se: [['', 'https://example.se']] }, 'references_se'],
    [{ refs_no: [['Lov', 'javascript:alert(1)']] }, 'references_no'],
    [{ refs_no: [['x'.repeat(301), '']] }, 'references_no'],
    [{ organisation: '999999' }, 'organisation'],
    [{ organisation: 'abc' }, 'organisation'],
  ];
  const sv = await as('anna@example.se', 'anna password 1', 'sv');
  for (const [o, field] of cases) {
    const r = await sv.submit('/obstacles/new', '/obstacles/new', form(o));
    assert.equal(r.status, 422, JSON.stringify(o).slice(0, 80));
    assert.match(r.text, new RegExp(`id="e-${field}"`), `error at ${field}`);
    assert.match(r.text, /<html lang="sv">/);
    assert.match(r.text, /role="alert"/);
  }
  // the API
  const good = { title: 'API obstacle', description: 'Text', country: 'SE' };
  const bad = [
    [{ ...good, title: 42 }, 'title'],
    [{ ...good, colour: 'red' }, 'colour'],
    [{ ...good, themes: 'energy' }, 'themes'],
    [{ ...good, themes: Array(11).fill('energy') }, 'themes'],
    [{ ...good, references_se: Array(11).fill({ title: 'Lag' }) }, 'references_se'],
    [{ ...good, references_se: [{ title: 'Lag', page: 3 }] }, 'references_se'],
    [{ ...good, references_no: 'Lov' }, 'references_no'],
    [{ ...good, description: 'a\u0001b' }, 'description'],
    [{ ...good, organisation: olaOrg }, 'organisation'],
    [{ ...good, organisation: -1 }, 'organisation'],
  ];
  for (const [body, field] of bad) {
    const r = await api(annaToken, 'POST', '/api/v1/obstacles', body);
    assert.equal(r.status, 422, JSON.stringify(body).slice(0, 100));
    assert.equal(r.json().code, 'validation');
    assert.ok(r.json().errors[field], `error at ${field}: ${r.text}`);
  }
  let r = await api(annaToken, 'POST', '/api/v1/obstacles', '{"title": "x",');
  assert.equal(r.status, 400);
  assert.equal(r.json().code, 'malformed-json');
  r = await api(annaToken, 'POST', '/api/v1/obstacles', '[1]');
  assert.equal(r.status, 422);
  r = await new Client(srv.base).req('POST', '/api/v1/obstacles', { body: 'title=x', headers: { authorization: 'Bearer ' + annaToken, 'content-type': 'text/plain' } });
  assert.equal(r.status, 415);
  r = await api(null, 'POST', '/api/v1/obstacles', good);
  assert.equal(r.status, 401);
  r = await api('not-a-token', 'POST', '/api/v1/obstacles', good);
  assert.equal(r.status, 401);
  // a huge body
  r = await api(annaToken, 'POST', '/api/v1/obstacles', { ...good, description: 'x'.repeat(1100000) });
  assert.equal(r.status, 413);
  assert.equal(await total(), before, 'nothing was saved');
});

test('the status workflow: only the desk and admins move it, disallowed moves are refused, the history is public', async () => {
  const path = await report(anna, { title: 'Workflow obstacle' });
  const id = path.split('/').pop();
  // the reporter is not on the desk
  assert.equal((await anna.get(path + '/status')).status, 403);
  let r = await anna.submit(path, path + '/status', { status: 'analysis', comment: '' });
  assert.equal(r.status, 403);
  assert.equal((await api(annaToken, 'POST', `/api/v1/obstacles/${id}/status`, { status: 'analysis' })).status, 403);
  assert.equal((await api(deskToken, 'POST', `/api/v1/obstacles/${id}/status`, { status: 'analysis' })).status, 403, 'not yet on the desk');
  // only platform admins grant the desk role
  r = await anna.submit('/obstacles', '/admin/obstacle-desk', { email: 'desk@example.org', action: 'add' });
  assert.equal(r.status, 403);
  r = await root.submit('/admin', '/admin/obstacle-desk', { email: 'nobody@example.org', action: 'add' });
  assert.equal(r.status, 404);
  r = await root.submit('/admin', '/admin/obstacle-desk', { email: 'desk@example.org', action: 'add' });
  assert.equal(r.status, 303);
  r = await root.get('/admin');
  assert.match(r.text, /Desk Person/);
  // the desk moves it, with a comment
  r = await desk.get(path);
  assert.match(r.text, /Change status/);
  assert.match(r.text, new RegExp(`href="/obstacles/${id}/edit"`), 'the desk may edit the text');
  r = await desk.get(path + '/status');
  assert.equal(r.status, 200);
  assert.match(r.text, /<option value="analysis">Under analysis<\/option>/);
  assert.doesNotMatch(r.text, /<option value="resolved">/, 'only moves allowed from here are offered');
  r = await desk.submit(path + '/status', path + '/status', { status: 'analysis', comment: 'Comparing the two laws.' });
  assert.equal(r.status, 303);
  assert.equal(r.location, path + '#history');
  // not allowed from here: a clear 409 naming where it can go
  r = await desk.submit(path + '/status', path + '/status', { status: 'reported', comment: '' });
  assert.equal(r.status, 409);
  assert.match(r.text, /An obstacle with the status “Under analysis” cannot move to “Reported”\. From here it can move to: Raised with the responsible authority, Resolved, Not an obstacle, Closed\./);
  r = await api(deskToken, 'POST', `/api/v1/obstacles/${id}/status`, { status: 'reported' }, 'sv');
  assert.equal(r.status, 409);
  assert.equal(r.json().code, 'status-not-allowed');
  assert.match(r.json().detail, /Ett hinder med statusen ”Under analys” kan inte flyttas till ”Rapporterat”/);
  assert.deepEqual(r.json().errors, { status: 'analysis', allowed: ['raised', 'resolved', 'not-obstacle', 'closed'] });
  // bad input
  r = await desk.submit(path + '/status', path + '/status', { status: 'bogus', comment: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="e-status"/);
  r = await desk.submit(path + '/status', path + '/status', { status: 'raised', comment: 'c'.repeat(2001) });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="e-comment"/);
  r = await api(deskToken, 'POST', `/api/v1/obstacles/${id}/status`, { status: 'raised', comment: 7 });
  assert.equal(r.status, 422);
  r = await api(deskToken, 'POST', `/api/v1/obstacles/${id}/status`, { status: 'raised', extra: 1 });
  assert.equal(r.status, 422);
  r = await api(deskToken, 'POST', '/api/v1/obstacles/999999/status', { status: 'raised' });
  assert.equal(r.status, 404);
  r = await desk.submit(path + '/status', '/obstacles/999999/status', { status: 'raised' });
  assert.equal(r.status, 404);
  // through the API, then to an outcome, then reopened by an admin
  r = await api(deskToken, 'POST', `/api/v1/obstacles/${id}/status`, { status: 'raised', comment: 'Raised with Tullverket and Tolletaten.' });
  assert.equal(r.status, 200);
  assert.equal(r.json().status, 'raised');
  r = await api(deskToken, 'POST', `/api/v1/obstacles/${id}/status`, { status: 'resolved', comment: 'Fixed.' });
  assert.equal(r.status, 200);
  r = await root.submit(path + '/status', path + '/status', { status: 'closed', comment: '' });
  assert.equal(r.status, 409, 'an outcome can only be reopened');
  r = await root.submit(path + '/status', path + '/status', { status: 'analysis', comment: 'Reopened: it came back.' });
  assert.equal(r.status, 303);
  // the public history, with dates, actors and comments
  const doc = (await api(null, 'GET', '/api/v1' + path)).json();
  assert.deepEqual(doc.status_history.map((h) => [h.from, h.to, h.user?.name, h.comment]), [
    [null, 'reported', 'Anna Andersson', ''],
    ['reported', 'analysis', 'Desk Person', 'Comparing the two laws.'],
    ['analysis', 'raised', 'Desk Person', 'Raised with Tullverket and Tolletaten.'],
    ['raised', 'resolved', 'Desk Person', 'Fixed.'],
    ['resolved', 'analysis', 'Plattform Admin', 'Reopened: it came back.'],
  ]);
  for (const h of doc.status_history) assert.match(h.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  r = await new Client(srv.base, { lang: 'en' }).get(path);
  assert.match(r.text, /Raised with Tullverket and Tolletaten\./);
  assert.match(r.text, /by Desk Person/);
  r = await new Client(srv.base).get(path + '/status.atom');
  assert.equal((r.text.match(/<entry>/g) || []).length, 5);
  // the desk may edit the text; then the role is taken away again
  r = await api(deskToken, 'PATCH', '/api/v1' + path, { consequences: 'Weeks of delay' });
  assert.equal(r.status, 200);
  assert.equal(r.json().consequences, 'Weeks of delay');
  r = await root.submit('/admin', '/admin/obstacle-desk', { email: 'desk@example.org', action: 'remove' });
  assert.equal(r.status, 303);
  assert.equal((await api(deskToken, 'POST', `/api/v1/obstacles/${id}/status`, { status: 'raised' })).status, 403);
  assert.equal((await api(deskToken, 'PATCH', '/api/v1' + path, { consequences: 'x' })).status, 403);
  // visitors
  r = await new Client(srv.base).post(path + '/status', { form: { status: 'raised' } });
  assert.ok([303, 401, 403].includes(r.status));
});

test('organisations mark "affects us too" for themselves only, and can take it back', async () => {
  const path = await report(anna, { title: 'Affected obstacle' });
  const id = path.split('/').pop();
  let r = await ola.get(path);
  assert.match(r.text, /No other organisation has said so yet/);
  assert.match(r.text, /This affects Olas Oppdrett AS too/);
  r = await ola.submit(path, path + '/affected', { organisation: String(olaOrg), action: 'add' });
  assert.equal(r.status, 303);
  r = await new Client(srv.base, { lang: 'en' }).get(path);
  assert.match(r.text, new RegExp(`<li><a href="/organisations/${olaOrg}">Olas Oppdrett AS</a></li>`));
  r = await ola.get(path);
  assert.match(r.text, /Olas Oppdrett AS is no longer affected/);
  r = await ola.get('/obstacles?q=affected+obstacle');
  assert.match(r.text, /1 organisation affected too/);
  // not for someone else's organisation
  r = await ola.submit(path, path + '/affected', { organisation: String(annaOrg), action: 'add' });
  assert.equal(r.status, 403);
  r = await api(olaToken, 'POST', `/api/v1/obstacles/${id}/affected`, { organisation: annaOrg });
  assert.equal(r.status, 403);
  r = await ola.submit(path, path + '/affected', { organisation: '999999', action: 'add' });
  assert.equal(r.status, 404);
  r = await ola.submit(path, path + '/affected', { organisation: String(olaOrg), action: 'explode' });
  assert.equal(r.status, 400);
  r = await ola.submit(path, '/obstacles/999999/affected', { organisation: String(olaOrg), action: 'add' });
  assert.equal(r.status, 404);
  // remove through the page, add and remove through the API (the toggle is idempotent)
  r = await ola.submit(path, path + '/affected', { organisation: String(olaOrg), action: 'remove' });
  assert.equal(r.status, 303);
  r = await api(olaToken, 'POST', `/api/v1/obstacles/${id}/affected`, { organisation: olaOrg });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json().affected_organisations.map((o) => o.id), [olaOrg]);
  r = await api(olaToken, 'POST', `/api/v1/obstacles/${id}/affected`, { organisation: olaOrg });
  assert.deepEqual(r.json().affected_organisations.map((o) => o.id), [olaOrg]);
  r = await api(olaToken, 'DELETE', `/api/v1/obstacles/${id}/affected?organisation=${olaOrg}`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json().affected_organisations, []);
  r = await api(olaToken, 'DELETE', `/api/v1/obstacles/${id}/affected`);
  assert.equal(r.status, 422);
  r = await api(olaToken, 'POST', `/api/v1/obstacles/${id}/affected`, { organisation: 'x' });
  assert.equal(r.status, 422);
  r = await api(olaToken, 'POST', '/api/v1/obstacles/999999/affected', { organisation: olaOrg });
  assert.equal(r.status, 404);
  r = await api(null, 'POST', `/api/v1/obstacles/${id}/affected`, { organisation: olaOrg });
  assert.equal(r.status, 401);
});

test('the API: create, read, patch with versions, session writes need X-CSRF-Token', async () => {
  let r = await api(annaToken, 'POST', '/api/v1/obstacles', {
    title: 'Pension rights for commuters', description: 'Commuters lose track of pension rights.', country: 'both', themes: ['transport', 'transport'],
    references_se: [{ title: 'Socialförsäkringsbalk (2010:110)', url: null }], references_no: [{ title: 'Folketrygdloven', url: 'https://lovdata.no/lov/1997-02-28-19' }],
    organisation: annaOrg,
  });
  assert.equal(r.status, 201, r.text);
  const id = r.json().id;
  assert.equal(r.headers.get('location'), `/api/v1/obstacles/${id}`);
  r = await api(null, 'GET', `/api/v1/obstacles/${id}`);
  const doc = r.json();
  assert.equal(doc.status, 'reported');
  assert.deepEqual(doc.themes, ['transport']);
  assert.equal(doc.organisation, annaOrg);
  assert.equal(doc.reporter.name, 'Anna Andersson');
  assert.equal(doc.references_no[0].url, 'https://lovdata.no/lov/1997-02-28-19');
  assert.equal(doc.version, 1);
  // PATCH: the fields to change; read-only fields may be sent back unchanged
  r = await api(annaToken, 'PATCH', `/api/v1/obstacles/${id}`, { ...doc, rules_se: 'Rights follow the country of work.' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().version, 2);
  assert.equal(r.json().rules_se, 'Rights follow the country of work.');
  assert.deepEqual(Object.keys(r.json().versions[0].changes), ['rules_se']);
  r = await api(annaToken, 'PATCH', `/api/v1/obstacles/${id}`, { title: '' });
  assert.equal(r.status, 422);
  r = await api(annaToken, 'PATCH', '/api/v1/obstacles/999999', { title: 'x' });
  assert.equal(r.status, 404);
  // a session cookie without the CSRF header is refused; with it, accepted
  r = await anna.req('PATCH', `/api/v1/obstacles/${id}`, { json: { affected: 'Commuters' } });
  assert.equal(r.status, 403);
  assert.equal(r.json().code, 'csrf');
  const csrf = await anna.csrf('/obstacles/new');
  r = await anna.req('PATCH', `/api/v1/obstacles/${id}`, { json: { affected: 'Commuters' }, headers: { 'x-csrf-token': csrf } });
  assert.equal(r.status, 200);
  // the list API with filters and paging
  r = await api(null, 'GET', '/api/v1/obstacles?theme=transport&country=SE&per_page=5');
  assert.ok(r.json().items.some((o) => o.id === id));
  r = await api(null, 'GET', '/api/v1/obstacles?per_page=2&page=2');
  assert.equal(r.json().items.length, 2);
  assert.equal(r.json().page, 2);
});

test('a <script> payload in every field comes back escaped on every page and feed that shows it', async () => {
  const path = await report(anna, {
    title: 'Evil ' + X, description: 'desc ' + X, rules_se: 'se ' + X, rules_no: 'no ' + X, consequences: 'cons ' + X,
    affected: 'aff ' + X, refs_se: [['ref ' + X, "https://example.se/?a=1&b='2'"]], refs_no: [['ref no ' + X, '']], organisation: String(annaOrg),
  });
  const id = path.split('/').pop();
  await anna.submit(path + '/edit', path + '/edit', form({ title: 'Evil 2 ' + X, description: 'desc 2 ' + X, refs_se: [['ref ' + X, "https://example.se/?a=1&b='2'"]], organisation: String(annaOrg) }));
  await root.submit(path + '/status', path + '/status', { status: 'analysis', comment: 'comment ' + X });
  await ola.submit(path, path + '/affected', { organisation: String(olaOrg), action: 'add' });
  const pages = [path, path + '/edit', '/obstacles', '/obstacles?q=evil', '/obstacles.atom', path + '/status.atom'];
  for (const p of pages) {
    const r = await anna.get(p);
    assert.equal(r.status, 200, p);
    assert.doesNotMatch(r.text, /<script>alert/, p);
    assert.doesNotMatch(r.text, /"><script>/, p);
  }
  let r = await root.get(path + '/status');
  assert.doesNotMatch(r.text, /<script>alert/);
  r = await anna.get(path);
  assert.match(r.text, /Evil 2 &lt;script&gt;alert\(1\)&lt;\/script&gt;&quot;&#39;/);
  assert.match(r.text, /comment &lt;script&gt;/);
  assert.match(r.text, /href="https:\/\/example\.se\/\?a=1&amp;b=&#39;2&#39;"/);
  // a payload in the form's failed re-render too
  r = await anna.submit('/obstacles/new', '/obstacles/new', form({ title: '', description: X, refs_se: [[X, 'javascript:' + X]] }));
  assert.equal(r.status, 422);
  assert.doesNotMatch(r.text, /<script>alert/);
  // JSON keeps the text as it was written
  const doc = (await api(null, 'GET', `/api/v1/obstacles/${id}`)).json();
  assert.equal(doc.title, 'Evil 2 ' + X);
});

test('personal data: the export lists reports, status changes and affected marks; deleting an account ends its desk role', async () => {
  let r = await anna.get('/account/export');
  assert.equal(r.status, 200);
  const data = r.json();
  assert.ok(data.obstacles_reported.length >= 1);
  assert.ok(data.obstacles_reported.every((o) => Number.isInteger(o.obstacle) && o.title));
  assert.equal(data.obstacle_desk, false);
  assert.ok((await ola.get('/account/export')).json().obstacle_affected_marks.length >= 1);
  // someone on the desk moves a status, then deletes the account: the move stays, by a deleted user
  srv.user('leaving@example.org', 'Leaving Person', { password: 'leaving password 1' });
  const leaving = await as('leaving@example.org', 'leaving password 1');
  r = await root.submit('/admin', '/admin/obstacle-desk', { email: 'leaving@example.org', action: 'add' });
  assert.equal(r.status, 303);
  const path = await report(anna, { title: 'Obstacle seen by a leaving person' });
  r = await leaving.submit(path + '/status', path + '/status', { status: 'analysis', comment: 'Looking into it.' });
  assert.equal(r.status, 303);
  assert.equal((await leaving.get('/account/export')).json().obstacle_desk, true);
  r = await leaving.submit('/account', '/account/delete', { confirm_password: 'leaving password 1' });
  assert.equal(r.status, 303);
  r = await root.get('/admin');
  assert.doesNotMatch(r.text, /Leaving Person/);
  const doc = (await api(null, 'GET', '/api/v1' + path)).json();
  assert.equal(doc.status_history[1].comment, 'Looking into it.');
  assert.equal(doc.status_history[1].user.deleted, true);
  r = await new Client(srv.base, { lang: 'en' }).get(path);
  assert.match(r.text, /by a deleted user/);
});
