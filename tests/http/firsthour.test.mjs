// A member's first hour (issue 12): the landing page, claiming an organisation (automatically by
// the e-mail domain, or through the moderators' queue), join requests shown as pending, "Contact"
// (mail to the administrators, the no-admin note, the rate limit, bad input), duplicates refused,
// the organisation look-up and the type-ahead's pick step without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, Client, orgForm, cli, sql as storeSql } from './lib.mjs';
import { smtpServer } from './smtp.mjs';

let srv, smtp;
const users = {
  pp: ['maria@paperprovince.com', 'Maria Papper'],
  anna: ['anna@example.se', 'Anna Andersson'],
  ola: ['ola@example.no', 'Ola Nordmann'],
  kari: ['kari@example.no', 'Kari Lie'],
  admin: ['admin@example.org', 'Plattform Admin'],
};
before(async () => {
  smtp = await smtpServer();
  srv = await startServer({ args: ['--smtp', smtp.url] });
  for (const [k, [email, name]] of Object.entries(users)) srv.user(email, name, { admin: k === 'admin', password: k + ' password 123' });
});
after(async () => { await srv.stop(); await smtp.close(); });

async function as(who, lang = 'en') {
  const c = new Client(srv.base, { lang });
  await c.login(users[who][0], who + ' password 123');
  return c;
}
async function lookup(q, c = new Client(srv.base, { lang: 'en' })) {
  const r = await c.get('/api/v1/lookup/organisations?q=' + encodeURIComponent(q));
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /application\/json/);
  return r.json().items;
}
const idOf = async (name) => (await lookup(name)).find((x) => x.name === name).id;

test('the look-up finds organisations by part of the name, by number and by address; nothing for nothing', async () => {
  let items = await lookup('paper');
  assert.ok(items.some((x) => x.name === 'Paper Province' && x.country === 'SE' && x.label === 'Karlstad, Sweden'), JSON.stringify(items));
  const region = (await lookup('Region Värmland'))[0];
  assert.equal(region.name, 'Region Värmland');
  assert.equal((await lookup('232100-0156'))[0].id, region.id, 'by organisation number, with a dash');
  assert.equal((await lookup('2321000156'))[0].id, region.id, 'by organisation number, digits only');
  assert.equal((await lookup('/organisations/' + region.id))[0].id, region.id, 'by its address');
  items = await lookup('värmland');
  assert.ok(items.length >= 2 && items.length <= 10, 'several matches, at most ten');
  assert.ok((await lookup('østfold')).some((x) => x.name === 'Østfold fylkeskommune'), 'letters beyond ASCII are folded too');
  assert.ok((await lookup('ØSTERDAL')).some((x) => x.name === 'Østerdal Tre AS'));
  assert.deepEqual(await lookup(''), []);
  assert.deepEqual(await lookup('100%_nothing'), [], 'LIKE wildcards are literal');
  const r = await new Client(srv.base).get('/api/v1/lookup/organisations?q=' + 'x'.repeat(101));
  assert.equal(r.status, 400);
  assert.match(r.headers.get('content-type'), /problem\+json/);
});

test('a new account lands on the welcome page: find the organisation, claim or join it, or add it prefilled', async () => {
  const c = await as('kari');
  let r = await c.get('/welcome');
  assert.equal(r.status, 200);
  assert.match(r.text, /Is your organisation already here\?/);
  r = await c.get('/welcome?q=paper');
  assert.match(r.text, /Paper Province/);
  assert.match(r.text, /Claim Paper Province/, 'nobody administers it: claim');
  r = await c.get('/welcome?q=' + encodeURIComponent('Brand New Nordic AS'));
  assert.match(r.text, /No organisation by this name or number is here yet/);
  assert.match(r.text, /href="\/organisations\/new\?name=Brand%20New%20Nordic%20AS"/);
  r = await c.get('/organisations/new?name=' + encodeURIComponent('Brand New Nordic AS'));
  assert.match(r.text, /name="name" type="text" value="Brand New Nordic AS"/, 'the name is prefilled');
  r = await c.get('/welcome?q=923609016');
  assert.match(r.text, /href="\/organisations\/new\?orgnr=923609016&amp;country=NO"/, 'a Norwegian number prefills number and country');
  assert.equal((await new Client(srv.base).get('/welcome')).status, 303, 'visitors are sent to log in');
});

test('claim: approved at once when the e-mail domain is the website domain', async () => {
  const id = await idOf('Paper Province');
  const c = await as('pp');
  let r = await c.get('/organisations/' + id);
  assert.match(r.text, /Nobody administers this record yet: claim it/);
  r = await c.submit('/organisations/' + id, `/organisations/${id}/claim`, {});
  assert.equal(r.status, 303);
  assert.match(r.headers.get('set-cookie'), /flash=claim-approved/);
  r = await c.get(`/organisations/${id}/members`);
  assert.equal(r.status, 200);
  assert.match(r.text, /Maria Papper[\s\S]*Administrator/);
  // now that it has an administrator, others ask to join instead; a claim is refused
  const o = await as('ola');
  r = await o.get('/organisations/' + id);
  assert.match(r.text, /I work here: join this organisation/);
  assert.doesNotMatch(r.text, /claim it/);
  r = await o.submit('/organisations/' + id, `/organisations/${id}/claim`, {});
  assert.equal(r.status, 409);
});

test('claim without the domain waits for a moderator, who approves or refuses it on /admin', async () => {
  const nwc = await idOf('Norwegian Wood Cluster');
  const visit = await idOf('Visit Värmland');
  const anna = await as('anna');
  let r = await anna.submit('/organisations/' + nwc, `/organisations/${nwc}/claim`, { message: 'I run the cluster office.' });
  assert.equal(r.status, 303);
  assert.match(r.headers.get('set-cookie'), /flash=claim-pending/);
  r = await anna.get('/organisations/' + nwc);
  assert.match(r.text, /Your claim is waiting for a moderator\./);
  assert.equal((await anna.get(`/organisations/${nwc}/members`)).status, 403, 'not yet a member');
  const kari = await as('kari');
  r = await kari.submit('/organisations/' + visit, `/organisations/${visit}/claim`, {});
  assert.match(r.headers.get('set-cookie'), /flash=claim-pending/);
  // the queue
  assert.equal((await anna.get('/admin')).status, 403);
  const adm = await as('admin');
  r = await adm.get('/admin');
  assert.match(r.text, /Claims waiting for a moderator/);
  assert.match(r.text, /Anna Andersson[\s\S]*I run the cluster office\./);
  const claimIds = [...r.text.matchAll(/name="claim" value="(\d+)"/g)].map((m) => m[1]);
  assert.equal(new Set(claimIds).size, 2);
  const annaClaim = /Norwegian Wood Cluster[\s\S]*?name="claim" value="(\d+)"/.exec(r.text)[1];
  const kariClaim = claimIds.find((x) => x !== annaClaim);
  r = await adm.submit('/admin', '/admin/claims', { claim: annaClaim, action: 'approve' });
  assert.equal(r.status, 303);
  r = await adm.submit('/admin', '/admin/claims', { claim: kariClaim, action: 'refuse' });
  assert.equal(r.status, 303);
  r = await adm.submit('/admin', '/admin/claims', { claim: kariClaim, action: 'approve' });
  assert.equal(r.status, 404, 'a decided claim cannot be decided again');
  // each claimant hears the answer in the inbox (issue 14), nobody else
  const told = async (c, kind) => (await c.get('/api/v1/notifications')).json().items.filter((x) => x.kind === kind);
  assert.deepEqual((await told(anna, 'claim-approved')).map((x) => [x.url, x.text]),
    [[`/organisations/${nwc}`, 'Your claim was approved: you now administer Norwegian Wood Cluster.']]);
  assert.deepEqual((await told(kari, 'claim-refused')).map((x) => x.url), [`/organisations/${visit}`]);
  assert.equal((await told(kari, 'claim-approved')).length + (await told(anna, 'claim-refused')).length, 0);
  r = await adm.submit('/admin', '/admin/claims', { claim: annaClaim, action: 'bogus' });
  assert.equal(r.status, 400);
  assert.equal((await anna.get(`/organisations/${nwc}/members`)).status, 200, 'approved: administrator');
  assert.equal((await kari.get(`/organisations/${visit}/members`)).status, 403, 'refused: nothing changed');
  r = await adm.get('/admin');
  assert.match(r.text, /No claims are waiting\./);
});

test('a join request shows as pending to the requester', async () => {
  const nwc = await idOf('Norwegian Wood Cluster'); // Anna administers it since the claim test
  const ola = await as('ola');
  let r = await ola.submit('/organisations/' + nwc, `/organisations/${nwc}/join`, { message: 'Hei!' });
  assert.equal(r.status, 303);
  r = await ola.get('/organisations/' + nwc);
  assert.match(r.text, /Your request to join is pending: the administrators have not answered yet\./);
  assert.doesNotMatch(r.text, /I work here: join this organisation/);
  r = await ola.get('/welcome?q=' + encodeURIComponent('Norwegian Wood'));
  assert.match(r.text, /Your request to join is pending/);
});

test('contact: the message is queued for the administrators and shown on their members page', async () => {
  const nwc = await idOf('Norwegian Wood Cluster'); // administered by Anna
  const kari = await as('kari');
  let r = await kari.get(`/organisations/${nwc}/contact`);
  assert.equal(r.status, 200);
  assert.match(r.text, /goes to the organisation(&#39;|')s administrators/);
  r = await kari.submit(`/organisations/${nwc}/contact`, `/organisations/${nwc}/contact`,
    { subject: 'Samarbeid om trebygg', message: 'Hei Anna,\nvi vil gjerne snakke om et prosjekt.' });
  assert.equal(r.status, 303, r.text.slice(0, 500));
  assert.match(r.headers.get('set-cookie'), /flash=contact-sent/);
  const mail = await smtp.waitFor('anna@example.se', { pred: (m) => /Samarbeid om trebygg/.test(m.subject) });
  assert.match(mail.body, /Kari Lie \(kari@example\.no\)/);
  assert.match(mail.body, /vi vil gjerne snakke om et prosjekt/);
  const anna = await as('anna');
  r = await anna.get(`/organisations/${nwc}/members`);
  assert.match(r.text, /Samarbeid om trebygg/);
  // visitors see the way to contact, and are asked to log in first
  r = await new Client(srv.base, { lang: 'en' }).get('/organisations/' + nwc);
  assert.match(r.text, new RegExp(`href="/organisations/${nwc}/contact">Contact the organisation<`));
  assert.equal((await new Client(srv.base).get(`/organisations/${nwc}/contact`)).status, 303);
});

test('contact: bad input is refused in the user\'s language with the text kept; the rate limit keeps it too', async () => {
  const nwc = await idOf('Norwegian Wood Cluster');
  const ola = await as('ola', 'sv');
  let r = await ola.submit(`/organisations/${nwc}/contact`, `/organisations/${nwc}/contact`, { subject: 'Hej\u0007där', message: 'Min text som inte får försvinna' });
  assert.equal(r.status, 422);
  assert.match(r.text, /Styrtecken är inte tillåtna\./);
  assert.match(r.text, /Min text som inte får försvinna/, 'the message is kept');
  r = await ola.submit(`/organisations/${nwc}/contact`, `/organisations/${nwc}/contact`, { subject: '', message: '' });
  assert.equal(r.status, 422);
  r = await ola.submit(`/organisations/${nwc}/contact`, `/organisations/${nwc}/contact`, { subject: 'x', message: 'y'.repeat(4001) });
  assert.equal(r.status, 422);
  for (let i = 0; i < 5; i++) {
    r = await ola.submit(`/organisations/${nwc}/contact`, `/organisations/${nwc}/contact`, { subject: 'Fråga ' + i, message: 'Text ' + i });
    assert.equal(r.status, 303, 'message ' + i);
  }
  r = await ola.submit(`/organisations/${nwc}/contact`, `/organisations/${nwc}/contact`, { subject: 'Den sjätte', message: 'Sjätte texten finns kvar' });
  assert.equal(r.status, 429);
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  assert.match(r.text, /Texten finns kvar/);
  assert.match(r.text, /Sjätte texten finns kvar/);
  assert.match(r.text, /value="Den sjätte"/);
});

test('contact where nobody is there yet: a clear note and an invitation link to share; consented contact persons get the message', async () => {
  const gone = await idOf('Visit Värmland'); // the refused claim left it without anyone
  const ola = await as('ola', 'nb');
  let r = await ola.get(`/organisations/${gone}/contact`);
  assert.equal(r.status, 200);
  assert.match(r.text, /Ingen kan svare ennå\./);
  assert.match(r.text, /href="mailto:\?subject=[^"]+&amp;body=[^"]*%2Forganisations%2F\d+/);
  assert.doesNotMatch(r.text, /name="message"/);
  r = await ola.submit(`/organisations/${gone}/contact`, `/organisations/${gone}/contact`, { subject: 'x', message: 'y' });
  assert.equal(r.status, 409);
  // an organisation whose contact person agreed to be contacted
  const kari = await as('kari');
  r = await kari.submit('/organisations/new', '/organisations/new', orgForm({ name: 'Kontaktbar AS', country: 'NO', municipality: '3401',
    contact_name: 'Per Kontakt', contact_email: 'per@kontaktbar.no', contact_consent: true }));
  assert.equal(r.status, 303, r.text.slice(0, 800));
  const kid = Number(/\/organisations\/(\d+)/.exec(r.location)[1]);
  // the platform admin removes Kari, leaving only the contact person
  const adm = await as('admin');
  const members = await adm.get(`/organisations/${kid}/members`);
  const kariId = /name="user" value="(\d+)"/.exec(members.text)[1];
  r = await adm.submit(`/organisations/${kid}/members`, `/organisations/${kid}/members`, { user: kariId, action: 'remove' });
  assert.equal(r.status, 303);
  const anna = await as('anna');
  r = await anna.get(`/organisations/${kid}/contact`);
  assert.match(r.text, /goes to the contact person/);
  r = await anna.submit(`/organisations/${kid}/contact`, `/organisations/${kid}/contact`, { subject: 'Hello Per', message: 'A question' });
  assert.equal(r.status, 303);
  await smtp.waitFor('per@kontaktbar.no', { pred: (m) => /Hello Per/.test(m.subject) });
});

test('a second record of the same organisation is refused: same name and municipality, or same number', async () => {
  const anna = await as('anna');
  let r = await anna.submit('/organisations/new', '/organisations/new', orgForm({ name: 'paper province', country: 'SE', municipality: '1780' }));
  assert.equal(r.status, 422);
  assert.match(r.text, /already in the directory: claim or join it instead/);
  assert.match(r.text, /value="paper province"/, 'the input is kept');
  r = await anna.submit('/organisations/new', '/organisations/new', orgForm({ name: 'Ett annat namn AB', country: 'SE', orgnr: '232100-0156', municipality: '1780' }));
  assert.equal(r.status, 422);
  assert.match(r.text, /An organisation with this number is already in the directory/);
  r = await anna.submit('/organisations/new', '/organisations/new', orgForm({ name: 'Paper Province', country: 'SE', municipality: '1784' }));
  assert.equal(r.status, 303, 'the same name in another municipality is another organisation');
});

test('invite by name: one match invites, several give the pick step on the page with the text kept, nobody-can-answer shown', async () => {
  const anna = await as('anna');
  const tok = srv.token(users.anna[0]);
  const api = (method, path, json) => new Client(srv.base, { lang: 'en' }).req(method, path, { json, headers: { authorization: 'Bearer ' + tok } });
  const own = (await api('POST', '/api/v1/organisations', { name: 'Inbjudarna AB', country: 'SE', kind: 'company', municipality: '1780' })).json().id;
  const ev = await api('POST', '/api/v1/events', { title: 'Gränsdagen', start: '2027-09-14T09:00', end: '2027-09-14T16:00', timezone: 'Europe/Stockholm',
    country: 'SE', municipality: '1780', themes: ['manufacturing'], status: 'planned', organisers: [own] });
  assert.equal(ev.status, 201, ev.text);
  const eid = ev.json().id;
  let r = await anna.get('/events/' + eid);
  assert.match(r.text, /<div class="pick" data-lookup="\/api\/v1\/lookup\/organisations"><input id="f-organisation" name="organisation"/);
  // several match: the pick step, inline, the text kept
  r = await anna.submit('/events/' + eid, `/events/${eid}/invite`, { organisation: 'värmland' });
  assert.equal(r.status, 422);
  assert.match(r.text, /Several match: choose one below/);
  assert.match(r.text, /value="värmland"/);
  const choices = [...r.text.matchAll(/type="radio" name="organisation_id" value="(\d+)"/g)].map((m) => Number(m[1]));
  const visit = await idOf('Visit Värmland');
  assert.ok(choices.includes(visit), 'the matches are the choices');
  r = await anna.submit('/events/' + eid, `/events/${eid}/invite`, { organisation: 'värmland', organisation_id: String(visit) });
  assert.equal(r.status, 303);
  assert.match(r.location, /done=invited-nobody$/, 'not "sent" when nobody can answer');
  assert.match((await anna.get(r.location)).text, /nobody can answer it yet/);
  // nothing matches: said inline, not a lost page
  r = await anna.submit('/events/' + eid, `/events/${eid}/invite`, { organisation: 'Zyxwvu Nonexistent' });
  assert.equal(r.status, 422);
  assert.match(r.text, /Nothing matches this name/);
  assert.match(r.text, /value="Zyxwvu Nonexistent"/);
  // one match by name invites at once
  r = await anna.submit('/events/' + eid, `/events/${eid}/invite`, { organisation: 'Norwegian Wood Cluster' });
  assert.equal(r.status, 303);
  assert.match(r.location, /done=invited$/, 'Norwegian Wood Cluster has an administrator');
  r = await anna.get('/events/' + eid);
  assert.match(r.text, /Visit Värmland<\/a>[^<]*<span[^>]*>[^<]*<\/span> – nobody can answer yet: the organisation has no administrator/);
  assert.match(r.text, /Norwegian Wood Cluster<\/a>[^<]*<span[^>]*>[^<]*<\/span> – no answer yet/);
});

test('co-organisers by name on the event form: one match is resolved, the others stay inline with the error', async () => {
  const anna = await as('anna');
  const tok = srv.token(users.anna[0]);
  const own = (await new Client(srv.base).req('POST', '/api/v1/organisations', { json: { name: 'Medarrangörerna AB', country: 'SE', kind: 'company', municipality: '1780' },
    headers: { authorization: 'Bearer ' + tok } })).json().id;
  const nwc = await idOf('Norwegian Wood Cluster');
  const form = (more) => {
    const p = new URLSearchParams({ title_sv: 'Samarrangerat', title_nb: '', title_en: '', desc_sv: '', desc_nb: '', desc_en: '', status: 'planned',
      start: '2027-11-10T09:00', end: '2027-11-10T15:00', timezone: 'Europe/Stockholm', country: 'SE', municipality: '1780', venue: '', online_url: '',
      language: 'sv', capacity: '', registration_deadline: '', series: '', organisers_more: more });
    p.append('organisers', String(own));
    p.append('themes', 'manufacturing');
    return p;
  };
  let r = await anna.get('/events/new');
  assert.match(r.text, /<div class="pick" data-lookup="\/api\/v1\/lookup\/organisations" data-multiple="1"><input id="f-organisers_more"/);
  r = await anna.post('/events/new', { form: (() => { const p = form('Norwegian Wood Cluster, värmland, Zyxwvu'); p.set('csrf', /name="csrf" value="([^"]+)"/.exec(r.text)[1]); return p; })() });
  assert.equal(r.status, 422, r.text.slice(0, 300));
  assert.match(r.text, /Some names match no organisation, or several/);
  assert.match(r.text, /id="f-organisers_more" name="organisers_more" type="text" value="värmland, Zyxwvu"/, 'the names not found are kept');
  assert.match(r.text, new RegExp(`name="organisers" value="${nwc}" checked`), 'the one found is ticked');
  const csrf = /name="csrf" value="([^"]+)"/.exec(r.text)[1];
  const p = form('Norwegian Wood Cluster');
  p.set('csrf', csrf);
  r = await anna.post('/events/new', { form: p });
  assert.equal(r.status, 303, r.text.slice(0, 2000));
  const eid = Number(/\/events\/(\d+)/.exec(r.location)[1]);
  const e = (await new Client(srv.base).get('/api/v1/events/' + eid)).json();
  assert.deepEqual(e.organisers.map((o) => o.id ?? o).sort(), [own, nwc].sort());
});

test('successors by name on the organisation form; the form shows them by name', async () => {
  const anna = await as('anna');
  let r = await anna.submit('/organisations/new', '/organisations/new', orgForm({ name: 'Uppgående Bolag AB', country: 'SE', municipality: '1780' }));
  assert.equal(r.status, 303);
  const path = r.location;
  const nwc = await idOf('Norwegian Wood Cluster');
  r = await anna.submit(path + '/edit', path + '/edit', orgForm({ name: 'Uppgående Bolag AB', status: 'merged', ended_on: '2025-06-30', successors: 'Norwegian Wood Cluster' }));
  assert.equal(r.status, 303, r.text.slice(0, 500));
  const doc = (await new Client(srv.base).get('/api/v1' + path)).json();
  assert.deepEqual(doc.successors, [nwc]);
  r = await anna.get(path + '/edit');
  assert.match(r.text, /data-multiple="1"><input id="f-successors" name="successors" type="text" value="Norwegian Wood Cluster"/);
  r = await anna.submit(path + '/edit', path + '/edit', orgForm({ name: 'Uppgående Bolag AB', status: 'merged', ended_on: '2025-06-30', successors: 'Zyxwvu Finns Inte' }));
  assert.equal(r.status, 422, 'a name that matches nothing is an error on the form');
  assert.match(r.text, /value="Zyxwvu Finns Inte"/, 'the text is kept');
});

test('industry codes: the look-up by code or words, and the organisation form takes a label or "code label"', async () => {
  const c = new Client(srv.base, { lang: 'sv' });
  let r = await c.get('/api/v1/lookup/industries?q=62.01');
  assert.equal(r.status, 200);
  assert.ok(r.json().items.some((x) => x.value === '62.010' && x.name === 'Dataprogrammering'), r.text);
  r = await c.get('/api/v1/lookup/industries?q=' + encodeURIComponent('dataprogrammering'));
  assert.deepEqual(r.json().items.map((x) => x.value), ['62.010'], 'by the label, letter case aside');
  assert.deepEqual((await c.get('/api/v1/lookup/industries?q=')).json().items, []);
  const anna = await as('anna', 'sv');
  r = await anna.get('/organisations/new');
  assert.match(r.text, /data-lookup="\/api\/v1\/lookup\/industries" data-multiple="1"><input id="f-nace"/);
  r = await anna.submit('/organisations/new', '/organisations/new', orgForm({ name: 'Kodarna AB', country: 'SE', municipality: '1780', nace: 'Dataprogrammering, 62.020 Datakonsultverksamhet' }));
  assert.equal(r.status, 303, r.text.slice(0, 800));
  const doc = (await new Client(srv.base).get('/api/v1' + r.location)).json();
  assert.deepEqual(doc.nace, ['62.010', '62.020']);
  r = await anna.submit('/organisations/new', '/organisations/new', orgForm({ name: 'Kodarna Två AB', country: 'SE', municipality: '1780', nace: 'Zyxwvu' }));
  assert.equal(r.status, 422);
  assert.match(r.text, /value="Zyxwvu"/, 'kept on the page');
});

test('two claims on one organisation: approving one answers the other, and a second approval is refused', async () => {
  const bs = await idOf('Business Sweden');
  const ola = await as('ola'), kari = await as('kari');
  await ola.submit('/organisations/' + bs, `/organisations/${bs}/claim`, {});
  await kari.submit('/organisations/' + bs, `/organisations/${bs}/claim`, {});
  const adm = await as('admin');
  let r = await adm.get('/admin');
  const ids = [...r.text.matchAll(/Business Sweden[\s\S]*?name="claim" value="(\d+)"/g)].map((m) => m[1]);
  const all = [...r.text.matchAll(/name="claim" value="(\d+)"/g)].map((m) => m[1]);
  assert.equal(new Set(all).size, 2, 'both wait');
  r = await adm.submit('/admin', '/admin/claims', { claim: ids[0], action: 'approve' });
  assert.equal(r.status, 303);
  const other = all.find((x) => x !== ids[0]);
  r = await adm.submit('/admin', '/admin/claims', { claim: other, action: 'approve' });
  assert.equal(r.status, 404, 'the other claim was answered when the first was approved');
  assert.match((await adm.get('/admin')).text, /No claims are waiting\./);
  const olaAdmin = (await ola.get(`/organisations/${bs}/members`)).status === 200;
  const kariAdmin = (await kari.get(`/organisations/${bs}/members`)).status === 200;
  assert.ok(olaAdmin !== kariAdmin, 'exactly one of them administers it');
  const loser = olaAdmin ? kari : ola;
  r = await loser.get('/organisations/' + bs);
  assert.doesNotMatch(r.text, /Your claim is waiting/);
  assert.match(r.text, /I work here: join this organisation/);
});

// ---- the parts of issue 12 finished last: hosts by id, language notes, the clash box's contact ----
const sqlite = (q) => { storeSql(srv.db, q); return { status: 0 }; };   // sqlite3 or psql (lib.mjs), throws on an error
async function member(email, name, org) {
  srv.user(email, name, { password: 'member password 123' });
  const tok = srv.token(email);
  const r = await new Client(srv.base, { lang: 'en' }).req('POST', '/api/v1/organisations', { json: org, headers: { authorization: 'Bearer ' + tok } });
  assert.equal(r.status, 201, r.text);
  const c = new Client(srv.base, { lang: 'en' });
  await c.login(email, 'member password 123');
  return { tok, id: r.json().id, c };
}
const bearer = (tok, method, path, json, lang = 'en') => new Client(srv.base, { lang }).req(method, path, { json, headers: { authorization: 'Bearer ' + tok } });

test('roundtable hosts are organisations: the 2022 tables link theirs, the form resolves names inline, pages render the label', async () => {
  const evs = (await new Client(srv.base).get('/api/v1/events?from=2022-03-01&to=2022-04-01&status=all')).json().items;
  const mv = evs.find((e) => e.demo && e.series?.name === 'Mötesplats Vision');
  let tables = (await new Client(srv.base).get(`/api/v1/events/${mv.id}/roundtables`)).json().tables;
  const hosts = tables.flatMap((t) => t.hosts);
  assert.equal(hosts.length, 12);
  assert.deepEqual(hosts.filter((h) => !Number.isInteger(h.org)).map((h) => h.name), [], 'every host of the report is an organisation');
  // written with other spacing than the directory: still the one organisation
  assert.equal(hosts.find((h) => h.name === 'IUC Stål&Verkstad').org, await idOf('IUC Stål & Verkstad'));
  assert.equal(hosts.find((h) => h.name === 'DigitalInnlandet').org, await idOf('Digital Innlandet'));
  // migration 071 links the hosts of an existing database (here: undone, then run again by the command line)
  const first = tables[0].id, before = tables[0].hosts.map((h) => h.org);
  assert.equal(sqlite(`UPDATE rt_hosts SET org_id = NULL WHERE table_id = ${first}; DELETE FROM rt_named_confirmed WHERE kind = 'host' AND ref = ${first}; `
    + 'DELETE FROM schema_migrations WHERE version = 71;').status, 0);
  assert.equal((await new Client(srv.base).get(`/api/v1/roundtables/${first}`)).json().hosts[0].org, null);
  const again = cli(['demo'], { db: srv.db });
  assert.equal(again.code, 0, again.err);
  const t0 = (await new Client(srv.base).get(`/api/v1/roundtables/${first}`)).json();
  assert.deepEqual(t0.hosts.map((h) => h.org), before);
  assert.ok(t0.hosts.every((h) => h.confirmed === true), 'existing names count as confirmed, as in 034');
  // the label is rendered in the page's language, never the stored "Värd"
  const t1 = tables[0];
  assert.equal(t1.label, 'Värd');
  assert.match((await new Client(srv.base, { lang: 'en' }).get(`/roundtables/${t1.id}`)).text, /<h1>Host: Visit Värmland and Visit Greater Oslo<\/h1>/);
  assert.match((await new Client(srv.base, { lang: 'nb' }).get(`/roundtables/${t1.id}`)).text, /<h1>Vert: Visit Värmland og Visit Greater Oslo<\/h1>/);
  const en = (await new Client(srv.base, { lang: 'en' }).get(`/events/${mv.id}/roundtables`)).text;
  assert.doesNotMatch(en, /Värd/);
  assert.match((await new Client(srv.base, { lang: 'en' }).get(`/events/${mv.id}/report`)).text, /<h2><span lang="en">Host<\/span>: Visit Värmland och Visit Greater Oslo<\/h2>/);
  // the form: names through the type-ahead become organisation ids; a name naming none stays on the page
  const o = await member('rt-organiser@example.no', 'Runa Bord', { name: 'Bordvertene AS', country: 'NO', kind: 'company', municipality: '3401' });
  const ev = await bearer(o.tok, 'POST', '/api/v1/events', { title: { nb: 'Rundebord i Hamar' }, start: '2027-09-01T09:00', end: '2027-09-01T15:00',
    timezone: 'Europe/Oslo', country: 'NO', municipality: '3401', status: 'planned', organisers: [o.id], language: 'nb' });
  assert.equal(ev.status, 201, ev.text);
  const eid = ev.json().id;
  const nb = new Client(srv.base, { lang: 'nb' });
  await nb.login('rt-organiser@example.no', 'member password 123');
  let r = await nb.get(`/events/${eid}/roundtables`);
  assert.match(r.text, /<div class="pick" data-lookup="\/api\/v1\/lookup\/organisations" data-multiple="1"><input id="f-hosts" name="hosts"/);
  r = await nb.submit(`/events/${eid}/roundtables`, `/events/${eid}/roundtables/new`, { hosts: 'Visit Greater Oslo, Ingen Slik Organisasjon', theme: 'tourism' });
  assert.equal(r.status, 422);
  assert.match(r.text, /aria-invalid="true"/);
  assert.match(r.text, /value="Visit Greater Oslo, Ingen Slik Organisasjon"/);
  r = await nb.submit(`/events/${eid}/roundtables`, `/events/${eid}/roundtables/new`, { hosts: 'Visit Greater Oslo, Bordvertene AS', theme: 'tourism' });
  assert.equal(r.status, 303, r.text.slice(0, 400));
  const tid = Number(/\/roundtables\/(\d+)$/.exec(r.location)[1]);
  const t = (await new Client(srv.base).get(`/api/v1/roundtables/${tid}`)).json();
  assert.deepEqual(t.hosts.map((h) => h.org), [await idOf('Visit Greater Oslo'), o.id]);
  assert.equal(t.label, 'Vert', 'the word the report prints, in the event\'s language');
  assert.equal(t.hosts_text, 'Visit Greater Oslo og Bordvertene AS');
  assert.match((await new Client(srv.base, { lang: 'sv' }).get(`/roundtables/${tid}`)).text, /<h1>Värd: Visit Greater Oslo och Bordvertene AS<\/h1>/);
  assert.match((await new Client(srv.base, { lang: 'sv' }).get(`/events/${eid}/report.md`)).text, /^## Vert: Visit Greater Oslo og Bordvertene AS$/m);
});

test('obstacles say which language they are written in, with the lang attribute, on every page that shows them', async () => {
  const all = (await new Client(srv.base).get('/api/v1/obstacles?per_page=50')).json().items;
  const ras = all.find((x) => /regionalt investeringsstöd/.test(x.title));
  assert.equal((await new Client(srv.base).get(`/api/v1/obstacles/${ras.id}`)).json().lang, 'sv');
  let r = await new Client(srv.base, { lang: 'en' }).get(`/obstacles/${ras.id}`);
  assert.match(r.text, /<h1 lang="sv">Landbaserad fiskodling \(RAS\) utesluten från regionalt investeringsstöd<\/h1><p class="lang-note">The obstacle is described in Swedish\.<\/p>/);
  assert.match(r.text, /<p class="desc" lang="sv">RAS-anläggningar/);
  r = await new Client(srv.base, { lang: 'sv' }).get(`/obstacles/${ras.id}`);
  assert.doesNotMatch(r.text, /lang-note|<h1 lang=/, 'no note on a page in the same language');
  r = await new Client(srv.base, { lang: 'nb' }).get('/obstacles');
  assert.match(r.text, new RegExp(`<a href="/obstacles/${ras.id}" lang="sv">[^<]+</a> <span class="lang-note" lang="nb">\\(på svensk\\)</span>`));
  r = await new Client(srv.base, { lang: 'en' }).get('/');
  assert.match(r.text, /<a href="\/obstacles\/\d+" lang="sv">[^<]+<\/a> <span class="lang-note" lang="en">\(in Swedish\)<\/span>/, 'the home page');
  // a new one: the form asks, the user's language first; Norwegian text on an English page is marked nb
  const kari = await as('kari', 'nb');
  r = await kari.get('/obstacles/new');
  assert.match(r.text, /<select id="f-lang" name="lang"[^>]*><option value="nb" selected>Norsk<\/option><option value="sv">Svensk<\/option><option value="en">Engelsk<\/option>/);
  const p = new URLSearchParams({ title: 'Toll på fiskefôr', description: 'Fôr som krysser grensen stoppes i tollen.', country: 'both', lang: 'nb' });
  p.append('themes', 'blue-bioeconomy');
  r = await kari.submit('/obstacles/new', '/obstacles/new', p);
  assert.equal(r.status, 303, r.text.slice(0, 400));
  r = await new Client(srv.base, { lang: 'en' }).get(r.location);
  assert.match(r.text, /<h1 lang="nb">Toll på fiskefôr<\/h1><p class="lang-note">The obstacle is described in Norwegian\.<\/p>/);
  // through the API: the reporter's language when none is given; an unknown one is refused in words
  const tok = srv.token(users.kari[0]);
  r = await bearer(tok, 'POST', '/api/v1/obstacles', { title: 'Tolls on feed', description: 'Stopped at customs.', country: 'both' }, 'en');
  assert.equal(r.status, 201, r.text);
  assert.equal((await new Client(srv.base).get('/api/v1/obstacles/' + r.json().id)).json().lang, 'en');
  r = await bearer(tok, 'POST', '/api/v1/obstacles', { title: 'X', description: 'Y', country: 'both', lang: 'da' }, 'en');
  assert.equal(r.status, 422);
  assert.equal(r.json().errors.lang, 'Choose Swedish, Norwegian or English.');
});

test('an organisation\'s competences, offers and needs are marked with its language on pages in another', async () => {
  const pp = await idOf('Paper Province');
  const r = await new Client(srv.base, { lang: 'en' }).get('/organisations/' + pp);
  assert.match(r.text, /<h2>(Competences|Offers|Needs) <span class="lang-note" lang="en">\(in Swedish\)<\/span><\/h2><ul class="tags" lang="sv">/);
  assert.doesNotMatch((await new Client(srv.base, { lang: 'sv' }).get('/organisations/' + pp)).text, /<ul class="tags" lang=/);
});

test('the clash box: "Get in touch" is the other organiser\'s Contact form, on the event page, in the date check and in the API', async () => {
  const se = await member('clash-se@example.se', 'Klas Krock', { name: 'Krockverket AB', country: 'SE', kind: 'company', municipality: '1780' });
  const no = await member('clash-no@example.no', 'Kari Kollisjon', { name: 'Kollisjonsverket AS', country: 'NO', kind: 'company', municipality: '3401' });
  const event = (o, title, tz) => bearer(o.tok, 'POST', '/api/v1/events', { title: { sv: title }, start: '2027-11-10T09:00', end: '2027-11-10T15:00', timezone: tz,
    country: 'SE', municipality: '1780', themes: ['manufacturing'], status: 'planned', organisers: [o.id] });
  const theirs = await event(no, 'Kollisjonsdagen', 'Europe/Oslo');
  assert.equal(theirs.status, 201, theirs.text);
  const mine = await event(se, 'Krockdagen', 'Europe/Stockholm');
  const id = mine.json().id;
  const href = `/organisations/${no.id}/contact?subject=`;
  let r = await se.c.get('/events/' + id);
  assert.ok(r.text.includes(`<a href="${href}Our%20dates%20meet%3A%20Kollisjonsdagen" aria-label="Get in touch with Kollisjonsverket AS">Get in touch</a>`), r.text.slice(r.text.indexOf('warnings'), r.text.indexOf('warnings') + 1500));
  assert.doesNotMatch(r.text, new RegExp(`<a href="/organisations/${no.id}" aria-label="Get in touch`), 'not back to the profile');
  // the form's date check without JavaScript
  const f = new URLSearchParams({ title_sv: 'Krockprov', start: '2027-11-10T10:00', end: '2027-11-10T12:00', timezone: 'Europe/Stockholm', country: 'SE',
    municipality: '1780', status: 'planned', check: '1' });
  f.append('themes', 'manufacturing');
  f.append('organisers', String(se.id));
  r = await se.c.submit('/events/new', '/events/new', f);
  assert.equal(r.status, 200);
  assert.ok(r.text.includes(`<a href="${href}Our%20dates%20meet%3A%20Kollisjonsdagen"`), 'in the date check');
  assert.ok(!r.text.includes(`/organisations/${se.id}/contact?subject=`), 'not one\'s own organisation');
  // the live check's API lists the organisers with their Contact address
  r = await new Client(srv.base).get('/api/v1/events/clashes?start=2027-11-10T10:00&end=2027-11-10T12:00&country=SE&municipality=SE-1780&themes=manufacturing');
  const w = r.json().warnings.find((x) => x.title === 'Kollisjonsdagen');
  assert.deepEqual(w.organisers, [{ id: no.id, name: 'Kollisjonsverket AS', contact: `/organisations/${no.id}/contact` }]);
  // the Contact form opens with the subject filled in
  r = await se.c.get(`${href}Our%20dates%20meet%3A%20Kollisjonsdagen`);
  assert.equal(r.status, 200);
  assert.match(r.text, /<input id="f-subject" name="subject" type="text" value="Our dates meet: Kollisjonsdagen"/);
});

test('the event form\'s time zone follows the country: preselected for the user\'s side, taken from the country when none is sent', async () => {
  const o = await member('tz@example.no', 'Tora Tid', { name: 'Tidssonen AS', country: 'NO', kind: 'company', municipality: '3401' });
  const nb = new Client(srv.base, { lang: 'nb' });
  await nb.login('tz@example.no', 'member password 123');
  let r = await nb.get('/events/new');
  assert.match(r.text, /<option value="Europe\/Oslo" selected>/, 'a bokmål page starts with Norwegian time');
  r = await o.c.get('/events/new');
  assert.match(r.text, /<option value="Europe\/Stockholm" selected>/);
  const f = new URLSearchParams({ title_nb: 'Tidsprøve', start: '2027-06-01T10:00', end: '2027-06-01T12:00', country: 'NO', municipality: '3401', status: 'planned' });
  f.append('organisers', String(o.id));
  r = await o.c.submit('/events/new', '/events/new', f);
  assert.equal(r.status, 303, r.text.slice(0, 500));
  const id = Number(/\/events\/(\d+)/.exec(r.location)[1]);
  assert.equal((await new Client(srv.base).get('/api/v1/events/' + id)).json().timezone, 'Europe/Oslo');
});
