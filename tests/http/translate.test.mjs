// Machine translation of what members write (src/translate): a Swedish description gets a bokmål
// translation after a save, made outside the request, shown marked with the original behind a
// switch; with GRANSLOS_APERTIUM=off the page says nothing about translations; a translator that
// hangs never holds up a save (GRANSLOS_TRANSLATOR points at tests/fixtures/slow-translator.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startServer, Client, orgForm, formBody } from './lib.mjs';

const apertium = existsSync('/usr/share/apertium/modes/swe-nob.mode') && existsSync('/usr/bin/rtx-proc');
const desc = 'Vi utvecklar mjukvara för skogsindustrin.';

async function member(srv) {
  srv.user('anna@example.se', 'Anna Andersson', { password: 'anna password 1' });
  const c = new Client(srv.base, { lang: 'sv' });
  await c.login('anna@example.se', 'anna password 1');
  return c;
}

async function create(c, fields) {
  const t0 = Date.now();
  const r = await c.submit('/organisations/new', '/organisations/new', formBody(orgForm(fields)));
  assert.equal(r.status, 303, r.text.slice(0, 500));
  return { path: r.location, ms: Date.now() - t0 };
}

// poll: GET path as a bokmål reader until re matches (or the deadline passes)
async function poll(srv, path, re, ms = 30000) {
  const nb = new Client(srv.base, { lang: 'nb' });
  const end = Date.now() + ms;
  let r;
  do {
    r = await nb.get(path);
    if (re.test(r.text)) return r.text;
    await new Promise((res) => setTimeout(res, 200));
  } while (Date.now() < end);
  assert.fail(`${re} never on ${path}: ${r.text.slice(0, 300)}`);
}

test('a Swedish description gets a bokmål translation after the save, marked, with the original behind a switch', { skip: !apertium && 'Apertium not installed' }, async () => {
  const srv = await startServer({ demo: false });
  try {
    const c = await member(srv);
    const { path } = await create(c, { name: 'Klarälvens Kod AB', orgnr: '556016-0680', desc_sv: desc, competences: 'mjukvaruutveckling' });
    const page = await poll(srv, path, /Maskinoversatt/);
    assert.match(page, /<p lang="nb" class="desc">Vi utvikler programvare for skogsindustrien\.<\/p>/);
    assert.match(page, /<details class="original"><summary>Vis originalen<\/summary><p lang="sv" class="desc">Vi utvecklar mjukvara för skogsindustrin\.<\/p><\/details>/);
    // a Swedish reader reads the original, unmarked
    const sv = await c.get(path);
    assert.doesNotMatch(sv.text, /Maskinöversatt/);
    assert.match(sv.text, /<p class="desc">Vi utvecklar mjukvara för skogsindustrin\.<\/p>/);
    // a changed text is translated again; the old translation is not shown for the new text
    const r = await c.submit(path + '/edit', path + '/edit', formBody(orgForm({ name: 'Klarälvens Kod AB', orgnr: '556016-0680', desc_sv: 'Vi behöver en revisor.' })));
    assert.equal(r.status, 303, r.text.slice(0, 300));
    const again = await poll(srv, path, /<p lang="nb" class="desc">Vi trenger en revisor\.<\/p>/);
    assert.doesNotMatch(again, /skogsindustrien/);
  } finally { await srv.stop(); }
});

test('with GRANSLOS_APERTIUM=off there is no translation and the page says nothing about one', async () => {
  const srv = await startServer({ demo: false, env: { GRANSLOS_APERTIUM: 'off' } });
  try {
    const c = await member(srv);
    const { path } = await create(c, { name: 'Klarälvens Kod AB', orgnr: '556016-0680', desc_sv: desc });
    await new Promise((res) => setTimeout(res, 1500));
    const nb = await new Client(srv.base, { lang: 'nb' }).get(path);
    assert.equal(nb.status, 200);
    assert.doesNotMatch(nb.text, /Maskinoversatt|machine-translated|Vis originalen/);
    assert.match(nb.text, /<p lang="sv" class="desc">Vi utvecklar mjukvara för skogsindustrin\.<\/p>/);
    assert.doesNotMatch(srv.log, /translate: machine translation on/);
  } finally { await srv.stop(); }
});

test('a translator that hangs never holds up a save, and is killed at its deadline', async () => {
  const srv = await startServer({
    demo: false,
    env: { GRANSLOS_TRANSLATOR: 'tests/fixtures/slow-translator.sh', GRANSLOS_TRANSLATE_TIMEOUT_MS: '1500' },
  });
  try {
    const c = await member(srv);
    const first = await create(c, { name: 'Klarälvens Kod AB', orgnr: '556016-0680', desc_sv: desc });
    // the worker is now waiting for the translator: the next saves do not wait with it
    const second = await create(c, { name: 'Värmlands Väv AB', orgnr: '556036-0793', desc_sv: 'Vi väver tyger.' });
    const edit = Date.now();
    const r = await c.submit(first.path + '/edit', first.path + '/edit', formBody(orgForm({ name: 'Klarälvens Kod AB', orgnr: '556016-0680', desc_sv: 'Ny text.' })));
    assert.equal(r.status, 303);
    for (const ms of [first.ms, second.ms, Date.now() - edit]) assert.ok(ms < 1000, `a save took ${ms} ms`);
    const end = Date.now() + 15000;
    while (!/translate: .* gave up \(timeout, killed\)/.test(srv.log) && Date.now() < end) await new Promise((res) => setTimeout(res, 100));
    assert.match(srv.log, /translate: .* gave up \(timeout, killed\)/);
    const nb = await new Client(srv.base, { lang: 'nb' }).get(first.path);
    assert.equal(nb.status, 200);
    assert.doesNotMatch(nb.text, /Maskinoversatt/);
  } finally { await srv.stop(); }
});

test('a translation is indexed below the original: found through it, ranked after one who wrote the word', async () => {
  const srv = await startServer({ demo: false, env: { GRANSLOS_TRANSLATOR: 'tests/fixtures/fake-translator.sh' } });
  try {
    const c = await member(srv);
    // A: the word only in its translation (the fake translator answers "Zorbulatorer MODE")
    const a = await create(c, { name: 'Klarälvens Kvast AB', orgnr: '556016-0680', desc_sv: 'Vi gör kvastar av björkris.' });
    // B: wrote the word itself, in both languages (so it has no translation of its description)
    await create(c, { name: 'Värmlands Zorb AB', orgnr: '556036-0793', desc_sv: 'Zorbulatorer av björkris.', desc_nb: 'Zorbulatorer av bjørkeris.' });
    const page = await poll(srv, a.path, /Maskinoversatt/);
    assert.match(page, /<p lang="nb" class="desc">Zorbulatorer swe-nob<\/p>/);
    const end = Date.now() + 15000;
    let items = [];
    while (Date.now() < end) {
      const r = await c.get('/api/v1/search?country=SE&q=zorbulatorer');
      assert.equal(r.status, 200, r.text);
      items = r.json().items.map((i) => i.name);
      if (items.includes('Klarälvens Kvast AB')) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    assert.deepEqual(items, ['Värmlands Zorb AB', 'Klarälvens Kvast AB']);
  } finally { await srv.stop(); }
});
