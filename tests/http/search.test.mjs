// Relevance on the demo data: the directory's text search across Swedish, Norwegian and English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, Client, cli } from './lib.mjs';

let srv, c;
before(async () => { srv = await startServer(); c = new Client(srv.base, { lang: 'en' }); });
after(async () => { await srv.stop(); });

async function names(q, extra = '') {
  const r = await c.get(`/api/v1/organisations?per_page=10&q=${encodeURIComponent(q)}${extra}`);
  assert.equal(r.status, 200, r.text);
  return r.json().items.map((o) => o.name);
}
const top = (list, n, name) => assert.ok(list.slice(0, n).includes(name), `${name} in the top ${n} of ${JSON.stringify(list)}`);

test('a Swedish word finds a Norwegian profile, and the reverse', async () => {
  top(await names('förpackning'), 3, 'Norsk Emballasjeforening');
  top(await names('emballasje'), 3, 'Fyrbodal Förpackningsdesign AB');
  top(await names('kluster solenergi'), 3, 'Solenergiklyngen');
  top(await names('packaging'), 3, 'Norsk Emballasjeforening');
});

test('compounds: a part finds the whole', async () => {
  top(await names('klynge'), 3, 'Solenergiklyngen');
  top(await names('emballasje'), 3, 'Norsk Emballasjeforening');
});

test('spellings without Nordic letters, case, typos and prefixes', async () => {
  top(await names('varmland'), 3, 'Region Värmland');
  top(await names('REGION VÄRMLAND'), 1, 'Region Värmland');
  top(await names('Ostfold fylkeskommune'), 1, 'Østfold fylkeskommune');
  top(await names('provinse'), 3, 'Paper Province');   // one edit
  top(await names('paper prov'), 1, 'Paper Province');  // the last word is a prefix
});

test('a word said twice counts once, also as the last (typed) word', async () => {
  const page = async (q) => { const r = await c.get(`/api/v1/organisations?per_page=10&q=${encodeURIComponent(q)}`); assert.equal(r.status, 200, r.text); return r.json(); };
  for (const [once, twice] of [['skog energi ', 'skog energi energi '], ['skog energi ', 'skog skog energi skog ']]) {
    const a = await page(once), b = await page(twice);
    assert.ok(a.total > 1);
    assert.equal(b.total, a.total);
    assert.deepEqual(b.items.map((o) => o.id), a.items.map((o) => o.id), `${twice} ranks as ${once}`);
  }
  // a prefix that repeats an earlier word is that word, not a wider prefix of it
  const typed = await page('paper province paper');
  assert.equal(typed.total, (await page('paper province ')).total);
});

test('filters and facets apply to text matches', async () => {
  const r = await c.get('/api/v1/organisations?q=tre&country=SE&facets=1');
  const j = r.json();
  assert.ok(j.items.every((o) => o.country === 'SE'));
  const no = j.facets.country.find((x) => x.value === 'NO');
  assert.ok(no && no.count > 0, 'the country facet still counts the other side');
  assert.ok(j.total < (await c.get('/api/v1/organisations?q=tre&facets=1')).json().total);
});

test('every word must match; when none does together, the best partial matches come', async () => {
  const both = await names('paper province');
  assert.deepEqual(both.slice(0, 1), ['Paper Province']);
  const partial = await names('paper zzzzqqq');
  assert.ok(partial.includes('Paper Province'));
});

test('a saved profile is findable at once', async () => {
  srv.user('s@example.se', 'S', { password: 'search password 1' });
  const token = srv.token('s@example.se');
  const r = await c.post('/api/v1/organisations', { json: { name: 'Vattenkraftsbolaget Älvkraft AB', country: 'SE', kind: 'company', municipality: '1780', competences: ['vattenkraft'] }, headers: { authorization: 'Bearer ' + token } });
  assert.equal(r.status, 201);
  top(await names('älvkraft'), 1, 'Vattenkraftsbolaget Älvkraft AB');
  await c.req('PATCH', '/api/v1/organisations/' + r.json().id, { json: { name: 'Forsens Kraft AB' }, headers: { authorization: 'Bearer ' + token } });
  assert.ok(!(await names('älvkraft')).includes('Vattenkraftsbolaget Älvkraft AB'));
  top(await names('forsens'), 1, 'Forsens Kraft AB');
});

test('/api/v1/search: typed items with plain-text snippets and facets; /search works without script', async () => {
  let r = await c.get('/api/v1/search?q=' + encodeURIComponent('förpackning') + '&per_page=5');
  assert.equal(r.status, 200);
  const j = r.json();
  assert.ok(j.total >= 3);
  for (const it of j.items) {
    assert.equal(it.type, 'organisation');
    for (const k of ['id', 'name', 'country', 'score', 'snippet']) assert.ok(k in it, k);
  }
  assert.ok(j.items.some((it) => it.name === 'Norsk Emballasjeforening'));
  const billerud = j.items.find((it) => it.name.startsWith('BillerudKorsnäs'));
  assert.match(billerud.snippet, /packaging/);
  assert.equal(billerud.snippet.split('. ').length, 1, 'the matching sentence, not the whole text');
  for (const k of ['country', 'kind', 'county', 'municipality', 'theme', 'industry', 'size']) assert.ok(Array.isArray(j.facets[k]), k);
  r = await c.get('/api/v1/search?q=tre&size=1-9&country=NO');
  assert.ok(r.json().items.length >= 0);
  r = await c.get('/api/v1/search?q=x&type=event');
  assert.equal(r.status, 422);
  assert.equal(r.json().code, 'bad-query');
  r = await new Client(srv.base, { lang: 'sv' }).get('/search?q=' + encodeURIComponent('emballasje'));
  assert.equal(r.status, 200);
  assert.match(r.text, /Fyrbodal Förpackningsdesign AB/);
  // the snippet is the sentence that matched, its matching words marked
  assert.match(r.text, /<p class="snippet">(?:[^<]|<\/?mark>)*<mark>förpackningar<\/mark>/i);
  // user text in snippets is escaped
  srv.user('x@example.se', 'X', { password: 'xss password 12' });
  const token = srv.token('x@example.se');
  await c.post('/api/v1/organisations', { json: { name: 'Snippet AB', country: 'SE', kind: 'company', municipality: '1780', description: { sv: 'Vi gör <script>alert(1)</script> snippetar.', nb: '', en: '' } }, headers: { authorization: 'Bearer ' + token } });
  r = await c.get('/search?q=snippetar');
  assert.match(r.text, /Snippet AB/);
  assert.doesNotMatch(r.text, /<script>alert/);
});

test('matchmaking: complementary partners, the other side first, with reasons', async () => {
  const pp = (await c.get('/api/v1/organisations?q=paper+province')).json().items[0];
  let r = await c.get(`/api/v1/organisations/${pp.id}/matches?limit=5`);
  assert.equal(r.status, 200);
  const items = r.json().items;
  assert.ok(items.length >= 3);
  // Paper Province needs venture capital across the border: the Norwegian state investor comes first
  assert.equal(items[0].name, 'Investinor');
  assert.equal(items[0].country, 'NO');
  const need = items[0].reasons.find((x) => x.type === 'need-offer');
  assert.equal(need.mine, 'riskkapital över gränsen');
  assert.equal(need.theirs, 'risikokapital');
  assert.ok(items[0].reasons.some((x) => x.type === 'cross-border'));
  for (let i = 1; i < items.length; i++) assert.ok(items[i - 1].score >= items[i].score, 'best first');
  // filters
  r = await c.get(`/api/v1/organisations/${pp.id}/matches?country=SE&kind=investor`);
  assert.ok(r.json().items.every((m) => m.country === 'SE' && m.kind === 'investor'));
  assert.ok(r.json().items.length >= 1);
  // a free-text need in Swedish finds the Norwegian packaging association
  r = await c.get('/api/v1/matches?need=' + encodeURIComponent('emballage förpackning') + '&from=SE&limit=20');
  assert.ok(r.json().items.some((m) => m.name === 'Norsk Emballasjeforening'));
  // errors
  assert.equal((await c.get('/api/v1/organisations/999999/matches')).status, 404);
  assert.equal((await c.get('/api/v1/matches')).status, 422);
  assert.equal((await c.get(`/api/v1/organisations/${pp.id}/matches?limit=0`)).status, 422);
  assert.equal((await c.get(`/api/v1/organisations/${pp.id}/matches?country=DK`)).status, 422);
  // the page explains every match
  r = await c.get(`/organisations/${pp.id}/partners`);
  assert.equal(r.status, 200);
  assert.match(r.text, /Investinor/);
  assert.match(r.text, /Your need “riskkapital över gränsen” meets what they offer: “risikokapital”/);
});

test('the top-k search prunes without losing results: every answer equals the exhaustive scorer\'s top 20', () => {
  // a generated directory of 20 000 organisations and 280 queries of every class (granslos bench search),
  // with the industry classes (their class variants among the lists) and without them
  for (const extra of [[], ['--no-industry']]) {
    const r = cli(['bench', 'search', '--orgs', '20000', '--queries', '280', '--seed', '7', '--no-fts5', ...extra]);
    assert.equal(r.code, 0, r.err);
    const kv = Object.fromEntries([...r.out.matchAll(/^(\w+): ([\d.]+)$/gm)].map((m) => [m[1], Number(m[2])]));
    assert.equal(kv.orgs, 20000);
    assert.equal(kv.recall_at_20, 1, r.out);
    for (const cls of ['rare', 'mid', 'common', 'prefix', 'and', 'facets', 'cross']) assert.match(r.out, new RegExp(`^${cls}\\s+40\\s`, 'm'));
  }
  assert.equal(cli(['bench', 'search', '--orgs', 'many']).code, 2);
  assert.equal(cli(['bench', 'frobnicate']).code, 2);
});

test('bench search --xapian: the second baseline in the same run, beside ours in every class', () => {
  // Xapian (Debian python3-xapian, bench/xapian_baseline.py) on a dump of the run's corpus and
  // queries, in a directory of the run's own that goes at its end
  const tmp = mkdtempSync(join(tmpdir(), 'granslos-bench-xapian-test-'));
  try {
    const args = ['bench', 'search', '--orgs', '3000', '--queries', '70', '--seed', '3', '--no-fts5', '--xapian'];
    const r = cli(args, { env: { TMPDIR: tmp } });
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(r.out, /^xapian: 3000 documents indexed/m);
    assert.match(r.out, /^class +n +p50_ms .* xap_p50 +xap_p99 +xap_qps +vs_xap50 +vs_xap99$/m);
    for (const cls of ['rare', 'mid', 'common', 'prefix', 'and', 'facets', 'cross']) {
      const row = r.out.split('\n').filter((l) => l.startsWith(cls + ' ')).pop();
      const cols = row.trim().split(/\s+/);
      assert.equal(cols.length, 14, row);
      assert.equal(cols[1], '10', row);
      for (const k of [9, 10, 11]) assert.ok(Number(cols[k]) > 0, `${cls}: Xapian's column ${k} in ${row}`);
    }
    const kv = Object.fromEntries([...r.out.matchAll(/^(\w+): ([\d.]+)$/gm)].map((m) => [m[1], Number(m[2])]));
    assert.ok(kv.xapian_p50_ms > 0 && kv.xapian_qps > 0, r.out);
    assert.deepEqual(readdirSync(tmp), [], 'the dump and the benchmark database are gone');
    // a baseline that cannot run fails the run, with the reason
    const bad = cli(args, { env: { TMPDIR: tmp, GRANSLOS_XAPIAN_SCRIPT: 'bench/no-such-baseline.py' } });
    assert.equal(bad.code, 1, bad.out);
    assert.match(bad.err, /no Xapian baseline at bench\/no-such-baseline\.py/);
    assert.deepEqual(readdirSync(tmp), []);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
