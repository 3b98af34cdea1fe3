// Issue 12 (item 8, in part): the directory sorted by name, newest or nearest the border; the CSV
// export with the page's filters (formula injection neutralised); removable filter chips.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from './lib.mjs';

let srv, tok;
before(async () => {
  srv = await startServer();
  srv.user('csv@example.se', 'Cecilia Csv', { password: 'csv password 123' });
  tok = srv.token('csv@example.se');
});
after(async () => { await srv.stop(); });
const post = (json) => new Client(srv.base, { lang: 'en' }).req('POST', '/api/v1/organisations', { json, headers: { authorization: 'Bearer ' + tok } });
const names = (html) => [...html.matchAll(/<li class="card[^"]*"><h3><a href="\/organisations\/\d+"[^>]*>([^<]*)<\/a>/g)].map((m) => m[1]);

test('sort: by name, newest first, nearest the border; bad orders are 400', async () => {
  const c = new Client(srv.base, { lang: 'en' });
  let r = await c.get('/organisations?per_page=100');
  assert.match(r.text, /<select id="sort" name="sort"><option value="name" selected>Name<\/option><option value="newest">Newest first<\/option><option value="border">Nearest the border<\/option>/);
  const byName = names(r.text);
  assert.ok(byName.length > 10, r.text.slice(0, 200));
  // one far from the border (Malmö) and one on it (Eda), added last
  await post({ name: 'Zzz Långt Borta AB', country: 'SE', kind: 'company', municipality: '1280', themes: ['manufacturing'] });
  await post({ name: 'Zzz Vid Gränsen AB', country: 'SE', kind: 'company', municipality: '1730', themes: ['manufacturing'] });
  r = await c.get('/organisations?sort=newest&per_page=100');
  assert.deepEqual(names(r.text).slice(0, 2), ['Zzz Vid Gränsen AB', 'Zzz Långt Borta AB']);
  r = await c.get('/organisations?sort=border&per_page=100');
  assert.match(r.text, /<option value="border" selected>/);
  const near = names(r.text);
  assert.ok(near.indexOf('Zzz Vid Gränsen AB') < near.length / 4, 'Eda is near the top');
  assert.equal(near.at(-1) === 'Zzz Långt Borta AB' || near.indexOf('Zzz Långt Borta AB') > near.length * 0.75, true, 'Malmö near the end');
  r = await c.get('/organisations?sort=border&country=SE&per_page=5&page=2');
  assert.equal(r.status, 200);
  assert.equal((await c.get('/organisations?sort=random')).status, 400);
});

test('CSV: /organisations.csv carries the page\'s filters, every page of them, formula-safe, as plain text', async () => {
  await post({ name: '=HYPERLINK("http://evil.example","click")', country: 'NO', kind: 'company', municipality: '3401', themes: ['tourism'],
    description: { en: '+SUM(A1:A9) "quoted", and <b>bold</b>' } });
  const c = new Client(srv.base, { lang: 'en' });
  let r = await c.get('/organisations?country=NO&theme=tourism');
  assert.match(r.text, /<p class="export small"><a href="\/organisations.csv\?country=NO&amp;theme=tourism" type="text\/csv" download>Download the list \(CSV\)<\/a>/);
  r = await c.get('/organisations.csv?country=NO&theme=tourism');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  assert.match(r.headers.get('content-disposition'), /attachment; filename="organisations.csv"/);
  const lines = r.text.trim().split('\r\n');
  assert.equal(lines[0], '"Name","Country","Kind","Municipality","County","Status","Profile on Gränslös","Description"');
  assert.ok(lines.slice(1).every((l) => l.includes('"Norway"')), 'only Norwegian organisations');
  const evil = lines.find((l) => l.includes('HYPERLINK'));
  assert.ok(evil.startsWith('"\'=HYPERLINK(""http://evil.example"",""click"")"'), evil);
  assert.match(evil, /"'\+SUM\(A1:A9\) ""quoted"", and <b>bold<\/b>"$/, 'plain text, not HTML-escaped');
  assert.doesNotMatch(r.text, /&lt;|&quot;/);
  // the same rows as the page, past its first page
  const all = await c.get('/organisations.csv');
  const total = Number((await c.get('/organisations')).text.match(/<p class="total">([\d\s ,]+) organisations/)[1].replace(/\D/g, ''));
  assert.equal(all.text.trim().split('\r\n').length - 1, total);
  assert.ok(total > 20, 'more than one page');
  const sv = await new Client(srv.base, { lang: 'sv' }).get('/organisations.csv?country=NO');
  assert.match(sv.text, /^"Namn",/);
  assert.equal((await c.get('/organisations.csv?country=DK')).status, 400);
});

test('filter chips: each active filter is a link that removes just that one', async () => {
  const c = new Client(srv.base, { lang: 'en' });
  const r = await c.get('/organisations?country=SE&theme=manufacturing&sort=name');
  assert.match(r.text, /<ul class="chips" aria-label="Active filters">/);
  assert.match(r.text, /<a href="\/organisations\?theme=manufacturing&amp;sort=name" aria-label="Remove the filter Sweden">Sweden <span aria-hidden="true">×<\/span><\/a>/);
  assert.match(r.text, /<a href="\/organisations\?country=SE&amp;sort=name" aria-label="Remove the filter Manufacturing[^"]*">/);
  assert.doesNotMatch((await c.get('/organisations')).text, /class="chips"/);
  assert.doesNotMatch((await c.get('/organisations?q=packaging')).text, /class="chips"/, 'the search words stay in the search box');
});

test('a search with no result suggests key areas, spellings and the partner finder', async () => {
  let r = await new Client(srv.base, { lang: 'en' }).get('/organisations?q=enegry');
  assert.match(r.text, /<p class="total">0 organisations/);
  const help = r.text.slice(r.text.indexOf('<div class="no-result-help">'));
  assert.match(help, /<h2>Key areas that may fit<\/h2><ul class="tags"><li><a href="\/organisations\?theme=energy">Energy<\/a><\/li><\/ul>/);
  assert.match(help, /<h2>Did you mean<\/h2><ul class="plain"><li><a href="\/organisations\?q=energy">energy<\/a>/);
  assert.match(help, /<a href="\/partners\?need=enegry">Describe what you need in the partner finder/);
  // places too, in Norwegian: a misspelt municipality
  r = await new Client(srv.base, { lang: 'nb' }).get('/organisations?q=Kongsvingerr%20xyzzyq');
  assert.match(r.text, /<p class="total">0 /);
  assert.match(r.text, /Mente du<\/h2><ul class="plain"><li><a href="\/organisations\?q=Kongsvinger">Kongsvinger<\/a>/);
  r = await new Client(srv.base, { lang: 'sv' }).get('/organisations?q=xyzzyq');
  assert.match(r.text, /<div class="no-result-help"><p><a href="\/partners\?need=xyzzyq">Beskriv vad ni behöver i partnersökningen/);
  assert.doesNotMatch((await new Client(srv.base, { lang: 'en' }).get('/organisations?q=energy')).text, /no-result-help/);
});

test('the organisation form puts the user\'s language first', async () => {
  const c = new Client(srv.base, { lang: 'nb' });
  await c.login('csv@example.se', 'csv password 123');
  const r = await c.get('/organisations/new');
  assert.equal(r.status, 200);
  assert.ok(r.text.indexOf('name="desc_nb"') > 0 && r.text.indexOf('name="desc_nb"') < r.text.indexOf('name="desc_sv"'));
  const en = new Client(srv.base, { lang: 'en' });
  await en.login('csv@example.se', 'csv password 123');
  const e = await en.get('/organisations/new');
  assert.ok(e.text.indexOf('name="desc_en"') < e.text.indexOf('name="desc_sv"'));
});
