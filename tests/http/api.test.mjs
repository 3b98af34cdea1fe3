// The JSON API: round trip with a bearer token and with a session, and every error as problem+json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from './lib.mjs';

let srv, token, other;
before(async () => {
  srv = await startServer();
  srv.user('api@example.se', 'Api User', { password: 'api password 12' });
  srv.user('other@example.no', 'Other User', { password: 'other password 1' });
  token = srv.token('api@example.se');
  other = srv.token('other@example.no');
});
after(async () => { await srv.stop(); });

const bearer = (t) => ({ authorization: 'Bearer ' + t });
function problem(r, status, code) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.headers.get('content-type'), 'application/problem+json');
  const p = r.json();
  assert.equal(p.status, status);
  assert.equal(p.code, code);
  assert.ok(p.title && typeof p.detail === 'string' && p.detail.length > 0);
  return p;
}

const valid = {
  name: 'Fjällbacka Testbädd AB', country: 'SE', orgnr: '5560360793', kind: 'company', municipality: '1486',
  nace: ['62.010'], themes: ['tech', 'blue-bioeconomy'], description: { sv: 'Testbädd för havsteknik.', nb: '', en: 'Ocean tech testbed.' },
  competences: ['sensorer', 'undervattensdrönare'], offers: ['testbädd'], needs: ['norsk partner'], website: 'https://example.se',
};

test('list with filters and paging', async () => {
  const c = new Client(srv.base);
  let r = await c.get('/api/v1/organisations?country=NO&per_page=7&page=2');
  assert.equal(r.status, 200);
  let j = r.json();
  assert.equal(j.page, 2);
  assert.equal(j.items.length, 7);
  assert.equal(j.total, 39);
  for (const o of j.items) {
    assert.equal(o.country, 'NO');
    for (const k of ['id', 'name', 'country', 'orgnr', 'kind', 'municipality', 'nace', 'themes', 'description', 'competences', 'offers', 'needs', 'website'])
      assert.ok(k in o, k);
    assert.deepEqual(Object.keys(o.description).sort(), ['en', 'nb', 'sv']);
  }
  r = await c.get('/api/v1/organisations?theme=energy&kind=cluster&facets=1');
  j = r.json();
  assert.ok(j.items.every((o) => o.kind === 'cluster' && o.themes.includes('energy')));
  assert.ok(j.facets.country.length >= 1);
  r = await c.get('/api/v1/organisations?municipality=1780&country=SE');
  assert.ok(r.json().items.every((o) => o.municipality === '1780'));
  r = await c.get('/api/v1/organisations?q=paper');
  assert.ok(r.json().items.some((o) => o.name === 'Paper Province'));
  problem(await c.get('/api/v1/organisations?country=DK'), 422, 'bad-filter');
  problem(await c.get('/api/v1/organisations?per_page=1000'), 422, 'bad-filter');
  problem(await c.get('/api/v1/organisations?page=0'), 422, 'bad-filter');
});

test('round trip with a bearer token: create, read, patch, history, revert', async () => {
  const c = new Client(srv.base);
  let r = await c.post('/api/v1/organisations', { json: valid, headers: bearer(token) });
  assert.equal(r.status, 201, r.text);
  const { id } = r.json();
  assert.equal(r.headers.get('location'), '/api/v1/organisations/' + id);
  r = await c.get('/api/v1/organisations/' + id);
  let o = r.json();
  for (const k of Object.keys(valid)) assert.deepEqual(o[k], valid[k], k);
  assert.equal(o.county, '14');
  assert.equal(o.version, 1);
  assert.equal(o.demo, false);
  r = await c.req('PATCH', '/api/v1/organisations/' + id, { json: { name: 'Fjällbacka Havsteknik AB', offers: ['testbädd', 'labb'] }, headers: bearer(token) });
  assert.equal(r.status, 200, r.text);
  o = r.json();
  assert.equal(o.name, 'Fjällbacka Havsteknik AB');
  assert.deepEqual(o.offers, ['testbädd', 'labb']);
  assert.deepEqual(o.needs, ['norsk partner'], 'PATCH keeps what it does not name');
  assert.equal(o.version, 2);
  // the GET document can be sent back unchanged
  r = await c.req('PATCH', '/api/v1/organisations/' + id, { json: o, headers: bearer(token) });
  assert.equal(r.status, 200);
  assert.equal(r.json().version, 2, 'no change, no version');
  r = await c.get(`/api/v1/organisations/${id}/history`, { headers: bearer(token) });
  const h = r.json().items;
  assert.equal(h.length, 2);
  assert.deepEqual(h[0].changes.name, ['Fjällbacka Testbädd AB', 'Fjällbacka Havsteknik AB']);
  assert.equal(h[0].user.name, 'Api User');
  r = await c.post(`/api/v1/organisations/${id}/revert`, { json: { version: 1 }, headers: bearer(token) });
  assert.equal(r.status, 200);
  assert.equal(r.json().name, valid.name);
  assert.equal(r.json().version, 3);
  // the HTML profile is at /organisations/{id}
  r = await c.get('/organisations/' + id);
  assert.equal(r.status, 200);
  assert.match(r.text, /Fjällbacka Testbädd AB/);
});

test('a session cookie works for the API with the X-CSRF-Token header', async () => {
  const c = new Client(srv.base);
  await c.login('api@example.se', 'api password 12');
  const page = await c.get('/account');
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)[1];
  problem(await c.post('/api/v1/organisations', { json: { ...valid, orgnr: null, name: 'Cookie AB' } }), 403, 'csrf');
  const r = await c.post('/api/v1/organisations', { json: { ...valid, orgnr: null, name: 'Cookie AB' }, headers: { 'x-csrf-token': csrf } });
  assert.equal(r.status, 201, r.text);
});

test('authentication and permission errors', async () => {
  const c = new Client(srv.base);
  problem(await c.post('/api/v1/organisations', { json: valid }), 401, 'login-required');
  problem(await c.post('/api/v1/organisations', { json: valid, headers: bearer('not-a-token') }), 401, 'bad-token');
  problem(await c.get('/api/v1/organisations', { headers: bearer('not-a-token') }), 401, 'bad-token');
  const r = await c.post('/api/v1/organisations', { json: { ...valid, orgnr: '9696968888'.slice(0, 0) || null, name: 'Owned by api' }, headers: bearer(token) });
  const id = r.json().id;
  problem(await c.req('PATCH', '/api/v1/organisations/' + id, { json: { name: 'Stolen' }, headers: bearer(other) }), 403, 'forbidden');
  problem(await c.get(`/api/v1/organisations/${id}/history`, { headers: bearer(other) }), 403, 'forbidden');
  problem(await c.post(`/api/v1/organisations/${id}/revert`, { json: { version: 1 }, headers: bearer(other) }), 403, 'forbidden');
  assert.equal((await c.get('/api/v1/organisations/' + id)).json().name, 'Owned by api');
});

test('bad input: problem+json with a stable code and field errors, nothing written', async () => {
  const c = new Client(srv.base, { lang: 'nb' });
  const before = (await c.get('/api/v1/organisations?per_page=1')).json().total;
  const h = bearer(token);
  problem(await c.post('/api/v1/organisations', { body: '{"name": ', headers: { ...h, 'content-type': 'application/json' } }), 400, 'malformed-json');
  problem(await c.post('/api/v1/organisations', { body: 'name=x', headers: { ...h, 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported-media-type');
  problem(await c.post('/api/v1/organisations', { json: [1, 2], headers: h }), 422, 'validation');
  problem(await c.post('/api/v1/organisations', { body: '{"name":"a","name":"b"}', headers: { ...h, 'content-type': 'application/json' } }), 400, 'malformed-json');
  problem(await c.post('/api/v1/organisations', { body: Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), headers: { ...h, 'content-type': 'application/json' } }), 400, 'malformed-json');
  const cases = [
    [{ ...valid, orgnr: '5560360794' }, 'orgnr'],
    [{ ...valid, country: 'NO', orgnr: '974767881', municipality: '0301' }, 'orgnr'],
    [{ ...valid, municipality: '0301' }, 'municipality'],
    [{ ...valid, municipality: 1780 }, 'municipality'],
    [{ ...valid, kind: 'pirate' }, 'kind'],
    [{ ...valid, themes: ['space'] }, 'themes'],
    [{ ...valid, nace: ['00.000'] }, 'nace'],
    [{ ...valid, name: 'x'.repeat(300) }, 'name'],
    [{ ...valid, description: 'flat text' }, 'description'],
    [{ ...valid, competences: 'not a list' }, 'competences'],
    [{ ...valid, colour: 'blue' }, 'colour'],
    [{ ...valid, website: 'ftp://example.se' }, 'website'],
    [{ ...valid, networks: [999999] }, 'networks'],
  ];
  for (const [body, field] of cases) {
    const p = problem(await c.post('/api/v1/organisations', { json: body, headers: h }), 422, 'validation');
    assert.ok(p.errors && p.errors[field], `${field}: ${JSON.stringify(p.errors)}`);
  }
  // the message is in the user's language
  const p = problem(await c.post('/api/v1/organisations', { json: { ...valid, orgnr: '5560360794' }, headers: h }), 422, 'validation');
  assert.match(p.errors.orgnr, /organisasjonsnummer|organisationsnummer/i);
  problem(await c.get('/api/v1/organisations/424242'), 404, 'not-found');
  problem(await c.req('PATCH', '/api/v1/organisations/424242', { json: { name: 'x' }, headers: h }), 404, 'not-found');
  problem(await c.req('DELETE', '/api/v1/organisations/1', { headers: h }), 405, 'method-not-allowed');
  assert.equal((await c.get('/api/v1/organisations?per_page=1')).json().total, before, 'nothing written');
});

test('contacts without consent are hidden from others', async () => {
  const c = new Client(srv.base);
  const r = await c.post('/api/v1/organisations', { json: { ...valid, orgnr: null, name: 'Contacts AB',
    contacts: [{ name: 'Public Person', email: 'p@example.se', consent: true }, { name: 'Private Person', email: 'q@example.se', consent: false }] }, headers: bearer(token) });
  const id = r.json().id;
  const pub = (await c.get('/api/v1/organisations/' + id)).json();
  assert.deepEqual(pub.contacts.map((x) => x.name), ['Public Person']);
  const own = (await c.get('/api/v1/organisations/' + id, { headers: bearer(token) })).json();
  assert.deepEqual(own.contacts.map((x) => x.name), ['Public Person', 'Private Person']);
  const page = await c.get('/organisations/' + id);
  assert.match(page.text, /Public Person/);
  assert.doesNotMatch(page.text, /Private Person/);
});

test('pages cached for visitors change as soon as the data does', async () => {
  const visitor = new Client(srv.base, { lang: 'en' });
  const c = new Client(srv.base);
  const r0 = await c.post('/api/v1/organisations', { json: { ...valid, orgnr: null, name: 'Cache Before AB' }, headers: bearer(token) });
  const id = r0.json().id;
  let r = await visitor.get('/organisations/' + id);
  assert.equal(r.headers.get('x-cache'), 'miss');
  r = await visitor.get('/organisations/' + id);
  assert.equal(r.headers.get('x-cache'), 'hit');
  assert.match(r.text, /Cache Before AB/);
  // Norwegian visitors have their own entry
  r = await new Client(srv.base, { lang: 'nb' }).get('/organisations/' + id);
  assert.match(r.text, /<html lang="nb">/);
  await c.req('PATCH', '/api/v1/organisations/' + id, { json: { name: 'Cache After AB' }, headers: bearer(token) });
  r = await visitor.get('/organisations/' + id);
  assert.equal(r.headers.get('x-cache'), 'miss');
  assert.match(r.text, /Cache After AB/);
  r = await visitor.get('/organisations?q=cache+after');
  assert.match(r.text, /Cache After AB/);
  // logged-in users and requests asking for fresh pages never get cached pages
  const member = new Client(srv.base, { lang: 'en' });
  await member.login('api@example.se', 'api password 12');
  r = await member.get('/organisations/' + id);
  assert.equal(r.headers.get('x-cache'), null);
  assert.match(r.text, /Log out/);
  r = await visitor.get('/organisations/' + id, { headers: { 'cache-control': 'no-cache' } });
  assert.equal(r.headers.get('x-cache'), null);
});
