// Versioned documents (src/doc): lost updates refused or merged (API with ETag/If-Match and the
// version field, edit pages with the version as a hidden field), and what one PATCH costs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, orgForm } from './lib.mjs';

let srv, token;
before(async () => {
  srv = await startServer();
  srv.user('editor@example.se', 'Edit Editor', { password: 'editor password 1' });
  token = srv.token('editor@example.se');
});
after(async () => { await srv.stop(); });

const auth = () => ({ authorization: 'Bearer ' + token });
const org = {
  name: 'Konflikt Testbädd AB', country: 'SE', kind: 'company', municipality: '1780',
  description: { sv: 'Första texten.', nb: '', en: '' }, offers: ['testbädd'], needs: ['partner'],
};

async function create(c, o = org) {
  const r = await c.post('/api/v1/organisations', { json: o, headers: auth() });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.headers.get('etag'), '"1"');
  return r.json().id;
}
const patch = (c, id, json, headers = {}) => c.req('PATCH', '/api/v1/organisations/' + id, { json, headers: { ...auth(), ...headers } });

test('lost update: two API editors of different fields are merged field by field', async () => {
  const c = new Client(srv.base);
  const id = await create(c);
  let r = await c.get('/api/v1/organisations/' + id);
  assert.equal(r.headers.get('etag'), '"1"');
  // both opened version 1; the first saves the name, the second the offers
  r = await patch(c, id, { name: 'Konflikt Havsteknik AB' }, { 'if-match': '"1"' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('etag'), '"2"');
  r = await patch(c, id, { offers: ['labb'] }, { 'if-match': 'W/"1"' });
  assert.equal(r.status, 200, r.text);
  const o = r.json();
  assert.equal(o.name, 'Konflikt Havsteknik AB', 'the first editor\'s name is kept');
  assert.deepEqual(o.offers, ['labb']);
  assert.equal(o.version, 3);
  assert.equal(r.headers.get('etag'), '"3"');
});

test('lost update: a PATCH from an older version that changes the same field is refused with 409 naming it', async () => {
  const c = new Client(srv.base);
  const id = await create(c, { ...org, name: 'Samma Fält AB' });
  let r = await patch(c, id, { description: { sv: 'Den andras text.', nb: '', en: '' } }, { 'if-match': '"1"' });
  assert.equal(r.status, 200);
  r = await patch(c, id, { description: { sv: 'Min text.', nb: '', en: '' } }, { 'if-match': '"1"' });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.headers.get('content-type'), 'application/problem+json');
  const p = r.json();
  assert.equal(p.code, 'conflict');
  assert.equal(p.version, 2);
  assert.deepEqual(p.conflicts.description.yours.sv, 'Min text.');
  assert.deepEqual(p.conflicts.description.theirs.sv, 'Den andras text.');
  assert.match(p.detail, /description/);
  assert.equal(r.headers.get('etag'), '"2"');
  // the version field in the body counts as well
  r = await patch(c, id, { description: { sv: 'Min text.', nb: '', en: '' }, version: 1 });
  assert.equal(r.status, 409);
  // nothing was lost: the stored text is the other editor's
  r = await c.get('/api/v1/organisations/' + id);
  assert.equal(r.json().description.sv, 'Den andras text.');
  assert.equal(r.json().version, 2);
  // from the newest version it saves
  r = await patch(c, id, { description: { sv: 'Min text.', nb: '', en: '' } }, { 'if-match': '"2"' });
  assert.equal(r.status, 200);
  assert.equal(r.json().description.sv, 'Min text.');
  // a version that does not exist, and an unreadable If-Match
  assert.equal((await patch(c, id, { name: 'X AB' }, { 'if-match': '"99"' })).status, 412);
  assert.equal((await patch(c, id, { name: 'X AB' }, { 'if-match': 'nonsense' })).status, 400);
});

test('lost update: events and obstacles carry their version too', async () => {
  const c = new Client(srv.base);
  const oid = await create(c, { ...org, name: 'Evenemang AB' });
  let r = await c.post('/api/v1/events', {
    json: { title: { sv: 'Träff' }, start: '2031-05-05T10:00', end: '2031-05-05T12:00', country: 'SE', municipality: '1780', organisers: [oid] },
    headers: auth(),
  });
  assert.equal(r.status, 201, r.text);
  const eid = r.json().id;
  r = await c.get('/api/v1/events/' + eid);
  assert.equal(r.headers.get('etag'), '"1"');
  r = await c.req('PATCH', '/api/v1/events/' + eid, { json: { venue: 'Sal A' }, headers: { ...auth(), 'if-match': '"1"' } });
  assert.equal(r.status, 200, r.text);
  r = await c.req('PATCH', '/api/v1/events/' + eid, { json: { venue: 'Sal B' }, headers: { ...auth(), 'if-match': '"1"' } });
  assert.equal(r.status, 409);
  assert.equal(r.json().conflicts.venue.theirs, 'Sal A');
  r = await c.post('/api/v1/obstacles', {
    json: { title: 'Ett hinder', description: 'Det som hindrar.', country: 'both', rules_se: 'Lag', rules_no: 'Lov' },
    headers: auth(),
  });
  assert.equal(r.status, 201, r.text);
  const bid = r.json().id;
  r = await c.req('PATCH', '/api/v1/obstacles/' + bid, { json: { title: 'Hindret' }, headers: { ...auth(), 'if-match': '"1"' } });
  assert.equal(r.status, 200, r.text);
  r = await c.req('PATCH', '/api/v1/obstacles/' + bid, { json: { title: 'Ett annat hinder' }, headers: { ...auth(), 'if-match': '"1"' } });
  assert.equal(r.status, 409);
  r = await c.req('PATCH', '/api/v1/obstacles/' + bid, { json: { affected: 'Alla' }, headers: { ...auth(), 'if-match': '"1"' } });
  assert.equal(r.status, 200, 'a different field merges');
  assert.equal(r.json().title, 'Hindret');
  assert.equal(r.json().affected, 'Alla');
});

test('lost update: a stale edit form is refused in the user\'s language and nothing is lost', async () => {
  const c = new Client(srv.base);
  const id = await create(c, { ...org, name: 'Formulär AB' });
  const page = new Client(srv.base, { lang: 'sv' });
  await page.login('editor@example.se', 'editor password 1');
  let r = await page.get(`/organisations/${id}/edit`);
  assert.equal(r.status, 200);
  const version = /name="version" value="(\d+)"/.exec(r.text);
  assert.ok(version, 'the edit form carries the version');
  assert.equal(version[1], '1');
  const csrf = /name="csrf" value="([^"]+)"/.exec(r.text)[1];
  // meanwhile someone changes the description through the API
  r = await patch(c, id, { description: { sv: 'Den andras text.', nb: '', en: '' } });
  assert.equal(r.status, 200);
  // the stale form changes the same text
  const fields = { ...orgForm({ name: 'Formulär AB', municipality: '1780', desc_sv: 'Min egen text.', offers: 'testbädd', needs: 'partner' }), csrf, version: '1' };
  r = await page.post(`/organisations/${id}/edit`, { form: fields });
  assert.equal(r.status, 409, r.text.slice(0, 300));
  assert.match(r.text, /Någon annan har ändrat detta under tiden/);
  assert.match(r.text, /Min egen text\./, 'the editor\'s text is kept in the form');
  assert.match(r.text, /name="version" value="2"/, 'the form now carries the newest version');
  r = await c.get('/api/v1/organisations/' + id);
  assert.equal(r.json().description.sv, 'Den andras text.', 'the other editor\'s text is not overwritten');
  // saving the form again (knowing) saves it
  r = await page.post(`/organisations/${id}/edit`, { form: { ...fields, version: '2' } });
  assert.equal(r.status, 303);
  r = await c.get('/api/v1/organisations/' + id);
  assert.equal(r.json().description.sv, 'Min egen text.');
  // a stale form that changes another field is merged: both edits stay
  r = await page.get(`/organisations/${id}/edit`);
  const v3 = /name="version" value="(\d+)"/.exec(r.text)[1];
  r = await patch(c, id, { needs: ['investerare'] });
  assert.equal(r.status, 200);
  r = await page.post(`/organisations/${id}/edit`, { form: { ...fields, desc_sv: 'Min egen text.', website: 'https://example.se', version: v3 } });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  r = await c.get('/api/v1/organisations/' + id);
  assert.equal(r.json().website, 'https://example.se');
  assert.deepEqual(r.json().needs, ['investerare'], 'the API edit of another field is kept');
});

async function selects(c) {
  const r = await c.get('/metrics');
  return Number(/granslos_db_request_selects_total (\d+)/.exec(r.text)[1]);   // requests' only: background work runs meanwhile
}

test('one PATCH of an organisation runs at most 10 SELECTs', async () => {
  const c = new Client(srv.base);
  const id = await create(c, { ...org, name: 'Räkna Frågor AB', themes: ['tech', 'energy'] });
  const a = await selects(c), b = await selects(c);
  const overhead = b - a; // what /metrics itself costs
  const r = await patch(c, id, { name: 'Räknade Frågor AB', offers: ['labb', 'testbädd'] });
  assert.equal(r.status, 200);
  const after2 = await selects(c);
  const n = after2 - b - overhead;
  console.log(`SELECTs per PATCH /api/v1/organisations/{id}: ${n}`);
  assert.ok(n <= 10, `${n} SELECTs`);
  assert.ok(n > 0, 'the counter counts');
});

test('lost update: concurrent PATCHes of different fields without a version all stay', async () => {
  const c = new Client(srv.base);
  const id = await create(c, { ...org, name: 'Samtidigt AB' });
  // each round: ten editors at once, each changing one field of the version they read
  for (let round = 1; round <= 5; round++) {
    const edits = [
      { name: `Samtidigt ${round} AB` }, { website: `https://r${round}.example` }, { employees: round }, { competences_text: `S${round}.` },
      { offers_text: `L${round}.` }, { needs_text: `K${round}.` }, { offers: [`m${round}`] }, { needs: [`k${round}`] },
      { competences: [`r${round}`] }, { description: { sv: `Text ${round}.`, nb: '', en: '' } },
    ];
    const rs = await Promise.all(edits.map((e) => patch(c, id, e)));
    for (const r of rs) assert.equal(r.status, 200, r.text);
    const o = (await c.get('/api/v1/organisations/' + id)).json();
    for (const e of edits) for (const [k, v] of Object.entries(e)) assert.deepEqual(o[k], v, `round ${round}: ${k} was kept`);
    assert.equal(o.version, 1 + round * edits.length);
  }
});

test('control characters: a bidi override is refused the same in organisations, events, obstacles and roundtable bullets', async () => {
  const c = new Client(srv.base, { lang: 'en' });
  const evil = 'Faktura\u202Egnp.exe';
  const msg = 'This text contains control characters.';
  let r = await c.post('/api/v1/organisations', { json: { ...org, name: evil }, headers: auth() });
  assert.equal(r.status, 422);
  assert.equal(r.json().errors.name, msg);
  const oid = await create(c, { ...org, name: 'Kontroll AB' });
  const ev = { title: { sv: 'Kontrolldagen' }, start: '2031-06-05T10:00', end: '2031-06-05T12:00', country: 'SE', municipality: '1780', organisers: [oid] };
  r = await c.post('/api/v1/events', { json: { ...ev, venue: 'Sal\u0007A' }, headers: auth() });
  assert.equal(r.status, 422);
  assert.equal(r.json().errors.venue, msg);
  r = await c.post('/api/v1/obstacles', { json: { title: evil, description: 'x', country: 'both' }, headers: auth() });
  assert.equal(r.status, 422);
  assert.equal(r.json().errors.title, msg);
  const eid = (await ok201(c.post('/api/v1/events', { json: ev, headers: auth() }))).id;
  const t = await ok201(c.post(`/api/v1/events/${eid}/roundtables`, { json: { hosts: [{ org: oid }] }, headers: auth() }));
  r = await c.post(`/api/v1/roundtables/${t.id}/bullets`, { json: { question: t.questions[0].id, text: evil }, headers: auth() });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json().errors.text, msg);
  // lines are text in a description, not in a name
  r = await c.post('/api/v1/organisations', { json: { ...org, name: 'Rad\nbrytning AB' }, headers: auth() });
  assert.equal(r.json().errors.name, msg);
  r = await c.post('/api/v1/organisations', { json: { ...org, name: 'Radbrytning AB', description: { sv: 'Ett\nTvå', nb: '', en: '' } }, headers: auth() });
  assert.equal(r.status, 201, r.text);
});

async function ok201(p) {
  const r = await p;
  assert.equal(r.status, 201, r.text);
  return r.json();
}
