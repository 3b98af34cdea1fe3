// Organisations through the pages: create, edit, history, revert, join, members, escaping, bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, orgForm, formBody } from './lib.mjs';

let srv;
before(async () => {
  srv = await startServer();
  srv.user('anna@example.se', 'Anna Andersson', { password: 'anna password 1' });
  srv.user('ola@example.no', 'Ola Nordmann', { password: 'ola password 12' });
  srv.user('admin@example.org', 'Plattform Admin', { admin: true, password: 'admin password 1' });
});
after(async () => { await srv.stop(); });

async function as(email, password, lang = 'en') {
  const c = new Client(srv.base, { lang });
  await c.login(email, password);
  return c;
}

test('visitors browse the directory with facets and paging, and open a profile', async () => {
  const c = new Client(srv.base, { lang: 'en' });
  let r = await c.get('/');
  assert.equal(r.status, 200);
  assert.match(r.text, /organisations in Sweden/);
  assert.match(r.text, /organisations in Norway/);
  r = await c.get('/organisations?country=NO&per_page=5');
  assert.equal(r.status, 200);
  assert.match(r.text, /39 organisations/);
  assert.equal((r.text.match(/<li class="card">/g) || []).length, 5);
  assert.match(r.text, /rel="next"/);
  r = await c.get('/organisations?theme=blue-bioeconomy&country=SE');
  assert.match(r.text, /Sotenäs Symbioscentrum/);
  assert.doesNotMatch(r.text, /Norwegian Wood Cluster/);
  r = await c.get('/organisations?county=SE-17&kind=cluster');
  assert.match(r.text, /Paper Province/);
  r = await c.get('/organisations?industry=C&q=tre');
  assert.equal(r.status, 200);
  r = await c.get('/organisations?q=PAPER');
  assert.match(r.text, /Paper Province/, 'search ignores case');
  r = await c.get('/organisations?q=värmland');
  assert.match(r.text, /Region Värmland/);
  const id = /href="\/organisations\/(\d+)">Paper Province/.exec(r.text)?.[1] ?? /href="\/organisations\/(\d+)">Region Värmland/.exec(r.text)[1];
  r = await c.get('/organisations/' + id);
  assert.equal(r.status, 200);
  assert.match(r.text, /Demo record/);
  assert.equal((await c.get('/organisations/999999')).status, 404);
  assert.equal((await c.get('/organisations/abc')).status, 404);
});

test('a dissolved organisation keeps its profile and points to its successors', async () => {
  const c = new Client(srv.base, { lang: 'en' });
  let r = await c.get('/organisations?q=viken');
  const id = /href="\/organisations\/(\d+)">Viken fylkeskommune/.exec(r.text)[1];
  r = await c.get('/organisations/' + id);
  assert.match(r.text, /has been dissolved/);
  assert.match(r.text, /2024-01-01/);
  assert.match(r.text, /Akershus fylkeskommune/);
  assert.match(r.text, /Buskerud fylkeskommune/);
  assert.match(r.text, /Østfold fylkeskommune/);
});

test('industry codes show the SNI label for Swedish and the SN2007 label for Norwegian organisations', async () => {
  const c = new Client(srv.base, { lang: 'en' });
  const api = (await c.get('/api/v1/organisations?per_page=100')).json();
  const se = api.items.find((o) => o.country === 'SE' && o.nace.length);
  const no = api.items.find((o) => o.country === 'NO' && o.nace.includes('16.100'));
  let r = await c.get('/organisations/' + se.id);
  assert.match(r.text, new RegExp(`<span class="code">${se.nace[0].replace('.', '\\.')}</span> <span lang="sv">`));
  if (no) {
    r = await c.get('/organisations/' + no.id);
    assert.match(r.text, /<span lang="nb">Saging, høvling og impregnering av tre<\/span>/);
  }
});

test('register → create → edit → history → revert, and nothing is ever lost', async () => {
  const c = await as('anna@example.se', 'anna password 1');
  let r = await c.get('/organisations/new');
  assert.equal(r.status, 200);
  const form = orgForm({ name: 'Klarälvens Träteknik AB', orgnr: '556036-0793', municipality: '1780',
    desc_sv: 'Vi bygger i trä.', competences: 'limträ, KL-trä', needs: 'partner i Norge', nace: '16.100, 62.010',
    contact_name: 'Anna Andersson', contact_email: 'anna@example.se', contact_consent: true });
  r = await c.submit('/organisations/new', '/organisations/new', formBody(form, ['forest-bioeconomy']));
  assert.equal(r.status, 303);
  const path = r.location;
  assert.match(path, /^\/organisations\/\d+$/);
  r = await c.get(path);
  assert.match(r.text, /The organisation has been created/);
  assert.match(r.text, /Klarälvens Träteknik AB/);
  assert.match(r.text, /556036-0793/);
  assert.match(r.text, /limträ/);
  assert.match(r.text, /Karlstad, Värmlands län/);
  // edit: change the name and a tag
  r = await c.submit(path + '/edit', path + '/edit', formBody({ ...form, name: 'Klarälvens Trä AB', competences: 'limträ, CLT' }, ['forest-bioeconomy', 'manufacturing']));
  assert.equal(r.status, 303);
  r = await c.get(path);
  assert.match(r.text, /Klarälvens Trä AB/);
  // saving the same again makes no new version
  r = await c.submit(path + '/edit', path + '/edit', formBody({ ...form, name: 'Klarälvens Trä AB', competences: 'limträ, CLT' }, ['forest-bioeconomy', 'manufacturing']));
  assert.equal(r.status, 303);
  r = await c.get(path + '/history');
  assert.equal(r.status, 200);
  assert.match(r.text, /Version 2/);
  assert.doesNotMatch(r.text, /Version 3/);
  assert.match(r.text, /<th scope="row">Name<\/th><td>Klarälvens Träteknik AB<\/td><td>Klarälvens Trä AB<\/td>/);
  assert.match(r.text, /by Anna Andersson/);
  // revert to version 1
  r = await c.submit(path + '/history', path + '/revert', { version: '1' });
  assert.equal(r.status, 303);
  r = await c.get(path);
  assert.match(r.text, /Klarälvens Träteknik AB/);
  assert.doesNotMatch(r.text, /CLT/);
  r = await c.get(path + '/history');
  assert.match(r.text, /Version 3/);
  assert.match(r.text, /Reverted to version 1/);
  assert.match(r.text, /Version 2/, 'the reverted version is still there');
  // an unknown version
  r = await c.submit(path + '/history', path + '/revert', { version: '99' });
  assert.equal(r.status, 404);
});

test('bad input in the form: clear messages, 422, nothing saved', async () => {
  const c = await as('anna@example.se', 'anna password 1', 'sv');
  const before = (await c.get('/api/v1/organisations?per_page=1')).json().total;
  const cases = [
    [{ name: '' }, 'name'],
    [{ name: 'X', orgnr: '556036-0794' }, 'orgnr'],
    [{ name: 'X', country: 'NO', orgnr: '123456789', municipality: '0301' }, 'orgnr'],
    [{ name: 'X', municipality: '9999' }, 'municipality'],
    [{ name: 'X', country: 'NO', municipality: '1780' }, 'municipality'],
    [{ name: 'X', country: 'DK' }, 'country'],
    [{ name: 'X', kind: 'pirate' }, 'kind'],
    [{ name: 'X', website: 'javascript:alert(1)' }, 'website'],
    [{ name: 'X', nace: '99.999' }, 'nace'],
    [{ name: 'X', employees: 'many' }, 'employees'],
    [{ name: 'x'.repeat(201) }, 'name'],
    [{ name: 'X', desc_en: 'y'.repeat(5001) }, 'desc_en'],
  ];
  for (const [fields, field] of cases) {
    const r = await c.submit('/organisations/new', '/organisations/new', formBody(orgForm(fields)));
    assert.equal(r.status, 422, JSON.stringify(fields));
    assert.match(r.text, new RegExp(`id="e-${field}"`), `error shown at ${field} for ${JSON.stringify(fields).slice(0, 80)}`);
    assert.match(r.text, /<html lang="sv">/);
  }
  // an organisation number already in the directory (Region Värmland)
  const r = await c.submit('/organisations/new', '/organisations/new', formBody(orgForm({ name: 'Copy', orgnr: '232100-0156' })));
  assert.equal(r.status, 422);
  assert.match(r.text, /id="e-orgnr"/);
  // invalid UTF-8 in a form body
  const csrf = await c.csrf('/organisations/new');
  const bad = await c.post('/organisations/new', { body: `csrf=${csrf}&name=%FF%FE&country=SE`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(bad.status, 400);
  const after = (await c.get('/api/v1/organisations?per_page=1')).json().total;
  assert.equal(after, before, 'nothing was saved');
});

test('a <script> payload in every text field comes back escaped on every page that shows it', async () => {
  const c = await as('ola@example.no', 'ola password 12');
  const x = '<script>alert(1)</script>"\'';
  const form = orgForm({ name: 'Evil ' + x, country: 'NO', municipality: '3403', website: 'https://example.no/?a=1&b=2',
    desc_sv: 'sv ' + x, desc_nb: 'nb ' + x, desc_en: 'en ' + x, competences: 'comp ' + x, offers: 'off ' + x, needs: 'need ' + x,
    competences_text: 'ct ' + x, offers_text: 'ot ' + x, needs_text: 'nt ' + x,
    contact_name: 'Name ' + x, contact_role: 'Role ' + x, contact_email: 'a@example.no', contact_phone: '+47 ' + x, contact_consent: true });
  let r = await c.submit('/organisations/new', '/organisations/new', formBody(form));
  assert.equal(r.status, 303);
  const path = r.location;
  await c.submit(path + '/edit', path + '/edit', formBody({ ...form, name: 'Evil 2 ' + x }));
  const pages = [path, path + '/edit', path + '/history', path + '/members', '/organisations?q=evil', '/organisations?country=NO&sort=newest', '/', '/account'];
  for (const p of pages) {
    r = await c.get(p);
    assert.equal(r.status, 200, p);
    assert.doesNotMatch(r.text, /<script>alert/, p);
    assert.doesNotMatch(r.text, /"><script>/, p);
  }
  r = await c.get(path);
  assert.match(r.text, /Evil 2 &lt;script&gt;alert\(1\)&lt;\/script&gt;&quot;&#39;/);
  assert.match(r.text, /href="https:\/\/example\.no\/\?a=1&amp;b=2"/);
  // the admin queue too
  const root = await as('admin@example.org', 'admin password 1');
  r = await c.submit(path + '/members', path + '/members', { action: 'remove', user: '1' });
  r = await root.get('/admin');
  assert.doesNotMatch(r.text, /<script>alert/);
});

test('members may edit only their own organisation; join requests and handing over admin rights', async () => {
  const anna = await as('anna@example.se', 'anna password 1');
  const ola = await as('ola@example.no', 'ola password 12');
  let r = await anna.submit('/organisations/new', '/organisations/new', formBody(orgForm({ name: 'Annas Bolag AB' })));
  const path = r.location;
  // Ola cannot edit, see history or members
  r = await ola.submit(path, path + '/edit', formBody(orgForm({ name: 'Taken over' })));
  assert.equal(r.status, 403);
  assert.equal((await ola.get(path + '/edit')).status, 403);
  assert.equal((await ola.get(path + '/history')).status, 403);
  r = await ola.submit(path, path + '/revert', { version: '1' });
  assert.equal(r.status, 403);
  // Ola asks to join; Anna approves
  r = await ola.submit(path, path + '/join', {});
  assert.equal(r.status, 303);
  r = await anna.get(path + '/members');
  assert.match(r.text, /Ola Nordmann/);
  const reqId = /name="request" value="(\d+)"/.exec(r.text)[1];
  // Ola cannot approve himself
  r = await ola.submit(path, path + '/members', { action: 'approve', request: reqId });
  assert.equal(r.status, 403);
  r = await anna.submit(path + '/members', path + '/members', { action: 'approve', request: reqId });
  assert.equal(r.status, 303);
  // now Ola may edit, but not revert (members edit, admins revert)
  r = await ola.submit(path + '/edit', path + '/edit', formBody(orgForm({ name: 'Annas Bolag AB', desc_nb: 'Redigert av Ola' })));
  assert.equal(r.status, 303);
  r = await ola.submit(path, path + '/revert', { version: '1' });
  assert.equal(r.status, 403);
  // the last admin cannot step down before handing over
  const annaId = /name="user" value="(\d+)"><input type="hidden" name="action" value="make-member"/.exec((await anna.get(path + '/members')).text)[1];
  r = await anna.submit(path + '/members', path + '/members', { action: 'make-member', user: annaId });
  assert.equal(r.status, 409);
  const olaId = /name="user" value="(\d+)"><input type="hidden" name="action" value="make-admin"/.exec((await anna.get(path + '/members')).text)[1];
  r = await anna.submit(path + '/members', path + '/members', { action: 'make-admin', user: olaId });
  assert.equal(r.status, 303);
  r = await anna.submit(path + '/members', path + '/members', { action: 'make-member', user: annaId });
  assert.equal(r.status, 303);
  r = await ola.submit(path + '/history', path + '/revert', { version: '1' });
  assert.equal(r.status, 303);
  // Anna, now a member, can no longer change members
  r = await anna.submit(path + '/members', path + '/members', { action: 'remove', user: olaId });
  assert.equal(r.status, 403);
});

test('visitors are sent to log in for member pages', async () => {
  const c = new Client(srv.base);
  let r = await c.get('/organisations/new');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/login?next=%2Forganisations%2Fnew');
  r = await c.post('/organisations/1/edit', { form: { name: 'x' } });
  assert.ok([401, 403].includes(r.status));
});

test('successors are given by organisation number; the first version shows the record as created', async () => {
  const c = await as('admin@example.org', 'admin password 1');
  let r = await c.submit('/organisations/new', '/organisations/new', formBody(orgForm({ name: 'Gamla Bolaget AB' })));
  assert.equal(r.status, 303);
  const path = r.location;
  const region = (await c.get('/api/v1/organisations?q=region+varmland')).json().items.find((o) => o.name === 'Region Värmland');
  r = await c.submit(path + '/edit', path + '/edit', formBody(orgForm({ name: 'Gamla Bolaget AB', status: 'merged', ended_on: '2025-06-30', successors: '232100-0156' })));
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const doc = (await c.get('/api/v1/organisations/' + path.split('/').pop())).json();
  assert.deepEqual(doc.successors, [region.id], 'found by its organisation number 232100-0156');
  r = await c.get(path + '/history');
  assert.match(r.text, /The organisation as it was created/);
  assert.match(r.text, /<th scope="row">Successor organisations<\/th><td><em>\(empty\)<\/em><\/td><td><a href="\/organisations\/\d+">Region Värmland<\/a>/);
});
