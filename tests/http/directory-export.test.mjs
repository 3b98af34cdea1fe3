// Issue 12 (item 8, in part): the directory sorted by name, newest or nearest the border; the CSV
// export with the page's filters (formula injection neutralised); facets with several choices
// (OR within a facet, AND across, counts per choice) and a removable chip for each; a search with
// no result suggests key areas, spellings from the index's words and the partner finder.
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
  assert.match(help, /<h2>Did you mean<\/h2><ul class="plain did-you-mean"><li><a href="\/organisations\?q=energy">energy<\/a> \(\d+ organisations\)<\/li>/);
  assert.match(help, /<a href="\/partners\?need=enegry">Describe what you need in the partner finder/);
  // places too, in Norwegian: a misspelt municipality
  r = await new Client(srv.base, { lang: 'nb' }).get('/organisations?q=Kongsvingerr%20xyzzyq');
  assert.match(r.text, /<p class="total">0 /);
  assert.match(r.text, /Mente du<\/h2><ul class="plain did-you-mean">(<li>.*?<\/li>)?<li><a href="\/organisations\?q=Kongsvinger">Kongsvinger<\/a>/);
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

const total = (html) => Number(/<p class="total">([\d\s ,]+) /.exec(html)[1].replace(/\D/g, ''));
const facetCount = (html, key, value) => {
  const m = new RegExp(`<input type="checkbox" name="${key}" value="${value}"( checked)?> [^<]* <span class="count">(\\d+)</span>`).exec(html);
  return m ? { checked: !!m[1], count: Number(m[2]) } : null;
};

test('facets with several choices: two counties and two industries at once, OR within, AND across, counts per choice', async () => {
  const c = new Client(srv.base, { lang: 'en' });
  const only = async (qs) => total((await c.get('/organisations?' + qs)).text);
  const v = await only('county=SE-17'), i = await only('county=NO-34');
  assert.ok(v > 0 && i > 0);
  // OR within the facet: repeated parameters, or a list with commas (the API's way)
  let r = await c.get('/organisations?county=SE-17&county=NO-34');
  assert.equal(total(r.text), v + i);
  assert.equal(await only('county=SE-17,NO-34'), v + i);
  assert.equal(await only('county=SE-17&county=SE-17'), v, 'a repeated value counts once');
  // checkboxes, both checked, each with its own count (the facet is counted without its own filter)
  assert.deepEqual(facetCount(r.text, 'county', 'SE-17'), { checked: true, count: v });
  assert.deepEqual(facetCount(r.text, 'county', 'NO-34'), { checked: true, count: i });
  assert.equal(facetCount(r.text, 'county', 'NO-03').checked, false);
  assert.match(r.text, /<summary>Filters \(2 chosen\)<\/summary>/);
  assert.doesNotMatch(r.text, /type="radio" name="county"/);
  // AND across facets: two industries (OR) within the two counties
  const both = await only('county=SE-17&county=NO-34&industry=M&industry=C');
  const m = await only('county=SE-17&county=NO-34&industry=M'), cc = await only('county=SE-17&county=NO-34&industry=C');
  assert.ok(both >= Math.max(m, cc) && both <= m + cc, `${both} between max(${m}, ${cc}) and the sum`);
  assert.ok(both < v + i, 'the industries narrow the counties');
  r = await c.get('/organisations?county=SE-17&county=NO-34&industry=M&industry=C');
  assert.equal(facetCount(r.text, 'industry', 'M').count, m, 'an industry\'s count within the counties');
  // a chip for each choice, removing that one only
  assert.match(r.text, /<a href="\/organisations\?county=NO-34&amp;industry=M&amp;industry=C" aria-label="Remove the filter Värmlands län">Värmlands län/);
  assert.match(r.text, /<a href="\/organisations\?county=SE-17&amp;industry=M&amp;industry=C" aria-label="Remove the filter Innlandet">Innlandet/);
  assert.match(r.text, /<a href="\/organisations\?county=SE-17&amp;county=NO-34&amp;industry=C" aria-label="Remove the filter [^"]+">/);
  // a choice the other filters leave empty still shows, checked, to be taken off; its chip has its name
  r = await c.get('/organisations?county=NO-34&kind=investor&theme=blue-bioeconomy');
  assert.equal(total(r.text), 0);
  assert.match(r.text, /aria-label="Remove the filter Innlandet"/);
  assert.equal(facetCount(r.text, 'county', 'NO-34').checked, true);
  // the same with a search (the index answers): two countries are everything
  const q = await only('q=energy'), qs = await only('q=energy&country=SE'), qn = await only('q=energy&country=NO');
  assert.equal(await only('q=energy&country=SE&country=NO'), q);
  assert.equal(qs + qn, q);
  assert.equal(await only('q=energy&county=SE-17&county=NO-34'), (await only('q=energy&county=SE-17')) + (await only('q=energy&county=NO-34')));
  assert.equal((await c.get('/organisations?country=SE&country=DK')).status, 400);
});

test('several choices are kept in the CSV export, the pager and the API', async () => {
  const c = new Client(srv.base, { lang: 'en' });
  let r = await c.get('/organisations?county=SE-17&county=NO-34&per_page=5');
  const n = total(r.text);
  assert.ok(n > 5);
  assert.match(r.text, /<a href="\/organisations.csv\?county=SE-17&amp;county=NO-34&amp;per_page=5" type="text\/csv" download>/);
  assert.match(r.text, /<a href="\/organisations\?county=SE-17&amp;county=NO-34&amp;per_page=5&amp;page=2" rel="next">/);
  r = await c.get('/organisations?county=SE-17&county=NO-34&per_page=5&page=2');
  assert.deepEqual(facetCount(r.text, 'county', 'NO-34').checked, true, 'page 2 keeps both choices');
  const csv = await c.get('/organisations.csv?county=SE-17&county=NO-34');
  const rows = csv.text.trim().split('\r\n').slice(1);
  assert.equal(rows.length, n);
  assert.ok(rows.every((l) => l.includes('"Värmlands län"') || l.includes('"Innlandet"')), 'only the two counties');
  assert.ok(rows.some((l) => l.includes('"Värmlands län"')) && rows.some((l) => l.includes('"Innlandet"')));
  const api = await c.get('/api/v1/organisations?county=SE-17&county=NO-34&facets=1');
  assert.equal(api.json().total, n);
  const counties = api.json().facets.county.map((x) => x.value);
  assert.ok(counties.includes('SE-17') && counties.includes('NO-34'));
});

test('/search: several choices, chips, and a search with no result that helps', async () => {
  const c = new Client(srv.base, { lang: 'en' });
  let r = await c.get('/search?q=energy&country=SE&country=NO');
  assert.equal(total(r.text), total((await c.get('/search?q=energy')).text));
  assert.match(r.text, /<a href="\/search\?q=energy&amp;country=NO" aria-label="Remove the filter Sweden">/);
  assert.match(r.text, /<input type="checkbox" name="country" value="SE" checked>/);
  // no result: key areas, the query spelt with the index's words (with what it finds), the partner finder
  r = await c.get('/search?q=skogsindstrie');
  assert.match(r.text, /<p class="total">0 matches/);
  // no facet has a value: no empty "Filters" box (it is there when something matches)
  assert.doesNotMatch(r.text, /<details class="facets"/);
  assert.match((await c.get('/search?q=skogsindustri')).text, /<details class="facets"><summary>Filters<\/summary><fieldset class="facet">/);
  const help = r.text.slice(r.text.indexOf('<div class="no-result-help">'));
  assert.match(help, /<h2>Key areas that may fit<\/h2><ul class="tags"><li><a href="\/search\?theme=forest-bioeconomy">/);
  const fix = /<ul class="plain did-you-mean"><li><a href="\/search\?q=([^"]+)">[^<]+<\/a> \((\d+) organisations?\)/.exec(help);
  assert.ok(fix, help.slice(0, 600));
  assert.equal(fix[1], 'skogsindustri');
  assert.equal(total((await c.get('/search?q=' + fix[1])).text), Number(fix[2]), 'the suggestion finds what it says');
  assert.match(help, /<a href="\/partners\?need=skogsindstrie">Describe what you need in the partner finder/);
  // in the directory too, and in the user's language
  r = await new Client(srv.base, { lang: 'nb' }).get('/organisations?q=turizmm');
  assert.match(r.text, /<h2>Mente du<\/h2><ul class="plain did-you-mean"><li><a href="\/organisations\?q=turism">turism<\/a> \(\d+ organisasjoner\)/);
  // nothing close: no "did you mean", still the partner finder
  r = await c.get('/search?q=xyzzyq');
  assert.doesNotMatch(r.text, /did-you-mean/);
  assert.match(r.text, /<a href="\/partners\?need=xyzzyq">/);
  assert.doesNotMatch((await c.get('/search?q=energy')).text, /no-result-help/);
});

test('"did you mean" shows the word as the organisations write it, with å/ä/ö/ø, and searches for it', async () => {
  let p = await post({ name: 'Grøtkokeriet AS', country: 'NO', kind: 'company', municipality: '3401', themes: ['manufacturing'],
    description: { sv: '', nb: 'Vi lager rømmegrøt til hele Innlandet. Rømmegrøt er vår spesialitet.', en: '' } });
  assert.equal(p.status, 201, p.text);
  p = await post({ name: 'Färjeriet i Värmland AB', country: 'SE', kind: 'company', municipality: '1730', themes: ['tourism'],
    description: { sv: 'Skärgårdsfärjor på Vänern i Värmland.', nb: '', en: '' } });
  assert.equal(p.status, 201, p.text);
  // one slip is read as the word at once (src/search/index.c: one-edit spellings), also where a
  // translation of the slip is in the index; two slips get the question
  const once = await new Client(srv.base, { lang: 'nb' }).get('/search?q=' + encodeURIComponent('rømegrøt'));
  assert.match(once.text, /Grøtkokeriet AS/);
  assert.doesNotMatch(once.text, /did-you-mean/);
  for (const [lang, q, want, mean] of [['nb', 'rømegrøtt', 'rømmegrøt', 'Mente du'], ['sv', 'Värnlamd', 'Värmland', 'Menade du'], ['en', 'rumegrot', 'rømmegrøt', 'Did you mean']]) {
    const c = new Client(srv.base, { lang });
    const r = await c.get('/search?q=' + encodeURIComponent(q));
    const m = new RegExp('<h2>' + mean + '</h2><ul class="plain did-you-mean"><li><a href="/search\\?q=([^"]+)">([^<]+)</a> \\((\\d+) ').exec(r.text);
    assert.ok(m, lang + ' ' + r.text.slice(r.text.indexOf('no-result-help'), r.text.indexOf('no-result-help') + 600));
    assert.equal(m[2], want);
    assert.equal(decodeURIComponent(m[1]), want);
    const found = await c.get('/search?q=' + m[1]);
    assert.equal(total(found.text), Number(m[3]), 'the written form finds what it says');
    assert.ok(Number(m[3]) >= 1);
  }
});
