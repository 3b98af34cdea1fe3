// Issue 12 (items 5-7, "Words"): events in time (held events, the past view, the 2022 conference),
// the date check while filling in the form, the board as shared week rows, language honesty in the
// event form and pages, the event page's own heading.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from './lib.mjs';

let srv;
const tok = {};
const orgs = {};
before(async () => {
  srv = await startServer();
  for (const [k, email, name] of [['anna', 'anna@example.se', 'Anna Andersson'], ['ola', 'ola@example.no', 'Ola Nordmann']]) {
    srv.user(email, name, { password: k + ' password 123' });
    tok[k] = srv.token(email);
  }
  orgs.anna = (await api('anna', 'POST', '/api/v1/organisations', { name: 'Tidiga Verkstäder AB', country: 'SE', kind: 'company', municipality: '1780', themes: ['manufacturing'] })).json().id;
  orgs.ola = (await api('ola', 'POST', '/api/v1/organisations', { name: 'Tidlig Klynge', country: 'NO', kind: 'cluster', municipality: '3401', themes: ['manufacturing'] })).json().id;
});
after(async () => { await srv.stop(); });

async function api(who, method, path, json, lang = 'en') {
  const c = new Client(srv.base, { lang });
  return c.req(method, path, { json, headers: who ? { authorization: 'Bearer ' + tok[who] } : {} });
}
async function as(who, lang = 'en') {
  const c = new Client(srv.base, { lang });
  await c.login({ anna: 'anna@example.se', ola: 'ola@example.no' }[who], who + ' password 123');
  return c;
}
const demoId = async (title) => {
  const all = (await api(null, 'GET', '/api/v1/events?from=2020-01-01&to=2030-12-31&status=all')).json().items;
  return all.find((e) => Object.values(e.title).some((t) => t.includes(title))).id;
};
const formOf = (org, o = {}) => {
  const p = new URLSearchParams({ title_sv: '', title_nb: '', title_en: '', desc_sv: '', desc_nb: '', desc_en: '', status: 'planned',
    start: '2027-09-14T09:00', end: '2027-09-14T16:00', timezone: 'Europe/Oslo', country: 'NO', municipality: '3401', venue: '', online_url: '',
    language: 'nb', capacity: '', registration_deadline: '', series: '', organisers_more: '', ...o });
  p.append('organisers', String(org));
  p.append('themes', 'manufacturing');
  return p;
};

test('an event page is headed "About the event", not the organisation heading, in sv, nb and en', async () => {
  const id = await demoId('Leverandørdag');
  for (const [lang, head, not] of [['sv', 'Om evenemanget', 'Om organisationen'], ['nb', 'Om arrangementet', 'Om organisasjonen'], ['en', 'About the event', '>About<']]) {
    const r = await new Client(srv.base, { lang }).get(`/events/${id}`);
    assert.equal(r.status, 200);
    assert.match(r.text, new RegExp(`<h2>${head}</h2>`), lang);
    assert.doesNotMatch(r.text, new RegExp(not), lang);
  }
});

test('the event form puts the user\'s language first and asks for at least one title, at the first field', async () => {
  const ola = await as('ola', 'nb');
  let r = await ola.get('/events/new');
  assert.equal(r.status, 200);
  assert.ok(r.text.indexOf('name="title_nb"') < r.text.indexOf('name="title_sv"'), 'Norwegian title first on a Norwegian page');
  assert.ok(r.text.indexOf('name="desc_nb"') < r.text.indexOf('name="desc_sv"'));
  assert.match(r.text, /Minst én tittel/);
  r = await ola.submit('/events/new', '/events/new', formOf(orgs.ola));
  assert.equal(r.status, 422);
  assert.match(r.text, /id="e-title_nb"/, 'the error stands at the Norwegian title');
  assert.doesNotMatch(r.text, /id="e-title_sv"/);
  assert.doesNotMatch(r.text, /svensk tittel|Tittel på svensk[^<]*<\/a>/i);
  const anna = await as('anna', 'sv');
  r = await anna.get('/events/new');
  assert.ok(r.text.indexOf('name="title_sv"') < r.text.indexOf('name="title_nb"'));
  const en = await as('anna', 'en');
  r = await en.get('/events/new');
  assert.ok(r.text.indexOf('name="title_en"') < r.text.indexOf('name="title_sv"'));
  // a title in Norwegian alone is enough
  r = await ola.submit('/events/new', '/events/new', formOf(orgs.ola, { title_nb: 'Grensedagen' }));
  assert.equal(r.status, 303);
});
