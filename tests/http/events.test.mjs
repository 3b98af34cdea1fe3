// Events: the calendar and the board, the API (create with clash and holiday warnings, clashes,
// permissions, bad input), registration with a waiting list, invitations, notifications, the
// participant CSV, iCalendar and Atom feeds, and `granslos import ics` with hostile files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, Client, cli } from './lib.mjs';

let srv, tmp;
const tok = {};
const orgs = {};
before(async () => {
  srv = await startServer();
  tmp = mkdtempSync(join(tmpdir(), 'granslos-ev-'));
  for (const [k, email, name] of [['anna', 'anna@example.se', 'Anna Andersson'], ['ola', 'ola@example.no', 'Ola Nordmann'], ['bo', 'bo@example.se', 'Bo Berg'], ['kari', 'kari@example.no', 'Kari Lie']]) {
    srv.user(email, name, { password: k + ' password 123' });
    tok[k] = srv.token(email);
  }
  // Anna runs a Swedish company, Ola a Norwegian cluster (each becomes the administrator)
  orgs.anna = (await api('anna', 'POST', '/api/v1/organisations', { name: 'Gränslösa Verkstäder AB', country: 'SE', kind: 'company', municipality: '1780', themes: ['manufacturing'] })).json().id;
  orgs.ola = (await api('ola', 'POST', '/api/v1/organisations', { name: 'Grenseløs Klynge', country: 'NO', kind: 'cluster', municipality: '3401', themes: ['manufacturing'] })).json().id;
});
after(async () => { await srv.stop(); rmSync(tmp, { recursive: true, force: true }); });

async function api(who, method, path, json, lang = 'en') {
  const c = new Client(srv.base, { lang });
  return c.req(method, path, { json, headers: who ? { authorization: 'Bearer ' + tok[who] } : {} });
}
async function as(who, lang = 'en') {
  const c = new Client(srv.base, { lang });
  const email = { anna: 'anna@example.se', ola: 'ola@example.no', bo: 'bo@example.se', kari: 'kari@example.no' }[who];
  await c.login(email, who + ' password 123');
  return c;
}
const ev = (o = {}) => ({ title: 'Gränsdagen', start: '2027-09-14T09:00', end: '2027-09-14T16:00', timezone: 'Europe/Stockholm', country: 'SE',
  municipality: '1780', themes: ['manufacturing'], status: 'planned', organisers: [orgs.anna], ...o });
const demoId = async (title) => {
  const all = (await api(null, 'GET', '/api/v1/events?from=2020-01-01&to=2030-12-31&status=all')).json().items;
  return all.find((e) => Object.values(e.title).some((t) => t.includes(title))).id;
};

test('visitors see the calendar in list, month and week views, the board, filters and an event page', async () => {
  const c = new Client(srv.base, { lang: 'en' });
  let r = await c.get('/events');
  assert.equal(r.status, 200);
  assert.match(r.text, /Future Industry Forum/);
  assert.match(r.text, /Leverandørdag: industri over grensen/);
  assert.match(r.text, /<span class="demo">Demo<\/span>/);
  assert.doesNotMatch(r.text, /Mötesplats Vision 2022/, 'past events are not in the list');
  r = await c.get('/events?country=NO');
  assert.match(r.text, /Leverandørdag/);
  assert.doesNotMatch(r.text, /Future Industry Forum/);
  r = await c.get('/events?status=idea');
  assert.match(r.text, /Finnskogen/);
  assert.doesNotMatch(r.text, /Future Industry Forum/);
  r = await c.get('/events?theme=energy&county=SE-17');
  assert.match(r.text, /Glava/);
  assert.doesNotMatch(r.text, /Solkraft/);
  r = await c.get('/events?view=month&month=2027-05');
  assert.equal(r.status, 200);
  assert.match(r.text, /<caption>May 2027<\/caption>/);
  assert.match(r.text, /Besöksnäringsträff Sälen–Trysil/);
  assert.match(r.text, /Grunnlovsdag/, 'holidays in the month view');
  assert.match(r.text, /Kristi himmelsfärdsdag/);
  r = await c.get('/events?view=week&date=2027-05-06');
  assert.equal(r.status, 200);
  assert.match(r.text, /Besöksnäringsträff/);
  r = await c.get('/events/board');
  assert.equal(r.status, 200);
  // week rows shared by both countries: Sweden and Norway side by side in each row
  const cells = (cc) => r.text.split('<div class="board-cell country-').filter((x) => x.startsWith(cc + '"')).map((x) => x.split('</section>')[0]).join('\n');
  assert.match(r.text, /<h3 class="board-country">Sweden<\/h3>/);
  assert.match(r.text, /<h3 class="board-country">Norway<\/h3>/);
  assert.match(cells('SE'), /Future Industry Forum/);
  assert.doesNotMatch(cells('SE'), /Leverandørdag/);
  assert.match(cells('NO'), /Leverandørdag/);
  for (const bad of ['/events?country=DK', '/events?view=month&month=2027-13', '/events?theme=nope', '/events?view=week&date=2027-02-30']) {
    assert.equal((await c.get(bad)).status, 400, bad);
  }
  // an event of a series shows its other editions
  const id = await demoId('the next edition in Hamar');
  r = await c.get('/events/' + id);
  assert.equal(r.status, 200);
  assert.match(r.text, /Demo event/);
  assert.match(r.text, /Mötesplats Vision<ul class="plain"><li><a href="\/events\/\d+">2022<\/a>/);
  assert.match(r.text, /Log in to register/);
  assert.equal((await c.get('/events/999999')).status, 404);
  assert.equal((await c.get('/api/v1/events/999999')).status, 404);
});

test('POST /api/v1/events answers 201 with clash and holiday warnings; GET returns the event', async () => {
  const fif = await demoId('Future Industry Forum');
  const f = (await api(null, 'GET', '/api/v1/events/' + fif)).json();
  // the same day as Future Industry Forum, same theme and county
  let r = await api('anna', 'POST', '/api/v1/events', ev({ start: f.start, end: f.end.slice(0, 11) + '18:00' }));
  assert.equal(r.status, 201, r.text);
  let b = r.json();
  assert.ok(b.id > 0);
  assert.match(r.headers.get('location'), new RegExp('/api/v1/events/' + b.id + '$'));
  const clash = b.warnings.find((w) => w.kind === 'clash');
  assert.equal(clash.event, fif);
  assert.ok(clash.reasons.some((x) => x.type === 'theme' && x.value === 'manufacturing'));
  // midsummer eve 2027 (Friday 25 June) and Norway's 17 May
  r = await api('anna', 'POST', '/api/v1/events', ev({ start: '2027-06-25T10:00', end: '2027-06-25T12:00', themes: [] }));
  assert.equal(r.status, 201);
  assert.deepEqual(r.json().warnings.filter((w) => w.kind === 'holiday').map((w) => [w.country, w.name]), [['SE', 'Midsommarafton']]);
  r = await api('anna', 'POST', '/api/v1/events', ev({ start: '2027-05-17T10:00', end: '2027-05-17T12:00', themes: [], timezone: 'Europe/Oslo' }));
  assert.ok(r.json().warnings.some((w) => w.kind === 'holiday' && w.country === 'NO' && w.name === 'Grunnlovsdag'));
  // the stored event: UTC and the local time as entered (summer time: UTC+2)
  const e = (await api(null, 'GET', '/api/v1/events/' + r.json().id)).json();
  assert.equal(e.start, '2027-05-17T10:00');
  assert.equal(e.start_utc, '2027-05-17T08:00:00Z');
  assert.equal(e.timezone, 'Europe/Oslo');
  assert.equal(e.title.sv, 'Gränsdagen');
  assert.deepEqual(e.organisers, [orgs.anna]);
  // winter time: UTC+1
  r = await api('anna', 'POST', '/api/v1/events', ev({ start: '2027-01-12T09:00', end: '2027-01-12T10:00', themes: [] }));
  assert.equal((await api(null, 'GET', '/api/v1/events/' + r.json().id)).json().start_utc, '2027-01-12T08:00:00Z');
});

test('GET /api/v1/events/clashes gives the same warnings; bad queries are 422', async () => {
  const fif = await demoId('Future Industry Forum');
  const f = (await api(null, 'GET', '/api/v1/events/' + fif)).json();
  let r = await api(null, 'GET', `/api/v1/events/clashes?start=${f.start}&end=${f.end}&themes=manufacturing&municipality=1780`);
  assert.equal(r.status, 200);
  assert.ok(r.json().warnings.some((w) => w.kind === 'clash' && w.event === fif));
  // across the border: Kongsvinger (Innlandet) and Värmland are one border region
  r = await api(null, 'GET', `/api/v1/events/clashes?start=${f.start.slice(0, 10)}&themes=tourism&municipality=NO-3401`);
  assert.ok(r.json().warnings.some((w) => w.kind === 'clash' && w.event === fif && w.reasons.some((x) => x.type === 'border-region')));
  // nothing shared: no clash
  r = await api(null, 'GET', `/api/v1/events/clashes?start=${f.start.slice(0, 10)}&themes=blue-bioeconomy&municipality=0180`);
  assert.ok(!r.json().warnings.some((w) => w.kind === 'clash' && w.event === fif));
  // within a number of days
  const dayAfter = new Date(Date.parse(f.end.slice(0, 10)) + 3 * 86400e3).toISOString().slice(0, 10);
  r = await api(null, 'GET', `/api/v1/events/clashes?start=${dayAfter}&themes=manufacturing`);
  assert.ok(!r.json().warnings.some((w) => w.event === fif));
  r = await api(null, 'GET', `/api/v1/events/clashes?start=${dayAfter}&themes=manufacturing&days=3`);
  assert.ok(r.json().warnings.some((w) => w.event === fif));
  r = await api(null, 'GET', '/api/v1/events/clashes?start=2027-06-06');
  assert.deepEqual(r.json().warnings.map((w) => w.name), ['Sveriges nationaldag']);
  for (const q of ['', '?start=2027-02-30', '?start=2027-03-28T02:30', '?start=tomorrow', '?start=2027-05-01&end=2027-04-01', '?start=2027-05-01&municipality=9999',
    '?start=2027-05-01&days=x', '?start=2027-05-01&timezone=Europe/Berlin', '?start=2027-05-01&country=DK']) {
    r = await api(null, 'GET', '/api/v1/events/clashes' + q, undefined, 'sv');
    assert.equal(r.status, 422, q);
    assert.equal(r.json().code, 'bad-query');
  }
  r = await api(null, 'GET', '/api/v1/events/clashes?start=2027-03-28T02:30', undefined, 'sv');
  assert.match(r.json().detail, /sommartid/);
});

test('bad input: clear errors in the user\'s language, 422, nothing saved', async () => {
  const count = async () => (await api(null, 'GET', '/api/v1/events?from=2020-01-01&to=2035-12-31&status=all')).json().total;
  const before = await count();
  const cases = [
    [{ end: '2027-09-14T08:00' }, 'end', /after the start/],
    [{ end: '2027-09-14T09:00' }, 'end', /after the start/],
    [{ start: '2027-02-30T09:00', end: '2027-03-01T10:00' }, 'start', /does not exist/],
    [{ start: '2027-02-29T09:00', end: '2027-03-01T10:00' }, 'start', /does not exist/],
    [{ start: '2027-09-14T25:00' }, 'start', /does not exist/],
    [{ start: '2027-03-28T02:30', end: '2027-03-28T10:00' }, 'start', /summer time/],
    [{ start: '2027-03-28T01:00', end: '2027-03-28T02:15' }, 'end', /summer time/],
    [{ start: '14/9/2027 9:00' }, 'start', /YYYY-MM-DD/],
    [{ end: '2027-11-14T09:00' }, 'end', /31 days/],
    [{ timezone: 'Europe/Berlin' }, 'timezone', /Stockholm/],
    [{ title: '' }, 'title', /title/],
    [{ title: { de: 'Titel' } }, 'title', /sv, nb and en/],
    [{ country: 'DK' }, 'country', /Sweden or Norway/],
    [{ municipality: '0301' }, 'municipality', /no municipality/],
    [{ municipality: null, online_url: null }, 'municipality', /where/],
    [{ online_url: 'javascript:alert(1)' }, 'online_url', /https/],
    [{ capacity: 0 }, 'capacity', /capacity/],
    [{ capacity: 'many' }, 'capacity', /capacity/],
    [{ status: 'maybe' }, 'status', /idea/],
    [{ themes: ['space'] }, 'themes', /key area/i],
    [{ audiences: ['pirates'] }, 'audiences', /audience/i],
    [{ organisers: [] }, 'organisers', /at least one/],
    [{ organisers: [999999] }, 'organisers', /no such/],
    [{ registration_deadline: '2027-09-15T09:00' }, 'registration_deadline', /before the event ends/],
    [{ colour: 'red' }, 'colour', /unknown/],
  ];
  for (const [o, field, msg] of cases) {
    const r = await api('anna', 'POST', '/api/v1/events', ev(o));
    assert.equal(r.status, 422, JSON.stringify(o));
    assert.match(r.json().errors[field] ?? '', msg, JSON.stringify(o) + ' ' + r.text);
  }
  let r = await api('anna', 'POST', '/api/v1/events', ev({ start: '2027-03-28T02:30', end: '2027-03-28T10:00' }), 'nb');
  assert.match(r.json().errors.start, /sommertid/);
  // an idea may leave the place open
  r = await api('anna', 'POST', '/api/v1/events', ev({ status: 'idea', municipality: null }));
  assert.equal(r.status, 201);
  r = await new Client(srv.base).req('POST', '/api/v1/events', { json: '{"title": "x", "title": "y"}', headers: { authorization: 'Bearer ' + tok.anna } });
  assert.equal(r.status, 400);
  r = await new Client(srv.base).req('POST', '/api/v1/events', { body: 'title=x', headers: { authorization: 'Bearer ' + tok.anna, 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 415);
  assert.equal(await count(), before + 1);
});

test('only members of organising organisations create, edit and cancel; the record is kept', async () => {
  let r = await api(null, 'POST', '/api/v1/events', ev());
  assert.equal(r.status, 401);
  r = await api('ola', 'POST', '/api/v1/events', ev());
  assert.equal(r.status, 403, 'Ola is not a member of Anna\'s company');
  r = await api('anna', 'POST', '/api/v1/events', ev({ title: { sv: 'Verkstadsdag', nb: 'Verkstedsdag' } }));
  const id = r.json().id;
  r = await api('ola', 'PATCH', '/api/v1/events/' + id, { title: 'Hijack' });
  assert.equal(r.status, 403);
  r = await api('ola', 'POST', '/api/v1/events/' + id + '/cancel');
  assert.equal(r.status, 403);
  r = await (await as('ola')).get(`/events/${id}/edit`);
  assert.equal(r.status, 403);
  // co-organising: Anna adds Ola's cluster, now Ola may edit
  r = await api('anna', 'PATCH', '/api/v1/events/' + id, { organisers: [orgs.anna, orgs.ola] });
  assert.equal(r.status, 200);
  r = await api('ola', 'PATCH', '/api/v1/events/' + id, { title: { sv: 'Verkstadsdag', nb: 'Verkstedsdagen' }, status: 'confirmed' });
  assert.equal(r.status, 200);
  assert.equal(r.json().title.nb, 'Verkstedsdagen');
  assert.equal(r.json().version, 3);
  assert.ok(Array.isArray(r.json().warnings));
  r = await api('anna', 'GET', `/api/v1/events/${id}/history`);
  assert.deepEqual(r.json().items.map((v) => v.version), [3, 2, 1]);
  assert.deepEqual(r.json().items[0].changes.status, ['planned', 'confirmed']);
  r = await api('bo', 'GET', `/api/v1/events/${id}/history`);
  assert.equal(r.status, 403);
  r = await api('anna', 'POST', '/api/v1/events/' + id + '/cancel');
  assert.equal(r.status, 200);
  assert.equal(r.json().status, 'cancelled');
  r = await api(null, 'GET', '/api/v1/events/' + id);
  assert.equal(r.json().status, 'cancelled', 'cancelling keeps the record');
  r = await new Client(srv.base, { lang: 'en' }).get('/events/' + id);
  assert.match(r.text, /This event has been cancelled/);
});

test('registration: capacity, waiting list moved up, capacity below registered refused, deadline, cancel notifies', async () => {
  let r = await api('anna', 'POST', '/api/v1/events', ev({ title: 'Liten workshop', capacity: 2 }));
  const id = r.json().id;
  r = await api('ola', 'POST', `/api/v1/events/${id}/registrations`, { share: true, affiliation: 'Grenseløs Klynge' });
  assert.equal(r.status, 201);
  assert.equal(r.json().status, 'registered');
  r = await api('bo', 'POST', `/api/v1/events/${id}/registrations`, { share: false });
  assert.equal(r.json().status, 'registered');
  r = await api('kari', 'POST', `/api/v1/events/${id}/registrations`, { share: true, affiliation: '=HYPERLINK("x")' });
  assert.equal(r.json().status, 'waiting');
  r = await api('kari', 'POST', `/api/v1/events/${id}/registrations`, { share: true, affiliation: '=HYPERLINK("x")' });
  assert.equal(r.json().status, 'waiting', 'registering twice changes nothing');
  let e = (await api(null, 'GET', '/api/v1/events/' + id)).json();
  assert.equal(e.registered, 2);
  assert.equal(e.waiting, 1);
  // capacity below the number registered
  r = await api('anna', 'PATCH', '/api/v1/events/' + id, { capacity: 1 }, 'sv');
  assert.equal(r.status, 422);
  assert.match(r.json().errors.capacity, /2/);
  // only organisers see the participants; only shared fields are exported
  assert.equal((await api('ola', 'GET', `/api/v1/events/${id}/registrations`)).status, 403);
  r = await api('anna', 'GET', `/api/v1/events/${id}/registrations`);
  assert.deepEqual(r.json().items.map((p) => [p.name ?? null, p.status]), [['Ola Nordmann', 'registered'], [null, 'registered'], ['Kari Lie', 'waiting']]);
  const anna = await as('anna');
  r = await anna.get(`/events/${id}/participants.csv`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  assert.match(r.text, /"Ola Nordmann","ola@example.no","Grenseløs Klynge","Registered"/);
  assert.doesNotMatch(r.text, /Bo Berg|bo@example/, 'Bo did not agree to share');
  assert.match(r.text, /"\(not shared\)","","","Registered"/);
  assert.match(r.text, /"'=HYPERLINK\(""x""\)"/, 'no formulas in spreadsheets');
  assert.equal((await (await as('bo')).get(`/events/${id}/participants.csv`)).status, 403);
  // Bo cancels: Kari moves up and is told
  r = await api('bo', 'DELETE', `/api/v1/events/${id}/registrations`);
  assert.equal(r.status, 200);
  e = (await api(null, 'GET', '/api/v1/events/' + id)).json();
  assert.equal(e.registered, 2);
  assert.equal(e.waiting, 0);
  r = await api('kari', 'GET', '/api/v1/notifications');
  assert.deepEqual(r.json().items.filter((n) => n.event === id).map((n) => n.kind), ['promoted', 'waiting']);
  assert.equal((await api('bo', 'DELETE', `/api/v1/events/${id}/registrations`)).status, 404);
  // more places: nobody waits; then the organisers cancel and everyone is told
  r = await api('anna', 'PATCH', '/api/v1/events/' + id, { capacity: 1 });
  assert.equal(r.status, 422);
  r = await api('anna', 'POST', `/api/v1/events/${id}/cancel`);
  assert.equal(r.status, 200);
  for (const who of ['ola', 'kari']) {
    const kinds = (await api(who, 'GET', '/api/v1/notifications')).json().items.filter((n) => n.event === id).map((n) => n.kind);
    assert.equal(kinds[0], 'cancelled', who);
  }
  r = await api('bo', 'POST', `/api/v1/events/${id}/registrations`, {});
  assert.equal(r.status, 409);
  assert.equal(r.json().code, 'event-cancelled');
  // a deadline that has passed
  r = await api('anna', 'POST', '/api/v1/events', ev({ start: '2025-03-10T09:00', end: '2025-03-10T10:00' }));
  r = await api('bo', 'POST', `/api/v1/events/${r.json().id}/registrations`, {});
  assert.equal(r.status, 409);
  assert.equal(r.json().code, 'registration-closed');
  r = await api('anna', 'POST', '/api/v1/events', ev({ registration_deadline: '2026-01-01T12:00' }));
  r = await api('bo', 'POST', `/api/v1/events/${r.json().id}/registrations`, {});
  assert.equal(r.json().code, 'registration-closed');
  assert.equal((await api('bo', 'POST', '/api/v1/events/999999/registrations', {})).status, 404);
});

test('the pages: create, see warnings, edit, register, cancel registration, cancel the event', async () => {
  const anna = await as('anna');
  let r = await anna.get('/events/new');
  assert.equal(r.status, 200);
  assert.match(r.text, /Gränslösa Verkstäder AB/);
  const fields = { title_sv: 'Industridag <script>alert(1)</script>', title_nb: '', title_en: '', desc_sv: 'Om industrin.', desc_nb: '', desc_en: '',
    status: 'planned', start: '2027-06-25T09:00', end: '2027-06-25T15:00', timezone: 'Europe/Stockholm', country: 'SE', municipality: '1780',
    venue: 'Verkstaden', online_url: '', language: 'sv', capacity: '1', registration_deadline: '', series: '', organisers_more: '' };
  const form = (o) => { const p = new URLSearchParams({ ...fields, ...o }); p.append('organisers', String(orgs.anna)); p.append('themes', 'manufacturing'); p.append('audiences', 'companies'); return p; };
  // a mistake first: the DST gap, shown at the field
  r = await anna.submit('/events/new', '/events/new', form({ start: '2027-03-28T02:30', end: '2027-03-28T10:00' }));
  assert.equal(r.status, 422);
  assert.match(r.text, /id="e-start"/);
  assert.match(r.text, /summer time/);
  r = await anna.submit('/events/new', '/events/new', form({ end: '2027-06-25T08:00' }));
  assert.equal(r.status, 422);
  assert.match(r.text, /id="e-end"/);
  r = await anna.submit('/events/new', '/events/new', form({}));
  assert.equal(r.status, 303);
  const path = r.location.replace(/\?.*/, '');
  r = await anna.get(r.location);
  assert.match(r.text, /The event has been added to the calendar/);
  assert.match(r.text, /Industridag &lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.doesNotMatch(r.text, /<script>alert/);
  assert.match(r.text, /Public holiday: <span lang="sv">Midsommarafton<\/span>/);
  assert.match(r.text, /Nobody has registered yet/);
  // edit
  r = await anna.get(path + '/edit');
  assert.equal(r.status, 200);
  assert.match(r.text, /value="2027-06-25T09:00"/);
  r = await anna.submit(path + '/edit', path + '/edit', form({ start: '2027-06-24T09:00', end: '2027-06-24T15:00' }));
  assert.equal(r.status, 303);
  assert.match(r.location, /done=saved/);
  r = await anna.get(path);
  assert.doesNotMatch(r.text, /Midsommarafton/);
  // Bo registers (the only place), Kari waits
  const bo = await as('bo');
  r = await bo.submit(path, path + '/register', { affiliation: 'Berg AB', share: '1' });
  assert.equal(r.status, 303);
  r = await bo.get(r.location);
  assert.match(r.text, /You are registered/);
  const kari = await as('kari');
  r = await kari.submit(path, path + '/register', {});
  r = await kari.get(r.location);
  assert.match(r.text, /waiting list/);
  r = await bo.submit(path, path + '/unregister', {});
  assert.equal(r.status, 303);
  r = await kari.get('/inbox');
  assert.match(r.text, /A place was freed: you are now registered for Industridag &lt;script&gt;/);
  // cancel the event from its page
  r = await anna.submit(path, path + '/cancel', {});
  assert.equal(r.status, 303);
  r = await anna.get(r.location);
  assert.match(r.text, /The event has been cancelled. Everyone registered has been told/);
  r = await kari.get('/inbox');
  assert.match(r.text, /has been cancelled/);
  // CSRF is required
  r = await bo.post(path + '/register', { form: { share: '1' } });
  assert.equal(r.status, 403);
});

test('invitations: organisers invite, only the invited organisation\'s administrators answer', async () => {
  let r = await api('anna', 'POST', '/api/v1/events', ev({ title: 'Inbjudningsdag' }));
  const id = r.json().id;
  assert.equal((await api('ola', 'POST', `/api/v1/events/${id}/invitations`, { organisation: orgs.anna })).status, 403);
  r = await api('anna', 'POST', `/api/v1/events/${id}/invitations`, { organisation: 999999 });
  assert.equal(r.status, 422);
  r = await api('anna', 'POST', `/api/v1/events/${id}/invitations`, { organisation: orgs.ola, message: 'Välkomna!' });
  assert.equal(r.status, 201);
  const inv = r.json().id;
  r = await api('anna', 'POST', `/api/v1/events/${id}/invitations`, { organisation: orgs.ola });
  assert.equal(r.json().id, inv, 'inviting twice is one invitation');
  // Ola administers the invited cluster: he sees it; Bo does not, and may not answer
  r = await api('ola', 'GET', '/api/v1/notifications');
  assert.ok(r.json().invitations.some((i) => i.id === inv && i.status === 'pending'));
  assert.equal((await api('bo', 'POST', `/api/v1/invitations/${inv}`, { answer: 'accept' })).status, 403);
  assert.equal((await api('anna', 'POST', `/api/v1/invitations/${inv}`, { answer: 'accept' })).status, 403, 'the inviter cannot answer for them');
  assert.equal((await api('ola', 'POST', `/api/v1/invitations/${inv}`, { answer: 'maybe' })).status, 422);
  assert.equal((await api('ola', 'POST', '/api/v1/invitations/999999', { answer: 'accept' })).status, 404);
  // through the page
  const ola = await as('ola');
  r = await ola.get('/inbox');
  assert.match(r.text, /Inbjudningsdag/);
  assert.match(r.text, /Accept for Grenseløs Klynge/);
  r = await ola.submit('/inbox', `/invitations/${inv}/answer`, { answer: 'accept' });
  assert.equal(r.status, 303);
  r = await api('anna', 'GET', `/api/v1/events/${id}/invitations`);
  assert.equal(r.json().items[0].status, 'accepted');
  r = await api('anna', 'GET', '/api/v1/notifications');
  assert.ok(r.json().items.some((n) => n.kind === 'accepted' && n.event === id && n.detail === 'Grenseløs Klynge'));
  // the organisers' page lists the invitation and suggests partners from the other side
  r = await (await as('anna')).get('/events/' + id);
  assert.match(r.text, /Grenseløs Klynge<\/a> <span class="country country-NO">Norway<\/span> – accepted/);
  assert.match(r.text, /Suggested from the other side of the border/);
  // inviting through the page; a bad organisation is refused
  r = await (await as('anna')).submit('/events/' + id, `/events/${id}/invite`, { organisation: 'abc' });
  assert.equal(r.status, 422);
});

test('iCalendar: one event, the whole calendar and filtered feeds; Atom', async () => {
  const c = new Client(srv.base, { lang: 'en' });
  const fif = await demoId('Future Industry Forum');
  let r = await c.get(`/events/${fif}.ics`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/calendar/);
  const t = r.text.replace(/\r\n[ \t]/g, '');
  assert.match(t, /^BEGIN:VCALENDAR\r\n/);
  assert.match(t, /VERSION:2\.0/);
  const fifUid = (await c.get(`/api/v1/events/${fif}`)).json().uid;
  assert.match(fifUid, /^[0-9a-f]{32}@granslos$/, 'native UIDs are random (issue 11)');
  assert.match(t, new RegExp(`UID:${fifUid}`));
  assert.match(t, /SUMMARY:Future Industry Forum/);
  assert.match(t, /DTSTART:\d{8}T\d{6}Z/);
  assert.match(t, /STATUS:CONFIRMED/);
  assert.equal((t.match(/BEGIN:VEVENT/g) || []).length, 1);
  assert.equal((await c.get('/events/999999.ics')).status, 404);
  assert.equal((await c.get('/events/abc.ics')).status, 404);
  assert.equal((await c.get('/events/abc')).status, 404);
  r = await c.get('/calendar.ics');
  assert.ok((r.text.match(/BEGIN:VEVENT/g) || []).length >= 10);
  r = await c.get('/calendar.ics?country=NO');
  assert.match(r.text, /Leverandørdag/);
  assert.doesNotMatch(r.text, /SUMMARY:Future Industry Forum/);
  r = await c.get('/calendar.ics?theme=tourism');
  assert.match(r.text, /Finnskogen/);
  assert.doesNotMatch(r.text, /Leverandørdag/);
  r = await c.get(`/calendar.ics?org=${orgs.anna}`);
  assert.match(r.text, /X-WR-CALNAME:Gränslös: Gränslösa Verkstäder AB/);
  assert.doesNotMatch(r.text, /SUMMARY:Future Industry Forum/);
  assert.match(r.text, /STATUS:CANCELLED/, 'subscribers learn of cancellations');
  assert.equal((await c.get('/calendar.ics?country=XX')).status, 400);
  r = await c.get('/events.atom');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/atom\+xml/);
  assert.match(r.text, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
  assert.match(r.text, /<entry><title>Future Industry Forum<\/title>/);
  // per entry: a title and a description in another language than the feed's carry their own xml:lang
  const en = await new Client(srv.base, { lang: 'en' }).get('/events.atom');
  assert.match(en.text, /<feed [^>]*xml:lang="en"/);
  assert.match(en.text, /<title xml:lang="nb">Leverandørdag: industri over grensen<\/title>/);
  assert.match(en.text, /<content type="text" xml:lang="nb">Norske og svenske underleverandører/);
  const fifEntry = en.text.slice(en.text.indexOf('<entry><title>Future Industry Forum'));
  assert.match(fifEntry.slice(0, fifEntry.indexOf('</entry>')), /<content type="text" xml:lang="sv">Industrins mötesplats/, 'an English title, a Swedish description');
  const nb = await new Client(srv.base, { lang: 'nb' }).get('/events.atom');
  assert.match(nb.text, /<title>Leverandørdag: industri over grensen<\/title>/, 'in the feed\'s own language: no xml:lang');
});

const ics = (events, extra = '') => 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n' + extra + events.map((e) =>
  `BEGIN:VEVENT\r\n${e.uid ? 'UID:' + e.uid + '\r\n' : ''}DTSTAMP:20261101T120000Z\r\nDTSTART${e.start}\r\nDTEND${e.end}\r\nSUMMARY:${e.summary}\r\n${e.location ? 'LOCATION:' + e.location + '\r\n' : ''}${e.status ? 'STATUS:' + e.status + '\r\n' : ''}END:VEVENT\r\n`).join('') + 'END:VCALENDAR\r\n';

test('granslos import ics: UID de-duplication and updates; hostile files refused whole', async () => {
  const file = (name, text) => { const p = join(tmp, name); writeFileSync(p, text); return p; };
  const total = async () => (await api(null, 'GET', '/api/v1/events?from=2020-01-01&to=2035-12-31&status=all')).json().total;
  const good = [
    { uid: 'a1@feed.example', start: ':20270915T070000Z', end: ':20270915T150000Z', summary: 'Klusterträff', location: 'Folkets hus, Karlstad' },
    { uid: 'a2@feed.example', start: ';TZID=Europe/Stockholm:20271005T090000', end: ';TZID=Europe/Stockholm:20271005T120000', summary: 'Frukostmöte' },
    { uid: 'a3@feed.example', start: ';VALUE=DATE:20271110', end: ';VALUE=DATE:20271111', summary: 'Heldag', status: 'CANCELLED' },
  ];
  let r = cli(['import', 'ics', file('good.ics', ics(good)), '--org', String(orgs.anna)], { db: srv.db });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /3 events: 3 created, 0 updated, 0 unchanged/);
  const mine = (await api(null, 'GET', `/api/v1/events?org=${orgs.anna}&from=2027-09-01&to=2027-12-31&status=all`)).json().items;
  const k = mine.find((e) => e.uid === 'a1@feed.example');
  assert.equal(k.start, '2027-09-15T09:00');
  assert.equal(k.municipality, '1780', 'the municipality is found in LOCATION');
  assert.equal(k.venue, 'Folkets hus, Karlstad');
  assert.equal(mine.find((e) => e.uid === 'a2@feed.example').start_utc, '2027-10-05T07:00:00Z');
  assert.equal(mine.find((e) => e.uid === 'a3@feed.example').status, 'cancelled');
  // again, with one change: updated by UID, nothing duplicated
  good[1].summary = 'Frukostmöte om export';
  r = cli(['import', 'ics', file('good2.ics', ics(good)), '--org', String(orgs.anna)], { db: srv.db });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /3 events: 0 created, 1 updated, 2 unchanged/);
  // another organisation cannot take over these UIDs: its feed's UIDs are its own (issue 11)
  r = cli(['import', 'ics', file('steal.ics', ics(good.slice(0, 1))), '--org', String(orgs.ola)], { db: srv.db });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /1 events: 1 created, 0 updated, 0 unchanged/);
  const mine2 = (await api(null, 'GET', `/api/v1/events?org=${orgs.anna}&from=2027-09-01&to=2027-12-31&status=all`)).json().items;
  assert.equal(mine2.find((e) => e.uid === 'a1@feed.example').title.sv ?? Object.values(mine2.find((e) => e.uid === 'a1@feed.example').title)[0], 'Klusterträff', 'Anna\'s event untouched');
  const before = await total();
  const hostile = [
    ['no-uid.ics', ics([{ start: ':20270915T070000Z', end: ':20270915T080000Z', summary: 'x' }, { uid: 'b1@x', start: ':20270915T070000Z', end: ':20270915T080000Z', summary: 'ok' }]), /no UID/],
    ['bad-utf8.ics', Buffer.concat([Buffer.from(ics([{ uid: 'c1@x', start: ':20270915T070000Z', end: ':20270915T080000Z', summary: 'Bad ' }])), Buffer.from([0xff, 0xfe])]), /UTF-8/],
    ['nested.ics', 'BEGIN:VCALENDAR\r\n' + 'BEGIN:VEVENT\r\n'.repeat(5000) + 'END:VEVENT\r\n'.repeat(5000) + 'END:VCALENDAR\r\n', /nested/],
    ['huge.ics', ics([{ uid: 'd1@x', start: ':20270915T070000Z', end: ':20270915T080000Z', summary: 'x'.repeat(5 * 1024 * 1024) }]), /larger than 4 MiB/],
    ['many.ics', ics(Array.from({ length: 2001 }, (_, i) => ({ uid: `m${i}@x`, start: ':20270915T070000Z', end: ':20270915T080000Z', summary: 'm' }))), /more than 2000/],
    ['gap.ics', ics([{ uid: 'e1@x', start: ':20270328T023000', end: ':20270328T050000', summary: 'gap' }]), /summer time/],
    ['backwards.ics', ics([{ uid: 'f1@x', start: ':20270915T100000Z', end: ':20270915T080000Z', summary: 'back' }]), /not valid.*end/],
    ['not-ics.ics', 'hello, world\n', /not an iCalendar|no events/],
    ['empty.ics', ics([]), /no events/],
  ];
  for (const [name, text, msg] of hostile) {
    r = cli(['import', 'ics', file(name, text), '--org', String(orgs.anna)], { db: srv.db });
    assert.equal(r.code, 1, name + ': ' + r.out);
    assert.match(r.err, msg, name);
    assert.match(r.err, /nothing imported/, name);
  }
  assert.equal(await total(), before, 'nothing half-saved');
  r = cli(['import', 'ics', join(tmp, 'good.ics')], { db: srv.db });
  assert.equal(r.code, 2);
  r = cli(['import', 'ics', join(tmp, 'good.ics'), '--org', '999999'], { db: srv.db });
  assert.equal(r.code, 1);
});

test('import through the page: members of the organisation only, errors shown, nothing half-saved', async () => {
  const anna = await as('anna');
  let r = await anna.get('/events/import');
  assert.equal(r.status, 200);
  assert.match(r.text, /Gränslösa Verkstäder AB/);
  const text = ics([{ uid: 'ui1@feed.example', start: ':20271201T090000Z', end: ':20271201T100000Z', summary: 'Julfika över gränsen' }]);
  r = await anna.submit('/events/import', '/events/import', { org: String(orgs.anna), ics: text });
  assert.equal(r.status, 200);
  assert.match(r.text, /1 events read: 1 added, 0 updated, 0 unchanged/);
  r = await anna.submit('/events/import', '/events/import', { org: String(orgs.anna), ics: text.replace('UID:ui1@feed.example\r\n', '') });
  assert.equal(r.status, 422);
  assert.match(r.text, /The calendar could not be imported; nothing was saved/);
  assert.match(r.text, /no UID/);
  // the reason in the user's language
  const annaSv = await as('anna', 'sv');
  r = await annaSv.submit('/events/import', '/events/import', { org: String(orgs.anna), ics: text.replace('BEGIN:VCALENDAR', 'BEGIN:VCARD') });
  assert.equal(r.status, 422);
  assert.match(r.text, /filen är inte en iCalendar-fil \(ingen VCALENDAR\)/);
  assert.doesNotMatch(r.text, /the file is not an iCalendar/);
  r = await anna.submit('/events/import', '/events/import', { org: String(orgs.ola), ics: text });
  assert.equal(r.status, 403, 'not a member of Ola\'s cluster');
  assert.equal((await new Client(srv.base).get('/events/import')).status, 303, 'visitors log in first');
});

test('personal data: registrations are in the export; deleting the account frees the place for the waiting list', async () => {
  srv.user('eva@example.se', 'Eva Ek', { password: 'eva password 123' });
  srv.user('frida@example.no', 'Frida Fjell', { password: 'frida password 12' });
  const teva = srv.token('eva@example.se'), tfrida = srv.token('frida@example.no');
  const call = (t, m, p, json) => new Client(srv.base, { lang: 'en' }).req(m, p, { json, headers: { authorization: 'Bearer ' + t } });
  const id = (await api('anna', 'POST', '/api/v1/events', ev({ title: 'En enda plats', capacity: 1 }))).json().id;
  assert.equal((await call(teva, 'POST', `/api/v1/events/${id}/registrations`, { share: true, affiliation: 'Ek & Co' })).json().status, 'registered');
  assert.equal((await call(tfrida, 'POST', `/api/v1/events/${id}/registrations`, {})).json().status, 'waiting');
  const eva = new Client(srv.base, { lang: 'en' });
  await eva.login('eva@example.se', 'eva password 123');
  let r = await eva.get('/account/export');
  const data = r.json();
  assert.deepEqual(data.event_registrations.map((x) => [x.event, x.status, x.affiliation]), [[id, 'registered', 'Ek & Co']]);
  assert.ok(data.notifications.some((n) => n.kind === 'registered' && n.event === id));
  r = await eva.submit('/account', '/account/delete', { confirm_password: 'eva password 123' });
  assert.equal(r.status, 303);
  const e = (await api(null, 'GET', '/api/v1/events/' + id)).json();
  assert.equal(e.registered, 1);
  assert.equal(e.waiting, 0);
  const n = (await call(tfrida, 'GET', '/api/v1/notifications')).json().items;
  assert.equal(n[0].kind, 'promoted');
  r = await api('anna', 'GET', `/api/v1/events/${id}/registrations`);
  assert.deepEqual(r.json().items.map((p) => [p.name ?? null, p.status]), [[null, 'registered']], 'Frida did not share; Eva is gone');
});

test('an organisation\'s profile lists its coming events and links its calendar feed', async () => {
  // two days from now: before the events the other tests planned for 2027
  const day = new Date(Date.now() + 2 * 86400e3).toISOString().slice(0, 10);
  const r0 = await api('anna', 'POST', '/api/v1/events', ev({ title: 'Profilens evenemang', start: `${day}T09:00`, end: `${day}T12:00` }));
  assert.equal(r0.status, 201, r0.text);
  const c = new Client(srv.base, { lang: 'sv' });
  const r = await c.get(`/organisations/${orgs.anna}`);
  assert.equal(r.status, 200);
  assert.match(r.text, /<h2>Kommande evenemang<\/h2>/);
  assert.match(r.text, new RegExp(`<a href="/events/${r0.json().id}">Profilens evenemang</a>`));
  assert.match(r.text, new RegExp(`href="/calendar.ics\\?org=${orgs.anna}"`));
  const feed = await c.get(`/calendar.ics?org=${orgs.anna}`);
  assert.equal(feed.status, 200);
  assert.match(feed.text, /SUMMARY:Profilens evenemang/);
});

test('an event that started a new series by name can be edited later (its first version names the series only)', async () => {
  const r = await api('anna', 'POST', '/api/v1/events', ev({ title: 'Seriestarten', series: 'Nystartade serien ' + Date.now() }));
  assert.equal(r.status, 201, r.text);
  const id = r.json().id;
  const p = await api('anna', 'PATCH', `/api/v1/events/${id}`, { venue: 'Verkstadshallen' });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json().venue, 'Verkstadshallen');
  assert.ok(p.json().series.id > 0);
});
