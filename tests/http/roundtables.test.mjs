// Roundtables, the report and the action plan: every flow and permission, the golden report test
// (the seed report entered through the API comes out the same), `granslos import report` and back
// out as Markdown, bad input, and escaping of every field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, Client, cli } from './lib.mjs';

const SEED = 'tests/fixtures/motesplats-vision-2022.txt';
const X = '<script>alert(1)</script>"\'';
let srv, tokens = {}, orgs = {}, pages = {};

before(async () => {
  srv = await startServer();
  for (const [k, email, name] of [['anna', 'anna@example.se', 'Anna Andersson'], ['ola', 'ola@example.no', 'Ola Nordmann'],
    ['eve', 'eve@example.org', 'Eve Outsider']]) {
    srv.user(email, name, { password: k + ' password 123' });
    tokens[k] = srv.token(email);
    pages[k] = new Client(srv.base, { lang: 'en' });
    pages[k].cookies.set('lang', 'en');
    await pages[k].login(email, k + ' password 123');
  }
  orgs.anna = (await api('anna', 'POST', '/api/v1/organisations', { name: 'Annas Klusterförening', country: 'SE', kind: 'cluster', municipality: '1780' })).json().id;
  orgs.ola = (await api('ola', 'POST', '/api/v1/organisations', { name: 'Olas Næringshage AS', country: 'NO', kind: 'company', municipality: '3403' })).json().id;
});
after(async () => { await srv.stop(); });

function api(who, method, path, json, lang = 'en') {
  const c = new Client(srv.base, { lang });
  c.cookies.set('lang', lang);
  return c.req(method, path, { json, headers: who ? { authorization: 'Bearer ' + tokens[who] } : {} });
}

const ev = (o = {}) => ({ title: 'Gränsrundan', start: '2027-09-14T09:00', end: '2027-09-14T16:00', timezone: 'Europe/Stockholm', country: 'SE',
  municipality: '1780', themes: ['manufacturing'], status: 'planned', organisers: [orgs.anna], series: 'Gränsrundan', ...o });

async function newEvent(o) {
  const r = await api('anna', 'POST', '/api/v1/events', ev(o));
  assert.equal(r.status, 201, r.text);
  return r.json().id;
}

// parseSeed: the seed's shape read independently of the server: intro, tables, closing text
function parseSeed(text) {
  const lines = text.split('\n').map((l) => l.replace(/\s+$/, '')).filter((l) => l.trim() !== '');
  const out = { intro: [], tables: [], outro: [] };
  let t = null, q = null;
  const items = [];
  for (const l of lines) {
    const m = /^(Värd|Värdar|Vert|Host):\s*(.*)$/.exec(l.trim());
    if (m) { t = { label: m[1], hosts: m[2], questions: [] }; out.tables.push(t); q = null; items.push('h'); continue; }
    if (!t) { out.intro.push(l.trim()); continue; }
    const b = /^\s*•\s*(.*)$/.exec(l);
    if (b) { q.bullets.push(b[1]); items.push('b'); continue; }
    q = { text: l.trim(), bullets: [] };
    t.questions.push(q);
    items.push('q');
  }
  // questions without bullets after the last bullet: the closing text
  const last = t.questions;
  while (last.length && last[last.length - 1].bullets.length === 0) out.outro.unshift(last.pop().text);
  return out;
}

test('organisers create tables with the default questions; hosts and participants add bullets; only hosts review', async () => {
  const id = await newEvent();
  // visitors and outsiders cannot manage tables
  let r = await api(null, 'POST', `/api/v1/events/${id}/roundtables`, { hosts: 'Visit Värmland' });
  assert.equal(r.status, 401);
  r = await api('eve', 'POST', `/api/v1/events/${id}/roundtables`, { hosts: 'Visit Värmland' });
  assert.equal(r.status, 403);
  assert.equal(r.headers.get('content-type'), 'application/problem+json');
  r = await api('anna', 'POST', '/api/v1/events/999999/roundtables', { hosts: 'X' });
  assert.equal(r.status, 404);
  // a table hosted by Ola's organisation and one named host
  r = await api('anna', 'POST', `/api/v1/events/${id}/roundtables`, { hosts: [{ org: orgs.ola }, 'Visit Greater Oslo'], theme: 'tourism', moderator: 'Kari Moderator' });
  assert.equal(r.status, 201, r.text);
  const t = r.json();
  assert.equal(t.hosts_text, 'Olas Næringshage AS och Visit Greater Oslo');
  // a host named in words is the organisation of that name, when there is one (issue 12: ids, not names)
  const vgo = (await api(null, 'GET', '/api/v1/lookup/organisations?q=Visit%20Greater%20Oslo')).json().items[0].id;
  assert.deepEqual(t.hosts.map((h) => h.org), [orgs.ola, vgo]);
  assert.deepEqual(t.questions.map((q) => q.text), ['Vilka konkreta aktiviteter ser ni som nästa steg?', 'Vilka utmaningar finns det för samarbetet idag?',
    'Vilket stöd från nationella regeringar skulle kunna underlätta dessa utmaningar?']);
  assert.equal(t.questions[0].text_nb, 'Hvilke konkrete aktiviteter ser dere som neste steg?');
  assert.equal(t.questions[2].text_en, 'What support from the national governments could ease these challenges?');
  assert.match(t.token, /^[A-Za-z0-9_-]{12}$/);
  const [q1, q2] = t.questions.map((q) => q.id);
  // the host (a member of a host organisation) adds a bullet; an outsider without the link cannot
  r = await api('ola', 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: q1, text: 'Planera en gemensam Interreg-ansökan.', type: 'next-step', themes: ['tourism'] });
  assert.equal(r.status, 201, r.text);
  const b1 = r.json();
  assert.equal(b1.status, 'pending');
  assert.equal(b1.source, 'host');
  r = await api('eve', 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: q1, text: 'Spam' });
  assert.equal(r.status, 403);
  r = await api(null, 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: q1, text: 'Spam', token: 'wrongwrong12' });
  assert.equal(r.status, 401);
  // anyone holding the link adds a pending bullet, and cannot approve it
  r = await api(null, 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: q1, text: 'Dela kunskap i webbinarier.', token: t.token, status: 'approved' });
  assert.equal(r.status, 422);
  r = await api(null, 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: q1, text: 'Dela kunskap i webbinarier.', token: t.token });
  assert.equal(r.status, 201, r.text);
  const b2 = r.json();
  assert.equal(b2.source, 'link');
  r = await api(null, 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: q2, text: 'Olika regelverk.', token: t.token, type: 'challenge' });
  const b3 = r.json();
  // visitors see no pending bullet, neither in the table nor alone
  r = await api(null, 'GET', `/api/v1/roundtables/${t.id}`);
  assert.equal(r.json().questions[0].bullets.length, 0);
  assert.equal(r.json().token, undefined, 'the link is for hosts');
  assert.equal((await api(null, 'GET', `/api/v1/bullets/${b2.id}`)).status, 404);
  assert.equal((await api('ola', 'GET', `/api/v1/bullets/${b2.id}`)).status, 200);
  // outsiders cannot review
  assert.equal((await api('eve', 'PATCH', `/api/v1/bullets/${b1.id}`, { status: 'approved' })).status, 403);
  // the host approves, reorders and merges
  for (const b of [b1, b2, b3]) assert.equal((await api('ola', 'PATCH', `/api/v1/bullets/${b.id}`, { status: 'approved' })).status, 200);
  r = await api('ola', 'POST', `/api/v1/questions/${q1}/order`, { bullets: [b2.id, b1.id] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json().questions[0].bullets.map((b) => b.id), [b2.id, b1.id]);
  r = await api('ola', 'POST', `/api/v1/questions/${q1}/order`, { bullets: [b2.id] });
  assert.equal(r.status, 422, 'every bullet once');
  r = await api('ola', 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: q1, text: 'Webbinarier och poddar.', status: 'approved' });
  const b4 = r.json();
  assert.equal(b4.status, 'approved');
  r = await api('ola', 'POST', `/api/v1/bullets/${b4.id}/merge`, { into: b2.id, text: 'Dela kunskap i webbinarier och poddar.' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().text, 'Dela kunskap i webbinarier och poddar.');
  assert.equal((await api('ola', 'GET', `/api/v1/bullets/${b4.id}`)).json().status, 'merged');
  r = await api('ola', 'POST', `/api/v1/bullets/${b4.id}/merge`, { into: b1.id });
  assert.equal(r.status, 422, 'merged once');
  r = await api('ola', 'POST', `/api/v1/bullets/${b1.id}/merge`, { into: b3.id });
  assert.equal(r.status, 422, 'only within one question');
  r = await api('ola', 'PATCH', `/api/v1/bullets/${b4.id}`, { status: 'approved' });
  assert.equal(r.status, 422, 'a merged bullet stays merged');
  // a link to an organisation and a border obstacle (through the obstacle register)
  const obs = (await api(null, 'GET', '/api/v1/obstacles?per_page=1')).json().items[0];
  r = await api('ola', 'PATCH', `/api/v1/bullets/${b3.id}`, { organisations: [orgs.anna], obstacles: [obs.id] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json().organisations, [orgs.anna]);
  const o = (await api(null, 'GET', `/api/v1/obstacles/${obs.id}`)).json();
  assert.ok(JSON.stringify(o).includes(`"bullet"`), 'the obstacle lists the bullet link');
  // the report: approved bullets in the host's order; rejecting one takes it out
  r = await api('ola', 'PATCH', `/api/v1/bullets/${b3.id}`, { status: 'rejected' });
  r = await api(null, 'GET', `/api/v1/events/${id}/report`);
  assert.deepEqual(r.json().tables[0].questions.map((q) => q.bullets), [['Dela kunskap i webbinarier och poddar.', 'Planera en gemensam Interreg-ansökan.'], [], []]);
  assert.equal(r.json().tables[0].hosts_text, 'Olas Næringshage AS och Visit Greater Oslo');
  // organisers change hosts and moderator; hosts cannot
  assert.equal((await api('ola', 'PATCH', `/api/v1/roundtables/${t.id}`, { moderator: 'Ola' })).status, 403);
  r = await api('anna', 'PATCH', `/api/v1/roundtables/${t.id}`, { moderator: 'Per Moderator', hosts: [{ org: orgs.ola }] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().hosts_text, 'Olas Næringshage AS');
  assert.equal(r.json().moderator, 'Per Moderator');
});

test('organisers edit the question set per event; new tables take it', async () => {
  const id = await newEvent();
  let r = await api('ola', 'PATCH', `/api/v1/events/${id}/roundtables`, { questions: ['Fråga?'] });
  assert.equal(r.status, 403);
  r = await api('anna', 'PATCH', `/api/v1/events/${id}/roundtables`, { questions: [{ sv: 'Vad gör vi nu?', nb: 'Hva gjør vi nå?', en: 'What now?' }, 'Vem betalar?'] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().custom_questions, true);
  r = await api('anna', 'POST', `/api/v1/events/${id}/roundtables`, { hosts: 'Region Värmland' });
  assert.deepEqual(r.json().questions.map((q) => [q.text, q.text_nb]), [['Vad gör vi nu?', 'Hva gjør vi nå?'], ['Vem betalar?', null]]);
  r = await api('anna', 'PATCH', `/api/v1/events/${id}/roundtables`, { questions: [] });
  assert.equal(r.status, 422);
  r = await api('anna', 'PATCH', `/api/v1/events/${id}/roundtables`, { questions: null });
  assert.equal(r.json().custom_questions, false);
  assert.equal(r.json().questions.length, 3);
});

test('golden: the seed report entered through the API comes out with the same hosts, questions and bullets, in order', async () => {
  const seed = parseSeed(readFileSync(SEED, 'utf8'));
  assert.equal(seed.tables.length, 6);
  const id = await newEvent({ title: 'Mötesplats Vision 2022 (golden)', start: '2022-03-15T09:00', end: '2022-03-15T16:30', status: 'confirmed' });
  let r = await api('anna', 'PATCH', `/api/v1/events/${id}/roundtables`, { intro: seed.intro, outro: seed.outro });
  assert.equal(r.status, 200, r.text);
  for (const t of seed.tables) {
    r = await api('anna', 'POST', `/api/v1/events/${id}/roundtables`, { hosts: t.hosts, questions: t.questions.map((q) => q.text) });
    assert.equal(r.status, 201, r.text);
    const tab = r.json();
    for (const [i, q] of t.questions.entries())
      for (const b of q.bullets) {
        r = await api('anna', 'POST', `/api/v1/roundtables/${tab.id}/bullets`, { question: tab.questions[i].id, text: b, status: 'approved' });
        assert.equal(r.status, 201, r.text);
      }
  }
  const rep = (await api(null, 'GET', `/api/v1/events/${id}/report`)).json();
  assert.deepEqual(rep.intro, seed.intro);
  assert.deepEqual(rep.outro, seed.outro);
  assert.deepEqual(rep.tables.map((t) => ({ label: t.label, hosts: t.hosts_text, questions: t.questions })),
    seed.tables.map((t) => ({ label: t.label, hosts: t.hosts, questions: t.questions })));
  // the HTML page and the Markdown carry the same, character for character
  const html = (await new Client(srv.base).get(`/events/${id}/report`)).text;
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  let at = 0;
  for (const t of seed.tables) {
    at = html.indexOf(`<h2>${esc(t.label)}: ${esc(t.hosts)}</h2>`, at);
    assert.ok(at > 0, 'host line ' + t.hosts);
    for (const q of t.questions) {
      at = html.indexOf(`<h3>${esc(q.text)}</h3>`, at);
      assert.ok(at > 0, q.text);
      for (const b of q.bullets) { at = html.indexOf(`<li>${esc(b)}</li>`, at); assert.ok(at > 0, b); }
    }
  }
  const md = await new Client(srv.base).get(`/events/${id}/report.md`);
  assert.equal(md.status, 200);
  assert.match(md.headers.get('content-type'), /^text\/markdown/);
  assert.match(md.text, /^## Värd: Visit Värmland och Visit Greater Oslo$/m);
  assert.equal((await api(null, 'GET', `/api/v1/events/${id}/report.md`)).text, md.text);
  // and it equals the report of the same file imported through the command line
  const imp = cli(['import', 'report', SEED, '--org', String(orgs.anna)], { db: srv.db });
  assert.equal(imp.code, 0, imp.err);
  const md2 = await new Client(srv.base).get(`/events/${imp.out.trim()}/report.md`);
  assert.equal(md2.text, md.text);
});

test('granslos import report: the seed as it is, and its Markdown back in, give the same report; bad files save nothing', async () => {
  const before = (await api(null, 'GET', '/api/v1/events?from=2000-01-01&to=2040-01-01&status=all')).json().items.length;
  let r = cli(['import', 'report', SEED, '--org', String(orgs.anna)], { db: srv.db });
  assert.equal(r.code, 0, r.err);
  const id = Number(r.out.trim());
  assert.ok(id > 0);
  const e = (await api(null, 'GET', `/api/v1/events/${id}`)).json();
  assert.equal(e.start, '2022-03-15T09:00', 'the date the report names');
  assert.equal(e.title.sv, 'Mötesplats Vision – Gränslöst företagande för den gröna omställningen');
  const seed = parseSeed(readFileSync(SEED, 'utf8'));
  const rep = (await api(null, 'GET', `/api/v1/events/${id}/report`)).json();
  assert.deepEqual(rep.tables.map((t) => [t.hosts_text, t.questions]), seed.tables.map((t) => [t.hosts, t.questions]));
  assert.deepEqual(rep.intro, seed.intro);
  const md = (await new Client(srv.base).get(`/events/${id}/report.md`)).text;
  // the Markdown back in, into another event (--event), reads back the same
  const other = await newEvent({ title: 'Tom händelse' });
  const file = join(srv.dir, 'report.md');
  writeFileSync(file, md);
  r = cli(['import', 'report', file, '--event', String(other)], { db: srv.db });
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim(), String(other));
  assert.equal((await new Client(srv.base).get(`/events/${other}/report.md`)).text, md);
  // files that do not parse, unknown events, missing options: an error and nothing saved
  const bad = join(srv.dir, 'bad.txt');
  writeFileSync(bad, 'Bara en inledning.\nInget bord alls.\n');
  r = cli(['import', 'report', bad, '--org', String(orgs.anna)], { db: srv.db });
  assert.equal(r.code, 1);
  assert.match(r.err, /No host line/);
  writeFileSync(bad, 'Inledning\nVärd: Någon\nEn fråga utan svar?\n');
  r = cli(['import', 'report', bad, '--org', String(orgs.anna)], { db: srv.db });
  assert.equal(r.code, 1);
  assert.match(r.err, /bad\.txt:2: The last table has no answers/);
  r = cli(['import', 'report', SEED, '--event', '999999'], { db: srv.db });
  assert.equal(r.code, 1);
  // a report whose hosts are all unknown to the directory, without --org: nobody to organise it
  writeFileSync(bad, 'Inledning om mötet.\nVärd: Ingen Känd Förening och Okänt Kluster\nEn fråga?\n • Ett svar\n');
  r = cli(['import', 'report', bad], { db: srv.db });
  assert.equal(r.code, 1);
  assert.match(r.err, /none of the report's hosts.*--org/);
  const afterN = (await api(null, 'GET', '/api/v1/events?from=2000-01-01&to=2040-01-01&status=all')).json().items.length;
  assert.equal(afterN, before + 2, 'only the two good imports made events');
});

test('granslos import report without --event or --org: a past event organised by the hosts the directory knows', async () => {
  const dir = (await api(null, 'GET', '/api/v1/organisations?q=Visit&per_page=50')).json();
  const byName = (n) => dir.items.find((o) => o.name === n);
  assert.ok(byName('Visit Värmland') && byName('Visit Greater Oslo'), 'the demo directory holds the first table\'s hosts');
  let r = cli(['import', 'report', SEED], { db: srv.db });
  assert.equal(r.code, 0, r.err);
  const e = (await api(null, 'GET', `/api/v1/events/${Number(r.out.trim())}`)).json();
  assert.equal(e.start, '2022-03-15T09:00', 'the date the report names: a past event');
  assert.equal(e.status, 'confirmed');
  assert.deepEqual(e.organisers.slice(0, 2), [byName('Visit Värmland').id, byName('Visit Greater Oslo').id], 'the hosts in the report\'s order');
  assert.ok(!e.organisers.includes(orgs.anna), 'nobody the report does not name');
  assert.equal(new Set(e.organisers).size, e.organisers.length, 'each organisation once');
  // names match whole and ignoring case; unknown hosts are left out, a known one organises
  const file = join(srv.dir, 'hosts.txt');
  writeFileSync(file, 'Ett litet möte om gränsen i dag\nVärd: annas klusterförening och Ingen Känd Förening\nEn fråga?\n • Ett svar\n');
  r = cli(['import', 'report', file], { db: srv.db });
  assert.equal(r.code, 0, r.err);
  const e2 = (await api(null, 'GET', `/api/v1/events/${Number(r.out.trim())}`)).json();
  assert.deepEqual(e2.organisers, [orgs.anna]);
  assert.equal(e2.municipality, '1780', 'in the organiser\'s municipality');
  assert.ok(Date.parse(e2.start) < Date.now(), 'no date in the file: the day before the import');
  // with --org the organiser is the one named, whatever the hosts
  r = cli(['import', 'report', file, '--org', String(orgs.ola)], { db: srv.db });
  assert.equal(r.code, 0, r.err);
  const e3 = (await api(null, 'GET', `/api/v1/events/${Number(r.out.trim())}`)).json();
  assert.deepEqual(e3.organisers, [orgs.ola]);
  assert.equal(e3.country, 'NO');
});

test('bad bullets: empty, huge, unknown table, another table\'s question, bad JSON; errors in the user\'s language, nothing saved', async () => {
  const id = await newEvent();
  const t = (await api('anna', 'POST', `/api/v1/events/${id}/roundtables`, { hosts: 'Region Värmland' })).json();
  const t2 = (await api('anna', 'POST', `/api/v1/events/${id}/roundtables`, { hosts: 'Paper Province' })).json();
  const q = t.questions[0].id;
  let r = await api('anna', 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: q, text: '   \n ' }, 'sv');
  assert.equal(r.status, 422);
  assert.equal(r.json().errors.text, 'Skriv punkten: den är tom.');
  r = await api('anna', 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: q, text: 'x'.repeat(2001) }, 'nb');
  assert.equal(r.status, 422);
  assert.match(r.json().errors.text, /2000 tegn/);
  r = await api('anna', 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: q, text: 'å'.repeat(2000) });
  assert.equal(r.status, 201, '2000 characters are fine');
  r = await api('anna', 'POST', '/api/v1/roundtables/999999/bullets', { question: q, text: 'Hej' });
  assert.equal(r.status, 404);
  r = await api('anna', 'POST', `/api/v1/roundtables/${t2.id}/bullets`, { question: q, text: 'Hej' });
  assert.equal(r.status, 422);
  assert.ok(r.json().errors.question);
  r = await api('anna', 'POST', `/api/v1/roundtables/${t.id}/bullets`, '{"question": ');
  assert.equal(r.status, 400);
  r = await api('anna', 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: q, text: 'Hej', type: 'wish', colour: 'red' });
  assert.equal(r.status, 422);
  assert.ok(r.json().errors.type && r.json().errors.colour);
  r = await api('anna', 'POST', `/api/v1/events/${id}/roundtables`, { hosts: '' });
  assert.equal(r.status, 422);
  r = await api('anna', 'POST', `/api/v1/events/${id}/roundtables`, { hosts: [{ org: 999999 }] });
  assert.equal(r.status, 422);
  r = await api('anna', 'POST', `/api/v1/events/${id}/roundtables`, { hosts: 'A', theme: 'no-such-theme' });
  assert.equal(r.status, 422);
  const tab = (await api('anna', 'GET', `/api/v1/roundtables/${t.id}`)).json();
  assert.equal(tab.questions[0].bullets.length, 1, 'only the good bullet');
  assert.equal((await api('anna', 'GET', `/api/v1/events/${id}/roundtables`)).json().tables.length, 2);
});

test('the short link: a phone form without JavaScript, a QR code for hosts, a rate limit', async () => {
  const id = await newEvent();
  const t = (await api('anna', 'POST', `/api/v1/events/${id}/roundtables`, { hosts: [{ org: orgs.ola }] })).json();
  const c = new Client(srv.base, { lang: 'sv' });
  let r = await c.get(`/t/${t.token}`);
  assert.equal(r.status, 200);
  assert.match(r.text, /Vilka utmaningar finns det för samarbetet idag\?/);
  assert.match(r.text, /<textarea[^>]*name="text"/);
  assert.equal((await c.get('/t/nosuchtoken1')).status, 404);
  // an empty point: the form again with the error, in Swedish
  r = await c.submit(`/t/${t.token}`, `/t/${t.token}`, { question: String(t.questions[1].id), text: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /Skriv punkten: den är tom\./);
  r = await c.submit(`/t/${t.token}`, `/t/${t.token}`, { question: String(t.questions[1].id), text: 'Tullen tar för lång tid.', type: 'challenge' });
  assert.equal(r.status, 303);
  r = await c.get(`/t/${t.token}`);
  assert.match(r.text, /skickats till bordets värdar/);
  // the QR code: hosts only, an SVG of the link
  assert.equal((await pages.eve.get(`/roundtables/${t.id}/qr.svg`)).status, 403);
  r = await pages.ola.get(`/roundtables/${t.id}/qr.svg`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^image\/svg\+xml/);
  assert.match(r.text, /^<svg[^>]*viewBox="0 0 \d+ \d+"[^]*<path fill="#000" d="M4 4h7/);
  // the host sees the point waiting, with the link
  r = await pages.ola.get(`/roundtables/${t.id}`);
  assert.match(r.text, /Tullen tar för lång tid\./);
  assert.match(r.text, /Waiting for review/);
  assert.ok(r.text.includes(`/t/${t.token}`));
  r = await pages.eve.get(`/roundtables/${t.id}`);
  assert.doesNotMatch(r.text, /Tullen tar för lång tid/);
  assert.ok(!r.text.includes(t.token));
  // at most 60 points per table and address in ten minutes (one sent above)
  for (let i = 0; i < 59; i++) {
    r = await api(null, 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: t.questions[0].id, text: 'Punkt ' + i, token: t.token });
    assert.equal(r.status, 201, r.text);
  }
  r = await api(null, 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: t.questions[0].id, text: 'En för mycket', token: t.token });
  assert.equal(r.status, 429);
  assert.equal(r.headers.get('retry-after'), '600');
});

test('hosts review on the table page with plain forms: approve, move, merge, make an action item', async () => {
  const id = await newEvent();
  const t = (await api('anna', 'POST', `/api/v1/events/${id}/roundtables`, { hosts: [{ org: orgs.ola }] })).json();
  const q = t.questions[0].id;
  const add = async (text) => (await api(null, 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: q, text, token: t.token })).json().id;
  const a = await add('Första punkten.'), b = await add('Andra punkten.'), c = await add('Tredje punkten.');
  const act = async (bid, fields) => pages.ola.submit(`/roundtables/${t.id}`, `/bullets/${bid}`, fields);
  for (const x of [a, b, c]) assert.equal((await act(x, { do: 'approve' })).status, 303);
  assert.equal((await act(c, { do: 'up' })).status, 303);
  let rep = (await api(null, 'GET', `/api/v1/events/${id}/report`)).json();
  assert.deepEqual(rep.tables[0].questions[0].bullets, ['Första punkten.', 'Tredje punkten.', 'Andra punkten.']);
  assert.equal((await act(b, { do: 'merge', into: String(a) })).status, 303);
  rep = (await api(null, 'GET', `/api/v1/events/${id}/report`)).json();
  assert.deepEqual(rep.tables[0].questions[0].bullets, ['Första punkten. Andra punkten.', 'Tredje punkten.']);
  assert.equal((await act(c, { do: 'reject' })).status, 303);
  // the host corrects a bullet's text, type and key areas; an empty text is refused
  const ed = new URLSearchParams({ do: 'edit', text: 'Tredje punkten, rättad.', type: 'support' });
  ed.append('themes', 'energy'); ed.append('themes', 'tech');
  assert.equal((await pages.ola.submit(`/roundtables/${t.id}`, `/bullets/${c}`, ed)).status, 303);
  const cb = (await api('ola', 'GET', `/api/v1/bullets/${c}`)).json();
  assert.deepEqual([cb.text, cb.type, cb.themes], ['Tredje punkten, rättad.', 'support', ['energy', 'tech']]);
  assert.equal((await act(c, { do: 'edit', text: '  ' })).status, 422);
  assert.equal((await api('ola', 'GET', `/api/v1/bullets/${c}`)).json().text, 'Tredje punkten, rättad.');
  // outsiders may not
  const r0 = await pages.eve.submit('/events', `/bullets/${a}`, { do: 'approve' });
  assert.equal(r0.status, 403);
  const r = await act(a, { do: 'action' });
  assert.equal(r.status, 303);
  assert.match(r.location, /^\/actions\/\d+$/);
  const page = await pages.ola.get(r.location);
  assert.match(page.text, /Första punkten\. Andra punkten\./);
  assert.match(page.text, /Proposed/);
});

test('two hosts at once: a bullet edited or approved from a page older than the bullet is refused with 409, nothing overwritten', async () => {
  const id = await newEvent();
  const t = (await api('anna', 'POST', `/api/v1/events/${id}/roundtables`, { hosts: [{ org: orgs.ola }] })).json();
  const q = t.questions[0].id;
  const b = (await api(null, 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: q, text: 'Gemensam punkt.', token: t.token })).json();
  assert.equal(b.version, 1);
  // both hosts open the table page: each form carries the version it shows
  const versionOn = async (c) => {
    const page = (await c.get(`/roundtables/${t.id}`)).text;
    const form = page.slice(page.indexOf(`action="/bullets/${b.id}"`));
    return /name="version" value="(\d+)"/.exec(form)[1];
  };
  const seenByOla = await versionOn(pages.ola), seenByAnna = await versionOn(pages.anna);
  assert.equal(seenByOla, '1');
  assert.equal(seenByAnna, '1');
  let r = await pages.ola.submit(`/roundtables/${t.id}`, `/bullets/${b.id}`, { do: 'edit', text: 'Olas rättelse.', version: seenByOla });
  assert.equal(r.status, 303);
  r = await pages.anna.submit(`/roundtables/${t.id}`, `/bullets/${b.id}`, { do: 'edit', text: 'Annas rättelse.', version: seenByAnna });
  assert.equal(r.status, 409);
  assert.match(r.text, /Someone else changed this bullet after you opened it/);
  // an approval from the stale page would publish a text its approver never saw: refused too
  r = await pages.anna.submit(`/roundtables/${t.id}`, `/bullets/${b.id}`, { do: 'approve', version: seenByAnna });
  assert.equal(r.status, 409);
  let now = (await api('ola', 'GET', `/api/v1/bullets/${b.id}`)).json();
  assert.deepEqual([now.text, now.status, now.version], ['Olas rättelse.', 'pending', 2]);
  // the error page leads back to the page the form was on (a Referer of this site only)
  const csrf = await pages.anna.csrf(`/roundtables/${t.id}`);
  const stale = (referer) => pages.anna.post(`/bullets/${b.id}`, { form: { do: 'edit', text: 'Annas rättelse.', version: '1', csrf }, headers: { referer } });
  r = await stale(`${srv.base}/roundtables/${t.id}`);
  assert.equal(r.status, 409);
  assert.match(r.text, new RegExp(`<a href="/roundtables/${t.id}">Back to the page you came from</a>`));
  for (const ref of ['https://evil.example/roundtables/1', 'javascript:alert(1)', `${srv.base}//evil.example/`])
    assert.doesNotMatch((await stale(ref)).text, /Back to the page you came from/, ref);
  // in the user's language
  const sv = new Client(srv.base, { lang: 'sv' });
  sv.cookies.set('lang', 'sv');
  await sv.login('anna@example.se', 'anna password 123');
  r = await sv.submit(`/roundtables/${t.id}`, `/bullets/${b.id}`, { do: 'edit', text: 'Annas rättelse.', version: '1' });
  assert.equal(r.status, 409);
  assert.match(r.text, /Någon annan ändrade punkten efter att du öppnade den/);
  // the API: If-Match names the version; a stale one is 409, the fresh one saves and answers the new ETag
  const patch = (v, json) => new Client(srv.base, { lang: 'en' }).req('PATCH', `/api/v1/bullets/${b.id}`, { json, headers: { authorization: 'Bearer ' + tokens.anna, ...(v ? { 'if-match': v } : {}) } });
  r = await patch('"1"', { text: 'Via API, inaktuell.' });
  assert.equal(r.status, 409);
  assert.equal(r.json().code, 'conflict');
  r = await patch('W/"2"', { status: 'approved' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('etag'), '"3"');
  assert.deepEqual([r.json().status, r.json().text, r.json().version], ['approved', 'Olas rättelse.', 3]);
  assert.equal((await patch('tre', { text: 'x' })).status, 400);
  assert.equal((await patch(null, { text: 'Text utan version.', version: 0 })).status, 422);
  now = (await api('ola', 'GET', `/api/v1/bullets/${b.id}`)).json();
  assert.deepEqual([now.text, now.version], ['Olas rättelse.', 3]);
  // without a version (older clients) the save goes through, as before
  assert.equal((await patch(null, { text: 'Utan version.' })).status, 200);
});

test('the action plan: owners, due dates, allowed status moves, notes kept; follow-up per series and theme with counts', async () => {
  const id = await newEvent({ series: 'Uppföljningsserien', themes: ['energy'] });
  const t = (await api('anna', 'POST', `/api/v1/events/${id}/roundtables`, { hosts: [{ org: orgs.ola }], theme: 'energy' })).json();
  const q = t.questions[0].id;
  const bl = [];
  for (const text of ['Gemensam solenergiklynga.', 'Gemensamma testbäddar.', 'Riskkapital över gränsen.'])
    bl.push((await api('ola', 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: q, text, status: 'approved', themes: text.includes('testbäddar') ? ['tech'] : [] })).json().id);
  let r = await api('eve', 'POST', `/api/v1/bullets/${bl[0]}/action`, {});
  assert.equal(r.status, 403);
  const pending = (await api(null, 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: q, text: 'Ännu ej granskad.', token: t.token })).json().id;
  r = await api('ola', 'POST', `/api/v1/bullets/${pending}/action`, {});
  assert.equal(r.status, 422, 'only approved bullets become (public) action items');
  r = await api('ola', 'POST', `/api/v1/bullets/${bl[0]}/action`, { owners: [orgs.ola, orgs.anna], due: '2027-12-31', note: 'Första mötet bokat.', note_date: '2027-10-01' });
  assert.equal(r.status, 201, r.text);
  const a1 = r.json();
  assert.equal(a1.status, 'proposed');
  assert.deepEqual(a1.owners.map((o) => o.country).sort(), ['NO', 'SE']);
  // Ola named Anna's organisation: unconfirmed until Anna, its administrator, agrees (issue 11)
  assert.deepEqual(a1.owners.map((o) => [o.id, o.confirmed]), [[orgs.anna, false], [orgs.ola, true]].sort((x, y) => x[0] - y[0]));
  assert.equal((await api('anna', 'POST', `/api/v1/actions/${a1.id}/owners`, { organisation: orgs.anna, answer: 'confirm' })).status, 200);
  r = await api('ola', 'POST', `/api/v1/bullets/${bl[0]}/action`, {});
  assert.equal(r.status, 409, 'one action item per bullet');
  // not allowed: proposed straight to done; a bad date
  r = await api('ola', 'PATCH', `/api/v1/actions/${a1.id}`, { status: 'done' }, 'sv');
  assert.equal(r.status, 409);
  assert.equal(r.json().code, 'status-not-allowed');
  assert.equal(r.json().errors.status, 'Den här statusen kan inte följa på den nuvarande.');
  r = await api('ola', 'PATCH', `/api/v1/actions/${a1.id}`, { due: '2027-02-30' });
  assert.equal(r.status, 422);
  r = await api('ola', 'PATCH', `/api/v1/actions/${a1.id}`, { status: 'bogus' });
  assert.equal(r.status, 422);
  assert.equal((await api(null, 'GET', `/api/v1/actions/${a1.id}`)).json().status, 'proposed', 'nothing half-saved');
  for (const s of ['agreed', 'in-progress', 'done']) {
    r = await api('ola', 'PATCH', `/api/v1/actions/${a1.id}`, { status: s, note: 'Nu: ' + s });
    assert.equal(r.status, 200, r.text);
  }
  r = await api('anna', 'PATCH', `/api/v1/actions/${a1.id}`, { note: 'Klustret är bildat.', note_date: '2028-01-15', due: null });
  const log = r.json().log;
  assert.deepEqual(log.map((e) => e.field), ['created', 'owners', 'due', 'note', 'status', 'status', 'status', 'due', 'note']);
  assert.deepEqual(log.filter((e) => e.field === 'status').map((e) => [e.old, e.new]), [['proposed', 'agreed'], ['agreed', 'in-progress'], ['in-progress', 'done']]);
  assert.equal(log.at(-1).note_date, '2028-01-15');
  // two more: one dropped with a Norwegian owner, one without owners
  const a2 = (await api('ola', 'POST', `/api/v1/bullets/${bl[1]}/action`, { owners: [orgs.ola] })).json();
  assert.equal((await api('ola', 'PATCH', `/api/v1/actions/${a2.id}`, { status: 'dropped', note: 'Ingen finansiering.' })).status, 200);
  await api('ola', 'POST', `/api/v1/bullets/${bl[2]}/action`, {});
  const series = (await api(null, 'GET', `/api/v1/events/${id}`)).json().series.id;
  r = await api(null, 'GET', `/api/v1/series/${series}/followup`);
  assert.equal(r.status, 200);
  const f = r.json();
  assert.equal(f.items.length, 3);
  assert.deepEqual(f.summary.by_status, { proposed: 1, agreed: 0, 'in-progress': 0, done: 1, dropped: 1 });
  assert.deepEqual(f.summary.by_country, { SE: 0, NO: 1, both: 1, none: 1 });
  r = await api(null, 'GET', `/api/v1/series/${series}/followup?theme=tech`);
  assert.deepEqual(r.json().items.map((i) => i.bullet.text), ['Gemensamma testbäddar.']);
  r = await api(null, 'GET', `/api/v1/series/${series}/followup?theme=energy`);
  assert.equal(r.json().items.length, 3, "the table's key area");
  // the page
  const p = await new Client(srv.base, { lang: 'en' }).get(`/series/${series}/followup?theme=energy`);
  assert.equal(p.status, 200);
  assert.match(p.text, /Gemensam solenergiklynga\./);
  assert.match(p.text, /<th scope="row">Done<\/th><td>1<\/td>/);
  assert.match(p.text, /Klustret är bildat\./);
  // the action page keeps every change, and the host's form offers only allowed moves
  const ap = await pages.ola.get(`/actions/${a2.id}`);
  assert.match(ap.text, /Ingen finansiering\./);
  assert.match(ap.text, /<option value="proposed"/);
  assert.doesNotMatch(ap.text, /<option value="done"/);
  const bad = await pages.ola.submit(`/actions/${a2.id}`, `/actions/${a2.id}`, { status: 'proposed', due: 'tomorrow' });
  assert.equal(bad.status, 422);
  const ok = await pages.ola.submit(`/actions/${a2.id}`, `/actions/${a2.id}`, { status: 'proposed', due: '2028-06-01', owners: String(orgs.ola), note: 'Nytt försök.' });
  assert.equal(ok.status, 303);
  assert.equal((await api(null, 'GET', `/api/v1/actions/${a2.id}`)).json().status, 'proposed');
});

test('pages: organisers add tables and questions with forms; every field is escaped', async () => {
  const id = await newEvent();
  // an outsider sees no forms and may not post
  let r = await pages.eve.get(`/events/${id}/roundtables`);
  assert.doesNotMatch(r.text, /Add a roundtable/);
  r = await pages.eve.submit(`/events/${id}/roundtables`, `/events/${id}/roundtables/new`, { hosts: 'Eve AB' });
  assert.equal(r.status, 403);
  r = await pages.anna.submit(`/events/${id}/roundtables`, `/events/${id}/roundtables/new`, { hosts: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /Name at least one host organisation\./);
  // the hosts are organisations (the type-ahead's names): a name that names none is said inline, kept, escaped
  r = await pages.anna.submit(`/events/${id}/roundtables`, `/events/${id}/roundtables/new`, { hosts: X + ', Visit Värmland', moderator: X, theme: 'tourism' });
  assert.equal(r.status, 422);
  assert.match(r.text, /Some names match no organisation, or several: write more of the name, or its organisation number\./);
  assert.ok(r.text.includes('value="&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;, Visit Värmland"'), 'the text kept');
  r = await pages.anna.submit(`/events/${id}/roundtables`, `/events/${id}/roundtables/new`, { hosts: 'Visit Värmland, Visit Greater Oslo', moderator: X, theme: 'tourism' });
  assert.equal(r.status, 303, r.text.slice(0, 500));
  const tid = Number(/\/roundtables\/(\d+)/.exec(r.location)[1]);
  r = await pages.anna.submit(`/events/${id}/roundtables`, `/events/${id}/roundtables`, { questions_sv: X + '\nAndra frågan?', questions_nb: '', questions_en: '', intro: X });
  assert.equal(r.status, 303);
  const t2 = (await api('anna', 'POST', `/api/v1/events/${id}/roundtables`, { hosts: 'Compare' })).json();
  assert.equal(t2.questions[0].text, X);
  const b = (await api('anna', 'POST', `/api/v1/roundtables/${t2.id}/bullets`, { question: t2.questions[0].id, text: X, status: 'approved' })).json();
  await api('anna', 'POST', `/api/v1/bullets/${b.id}/action`, { note: X });
  await api('anna', 'POST', `/api/v1/roundtables/${tid}/bullets`, { question: (await api('anna', 'GET', `/api/v1/roundtables/${tid}`)).json().questions[0].id, text: X });
  const series = (await api(null, 'GET', `/api/v1/events/${id}`)).json().series.id;
  for (const [c, path] of [[pages.anna, `/events/${id}/roundtables`], [pages.anna, `/roundtables/${tid}`], [pages.anna, `/roundtables/${t2.id}`],
    [new Client(srv.base), `/events/${id}/report`], [pages.anna, `/actions/${b.id > 0 ? (await api(null, 'GET', `/api/v1/bullets/${b.id}`)).json().action : 0}`],
    [new Client(srv.base), `/series/${series}/followup`], [new Client(srv.base), `/t/${t2.token}`]]) {
    r = await c.get(path);
    assert.equal(r.status, 200, path);
    assert.ok(!r.text.includes('<script>alert(1)</script>'), 'escaped on ' + path);
    assert.ok(r.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'shown on ' + path);
  }
  // Markdown escapes it too, and reads back
  r = await new Client(srv.base).get(`/events/${id}/report.md`);
  assert.ok(r.text.includes('\\<script\\>alert(1)\\</script\\>'));
});

test('the demo Mötesplats Vision 2022 event carries the seed report', async () => {
  const all = (await api(null, 'GET', '/api/v1/events?from=2022-03-01&to=2022-04-01&status=all')).json().items;
  const mv = all.find((e) => e.demo && e.series && e.series.name === 'Mötesplats Vision');
  assert.ok(mv, 'the demo event');
  const r = await new Client(srv.base, { lang: 'sv' }).get(`/events/${mv.id}/report`);
  assert.equal(r.status, 200);
  assert.match(r.text, /<h2>Värd: Visit Värmland och Visit Greater Oslo<\/h2>/);
  assert.match(r.text, /RAS-anläggningar är exkluderade från möjligheten till regionalt investeringsstöd/);
  const tables = (await api(null, 'GET', `/api/v1/events/${mv.id}/roundtables`)).json().tables;
  assert.equal(tables.length, 6);
  // what became of some proposals, and the RAS point linked to its border obstacle
  const f = (await api(null, 'GET', `/api/v1/series/${mv.series.id}/followup`)).json();
  assert.deepEqual(f.summary.by_status, { proposed: 1, agreed: 1, 'in-progress': 1, done: 1, dropped: 0 });
  assert.deepEqual(f.summary.by_country, { SE: 2, NO: 0, both: 2, none: 0 });
  const done = f.items.find((i) => i.status === 'done');
  assert.deepEqual(done.log.filter((e) => e.field === 'status').map((e) => e.note_date), ['2022-05-10', '2022-11-15', '2023-02-28']);
  const ras = (await api(null, 'GET', '/api/v1/obstacles?per_page=50')).json().items.find((o) => /regionalt investeringsstöd/.test(o.title));
  assert.ok(JSON.stringify((await api(null, 'GET', `/api/v1/obstacles/${ras.id}`)).json()).includes('"bullet"'));
  // running the demo loader again adds nothing
  const again = cli(['demo'], { db: srv.db });
  assert.equal(again.code, 0, again.err);
  assert.equal((await api(null, 'GET', `/api/v1/events/${mv.id}/roundtables`)).json().tables.length, 6);
  assert.equal((await api(null, 'GET', `/api/v1/series/${mv.series.id}/followup`)).json().items.length, 4);
});
