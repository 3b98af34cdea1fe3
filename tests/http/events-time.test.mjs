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

test('a held event: its report and action plan are the main content, no registration, no "cancel"; the 2022 conference is not fictional', async () => {
  const id = await demoId('Mötesplats Vision 2022');
  for (const lang of ['sv', 'nb', 'en']) {
    const r = await new Client(srv.base, { lang }).get(`/events/${id}`);
    assert.equal(r.status, 200);
    assert.match(r.text, /class="status status-held"/, lang);
    assert.doesNotMatch(r.text, /name="affiliation"|\/events\/\d+\/register"|Log in to register|Logga in för att anmäla/, lang);
    assert.doesNotMatch(r.text, /\/cancel"/);
    assert.doesNotMatch(r.text, /Demo event: an example|Demoevenemang|Demo-arrangement/, lang);
    assert.match(r.text, /<section class="held-report"/);
    const main = r.text.slice(r.text.indexOf('class="main-col"'));
    assert.ok(main.indexOf('held-report') < main.indexOf('<h2>' + { sv: 'Om evenemanget', nb: 'Om arrangementet', en: 'About the event' }[lang]), 'the report comes first');
    assert.match(r.text, /\/series\/\d+\/followup/);
  }
  const en = await new Client(srv.base, { lang: 'en' }).get(`/events/${id}`);
  assert.match(en.text, /Held on 15 March 2022/);
  assert.match(en.text, /<h2 id="rep-h">Report <span class="lang-note" lang="en">\(in Swedish\)<\/span><\/h2><div lang="sv">/);
  const sv = await new Client(srv.base, { lang: 'sv' }).get(`/events/${id}`);
  assert.doesNotMatch(sv.text, /lang-note/, 'no note when the page is in the report\'s language');
  // an organiser's own held event: no "cancel" either, and no registration
  const r0 = await api('anna', 'POST', '/api/v1/events', { title: 'Förra årets verkstadsdag', start: '2025-05-06T09:00', end: '2025-05-06T15:00',
    timezone: 'Europe/Stockholm', country: 'SE', municipality: '1780', status: 'confirmed', organisers: [orgs.anna] });
  assert.equal(r0.status, 201, r0.text);
  const anna = await as('anna');
  const r = await anna.get(`/events/${r0.json().id}`);
  assert.match(r.text, /\/edit"/);
  assert.doesNotMatch(r.text, /\/cancel"|\/events\/\d+\/register"/);
  assert.match(r.text, /No report has been published yet/);
  // fictional demo events keep their mark
  const fic = await new Client(srv.base, { lang: 'en' }).get(`/events/${await demoId('Leverandørdag')}`);
  assert.match(fic.text, /Demo event: an example, not a real plan/);
});

test('the calendar has a "past events" view: held events, the latest first, with the held mark', async () => {
  const c = new Client(srv.base, { lang: 'en' });
  let r = await c.get('/events');
  assert.match(r.text, /href="\/events\?view=past"/);
  r = await c.get('/events?view=past');
  assert.equal(r.status, 200);
  assert.match(r.text, /Mötesplats Vision 2022/);
  assert.doesNotMatch(r.text, /Leverandørdag: industri over grensen/, 'coming events are not past');
  assert.match(r.text, /aria-current="page">Past events/);
  assert.match(r.text, /class="status status-held">Held/);
  assert.match(r.text, /events held/);
  r = await c.get('/events?view=past&country=NO');
  assert.doesNotMatch(r.text, /Mötesplats Vision 2022/);
});

test('the 2022 report is clean: no web-page residue, the introduction\'s subheadings are headings', async () => {
  const id = await demoId('Mötesplats Vision 2022');
  for (const path of [`/events/${id}/report`, `/events/${id}`]) {
    const r = await new Client(srv.base, { lang: 'sv' }).get(path);
    assert.equal(r.status, 200);
    for (const junk of ['Till startsidan', 'Man och kvinna på scen', 'Johan Lundgren, konferencier', 'Sidan uppdaterad', 'Hjälpte sidan dig?'])
      assert.ok(!r.text.includes(junk), `${path}: ${junk}`);
    assert.match(r.text, /<h2 class="report-subhead">Strategiskt samarbete<\/h2>\n<p>De båda ministrarna/);
    assert.match(r.text, /<h2 class="report-subhead">Världens mest hållbara och integrerade region<\/h2>/);
    assert.match(r.text, /<p>Den 15 mars 2022 genomfördes konferensen/);
  }
  const md = await new Client(srv.base).get(`/events/${id}/report.md`);
  assert.match(md.text, /^## Strategiskt samarbete$/m);
  assert.doesNotMatch(md.text, /Till startsidan|Sidan uppdaterad/);
});

test('obstacles raised at the 2022 conference carry its date, not the day the record was entered', async () => {
  const c = new Client(srv.base, { lang: 'en' });
  const items = (await api(null, 'GET', '/api/v1/obstacles?per_page=50')).json().items;
  const from2022 = items.filter((o) => /Mötesplats Vision 2022/.test(o.description || ''));
  assert.ok(from2022.length >= 7, 'the demo obstacles from the conference');
  const today = new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Stockholm' });
  for (const o of from2022) {
    const r = await c.get(`/obstacles/${o.id}`);
    assert.equal(r.status, 200);
    assert.match(r.text, /raised on 15 March 2022 · at <a href="\/events\/\d+">Mötesplats Vision 2022/, o.title);
    assert.ok(!r.text.includes(`reported ${today}`), o.title);
  }
  const list = await c.get('/obstacles');
  assert.match(list.text, /raised on 15 March 2022/);
  const nb = await new Client(srv.base, { lang: 'nb' }).get(`/obstacles/${from2022[0].id}`);
  assert.match(nb.text, /tatt opp 15\. mars 2022/);
  // an obstacle reported today, not linked to an event, says so
  const r0 = await api('anna', 'POST', '/api/v1/obstacles', { title: 'Tullregler för verktyg', description: 'Verktyg som tas över gränsen för ett uppdrag fastnar i tullen och måste deklareras varje gång.', country: 'SE', themes: ['manufacturing'] });
  assert.equal(r0.status, 201, r0.text);
  const own = await c.get(`/obstacles/${r0.json().id}`);
  assert.match(own.text, new RegExp(`reported ${today}`));
});

test('the date check: a "check the date" step without JavaScript keeps the input and shows clashes before publishing; "save as an idea"', async () => {
  const fif = await demoId('Future Industry Forum');
  const f = (await api(null, 'GET', '/api/v1/events/' + fif)).json();
  const anna = await as('anna');
  const before = (await api(null, 'GET', '/api/v1/events?from=2020-01-01&to=2030-12-31&status=all')).json().items.length;
  let r = await anna.get('/events/new');
  assert.match(r.text, /<section class="date-check" id="date-check"/);
  assert.match(r.text, /<button type="submit" name="check" value="1" class="secondary" formnovalidate>Check the date<\/button>/);
  const form = formOf(orgs.anna, { title_sv: 'Vår krockdag', start: f.start, end: f.end, timezone: 'Europe/Stockholm', country: 'SE', municipality: '1780', language: 'sv' });
  form.append('check', '1');
  r = await anna.submit('/events/new', '/events/new', form);
  assert.equal(r.status, 200);
  assert.match(r.text, /value="Vår krockdag"/, 'the input is kept');
  const box = r.text.slice(r.text.indexOf('id="date-check-result"'));
  assert.match(box, new RegExp(`Possible clash: <a href="/events/${fif}">`));
  assert.match(box, /Shared: [^<]*Manufacturing/i);
  assert.match(box, /name="as_idea" value="1">Save as an idea/);
  assert.equal((await api(null, 'GET', '/api/v1/events?from=2020-01-01&to=2030-12-31&status=all')).json().items.length, before, 'nothing saved');
  // a free day says so; a missing start is explained, not an error page
  const calm = formOf(orgs.anna, { title_sv: 'Lugn dag', start: '2029-01-16T09:00', end: '2029-01-16T12:00', country: 'SE', municipality: '1780', timezone: 'Europe/Stockholm' });
  calm.append('check', '1');
  r = await anna.submit('/events/new', '/events/new', calm);
  assert.match(r.text, /No clashes and no public holidays found/);
  const nostart = formOf(orgs.anna, { start: '' });
  nostart.append('check', '1');
  r = await anna.submit('/events/new', '/events/new', nostart);
  assert.equal(r.status, 200);
  assert.match(r.text, /Fill in when the event starts, then check the date/);
  // in Norwegian too
  const ola = await as('ola', 'nb');
  const nb = formOf(orgs.ola, { title_nb: 'Vår kollisjonsdag', start: f.start, end: f.end, timezone: 'Europe/Oslo', country: 'NO', municipality: '3401' });
  nb.append('check', '1');
  r = await ola.submit('/events/new', '/events/new', nb);
  assert.match(r.text, /Mulig kollisjon|Mulig krasj|Möjlig krock|Possible clash/);
  assert.match(r.text, /Lagre som idé/);
  // the clashing event's title is Swedish (it has none in bokmål): its lang and a note; on the Swedish page neither
  assert.match(r.text, new RegExp(`Mulig kollisjon: <a href="/events/${fif}" lang="sv">Future Industry Forum</a> <span class="lang-note" lang="nb">\\(på svensk\\)</span>`));
  assert.match(box, new RegExp(`Possible clash: <a href="/events/${fif}">Future Industry Forum</a> \\(`), 'an English title on an English page: no lang');
  const clashes = (await ola.get(`/api/v1/events/clashes?start=${encodeURIComponent(f.start)}&end=${encodeURIComponent(f.end)}&themes=${f.themes.join(',')}&municipality=${f.country}-${f.municipality}`, { headers: { 'accept-language': 'nb' } })).json();
  assert.ok(clashes.warnings.some((w) => w.event === fif && w.title_lang === 'sv'), JSON.stringify(clashes).slice(0, 300));
  // the safe choice saves an idea
  form.delete('check');
  form.append('as_idea', '1');
  r = await anna.submit('/events/new', '/events/new', form);
  assert.equal(r.status, 303);
  const id = Number(r.location.match(/\/events\/(\d+)/)[1]);
  assert.equal((await api(null, 'GET', '/api/v1/events/' + id)).json().status, 'idea');
  // editing: the check leaves the event itself out
  const ed = formOf(orgs.anna, { title_sv: 'Vår krockdag', start: f.start, end: f.end, timezone: 'Europe/Stockholm', country: 'SE', municipality: '1780', status: 'idea' });
  ed.append('check', '1');
  r = await anna.submit(`/events/${id}/edit`, `/events/${id}/edit`, ed);
  assert.equal(r.status, 200);
  assert.match(r.text, new RegExp(`Possible clash: <a href="/events/${fif}">`));
  assert.doesNotMatch(r.text.slice(r.text.indexOf('id="date-check-result"')), new RegExp(`href="/events/${id}"`));
});

test('clash badges in the list, month and week views; the board is week rows shared by both countries with clash and shared-theme marks', async () => {
  const fif = await demoId('Future Industry Forum');
  const f = (await api(null, 'GET', '/api/v1/events/' + fif)).json();
  const c = new Client(srv.base, { lang: 'en' });
  const cardOf = (html, id) => { const i = html.indexOf(`href="/events/${id}"`); return html.slice(i, html.indexOf('</li>', i)); };
  let r = await c.get('/events');
  const hasClash = (await api(null, 'GET', `/api/v1/events/clashes?start=${f.start}&end=${f.end}&themes=${f.themes.join(',')}&municipality=${f.country}-${f.municipality}&exclude=${fif}`)).json()
    .warnings.some((w) => w.kind === 'clash');
  assert.ok(hasClash, 'the demo has a clash with Future Industry Forum');
  assert.match(cardOf(r.text, fif), /<span class="clash-badge">Possible clash<\/span>/);
  r = await c.get(`/events?view=month&month=${f.start.slice(0, 7)}`);
  assert.match(cardOf(r.text, fif), /clash-badge/);
  r = await c.get(`/events?view=week&date=${f.start.slice(0, 10)}`);
  assert.match(cardOf(r.text, fif), /clash-badge/);
  // an event alone in its time has no badge
  const lone = await api('anna', 'POST', '/api/v1/events', { title: 'Ensam dag', start: '2027-08-03T09:00', end: '2027-08-03T10:00', timezone: 'Europe/Stockholm',
    country: 'SE', municipality: '1780', themes: ['blue-bioeconomy'], status: 'planned', organisers: [orgs.anna] });
  r = await c.get('/events?view=week&date=2027-08-03');
  assert.doesNotMatch(cardOf(r.text, lone.json().id), /clash-badge/);
  // the board: each week is one row holding a Swedish and a Norwegian cell, in that order
  r = await c.get('/events/board');
  const weeks = r.text.split('<section class="board-week').slice(1);
  assert.ok(weeks.length >= 4);
  for (const w of weeks) {
    assert.match(w, /^[^>]*aria-labelledby="bw-\d+"><h2 id="bw-\d+">Week \d+ /);
    const se = w.indexOf('<div class="board-cell country-SE">'), no = w.indexOf('<div class="board-cell country-NO">');
    assert.ok(se > 0 && no > se, 'both countries in the same row');
    assert.equal(w.split('<div class="board-row">').length, 2, 'one row per week');
  }
  // the supplier day in Kongsvinger is the day after the forum starts: whatever weekday the demo
  // was loaded on, a week holds both (a two-day event is on the board in each week it runs in)
  const lev = await demoId('Leverandørdag: industri over grensen');
  const fifWeek = weeks.find((w) => w.includes(`href="/events/${fif}"`) && w.includes(`href="/events/${lev}"`));
  assert.ok(fifWeek, 'a week with both the forum and the supplier day');
  assert.match(fifWeek, /^ has-clash/);
  assert.match(fifWeek, /<span class="shared-theme">Both sides: [^<]*Manufacturing/);
  const nb = await new Client(srv.base, { lang: 'nb' }).get('/events/board');
  assert.match(nb.text, /<h2 id="bw-\d+">Uke \d+/);
});

test('language honesty: the report in another language than the page has a note and lang; the host label is a rendered, translated word', async () => {
  const id = await demoId('Mötesplats Vision 2022');
  let r = await new Client(srv.base, { lang: 'en' }).get(`/events/${id}/report`);
  assert.match(r.text, /<p class="lang-note">The report is in Swedish.<\/p><div lang="sv">/);
  assert.match(r.text, /<h2><span lang="en">Host<\/span>: Visit Värmland och Visit Greater Oslo<\/h2>/);
  assert.doesNotMatch(r.text, /Värd:/, 'no stored Swedish UI word on an English page');
  r = await new Client(srv.base, { lang: 'nb' }).get(`/events/${id}/report`);
  assert.match(r.text, /<p class="lang-note">Rapporten er på svensk.<\/p><div lang="sv">/);
  assert.match(r.text, /<h2><span lang="nb">Vert<\/span>: Visit Värmland/);
  r = await new Client(srv.base, { lang: 'sv' }).get(`/events/${id}/report`);
  assert.match(r.text, /<h2>Värd: Visit Värmland och Visit Greater Oslo<\/h2>/);
  assert.doesNotMatch(r.text, /lang-note/);
  // the held event page: the same, with the note in the heading
  r = await new Client(srv.base, { lang: 'nb' }).get(`/events/${id}`);
  assert.match(r.text, /<h2 id="rep-h">Rapport <span class="lang-note" lang="nb">\(på svensk\)<\/span><\/h2><div lang="sv">/);
  assert.match(r.text, /<span lang="nb">Vert<\/span>: /);
  // a table's own page and the event's list of tables: the label and the list of names in the page's language
  const tables = (await api(null, 'GET', `/api/v1/events/${id}/roundtables`)).json().tables;
  r = await new Client(srv.base, { lang: 'en' }).get(`/roundtables/${tables[0].id}`);
  assert.match(r.text, /<h1>Host: Visit Värmland and Visit Greater Oslo<\/h1>/);
  r = await new Client(srv.base, { lang: 'nb' }).get(`/events/${id}/roundtables`);
  assert.match(r.text, />Vert: Visit Värmland og Visit Greater Oslo<\/a>/);
  assert.doesNotMatch(r.text, />Värd: /);
});

test('language honesty: event titles and descriptions, organisation descriptions and summaries in another language get lang and a note', async () => {
  const lev = await demoId('Leverandørdag');
  let r = await new Client(srv.base, { lang: 'sv' }).get(`/events/${lev}`);
  assert.match(r.text, /<h1><span lang="nb">Leverandørdag[^<]*<\/span> <span class="lang-note" lang="sv">\(på norska\)<\/span><\/h1>/);
  r = await new Client(srv.base, { lang: 'en' }).get('/events?country=NO');
  assert.match(r.text, new RegExp(`<a href="/events/${lev}" lang="nb">Leverandørdag[^<]*</a> <span class="lang-note" lang="en">\\(in Norwegian\\)</span>`));
  r = await new Client(srv.base, { lang: 'nb' }).get('/events?country=NO');
  assert.doesNotMatch(r.text.slice(r.text.indexOf(`href="/events/${lev}"`), r.text.indexOf(`href="/events/${lev}"`) + 400), /lang-note/, 'no note in its own language');
  // an organisation described only in Swedish, read in Norwegian
  const o = (await api('anna', 'POST', '/api/v1/organisations', { name: 'Svenskspråkiga Verkstäder AB', country: 'SE', kind: 'company', municipality: '1780',
    themes: ['manufacturing'], description: { sv: 'Vi svetsar och bockar plåt för kunder på båda sidor om gränsen.' } })).json();
  r = await new Client(srv.base, { lang: 'nb' }).get(`/organisations/${o.id}`);
  assert.match(r.text, /<p class="note">Ingen beskrivelse på ditt språk; den vises på svensk.<\/p><p lang="sv" class="desc">Vi svetsar/);
  r = await new Client(srv.base, { lang: 'en' }).get('/organisations?q=Svenskspr%C3%A5kiga');
  assert.match(r.text, /<p lang="sv">Vi svetsar[^<]*<span class="lang-note" lang="en">\(in Swedish\)<\/span><\/p>/);
});

test('the home page leads to what is happening, and a member sees their organisations, events and invitations waiting', async () => {
  const mv = await demoId('Mötesplats Vision 2022');
  let r = await new Client(srv.base, { lang: 'en' }).get('/');
  assert.equal(r.status, 200);
  const now = r.text.slice(r.text.indexOf('<section class="home-happening"'), r.text.indexOf('</section>', r.text.indexOf('<section class="home-happening"')));
  assert.match(now, /<h2 id="now-h">What is happening<\/h2>/);
  assert.match(now, /<h3>Coming events<\/h3><ul class="plain"><li><a href="\/events\/\d+/);
  assert.match(now, /href="\/events\/board">The coordination board/);
  assert.match(now, /<h3>Border obstacles<\/h3><ul class="plain"><li><a href="\/obstacles\/\d+">/);
  assert.match(now, new RegExp(`<h3>The latest report</h3><p><a href="/events/${mv}">`));
  assert.match(now, new RegExp(`href="/events/${mv}/report">Report</a> · <a href="/series/\\d+/followup">The action plan and its follow-up`));
  assert.doesNotMatch(r.text, /home-member/, 'nothing personal for visitors');
  // a member: Ola's cluster, its event, an invitation from Anna's event
  const ev = (await api('ola', 'POST', '/api/v1/events', { title: { nb: 'Klyngemøte på Kongsvinger' }, start: '2027-10-05T10:00', end: '2027-10-05T12:00',
    timezone: 'Europe/Oslo', country: 'NO', municipality: '3401', status: 'planned', organisers: [orgs.ola] })).json();
  const annas = (await api('anna', 'POST', '/api/v1/events', { title: 'Inbjudningsdagen', start: '2027-10-12T10:00', end: '2027-10-12T12:00',
    timezone: 'Europe/Stockholm', country: 'SE', municipality: '1780', status: 'planned', organisers: [orgs.anna] })).json();
  const anna = await as('anna');
  await anna.submit(`/events/${annas.id}`, `/events/${annas.id}/invite`, { organisation: String(orgs.ola) });
  const ola = await as('ola', 'nb');
  r = await ola.get('/');
  const mine = r.text.slice(r.text.indexOf('<section class="home-member"'), r.text.indexOf('<section class="home-happening"'));
  assert.match(mine, /<h2 id="mine-h">For deg<\/h2>/);
  assert.match(mine, new RegExp(`<h3>Organisasjonene dine</h3><ul class="plain"><li><a href="/organisations/${orgs.ola}">Tidlig Klynge</a>`));
  assert.match(mine, new RegExp(`<a href="/events/${ev.id}">Klyngemøte på Kongsvinger</a>`));
  assert.match(mine, /<a href="\/inbox">1 invitasjon venter på svaret deres<\/a>/);
});

test('roundtable moderation: compact (tick, approve, one menu per bullet) and bulk approval of the ticked or all waiting bullets', async () => {
  const ev = (await api('anna', 'POST', '/api/v1/events', { title: 'Rundabordsdagen', start: '2027-11-09T09:00', end: '2027-11-09T15:00', timezone: 'Europe/Stockholm',
    country: 'SE', municipality: '1780', status: 'planned', organisers: [orgs.anna] })).json();
  const t = (await api('anna', 'POST', `/api/v1/events/${ev.id}/roundtables`, { hosts: 'Tidiga Verkstäder AB' })).json();
  const other = (await api('anna', 'POST', `/api/v1/events/${ev.id}/roundtables`, { hosts: 'Ett annat bord' })).json();
  const add = async (tab, text) => (await api('anna', 'POST', `/api/v1/roundtables/${tab.id}/bullets`, { question: tab.questions[0].id, text })).json();
  const b = [await add(t, 'Första punkten.'), await add(t, 'Andra punkten.'), await add(t, 'Tredje punkten.')];
  const foreign = await add(other, 'En punkt vid ett annat bord.');
  assert.ok(b.every((x) => x.status === 'pending'), JSON.stringify(b));
  const anna = await as('anna');
  let r = await anna.get(`/roundtables/${t.id}`);
  assert.match(r.text, new RegExp(`<form id="bulk-approve" class="bulk-approve" method="post" action="/roundtables/${t.id}/approve">`));
  assert.match(r.text, /3 bullets are waiting for review/);
  assert.equal((r.text.match(/<details class="bullet-menu">/g) || []).length, 3, 'one menu per bullet');
  assert.match(r.text, new RegExp(`<input type="checkbox" name="bullet" value="${b[0].id}" form="bulk-approve" aria-label="Tick for approval: Första punkten.">`));
  // the ticked ones
  const form = new URLSearchParams({ do: 'chosen' });
  form.append('bullet', String(b[0].id));
  form.append('bullet', String(b[2].id));
  r = await anna.submit(`/roundtables/${t.id}`, `/roundtables/${t.id}/approve`, form);
  assert.equal(r.status, 303);
  assert.match(r.location, /\?approved=2$/);
  r = await anna.get(r.location);
  assert.match(r.text, /2 bullets approved./);
  const status = async (x) => (await api('anna', 'GET', `/api/v1/bullets/${x.id}`)).json().status;
  assert.deepEqual([await status(b[0]), await status(b[1]), await status(b[2])], ['approved', 'pending', 'approved']);
  // another table's bullet is refused and nothing changes; a stranger may not
  const bad = new URLSearchParams({ do: 'chosen' });
  bad.append('bullet', String(b[1].id));
  bad.append('bullet', String(foreign.id));
  r = await anna.submit(`/roundtables/${t.id}`, `/roundtables/${t.id}/approve`, bad);
  assert.equal(r.status, 422);
  assert.equal(await status(b[1]), 'pending');
  r = await anna.submit(`/roundtables/${t.id}`, `/roundtables/${t.id}/approve`, { do: 'chosen' });
  assert.equal(r.status, 422);
  const ola = await as('ola');
  r = await ola.submit(`/roundtables/${t.id}`, `/roundtables/${t.id}/approve`, { do: 'all' });
  assert.equal(r.status, 403);
  // all waiting
  r = await anna.submit(`/roundtables/${t.id}`, `/roundtables/${t.id}/approve`, { do: 'all' });
  assert.match(r.location, /\?approved=1$/);
  assert.equal(await status(b[1]), 'approved');
  assert.equal(await status(foreign), 'pending', 'the other table is untouched');
  r = await anna.get(`/roundtables/${t.id}`);
  assert.doesNotMatch(r.text, /id="bulk-approve"/, 'nothing waiting: no bulk form');
});

test('language honesty: the answers at a table and the action items carry their language on pages in another', async () => {
  const id = await demoId('Mötesplats Vision 2022');
  const tables = (await api(null, 'GET', `/api/v1/events/${id}/roundtables`)).json().tables;
  let r = await new Client(srv.base, { lang: 'en' }).get(`/roundtables/${tables[0].id}`);
  assert.match(r.text, /<p class="lang-note">The answers are in Swedish.<\/p>/);
  assert.match(r.text, /<li id="b\d+" class="bullet bullet-approved"><p lang="sv">/);
  r = await new Client(srv.base, { lang: 'sv' }).get(`/roundtables/${tables[0].id}`);
  assert.doesNotMatch(r.text, /lang-note|<p lang="sv">/);
  const series = (await api(null, 'GET', `/api/v1/events/${id}`)).json().series.id;
  r = await new Client(srv.base, { lang: 'nb' }).get(`/series/${series}/followup`);
  assert.match(r.text, /<a href="\/actions\/\d+" lang="sv">[^<]+<\/a> <span class="lang-note" lang="nb">\(på svensk\)<\/span>/);
  const action = r.text.match(/href="\/actions\/(\d+)"/)[1];
  r = await new Client(srv.base, { lang: 'en' }).get(`/actions/${action}`);
  assert.match(r.text, /<blockquote class="proposal"><p lang="sv">[^<]+<\/p> <span class="lang-note" lang="en">\(in Swedish\)<\/span><\/blockquote>/);
});
