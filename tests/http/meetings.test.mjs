// 1:1 meetings at an event: slots and tables by the organisers, profiles of registered
// participants, requests answered only by the person asked, the scheduler (nobody double-booked,
// availability respected), the personal agenda as a page and as iCalendar.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from './lib.mjs';

let srv, ev;
const tok = {}, ids = {};
before(async () => {
  srv = await startServer();
  for (const k of ['anna', 'ola', 'bo', 'kari', 'eve']) {
    srv.user(`${k}@example.org`, k[0].toUpperCase() + k.slice(1), { password: k + ' password 123' });
    tok[k] = srv.token(`${k}@example.org`);
  }
  const org = (await api('anna', 'POST', '/api/v1/organisations', { name: 'Mötesfabriken AB', country: 'SE', kind: 'company', municipality: '1780' })).json().id;
  ev = (await api('anna', 'POST', '/api/v1/events', { title: 'Matchmaking-dagen', start: '2027-09-14T09:00', end: '2027-09-14T16:00', country: 'SE',
    municipality: '1780', organisers: [org] })).json().id;
  for (const k of ['ola', 'bo', 'kari']) assert.equal((await api(k, 'POST', `/api/v1/events/${ev}/registrations`, { share: true })).status, 201);
});
after(async () => { await srv.stop(); });

async function api(who, method, path, json) {
  return new Client(srv.base, { lang: 'en' }).req(method, path, { json, headers: { authorization: 'Bearer ' + tok[who] } });
}

test('organisers set slots and tables; bad values refused', async () => {
  const url = `/api/v1/events/${ev}/meetings/setup`;
  assert.equal((await api('ola', 'POST', url, { first_slot: '2027-09-14T10:00', slot_minutes: 20, slots: 3, tables: 1 })).status, 403);
  let r = await api('anna', 'POST', url, { first_slot: '2027-09-14T08:00', slot_minutes: 20, slots: 3, tables: 1 });
  assert.equal(r.status, 422);
  assert.match(r.json().errors.first_slot, /within the event/);
  r = await api('anna', 'POST', url, { first_slot: '2027-09-14T15:00', slot_minutes: 30, slots: 3, tables: 1 });
  assert.match(r.json().errors.first_slot, /within the event/);
  r = await api('anna', 'POST', url, { first_slot: '2027-09-31T10:00', slot_minutes: 2, slots: 0, tables: 'x' });
  assert.deepEqual(Object.keys(r.json().errors).sort(), ['first_slot', 'slot_minutes', 'slots', 'tables']);
  r = await api('anna', 'POST', url, { first_slot: '2027-09-14T10:00', slot_minutes: 20, slots: 3, tables: 1 });
  assert.equal(r.status, 200, r.text);
});

test('profiles, requests, answers, the agenda and the scheduler', async () => {
  const base = `/api/v1/events/${ev}/meetings`;
  assert.equal((await api('eve', 'POST', base + '/profile', { offer: 'x' })).status, 403, 'only registered participants');
  assert.equal((await api('ola', 'POST', base + '/profile', { offer: '', seek: '' })).status, 422);
  assert.equal((await api('ola', 'POST', base + '/profile', { offer: 'x', unavailable: [5] })).status, 422);
  assert.equal((await api('ola', 'POST', base + '/profile', { offer: 'Sågverksdata och sensorer', visible: true })).status, 200);
  assert.equal((await api('bo', 'POST', base + '/profile', { seek: 'Partner i Norge', unavailable: [0], visible: true })).status, 200);
  assert.equal((await api('kari', 'POST', base + '/profile', { offer: 'Testbädd för massivtre', seek: 'Kunder', visible: true })).status, 200);
  let r = await api('bo', 'GET', base + '/profiles');
  assert.deepEqual(r.json().items.map((p) => p.name), ['Bo', 'Kari', 'Ola']);
  assert.equal((await api('eve', 'GET', base + '/profiles')).status, 403);
  const uid = Object.fromEntries(r.json().items.map((p) => [p.name.toLowerCase(), p.user]));
  // requests
  r = await api('ola', 'POST', base, { with: uid.bo, message: 'Kaffe?' });
  assert.equal(r.status, 201);
  ids.olaBo = r.json().id;
  r = await api('bo', 'POST', base, { with: uid.ola });
  assert.equal(r.status, 200, 'the same pair is one meeting');
  assert.equal(r.json().id, ids.olaBo);
  assert.equal((await api('ola', 'POST', base, { with: uid.ola })).status, 422);
  assert.equal((await api('eve', 'POST', base, { with: uid.ola })).status, 403);
  ids.kariBo = (await api('kari', 'POST', base, { with: uid.bo })).json().id;
  ids.kariOla = (await api('kari', 'POST', base, { with: uid.ola })).json().id;
  // only the person asked answers, once
  assert.equal((await api('kari', 'POST', `/api/v1/meetings/${ids.olaBo}`, { answer: 'accept' })).status, 403);
  assert.equal((await api('ola', 'POST', `/api/v1/meetings/${ids.olaBo}`, { answer: 'accept' })).status, 403, 'not the requester either');
  assert.equal((await api('bo', 'POST', `/api/v1/meetings/${ids.olaBo}`, { answer: 'maybe' })).status, 422);
  assert.equal((await api('bo', 'POST', `/api/v1/meetings/${ids.olaBo}`, { answer: 'accept' })).status, 200);
  assert.equal((await api('bo', 'POST', `/api/v1/meetings/${ids.olaBo}`, { answer: 'decline' })).status, 409);
  assert.equal((await api('bo', 'POST', `/api/v1/meetings/${ids.kariBo}`, { answer: 'accept' })).status, 200);
  assert.equal((await api('ola', 'POST', `/api/v1/meetings/${ids.kariOla}`, { answer: 'accept' })).status, 200);
  assert.equal((await api('bo', 'POST', '/api/v1/meetings/999999', { answer: 'accept' })).status, 404);
  const n = (await api('ola', 'GET', '/api/v1/notifications')).json().items.map((x) => x.kind);
  assert.ok(n.includes('meeting-accepted') && n.includes('meeting-request'));
  // placed as they were accepted: Bo is away in slot 0, one table per slot
  const check = async () => {
    const bySlot = {};
    for (const k of ['ola', 'bo', 'kari']) {
      const items = (await api(k, 'GET', `/api/v1/events/${ev}/agenda`)).json().items.filter((m) => m.status === 'accepted' && m.slot !== undefined);
      const slots = items.map((m) => m.slot);
      assert.equal(new Set(slots).size, slots.length, `${k} is double-booked`);
      for (const m of items) {
        assert.ok(m.slot >= 0 && m.slot < 3, JSON.stringify(m));
        assert.equal(m.table, 1);
        (bySlot[m.slot] ??= new Set()).add(m.id);
        if (k === 'bo') assert.notEqual(m.slot, 0, 'Bo is away in the first slot');
      }
    }
    for (const s of Object.values(bySlot)) assert.equal(s.size, 1, 'one table per slot');
    return bySlot;
  };
  assert.equal(Object.keys(await check()).length, 3);
  // the organisers run the scheduler: everything still holds, all three placed
  assert.equal((await api('ola', 'POST', `${base}/schedule`)).status, 403);
  r = await api('anna', 'POST', `${base}/schedule`);
  assert.deepEqual(r.json(), { accepted: 3, placed: 3 });
  await check();
  // Bo becomes unavailable where he meets: that meeting loses its place
  const boSlots = (await api('bo', 'GET', `/api/v1/events/${ev}/agenda`)).json().items.map((m) => m.slot);
  assert.equal((await api('bo', 'POST', base + '/profile', { seek: 'Partner i Norge', unavailable: [0, boSlots[0]] })).status, 200);
  const after = (await api('bo', 'GET', `/api/v1/events/${ev}/agenda`)).json().items;
  assert.equal(after.filter((m) => m.slot !== undefined).length, 1);
  r = await api('anna', 'POST', `${base}/schedule`);
  assert.deepEqual(r.json(), { accepted: 3, placed: 2 }, 'only two slots left for Bo, and one table');
  await check();
});

test('the meetings page, the agenda page and its iCalendar', async () => {
  const c = new Client(srv.base, { lang: 'en' });
  await c.login('kari@example.org', 'kari password 123');
  let r = await c.get(`/events/${ev}/meetings`);
  assert.equal(r.status, 200);
  assert.match(r.text, /What I offer and seek here/);
  assert.match(r.text, /Testbädd för massivtre/);
  assert.match(r.text, /aria-label="Ask Ola for a meeting"/);
  r = await c.submit(`/events/${ev}/meetings`, `/events/${ev}/meetings/profile`, { offer: 'Testbädd för massivtre och CLT', seek: 'Kunder', visible: '1' });
  assert.equal(r.status, 303);
  r = await c.get(r.location);
  assert.match(r.text, /Your meeting profile has been saved/);
  r = await c.get(`/events/${ev}/agenda`);
  assert.equal(r.status, 200);
  assert.match(r.text, /<table class="agenda">/);
  r = await c.get(`/events/${ev}/agenda.ics`);
  assert.match(r.headers.get('content-type'), /^text\/calendar/);
  assert.ok((r.text.match(/BEGIN:VEVENT/g) || []).length >= 1);
  assert.match(r.text.replace(/\r\n /g, ''), /SUMMARY:Meeting with (Ola|Bo)/);
  // the organiser sees the setup form; a wrong value is shown at its field
  const anna = new Client(srv.base, { lang: 'en' });
  await anna.login('anna@example.org', 'anna password 123');
  r = await anna.submit(`/events/${ev}/meetings`, `/events/${ev}/meetings/setup`, { first_slot: '2027-09-14T10:00', slot_minutes: '1', slots: '3', tables: '1' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="e-slot_minutes"/);
  r = await anna.submit(`/events/${ev}/meetings`, `/events/${ev}/meetings/schedule`, {});
  assert.equal(r.status, 303);
  // someone not registered is told how to take part
  const eve = new Client(srv.base, { lang: 'en' });
  await eve.login('eve@example.org', 'eve password 123');
  r = await eve.get(`/events/${ev}/meetings`);
  assert.match(r.text, /Register for the event to take part/);
  r = await eve.submit(`/events/${ev}/meetings`, `/events/${ev}/meetings/profile`, { offer: 'x' });
  assert.equal(r.status, 403);
});

test('two windows: a meeting profile saved from an older page is refused with what was written kept, and saved when sent again', async () => {
  const c = new Client(srv.base, { lang: 'sv' });
  await c.login('kari@example.org', 'kari password 123');
  const page = await c.get(`/events/${ev}/meetings`);
  const seen = page.text.match(/name="version" value="(\d+)"/)[1];
  const csrf = await c.csrf(`/events/${ev}/meetings`);
  // meanwhile, in another window (here: the API with the same person's session), the profile changes
  const other = await api('kari', 'POST', `/api/v1/events/${ev}/meetings/profile`, { offer: 'Sensorer för trähus', seek: 'Byggare', visible: true });
  assert.equal(other.status, 200);
  assert.equal(other.json().version, Number(seen) + 1);
  // the first window saves what it wrote: refused, the text shown again, nothing overwritten
  const form = new URLSearchParams({ csrf, version: seen, offer: 'Testbädd för CLT i Glava', seek: 'Kunder i Norge', visible: '1' });
  let r = await c.post(`/events/${ev}/meetings/profile`, { form });
  assert.equal(r.status, 409);
  assert.match(r.text, /Din mötesprofil ändrades någon annanstans/);
  assert.match(r.text, />Testbädd för CLT i Glava<\/textarea>/, 'what was written is still there');
  const stored = (await api('anna', 'GET', `/api/v1/events/${ev}/meetings/profiles`)).json().items.find((p) => p.offer === 'Sensorer för trähus');
  assert.ok(stored, 'the other window\'s save stands');
  // the page it answered carries the current version: sending again saves
  const again = new URLSearchParams({ csrf, version: r.text.match(/name="version" value="(\d+)"/)[1], offer: 'Testbädd för CLT i Glava', seek: 'Kunder i Norge', visible: '1' });
  r = await c.post(`/events/${ev}/meetings/profile`, { form: again });
  assert.equal(r.status, 303);
  // the API: a stale version is a 409 problem, a bad one a 422, none is unchecked
  r = await api('kari', 'POST', `/api/v1/events/${ev}/meetings/profile`, { offer: 'x', version: Number(seen) });
  assert.equal(r.status, 409);
  assert.equal(r.json().code, 'conflict');
  r = await api('kari', 'POST', `/api/v1/events/${ev}/meetings/profile`, { offer: 'x', version: -1 });
  assert.equal(r.status, 422);
  assert.ok(r.json().errors.version);
  r = await api('kari', 'POST', `/api/v1/events/${ev}/meetings/profile`, { offer: 'Testbädd för CLT i Glava', seek: 'Kunder i Norge', visible: true });
  assert.equal(r.status, 200);
});
