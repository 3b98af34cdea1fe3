// The service's own pages (who runs it, privacy, cookies, the accessibility statement), the
// footer that links them from every page, and a 404 that helps a visitor on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from './lib.mjs';

let srv, named;
before(async () => {
  srv = await startServer();
  named = await startServer({ env: { GRANSLOS_OPERATOR: 'Region Värmland <test>', GRANSLOS_CONTACT: 'granslos@example.se' } });
});
after(async () => { await srv.stop(); await named.stop(); });

const PAGES = {
  '/about': { sv: 'Om tjänsten', nb: 'Om tjenesten', en: 'About the service' },
  '/privacy': { sv: 'Personuppgifter', nb: 'Personvern', en: 'Privacy' },
  '/cookies': { sv: 'Kakor', nb: 'Informasjonskapsler', en: 'Cookies' },
  '/accessibility': { sv: 'Tillgänglighetsredogörelse', nb: 'Tilgjengelighetserklæring', en: 'Accessibility statement' },
};

for (const [path, titles] of Object.entries(PAGES)) {
  test(`${path} is there in Swedish, Norwegian and English`, async () => {
    for (const [lang, title] of Object.entries(titles)) {
      const r = await new Client(srv.base, { lang }).get(path);
      assert.equal(r.status, 200);
      assert.match(r.text, new RegExp(`<h1>${title}</h1>`));
      assert.match(r.text, new RegExp(`<html lang="${lang}"`));
    }
  });
}

test('every page links the service pages from its footer', async () => {
  for (const path of ['/', '/organisations', '/events', '/obstacles', '/login']) {
    const r = await new Client(srv.base, { lang: 'sv' }).get(path);
    const footer = r.text.slice(r.text.indexOf('<footer'));
    for (const link of ['/about', '/privacy', '/cookies', '/accessibility', '/about/data']) assert.ok(footer.includes(`href="${link}"`), `${path} footer links ${link}`);
  }
});

test('the operator and contact come from the installation, escaped, and are not invented where unset', async () => {
  const unnamed = await new Client(srv.base, { lang: 'en' }).get('/about');
  assert.match(unnamed.text, /has not named who runs it yet/);
  assert.doesNotMatch(unnamed.text, /mailto:/);
  const r = await new Client(named.base, { lang: 'sv' }).get('/about');
  assert.match(r.text, /drivs av <strong>Region Värmland &lt;test&gt;<\/strong>/);
  assert.match(r.text, /href="mailto:granslos@example.se"/);
  const a11y = await new Client(named.base, { lang: 'nb' }).get('/accessibility');
  assert.match(a11y.text, /Uutilsynet/);
  assert.match(a11y.text, /mailto:granslos@example.se/);
});

test('the cookie note names every cookie the server sets', async () => {
  const r = await new Client(srv.base, { lang: 'en' }).get('/cookies');
  for (const name of ['sid', 'csrf', 'lang', 'flash']) assert.match(r.text, new RegExp(`<p>${name}: `));
});

test('404: "page not found" in the user language, with a search box and ways on', async () => {
  for (const [lang, title] of [['sv', 'Sidan finns inte'], ['nb', 'Siden finnes ikke'], ['en', 'Page not found']]) {
    const r = await new Client(srv.base, { lang }).get('/no-such-page');
    assert.equal(r.status, 404);
    assert.match(r.text, new RegExp(`<h1>${title}</h1>`));
    assert.match(r.text, /<form class="search" method="get" action="\/search" role="search">/);
    assert.match(r.text, /href="\/organisations"/);
  }
  const missing = await new Client(srv.base, { lang: 'en' }).get('/organisations/999999');
  assert.equal(missing.status, 404);
  assert.match(missing.text, /<h1>Page not found<\/h1>/);
});
