// The main flows as a person uses them, on a desktop and on a phone, with accessibility checks
// on every page visited and screenshots of the key pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, a11y, shot, htmlLang, openFilters, VIEWPORTS } from './lib.mjs';
import { smtpServer, linkIn } from '../http/smtp.mjs';

let srv, browser, smtp;
before(async () => {
  smtp = await smtpServer();
  srv = await startServer({ args: ['--smtp', smtp.url] });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  await smtp?.close();
});

for (const vp of Object.keys(VIEWPORTS)) {
  test(`${vp}: a visitor browses the directory in Swedish, Norwegian and English, filters and opens a profile`, async () => {
    const page = await newPage(browser, vp, 'sv-SE');
    await page.goto(srv.base + '/');
    assert.equal(await htmlLang(page), 'sv');
    await page.getByRole('heading', { level: 1 }).waitFor();
    // the map and the chart are images with text alternatives, and the figures are also a table
    await page.getByRole('img', { name: /Karta över Sverige och Norge/ }).waitFor();
    assert.ok((await page.locator('svg.map circle.dot').count()) > 10, 'dots on the map');
    assert.ok((await page.locator('svg.map path.land-se').count()) === 21 && (await page.locator('svg.map path.land-no').count()) === 15, 'every län and fylke');
    await page.getByRole('img', { name: 'Organisationer per nyckelområde i Sverige och Norge' }).waitFor();
    await page.getByText('Visa siffrorna som tabell').click();
    await page.getByRole('rowheader', { name: 'Blå bioekonomi' }).waitFor();
    await a11y(page, 'home (sv)');
    await shot(page, 'home', vp);
    await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Organisationer' }).click();
    await page.waitForURL(/\/organisations$/);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Organisationer');
    await a11y(page, 'directory (sv)');
    await shot(page, 'directory', vp);
    // switch to Norwegian, then English
    await page.getByRole('link', { name: 'Norsk' }).click();
    await page.waitForURL(/\/organisations$/);
    assert.equal(await htmlLang(page), 'nb');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Organisasjoner');
    await a11y(page, 'directory (nb)');
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/\/organisations$/);
    assert.equal(await htmlLang(page), 'en');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Organisations');
    // filter by country and theme; the form works with and without script
    await openFilters(page);
    await page.getByRole('group', { name: 'Country' }).getByLabel(/Norway/).check();
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/country=NO/);
    await openFilters(page);
    await page.getByRole('group', { name: 'Key area' }).getByLabel(/Forest bioeconomy/).check();
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/theme=forest-bioeconomy/);
    const total = await page.locator('#results .total').textContent();
    assert.match(total, /^\d+ organisations?$/);
    const cards = page.locator('#results li.card');
    assert.ok((await cards.count()) > 0);
    for (const meta of await page.locator('#results li.card .meta').allTextContents()) assert.match(meta, /Norway/);
    await a11y(page, 'directory filtered (en)');
    // open a profile
    await page.getByRole('link', { name: 'Norwegian Wood Cluster' }).click();
    await page.waitForURL(/\/organisations\/\d+$/);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Norwegian Wood Cluster');
    await page.getByText('Member organisations').waitFor();
    await a11y(page, 'profile (en)');
    await shot(page, 'profile', vp);
    await page.context().close();
  });

  test(`${vp}: a new user registers, creates an organisation, edits it, reads the history and reverts`, async () => {
    const page = await newPage(browser, vp, 'en-GB');
    const email = `person-${vp}@example.se`;
    await page.goto(srv.base + '/register');
    await a11y(page, 'register');
    // a mistake first: the error is announced and tied to its field
    await page.getByLabel('Your name').fill('Kari Nordmann');
    await page.getByLabel('E-mail').fill('not an address');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(await page.getByLabel('E-mail').getAttribute('aria-invalid'), 'true');
    await a11y(page, 'register with errors');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill('a long password for kari');
    await page.getByRole('combobox', { name: /^Language/ }).selectOption('en');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/register\/sent$/);
    await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor();
    await a11y(page, 'registration sent');
    // the confirmation arrives by e-mail; its link opens a page with one button
    const link = linkIn(await smtp.waitFor(email), '/register/confirm');
    await page.goto(srv.base + link);
    await a11y(page, 'confirm e-mail');
    await page.getByRole('button', { name: 'Confirm and create my account' }).click();
    await page.waitForURL(/\/welcome$/); // issue 12: a next step, not bare settings
    await page.getByText('Welcome! Your account has been created.').waitFor();
    await a11y(page, 'welcome');
    // log out and in again
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('link', { name: 'Log in' }).first().click();
    await a11y(page, 'login');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill('a long password for kari');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('You are logged in.').waitFor();
    // create
    await page.getByRole('link', { name: 'Add organisation' }).first().click();
    await a11y(page, 'new organisation form');
    await page.getByLabel('Name (required)', { exact: true }).fill(`Kongsvinger Treteknikk ${vp} AS`);
    await page.getByLabel('Country').selectOption('NO');
    await page.getByLabel('Kind').selectOption('company');
    await page.getByLabel(/^Municipality/).selectOption({ label: 'Kongsvinger' });
    await page.getByLabel('Description in Norwegian').fill('Vi lager limtre og massivtre.');
    await page.getByLabel('Competences', { exact: true }).fill('limtre, massivtre');
    await page.getByLabel('Forest bioeconomy').check();
    await page.getByRole('button', { name: 'Create organisation' }).click();
    await page.waitForURL(/\/organisations\/\d+$/);
    await page.getByText('The organisation has been created.').waitFor();
    await page.getByRole('heading', { level: 1, name: `Kongsvinger Treteknikk ${vp} AS` }).waitFor();
    await a11y(page, 'own profile');
    // edit
    await page.getByRole('link', { name: 'Edit' }).click();
    await a11y(page, 'edit form');
    await page.getByLabel('Name (required)', { exact: true }).fill(`Kongsvinger Tre ${vp} AS`);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Your changes have been saved.').waitFor();
    await page.getByRole('heading', { level: 1, name: `Kongsvinger Tre ${vp} AS` }).waitFor();
    // history and revert
    await page.getByRole('link', { name: 'History' }).click();
    await page.getByRole('heading', { name: 'Version 2' }).waitFor();
    await a11y(page, 'history');
    await shot(page, 'history', vp);
    await page.getByRole('button', { name: 'Revert to version 1' }).click();
    await page.getByText('The organisation has been reverted to the chosen version.').waitFor();
    await page.getByRole('heading', { name: 'Version 3' }).waitFor();
    await page.getByRole('link', { name: 'Back to the profile' }).click();
    await page.getByRole('heading', { level: 1, name: `Kongsvinger Treteknikk ${vp} AS` }).waitFor();
    await page.context().close();
  });

  test(`${vp}: the directory updates as you type`, async () => {
    const page = await newPage(browser, vp, 'en-GB');
    await page.goto(srv.base + '/organisations');
    await page.getByRole('searchbox', { name: 'Search' }).pressSequentially('paper prov', { delay: 30 });
    // the address changes when the answer to the last query is shown (on a busy machine an
    // earlier query, e.g. "paper", may be answered first)
    await page.waitForURL(/q=paper\+prov|q=paper%20prov/);
    await page.locator('#results li.card').first().getByRole('link', { name: 'Paper Province' }).waitFor();
    assert.match(await page.locator('#results .total').textContent(), /^1 organisation$/);
    await a11y(page, 'directory after typing');
    // a Swedish word finds a Norwegian organisation
    const box = page.getByRole('searchbox', { name: 'Search' });
    await box.fill('');
    await box.pressSequentially('förpackning', { delay: 30 });
    await page.locator('#results').getByRole('link', { name: 'Norsk Emballasjeforening' }).waitFor();
    assert.match(await page.locator('#results').textContent(), /Fyrbodal Förpackningsdesign AB/);
    await page.context().close();
  });
}

for (const vp of Object.keys(VIEWPORTS)) {
  test(`${vp}: finding partners from a profile and from a described need`, async () => {
    const page = await newPage(browser, vp, 'sv-SE');
    await page.goto(srv.base + '/organisations?q=paper+province');
    await page.locator('#results').getByRole('link', { name: 'Paper Province' }).click();
    await page.getByRole('main').getByRole('link', { name: 'Hitta partner' }).click();
    await page.waitForURL(/\/organisations\/\d+\/partners$/);
    const first = page.locator('ol.matches > li').first();
    assert.equal(await first.getByRole('heading').textContent(), 'Investinor');
    assert.match(await first.textContent(), /riskkapital över gränsen/);
    await a11y(page, 'partners of an organisation');
    await shot(page, 'partners', vp);
    // a need in words, from the main navigation
    await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Hitta partner' }).click();
    await page.getByLabel('Vad letar du efter?').fill('förpackningar av papper');
    await page.getByRole('combobox', { name: /Du finns i/ }).selectOption('SE');
    await page.getByRole('button', { name: 'Hitta partner' }).click();
    await page.getByRole('heading', { name: 'Förslag på partner' }).waitFor();
    await page.locator('ol.matches').getByRole('link', { name: 'Norsk Emballasjeforening' }).waitFor();
    await a11y(page, 'partners for a need');
    await page.context().close();
  });
}

test('keyboard only: skip link, visible focus, logical order, forms', async () => {
  const page = await newPage(browser, 'desktop', 'en-GB');
  await page.goto(srv.base + '/');
  await page.keyboard.press('Tab');
  let focused = await page.evaluate(() => ({ text: document.activeElement.textContent, cls: document.activeElement.className }));
  assert.equal(focused.cls, 'skip');
  // the skip link is visible when focused (it slides in: wait for the transition), and has a visible focus indicator
  await page.waitForFunction(() => document.querySelector('a.skip').getBoundingClientRect().top >= 0, null, { timeout: 3000 }).catch(() => {});
  const box = await page.locator('a.skip').boundingBox();
  assert.ok(box && box.width > 10 && box.height > 10 && box.y >= 0, 'skip link visible on focus');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  // next stops are inside main: the search field, in reading order
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'home-q');
  await page.keyboard.type('tourism');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/organisations\?q=tourism/);
  // tab order on the directory: header links come before the filters, filters before results
  // (each facet's choices are checkboxes, a stop each: tab until the results)
  const order = [];
  await page.keyboard.press('Tab');
  for (let i = 0; i < 400 && order.at(-1) !== 'results'; i++) {
    order.push(await page.evaluate(() => {
      const e = document.activeElement;
      return (e.closest('header') ? 'header' : e.closest('form.filters') ? 'filters' : e.closest('#results') ? 'results' : e.closest('footer') ? 'footer' : 'other');
    }));
    await page.keyboard.press('Tab');
  }
  const firstFilter = order.indexOf('filters'), firstResult = order.indexOf('results');
  assert.ok(order.indexOf('header') < firstFilter && firstFilter < firstResult, order.join(','));
  // log in with the keyboard alone
  srv.user('keys@example.no', 'Keyboard User', { password: 'keyboard password' });
  await page.goto(srv.base + '/login');
  await page.getByLabel('E-mail').focus();
  await page.keyboard.type('keys@example.no');
  await page.keyboard.press('Tab');
  await page.keyboard.type('keyboard password');
  await page.keyboard.press('Enter');
  await page.getByText('You are logged in.').waitFor();
  await page.context().close();
});

test('every other page passes the accessibility checks too (admin, members, data, errors), on a phone and a desktop', async () => {
  srv.user('sweep@example.org', 'Sweep Admin', { admin: true, password: 'sweep password 1' });
  for (const vp of Object.keys(VIEWPORTS)) {
    const page = await newPage(browser, vp, 'nb-NO');
    await page.goto(srv.base + '/login');
    await page.getByLabel('E-post').fill('sweep@example.org');
    await page.getByLabel('Passord').fill('sweep password 1');
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.waitForURL(srv.base + '/');
    for (const path of ['/search?q=skog', '/admin', '/organisations/1/members', '/organisations/1/history', '/organisations/1/edit', '/about/data', '/account', '/no-such-page']) {
      await page.goto(srv.base + path);
      assert.equal(await htmlLang(page), 'nb', path);
      await a11y(page, path + ' (' + vp + ')');
      if (path === '/admin') await shot(page, 'admin', vp);
    }
    await page.context().close();
  }
});
