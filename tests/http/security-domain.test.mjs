// Regression tests for issue 11's domain findings, each named after the finding: forged iCalendar
// UIDs, unpublished roundtable text, borrowed organisation names, and the low-severity leaks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, cli } from './lib.mjs';

let srv;
const tok = {};
const orgs = {};
const people = [['anna', 'anna@example.se', 'Anna Andersson'], ['ola', 'ola@example.no', 'Ola Nordmann'],
  ['eve', 'eve@example.org', 'Eve Mallory'], ['bo', 'bo@example.se', 'Bo Berg']];
before(async () => {
  srv = await startServer({ demo: false });
  for (const [k, email, name] of people) {
    srv.user(email, name, { password: k + ' password 123' });
    tok[k] = srv.token(email);
  }
  orgs.anna = (await api('anna', 'POST', '/api/v1/organisations', { name: 'Gränslösa Verkstäder AB', country: 'SE', kind: 'company', municipality: '1780', themes: ['manufacturing'] })).json().id;
  orgs.ola = (await api('ola', 'POST', '/api/v1/organisations', { name: 'Grenseløs Klynge', country: 'NO', kind: 'cluster', municipality: '3401', themes: ['manufacturing'] })).json().id;
  orgs.eve = (await api('eve', 'POST', '/api/v1/organisations', { name: 'Eves Konsult AB', country: 'SE', kind: 'company', municipality: '1780', themes: ['manufacturing'] })).json().id;
});
after(async () => { await srv.stop(); });

async function api(who, method, path, json, lang = 'en') {
  const c = new Client(srv.base, { lang });
  return c.req(method, path, { json, headers: who ? { authorization: 'Bearer ' + tok[who] } : {} });
}
async function as(who, lang = 'en') {
  const c = new Client(srv.base, { lang });
  const p = people.find((x) => x[0] === who);
  await c.login(p[1], who + ' password 123');
  return c;
}
const ev = (o = {}) => ({ title: 'Gränsdagen', start: '2027-09-14T09:00', end: '2027-09-14T16:00', timezone: 'Europe/Stockholm', country: 'SE',
  municipality: '1780', themes: ['manufacturing'], status: 'planned', organisers: [orgs.anna], ...o });
const ics = (events) => 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n' + events.map((e) =>
  `BEGIN:VEVENT\r\nUID:${e.uid}\r\nDTSTAMP:20261101T120000Z\r\nDTSTART:${e.start}\r\nDTEND:${e.end}\r\nSUMMARY:${e.summary}\r\nEND:VEVENT\r\n`).join('') + 'END:VCALENDAR\r\n';
const allEvents = async () => (await api(null, 'GET', '/api/v1/events?from=2000-01-01&to=2040-12-31&status=all')).json().items;

test('ics import: forged native UID cannot block event creation', async () => {
  // the attack: a registered user imports, through the page, events whose UIDs are the next native ones
  const first = await api('anna', 'POST', '/api/v1/events', ev({ title: 'Före attacken' }));
  assert.equal(first.status, 201, first.text);
  const next = first.json().id + 1;
  const firstUid = (await api(null, 'GET', '/api/v1/events/' + first.json().id)).json().uid;
  const eve = await as('eve');
  const forged = Array.from({ length: 6 }, (_, i) => ({ uid: `event-${next + i}@granslos`, start: '20271001T090000Z', end: '20271001T100000Z', summary: 'Forged ' + i }));
  forged.push({ uid: firstUid, start: '20271001T090000Z', end: '20271001T100000Z', summary: 'Taken' });
  forged.push({ uid: `EVENT-${next + 7}@GRANSLOS`, start: '20271001T090000Z', end: '20271001T100000Z', summary: 'Forged upper' });
  let r = await eve.submit('/events/import', '/events/import', { org: String(orgs.eve), ics: ics(forged) });
  assert.equal(r.status, 200, r.text.slice(0, 500));
  assert.match(r.text, /8 events read: 8 added/);
  // no imported event publishes a UID in the native namespace that it was given, or one already taken
  const after1 = await allEvents();
  const uids = after1.map((e) => e.uid);
  assert.equal(new Set(uids).size, uids.length, 'UIDs are unique');
  for (const f of forged) assert.equal(uids.filter((u) => u.toLowerCase() === f.uid.toLowerCase()).length, f.uid === firstUid ? 1 : 0, f.uid);
  // creating events keeps working: the API, the page and the demo loader
  for (let i = 0; i < 3; i++) {
    r = await api('anna', 'POST', '/api/v1/events', ev({ title: 'Efter attacken ' + i }));
    assert.equal(r.status, 201, r.text);
  }
  assert.match(firstUid, /^[0-9a-f]{32}@granslos$/, 'a native UID is random, never event-N');
  const anna = await as('anna');
  const p = new URLSearchParams({ title_sv: 'Sidan fungerar', title_nb: '', title_en: '', desc_sv: '', desc_nb: '', desc_en: '', status: 'planned',
    start: '2027-06-22T09:00', end: '2027-06-22T15:00', timezone: 'Europe/Stockholm', country: 'SE', municipality: '1780', venue: '', online_url: '',
    language: 'sv', capacity: '', registration_deadline: '', series: '', organisers_more: '' });
  p.append('organisers', String(orgs.anna)); p.append('themes', 'manufacturing'); p.append('audiences', 'companies');
  r = await anna.submit('/events/new', '/events/new', p);
  assert.equal(r.status, 303, r.text.slice(0, 800));
  const d = cli(['demo'], { db: srv.db });
  assert.equal(d.code, 0, d.err);
  const after2 = await allEvents();
  assert.ok(after2.some((e) => e.demo), 'the demo loader created its events');
  assert.ok(after2.some((e) => Object.values(e.title).includes('Sidan fungerar')));
  // re-importing the same feed updates the importer's own events and nobody else's
  r = await eve.submit('/events/import', '/events/import', { org: String(orgs.eve), ics: ics(forged) });
  assert.match(r.text, /8 events read: 0 added, 0 updated, 8 unchanged/);
  // the same feed UID in another organisation's feed is that organisation's own event
  const ola = await as('ola');
  r = await ola.submit('/events/import', '/events/import', { org: String(orgs.ola), ics: ics(forged.slice(0, 1)) });
  assert.match(r.text, /1 events read: 1 added/);
  assert.equal((await allEvents()).length, after2.length + 1);
  assert.doesNotMatch(srv.log, /db error/);
});

// a table in a new event of orgs.anna's, hosted by Anna's organisation, with one approved bullet
async function tableWithBullet(text, o = {}) {
  const e = await api('anna', 'POST', '/api/v1/events', ev({ series: 'Säkerhetsserien', title: 'Rundabordsdagen', ...o }));
  assert.equal(e.status, 201, e.text);
  const t = (await api('anna', 'POST', `/api/v1/events/${e.json().id}/roundtables`, { hosts: [{ org: orgs.anna }] })).json();
  const b = (await api('anna', 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: t.questions[0].id, text, status: 'approved' })).json();
  const series = (await api(null, 'GET', `/api/v1/events/${e.json().id}`)).json().series.id;
  return { event: e.json().id, table: t, bullet: b.id, series };
}

async function actionShows(action, series) {
  const page = (await new Client(srv.base, { lang: 'en' }).get(`/actions/${action}`)).text;
  const json = (await api(null, 'GET', `/api/v1/actions/${action}`)).text;
  const fapi = (await api(null, 'GET', `/api/v1/series/${series}/followup`)).text;
  const fpage = (await new Client(srv.base, { lang: 'en' }).get(`/series/${series}/followup`)).text;
  return { page, json, fapi, fpage, all: [page, json, fapi, fpage].join('\n') };
}

test('action item: rejected bullet text not shown', async () => {
  const f = await tableWithBullet('Ett gemensamt testbädd-nätverk.');
  let r = await api('anna', 'POST', `/api/v1/bullets/${f.bullet}/action`, { owners: [orgs.anna] });
  assert.equal(r.status, 201, r.text);
  const action = r.json().id;
  assert.match((await actionShows(action, f.series)).all, /Ett gemensamt testbädd-nätverk\./);
  // the host rejects the bullet and rewrites it: nothing of the new text appears anywhere public
  r = await api('anna', 'PATCH', `/api/v1/bullets/${f.bullet}`, { status: 'rejected', text: 'HEMLIG avvisad text.' });
  assert.equal(r.status, 200, r.text);
  const s = await actionShows(action, f.series);
  assert.doesNotMatch(s.all, /HEMLIG/);
  assert.match(s.page, /Ett gemensamt testbädd-nätverk\./, 'the action shows the text as it was published');
  assert.match(s.fpage, /Ett gemensamt testbädd-nätverk\./);
  assert.equal(JSON.parse(s.json).bullet.status, 'unpublished');
  assert.equal(JSON.parse(s.json).bullet.text, 'Ett gemensamt testbädd-nätverk.');
});

test('action item: bullet set back to pending and edited, its new text not shown until approved', async () => {
  const f = await tableWithBullet('Gränsöverskridande praktikplatser.');
  const action = (await api('anna', 'POST', `/api/v1/bullets/${f.bullet}/action`, {})).json().id;
  let r = await api('anna', 'PATCH', `/api/v1/bullets/${f.bullet}`, { status: 'pending' });
  assert.equal(r.status, 200, r.text);
  r = await api('anna', 'PATCH', `/api/v1/bullets/${f.bullet}`, { text: 'UTKAST som ingen ska se.' });
  assert.equal(r.status, 200, r.text);
  let s = await actionShows(action, f.series);
  assert.doesNotMatch(s.all, /UTKAST/);
  assert.match(s.page, /Gränsöverskridande praktikplatser\./);
  // a link-holder's pending bullet merged into it does not leak either
  const t = f.table;
  const p = (await api(null, 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: t.questions[0].id, text: 'LÄNKTEXT ograns­kad.', token: t.token })).json();
  r = await api('anna', 'POST', `/api/v1/bullets/${p.id}/merge`, { into: f.bullet });
  assert.equal(r.status, 200, r.text);
  s = await actionShows(action, f.series);
  assert.doesNotMatch(s.all, /UTKAST|LÄNKTEXT/);
  // approved again: the action item shows the text as now published
  r = await api('anna', 'PATCH', `/api/v1/bullets/${f.bullet}`, { status: 'approved', text: 'Praktikplatser på båda sidor om gränsen.' });
  assert.equal(r.status, 200, r.text);
  s = await actionShows(action, f.series);
  assert.match(s.page, /Praktikplatser på båda sidor om gränsen\./);
  assert.match(s.fapi, /Praktikplatser på båda sidor om gränsen\./);
  assert.doesNotMatch(s.all, /Gränsöverskridande praktikplatser/);
});

test('event co-organiser: a borrowed name stays unconfirmed and the borrower cannot leave it alone', async () => {
  // Eve names Anna's organisation as co-organiser of her event
  let r = await api('eve', 'POST', '/api/v1/events', ev({ title: 'Lånade fjädrar', organisers: [orgs.eve, orgs.anna] }));
  assert.equal(r.status, 201, r.text);
  const id = r.json().id;
  r = await api(null, 'GET', `/api/v1/events/${id}`);
  assert.deepEqual(r.json().organisers, [orgs.eve, orgs.anna]);
  assert.deepEqual(r.json().unconfirmed_organisers, [orgs.anna]);
  let page = (await new Client(srv.base, { lang: 'en' }).get(`/events/${id}`)).text;
  assert.match(page, /Gränslösa Verkstäder AB<\/a> <span class="badge unconfirmed">unconfirmed<\/span>/);
  const inFilter = async (org) => (await api(null, 'GET', `/api/v1/events?org=${org}&from=2027-01-01&to=2027-12-31&status=all`)).json().items.some((e) => e.id === id);
  assert.equal(await inFilter(orgs.anna), false, 'not in Anna\'s calendar while unconfirmed');
  assert.equal(await inFilter(orgs.eve), true);
  // then removes her own: refused, through the API and the page
  r = await api('eve', 'PATCH', `/api/v1/events/${id}`, { organisers: [orgs.anna] });
  assert.equal(r.status, 422, r.text);
  assert.ok(r.json().errors.organisers);
  const evePage = await as('eve');
  const form = new URLSearchParams({ title_sv: 'Lånade fjädrar', title_nb: '', title_en: '', desc_sv: '', desc_nb: '', desc_en: '', status: 'planned',
    start: '2027-09-14T09:00', end: '2027-09-14T16:00', timezone: 'Europe/Stockholm', country: 'SE', municipality: '1780', venue: '', online_url: '',
    language: 'sv', capacity: '', registration_deadline: '', series: '', organisers_more: String(orgs.anna) });
  form.append('themes', 'manufacturing'); form.append('audiences', 'companies');
  r = await evePage.submit(`/events/${id}/edit`, `/events/${id}/edit`, form);
  assert.equal(r.status, 422, r.text.slice(0, 300));
  assert.match(r.text, /Keep at least one organisation you are a member of among the organisers/);
  assert.deepEqual((await api(null, 'GET', `/api/v1/events/${id}`)).json().organisers, [orgs.eve, orgs.anna]);
  // nobody but Anna's administrators answers for Anna's organisation
  assert.equal((await api('ola', 'POST', `/api/v1/events/${id}/organisers`, { organisation: orgs.anna, answer: 'confirm' })).status, 403);
  assert.equal((await api('eve', 'POST', `/api/v1/events/${id}/organisers`, { organisation: orgs.anna, answer: 'confirm' })).status, 403);
  // Anna sees the buttons and declines: her organisation is off the event, as a new version
  const anna = await as('anna');
  page = (await anna.get(`/events/${id}`)).text;
  assert.match(page, /Decline: we do not organise this/);
  r = await anna.submit(`/events/${id}`, `/events/${id}/organisers`, { organisation: String(orgs.anna), answer: 'decline' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  r = await api(null, 'GET', `/api/v1/events/${id}`);
  assert.deepEqual(r.json().organisers, [orgs.eve]);
  assert.deepEqual(r.json().unconfirmed_organisers, []);
  // named again and confirmed this time: then it is Anna's event too, on her (cached) public profile as well
  r = await api('eve', 'PATCH', `/api/v1/events/${id}`, { organisers: [orgs.eve, orgs.anna], start: '2027-01-14T09:00', end: '2027-01-14T16:00' });
  assert.equal(r.status, 200, r.text);
  const profile = async () => (await new Client(srv.base, { lang: 'sv' }).get(`/organisations/${orgs.anna}`)).text;
  assert.doesNotMatch(await profile(), new RegExp(`<a href="/events/${id}">`));
  r = await api('anna', 'POST', `/api/v1/events/${id}/organisers`, { organisation: orgs.anna, answer: 'confirm' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json().unconfirmed_organisers, []);
  assert.equal(await inFilter(orgs.anna), true);
  assert.match(await profile(), new RegExp(`<a href="/events/${id}">Lånade fjädrar</a>`), 'the visitors\' page cache saw the confirmation');
  // the last confirmed organiser cannot decline: the event would belong to nobody
  const own = (await api('anna', 'POST', '/api/v1/events', ev({ title: 'Bara Annas' }))).json().id;
  r = await api('anna', 'POST', `/api/v1/events/${own}/organisers`, { organisation: orgs.anna, answer: 'decline' });
  assert.equal(r.status, 409, r.text);
});

test('event series: an event joins only a series of its own organisers', async () => {
  let r = await api('anna', 'POST', '/api/v1/events', ev({ title: 'Annas seriedag', series: 'Annas egen serie' }));
  assert.equal(r.status, 201, r.text);
  // Eve cannot put her event into Anna's series, neither when creating nor when editing it
  r = await api('eve', 'POST', '/api/v1/events', ev({ title: 'Inkräktaren', organisers: [orgs.eve], series: 'Annas egen serie' }));
  assert.equal(r.status, 422, r.text);
  assert.ok(r.json().errors.series);
  r = await api('eve', 'POST', '/api/v1/events', ev({ title: 'Eves dag', organisers: [orgs.eve], series: 'Eves egen serie' }));
  assert.equal(r.status, 201, r.text);
  const eveEvent = r.json().id;
  r = await api('eve', 'PATCH', `/api/v1/events/${eveEvent}`, { series: 'Annas egen serie' });
  assert.equal(r.status, 422, r.text);
  const series = (await api(null, 'GET', `/api/v1/events/${eveEvent}`)).json().series;
  assert.equal(series.name, 'Eves egen serie');
  // Anna's organisation adds to its own series
  r = await api('anna', 'POST', '/api/v1/events', ev({ title: 'Annas andra seriedag', series: 'Annas egen serie', start: '2028-09-14T09:00', end: '2028-09-14T16:00' }));
  assert.equal(r.status, 201, r.text);
});

test('table host and action owner: a borrowed name stays unconfirmed until its administrators agree', async () => {
  const e = (await api('eve', 'POST', '/api/v1/events', ev({ title: 'Eves rundabord', organisers: [orgs.eve], series: 'Eves rundabordsserie' }))).json().id;
  let r = await api('eve', 'POST', `/api/v1/events/${e}/roundtables`, { hosts: [{ org: orgs.eve }, { org: orgs.anna }] });
  assert.equal(r.status, 201, r.text);
  const t = r.json();
  assert.deepEqual(t.hosts.map((h) => [h.org, h.confirmed]), [[orgs.eve, true], [orgs.anna, false]]);
  let page = (await new Client(srv.base, { lang: 'en' }).get(`/roundtables/${t.id}`)).text;
  assert.match(page, /Named as host, not confirmed yet by the organisation: <span class="badge unconfirmed">Gränslösa Verkstäder AB<\/span>/);
  // an approved bullet becomes an action item owned, says Eve, by Anna's organisation
  const b = (await api('eve', 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: t.questions[0].id, text: 'Anna lovar att bygga en fabrik.', status: 'approved' })).json();
  r = await api('eve', 'POST', `/api/v1/bullets/${b.id}/action`, { owners: [orgs.anna] });
  assert.equal(r.status, 201, r.text);
  const action = r.json();
  assert.deepEqual(action.owners.map((o) => [o.id, o.confirmed]), [[orgs.anna, false]]);
  page = (await new Client(srv.base, { lang: 'en' }).get(`/actions/${action.id}`)).text;
  assert.match(page, /Gränslösa Verkstäder AB \(unconfirmed\)/);
  const series = (await api(null, 'GET', `/api/v1/events/${e}`)).json().series.id;
  let f = (await api(null, 'GET', `/api/v1/series/${series}/followup`)).json();
  assert.deepEqual(f.summary.by_country, { SE: 0, NO: 0, both: 0, none: 1 }, 'an unconfirmed owner is no commitment');
  page = (await new Client(srv.base, { lang: 'en' }).get(`/series/${series}/followup`)).text;
  assert.match(page, /Gränslösa Verkstäder AB \(unconfirmed\)/);
  // only Anna's administrators answer for it
  assert.equal((await api('ola', 'POST', `/api/v1/actions/${action.id}/owners`, { organisation: orgs.anna, answer: 'confirm' })).status, 403);
  assert.equal((await api('eve', 'POST', `/api/v1/roundtables/${t.id}/hosts`, { organisation: orgs.anna, answer: 'confirm' })).status, 403);
  // Anna declines hosting (through the page) and confirms the action item (through the API)
  const anna = await as('anna');
  page = (await anna.get(`/roundtables/${t.id}`)).text;
  assert.match(page, /Decline for my organisation/);
  r = await anna.submit(`/roundtables/${t.id}`, `/roundtables/${t.id}/hosts`, { organisation: String(orgs.anna), answer: 'decline' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  r = await api(null, 'GET', `/api/v1/roundtables/${t.id}`);
  assert.deepEqual(r.json().hosts.map((h) => h.org), [orgs.eve]);
  assert.doesNotMatch(r.json().hosts_text, /Gränslösa/);
  r = await api('anna', 'POST', `/api/v1/actions/${action.id}/owners`, { organisation: orgs.anna, answer: 'confirm' });
  assert.equal(r.status, 200, r.text);
  f = (await api(null, 'GET', `/api/v1/series/${series}/followup`)).json();
  assert.deepEqual(f.summary.by_country, { SE: 1, NO: 0, both: 0, none: 0 });
  assert.equal((await api(null, 'GET', `/api/v1/actions/${action.id}`)).json().owners[0].confirmed, true);
  // a table whose only host declines keeps it: the organisers change the table instead
  const t2 = (await api('eve', 'POST', `/api/v1/events/${e}/roundtables`, { hosts: [{ org: orgs.anna }] })).json();
  r = await api('anna', 'POST', `/api/v1/roundtables/${t2.id}/hosts`, { organisation: orgs.anna, answer: 'decline' });
  assert.equal(r.status, 409, r.text);
});

test('notifications: GET /inbox does not mark them read, the POST does (also at the old address /notifications)', async () => {
  const id = (await api('anna', 'POST', '/api/v1/events', ev({ title: 'Fullsatt', capacity: 1 }))).json().id;
  assert.equal((await api('bo', 'POST', `/api/v1/events/${id}/registrations`, {})).status, 201);
  assert.equal((await api('ola', 'POST', `/api/v1/events/${id}/registrations`, {})).json().status, 'waiting');
  assert.equal((await api('bo', 'DELETE', `/api/v1/events/${id}/registrations`)).status, 200);
  const mine = async () => (await api('ola', 'GET', '/api/v1/notifications')).json().items.filter((n) => n.event === id);
  assert.deepEqual((await mine()).map((n) => [n.kind, n.read]), [['promoted', false], ['waiting', false]]);
  const ola = await as('ola');
  for (let i = 0; i < 2; i++) {
    const r = await ola.get('/inbox');
    assert.equal(r.status, 200);
    assert.match(r.text, /<li class="unread">/);
  }
  assert.ok((await mine()).every((n) => !n.read), 'looking is not reading');
  const r = await ola.submit('/inbox', '/notifications', {});
  assert.equal(r.status, 303);
  assert.ok((await mine()).every((n) => n.read));
  assert.doesNotMatch((await ola.get('/inbox')).text, /Mark all as read/);
  assert.equal((await ola.post('/notifications', { form: {} })).status, 403, 'the POST needs the CSRF token');
});

test('short link: unreviewed bullets cannot be attached to a border obstacle', async () => {
  const obs = (await api('bo', 'POST', '/api/v1/obstacles', { title: 'Tullen stoppar fiskfoder', description: 'Foder stoppas i tullen.', country: 'both', themes: ['blue-bioeconomy'] })).json().id;
  assert.ok(obs);
  const f = await tableWithBullet('Ett godkänt svar om tullen.');
  const t = f.table, q = t.questions[0].id;
  const links = async () => JSON.stringify((await api(null, 'GET', `/api/v1/obstacles/${obs}`)).json());
  // anyone with the short link: no links at all
  let r = await api(null, 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: q, text: 'OGRANSKAD länk till hindret.', token: t.token, obstacles: [obs] });
  assert.equal(r.status, 422, r.text);
  assert.ok(r.json().errors.obstacles);
  r = await api(null, 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: q, text: 'OGRANSKAD länk till en organisation.', token: t.token, organisations: [orgs.eve] });
  assert.equal(r.status, 422, r.text);
  // a host: not while the bullet is pending
  r = await api('anna', 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: q, text: 'Väntande med hinder.', obstacles: [obs] });
  assert.equal(r.status, 422, r.text);
  const pending = (await api(null, 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: q, text: 'Från länken.', token: t.token })).json().id;
  r = await api('anna', 'PATCH', `/api/v1/bullets/${pending}`, { obstacles: [obs] });
  assert.equal(r.status, 422, r.text);
  assert.doesNotMatch(await links(), /"bullet"/, 'nothing was linked');
  // once approved, the host links it
  r = await api('anna', 'PATCH', `/api/v1/bullets/${pending}`, { status: 'approved', obstacles: [obs] });
  assert.equal(r.status, 200, r.text);
  assert.match(await links(), /"bullet"/);
});

test('action log: the public history names roles, never user ids', async () => {
  const f = await tableWithBullet('Ett svar som blir en åtgärd.');
  let r = await api('anna', 'POST', `/api/v1/bullets/${f.bullet}/action`, { owners: [orgs.anna], note: 'Start.' });
  assert.equal(r.status, 201, r.text);
  const id = r.json().id;
  r = await api('anna', 'PATCH', `/api/v1/actions/${id}`, { status: 'agreed', due: '2028-01-31' });
  assert.equal(r.status, 200, r.text);
  const log = (await api(null, 'GET', `/api/v1/actions/${id}`)).json().log;
  assert.ok(log.length >= 3);
  for (const e of log) {
    assert.equal(e.user, undefined, 'no user id');
    assert.equal(e.by, 'organiser');
  }
  const pub = JSON.stringify((await api(null, 'GET', `/api/v1/series/${f.series}/followup`)).json());
  assert.doesNotMatch(pub, /"user"/, 'the follow-up carries no user ids either');
});

test('meeting profiles: names and texts are shown to the other participants only by choice', async () => {
  const id = (await api('anna', 'POST', '/api/v1/events', ev({ title: 'Mötesbörsen' }))).json().id;
  assert.equal((await api('anna', 'POST', `/api/v1/events/${id}/meetings/setup`, { first_slot: '2027-09-14T10:00', slot_minutes: 20, slots: 3, tables: 2 })).status, 200);
  for (const who of ['bo', 'ola']) assert.equal((await api(who, 'POST', `/api/v1/events/${id}/registrations`, {})).status, 201);
  const base = `/api/v1/events/${id}/meetings`;
  assert.equal((await api('ola', 'POST', base + '/profile', { offer: 'HEMLIG sensorteknik', unavailable: [1] })).status, 200);
  assert.deepEqual((await api('bo', 'GET', base + '/profiles')).json().items, [], 'not shown without consent');
  const bo = await as('bo');
  let page = (await bo.get(`/events/${id}/meetings`)).text;
  assert.doesNotMatch(page, /HEMLIG|Ola Nordmann/);
  assert.equal((await api('ola', 'POST', base + '/profile', { offer: 'x', visible: 'yes' })).status, 422);
  // Ola chooses to show it (on the page: the checkbox)
  const ola = await as('ola');
  page = (await ola.get(`/events/${id}/meetings`)).text;
  assert.match(page, /name="visible" value="1">/);
  const r = await ola.submit(`/events/${id}/meetings`, `/events/${id}/meetings/profile`, { offer: 'HEMLIG sensorteknik', visible: '1' });
  assert.equal(r.status, 303);
  assert.deepEqual((await api('bo', 'GET', base + '/profiles')).json().items.map((p) => p.name), ['Ola Nordmann']);
  assert.match((await bo.get(`/events/${id}/meetings`)).text, /HEMLIG sensorteknik/);
  assert.match((await ola.get(`/events/${id}/meetings`)).text, /name="visible" value="1" checked>/);
});

test('cluster membership: a claimed membership shows only once the cluster accepts it', async () => {
  // Eve says her company is a member of Ola's cluster
  let r = await api('eve', 'PATCH', `/api/v1/organisations/${orgs.eve}`, { networks: [orgs.ola] });
  assert.equal(r.status, 200, r.text);
  const visitor = new Client(srv.base, { lang: 'en' });
  assert.doesNotMatch((await visitor.get(`/organisations/${orgs.ola}`)).text, /Eves Konsult AB/, 'not among the cluster\'s members');
  assert.doesNotMatch((await visitor.get(`/organisations/${orgs.eve}`)).text, /Grenseløs Klynge/, 'nor on her own profile');
  // the cluster's administrator sees the request; nobody else answers it
  const ola = await as('ola');
  let page = (await ola.get(`/organisations/${orgs.ola}/members`)).text;
  assert.match(page, /Organisations that say they are members/);
  assert.match(page, /Eves Konsult AB/);
  const eve = await as('eve');
  r = await eve.submit(`/organisations/${orgs.eve}/members`, `/organisations/${orgs.ola}/networks`, { member: String(orgs.eve), answer: 'confirm' });
  assert.equal(r.status, 403);
  r = await ola.submit(`/organisations/${orgs.ola}/members`, `/organisations/${orgs.ola}/networks`, { member: String(orgs.eve), answer: 'confirm' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.match((await visitor.get(`/organisations/${orgs.ola}`)).text, /Eves Konsult AB/);
  assert.match((await visitor.get(`/organisations/${orgs.eve}`)).text, /Grenseløs Klynge/);
  // a refused claim stays hidden and is not asked again
  r = await api('anna', 'PATCH', `/api/v1/organisations/${orgs.anna}`, { networks: [orgs.ola] });
  assert.equal(r.status, 200, r.text);
  r = await ola.submit(`/organisations/${orgs.ola}/members`, `/organisations/${orgs.ola}/networks`, { member: String(orgs.anna), answer: 'decline' });
  assert.equal(r.status, 303);
  assert.doesNotMatch((await visitor.get(`/organisations/${orgs.ola}`)).text, /Gränslösa Verkstäder AB/);
  page = (await ola.get(`/organisations/${orgs.ola}/members`)).text;
  assert.doesNotMatch(page.slice(page.indexOf('Organisations that say they are members')), /Gränslösa Verkstäder AB<\/a> <form/);
});

test('event co-organiser: an organisation that accepted the invitation is confirmed when named', async () => {
  const id = (await api('anna', 'POST', '/api/v1/events', ev({ title: 'Inbjudan först' }))).json().id;
  const inv = (await api('anna', 'POST', `/api/v1/events/${id}/invitations`, { organisation: orgs.ola })).json().id;
  assert.equal((await api('ola', 'POST', `/api/v1/invitations/${inv}`, { answer: 'accept' })).status, 200);
  const r = await api('anna', 'PATCH', `/api/v1/events/${id}`, { organisers: [orgs.anna, orgs.ola] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual((await api(null, 'GET', `/api/v1/events/${id}`)).json().unconfirmed_organisers, []);
  // one that was only invited (no answer yet) stays unconfirmed
  const id2 = (await api('anna', 'POST', '/api/v1/events', ev({ title: 'Bara inbjuden' }))).json().id;
  await api('anna', 'POST', `/api/v1/events/${id2}/invitations`, { organisation: orgs.ola });
  await api('anna', 'PATCH', `/api/v1/events/${id2}`, { organisers: [orgs.anna, orgs.ola] });
  assert.deepEqual((await api(null, 'GET', `/api/v1/events/${id2}`)).json().unconfirmed_organisers, [orgs.ola]);
});
