// The language bridge over real Brønnøysund rows (tests/fixtures/brreg-bridge.csv): Swedish words
// find Norwegian organisations through their industries' labels, every hit says why, and needs
// that cannot be read are refused in the user's language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, cli } from './lib.mjs';

let srv, c;
before(async () => {
  srv = await startServer();
  const r = cli(['import', 'brreg', 'tests/fixtures/brreg-bridge.csv'], { db: srv.db });
  assert.equal(r.code, 0, r.err);
  c = new Client(srv.base, { lang: 'sv' });
});
after(async () => { await srv.stop(); });

async function search(q) {
  const r = await c.get(`/api/v1/search?per_page=20&country=NO&q=${encodeURIComponent(q)}`);
  assert.equal(r.status, 200, r.text);
  return r.json().items;
}
const has = (items, name) => assert.ok(items.some((i) => i.name === name), `${name} in ${JSON.stringify(items.map((i) => i.name))}`);

test('Swedish industry words find Norwegian organisations through SNI/SN2007 labels', async () => {
  const prog = await search('dataprogrammering');
  has(prog, 'WAYS AS');
  has(prog, 'FLINKE FOLK AS');
  const acc = await search('bokföringsbyrå');
  has(acc, 'WENOR REGNSKAP AS');
  has(acc, 'VENO OPTIMAL AS');
  has(await search('webbutveckling'), 'FLINKE FOLK AS');
  const el = await search('elektriker');
  for (const n of ['AVI AS', 'ALT INNEN ELEKTRO OSLO AS', 'STRØMBERG ELEKTRO AS']) has(el, n);
  has(await search('trädgårdsanläggning'), 'ANLEGGSGARTNER MARIUS MEGÅRD AS');
});

test('every hit explains itself: a snippet with the matched words marked, and reasons', async () => {
  const items = await search('dataprogrammering');
  for (const it of items) {
    assert.ok(it.snippet && it.snippet.length > 0, `a snippet for ${it.name}`);
    assert.match(it.snippet_html, /<mark>[^<]+<\/mark>/, it.name);
    assert.ok(Array.isArray(it.reasons) && it.reasons.length > 0, it.name);
  }
  const ways = items.find((i) => i.name === 'WAYS AS');
  assert.equal(ways.reasons[0].type, 'industry');
  assert.match(ways.reasons[0].text, /62\.01 .*Dataprogrammering.* \/ Programmeringstjenester/);
  const page = await c.get('/search?country=NO&q=' + encodeURIComponent('bokföringsbyrå'));
  assert.match(page.text, /<p class="snippet">[^]*?<mark>[^<]+<\/mark>/);
  assert.match(page.text, /Tjänar ert behov: 69\.20/);
});

// A hit found by a word of its name alone ("Wenor" is in no text of WENOR REGNSKAP AS) had no
// snippet and no reason; in matchmaking only "They are in the border region."
test('a hit found by its name alone says so, in search and in matchmaking', async () => {
  const wenor = (await search('wenor')).find((i) => i.name === 'WENOR REGNSKAP AS');
  assert.ok(wenor, 'WENOR REGNSKAP AS is found');
  assert.match(wenor.snippet_html, /<mark>WENOR<\/mark> REGNSKAP AS/);
  assert.equal(wenor.reasons[0].field, 'name');
  assert.equal(wenor.reasons[0].text, 'Träff på ”WENOR” i namnet.');
  const page = await c.get('/search?country=NO&q=wenor');
  assert.match(page.text, /<p class="snippet">[^]*?<mark>WENOR<\/mark>/);
  for (const [lang, said] of [['sv', /Hittad genom ett ord i namnet: ”WENOR REGNSKAP AS”\./], ['nb', /Funnet gjennom et ord i navnet: «WENOR REGNSKAP AS»\./],
    ['en', /Found by a word of their name: “WENOR REGNSKAP AS”\./]]) {
    const r = await new Client(srv.base, { lang }).get('/api/v1/matches?need=wenor&country=NO&from=SE');
    assert.equal(r.status, 200, r.text);
    const m = r.json().items.find((x) => x.name === 'WENOR REGNSKAP AS');
    assert.ok(m, `${lang}: WENOR REGNSKAP AS is a match`);
    const why = m.reasons.find((x) => x.type === 'name');
    assert.ok(why, `${lang}: ${JSON.stringify(m.reasons)}`);
    assert.match(why.text, said);
  }
});

test('a need finds every electrician search finds, the other side, with reasons that fit the need', async () => {
  const s = await search('elektriker');
  const r = await c.get('/api/v1/matches?need=elektriker&country=NO&from=SE');
  assert.equal(r.status, 200, r.text);
  const m = r.json().items;
  for (const it of s) assert.ok(m.some((x) => x.id === it.id), `${it.name} is a match too`);
  for (const it of m) {
    assert.equal(it.country, 'NO');
    assert.ok(it.reasons.length > 0);
  }
  const strom = m.find((x) => x.name === 'STRØMBERG ELEKTRO AS');
  assert.ok(strom.reasons.some((x) => /43\.21/.test(x.text)), JSON.stringify(strom.reasons));
  assert.match(strom.snippet_html, /<mark>/);
  // "norska" names the side wanted: no Swedish organisation answers it, and no reason says "norska"
  const n = (await c.get('/api/v1/matches?need=' + encodeURIComponent('norska elektriker') + '&from=SE')).json().items;
  assert.ok(n.length > 0);
  for (const it of n) {
    assert.equal(it.country, 'NO', it.name);
    for (const x of it.reasons) assert.doesNotMatch(x.text, /norsk/i);
  }
});

test('an English need reaches Norwegian accountants through the English NACE labels', async () => {
  // "tax consultancy" is in no glossary entry: only 69.20's English label links it
  const r = await new Client(srv.base, { lang: 'en' }).get('/api/v1/matches?need=' + encodeURIComponent('tax consultancy') + '&country=NO');
  assert.equal(r.status, 200, r.text);
  const m = r.json().items;
  const accountants = ['WENOR REGNSKAP AS', 'VENO OPTIMAL AS', 'E-REVISOR AS'];
  const names = m.map((x) => x.name);
  assert.ok(accountants.includes(names[0]), names.join(', '));
  for (const n of accountants) assert.ok(names.slice(0, 5).includes(n), `${n} in the first five: ${names.join(', ')}`);
});

test('a place in an English need says where, not what (bench match --map: the labels alone)', () => {
  // through the binary: "in Oslo" is not Oslo Børs (66.11), and "opening", met only inside
  // "open-air museum" and "open-air cinema", weighs less than "flowers" (the florist, 47.76)
  const map = (need) => {
    const r = cli(['bench', 'match', '--map', need]);
    assert.equal(r.code, 0, r.err);
    return r.out.trim();
  };
  const oslo = map('An accountant in Oslo');
  assert.match(oslo, /^69\.20 /);
  assert.doesNotMatch(oslo, /66\.11/);
  const fl = map('Flowers for our opening');
  assert.match(fl, /47\.76/);
  assert.doesNotMatch(fl, /59\.14|91\.02/);
});

// A place a need names says where, not what: the organisations there come first, with a reason
// that says so, and a place's name in an organisation's name is no reason ("ALT INNEN ELEKTRO
// OSLO AS" is in Ullensaker; before, "in Oslo" found it by its name)
test('a place in a need prefers the organisations there and says so', async () => {
  const en = new Client(srv.base, { lang: 'en' });
  const get = async (need) => {
    const r = await en.get('/api/v1/matches?country=NO&need=' + encodeURIComponent(need));
    assert.equal(r.status, 200, r.text);
    return r.json().items;
  };
  // VENO OPTIMAL AS (Bergen) and WENOR REGNSKAP AS (Oslo) serve the need alike, by their class:
  // without a place WENOR comes first, with "in Bergen" VENO does; a place is a preference, so
  // E-REVISOR AS, whose own text says what it does, stays ahead of both
  const order = (items) => items.map((x) => x.name);
  const plain = order(await get('An accountant'));
  assert.ok(plain.indexOf('WENOR REGNSKAP AS') < plain.indexOf('VENO OPTIMAL AS'), plain.join(', '));
  const bergen = await get('An accountant in Bergen');
  const b = order(bergen);
  assert.ok(b.indexOf('VENO OPTIMAL AS') >= 0 && b.indexOf('VENO OPTIMAL AS') < b.indexOf('WENOR REGNSKAP AS'), b.join(', '));
  assert.equal(b[0], 'E-REVISOR AS', b.join(', '));
  const veno = bergen.find((x) => x.name === 'VENO OPTIMAL AS');
  assert.ok(veno.reasons.some((x) => x.type === 'place' && x.place === 'Bergen' && x.text === 'They are in Bergen, the place you named.'), JSON.stringify(veno.reasons));
  for (const it of bergen) if (it !== veno) assert.ok(!it.reasons.some((x) => x.type === 'place'), it.name);
  // Bærum is in Akershus, as Asker (E-REVISOR AS) is
  const baerum = await get('An accountant in Bærum');
  const er = baerum.find((x) => x.name === 'E-REVISOR AS');
  assert.ok(er.reasons.some((x) => x.type === 'place' && x.text === 'They are in Akershus, the county of Bærum.'), JSON.stringify(er.reasons));
  // in Swedish, from Sweden
  const svr = await c.get('/api/v1/matches?country=NO&from=SE&need=' + encodeURIComponent('En elektriker i Oslo'));
  assert.equal(svr.status, 200, svr.text);
  const sv = svr.json().items;
  assert.equal(sv[0].name, 'STRØMBERG ELEKTRO AS', sv.map((x) => x.name).join(', '));
  assert.ok(sv[0].reasons.some((x) => x.text === 'De finns i Oslo, orten ni nämnde.'), JSON.stringify(sv[0].reasons));
  const alt = sv.find((x) => x.name === 'ALT INNEN ELEKTRO OSLO AS');
  assert.ok(alt, 'ALT INNEN ELEKTRO OSLO AS is still a match: it is an electrician');
  for (const x of alt.reasons) assert.notEqual(x.type, 'name', JSON.stringify(alt.reasons));
  // a reason quotes the need as it was read, with no stray space before the closing quote
  for (const it of [...bergen, ...sv]) for (const x of it.reasons) assert.doesNotMatch(x.text, /\s[”»"][.,]/, x.text);
});

test('a need\'s head names what it asks for, in English and Swedish (bench match --map)', () => {
  // the words after "willing to" / "som vill" each reach classes of their own; the head's class
  // (16.10 sawmills) comes first, not software (62.01) or sensors
  const map = (...args) => {
    const r = cli(['bench', 'match', '--map', ...args]);
    assert.equal(r.code, 0, r.err);
    return r.out.trim();
  };
  assert.match(map('A sawmill willing to try our new moisture sensors and drying software'), /^16\.10 /);
  const sv = map('Ett sågverk som vill testa våra nya fuktsensorer och vår torkmjukvara', '--from', 'SE');
  assert.match(sv, /^16\.10 /);
  assert.doesNotMatch(sv, /62\.01/);
  // a question has no head: "Where can a fish farm ..." is not read as asking for a fish farm
  assert.doesNotMatch(map('Where can a fish farm test our new net-cleaning robot'), /03\.21/);
  assert.match(map('A fish farm willing to test our new net-cleaning robot'), /03\.21/);
});

test('the everyday words of a class find and explain its organisations (data/ref/nace-words.tsv)', async () => {
  // "laddbox", "gräsklippning", "lönehantering" are in no label or note of their classes: only the class words link them
  const cases = [['laddbox', '43.21', ['AVI AS', 'ALT INNEN ELEKTRO OSLO AS', 'STRØMBERG ELEKTRO AS']],
    ['gräsklippning', '81.30', ['ANLEGGSGARTNER MARIUS MEGÅRD AS']],
    ['lönehantering', '69.20', ['WENOR REGNSKAP AS', 'VENO OPTIMAL AS']]];
  for (const [word, code, names] of cases) {
    const items = await search(word);
    for (const n of names) has(items, n);
    for (const n of names) {
      const it = items.find((i) => i.name === n);
      assert.match(it.snippet_html, new RegExp(`<mark>${word}</mark>`), `${n}: ${it.snippet_html}`);
      assert.ok(it.reasons.some((x) => x.type === 'industry' && x.text.includes(code)), JSON.stringify(it.reasons));
    }
  }
  // an English need through the English words: "electrician" is not in 43.21's English label
  const en = new Client(srv.base, { lang: 'en' });
  const r = await en.get('/api/v1/matches?need=electrician&country=NO');
  assert.equal(r.status, 200, r.text);
  const names = r.json().items.slice(0, 3).map((x) => x.name);
  for (const n of ['AVI AS', 'ALT INNEN ELEKTRO OSLO AS', 'STRØMBERG ELEKTRO AS']) assert.ok(names.includes(n), `${n} in ${names}`);
});

test('funders and public bodies come after peers unless the need asks for money', async () => {
  const r = await c.get('/api/v1/matches?need=' + encodeURIComponent('solenergi och energilagring') + '&from=NO&limit=20');
  const items = r.json().items;
  assert.ok(items.length > 2);
  const firstFunder = items.findIndex((x) => ['investor', 'public-body', 'municipality-region'].includes(x.kind));
  const lastPeer = items.map((x) => !['investor', 'public-body', 'municipality-region'].includes(x.kind)).lastIndexOf(true);
  assert.ok(firstFunder === -1 || firstFunder > 0, 'a peer first: ' + items.map((x) => x.name).join(', '));
  assert.ok(lastPeer >= 0);
  const money = (await c.get('/api/v1/matches?need=' + encodeURIComponent('riskkapital och lån till ett nytt företag') + '&from=NO&country=SE')).json().items;
  assert.ok(['investor', 'public-body'].includes(money[0].kind), money.map((x) => x.name + ' ' + x.kind).join(', '));
});

test('bad needs: only stop words, 2,000 words, an unknown language: 422 in the user\'s language', async () => {
  let r = await c.get('/api/v1/matches?need=' + encodeURIComponent('vi söker någon som kan'));
  assert.equal(r.status, 422);
  assert.match(r.json().detail || r.text, /Beskriv behovet med fler ord/);
  r = await c.get('/api/v1/matches?need=' + encodeURIComponent(Array(2000).fill('trä').join(' ')));
  assert.equal(r.status, 422);
  assert.match(r.text, /högst 300 ord/);
  r = await new Client(srv.base, { lang: 'nb' }).get('/api/v1/matches?need=' + encodeURIComponent('Etsimme kirjanpitäjää yrityksellemme Kajaanissa'));
  assert.equal(r.status, 422);
  assert.match(r.text, /Beskriv det på svensk, norsk eller engelsk/);
  r = await c.get('/partners?need=' + encodeURIComponent('och i på'));
  assert.ok(r.status === 400 || r.status === 422);
  assert.match(r.text, /Beskriv behovet med fler ord/);
});

test('the other side first; peers before funders for a cluster looking for peers', async () => {
  const find = async (q) => (await c.get('/api/v1/organisations?q=' + encodeURIComponent(q))).json().items[0];
  const nwc = await find('Norwegian Wood Cluster');
  let items = (await c.get(`/api/v1/organisations/${nwc.id}/matches?limit=20`)).json().items;
  const firstSE = items.findIndex((x) => x.country === 'SE'), lastSE = items.map((x) => x.country).lastIndexOf('SE');
  const firstNO = items.findIndex((x) => x.country === 'NO');
  assert.ok(firstSE === 0 && (firstNO === -1 || firstNO > lastSE), items.map((x) => x.name + ' ' + x.country).join(', '));
  items = (await c.get(`/api/v1/organisations/${nwc.id}/matches?country=SE&limit=20`)).json().items;
  const at = (n) => items.findIndex((x) => x.name.startsWith(n));
  assert.ok(at('Paper Province') >= 0 && at('Paper Province') < at('Vinnova'), items.map((x) => x.name).join(', '));
  assert.ok(at('Vinnova') === -1 || at('Paper Province') < at('Vinnova'));
  assert.ok(at('Almi') === -1 || at('Paper Province') < at('Almi'));
  // a Swedish cluster asking for Norwegian partners in cross-laminated timber: a Norwegian firm first
  items = (await c.get('/api/v1/matches?need=' + encodeURIComponent('norska partner inom massivträ') + '&from=SE')).json().items;
  assert.equal(items[0].name, 'Brumunddal Massivtre AS');
  assert.ok(items.every((x) => x.country === 'NO'));
});
