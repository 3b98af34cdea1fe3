// The border-obstacle register as people use it, on a desktop and a phone: a person reports an
// obstacle (after a mistake), another organisation says it affects them too, an admin puts a
// colleague on the obstacle desk, and the desk moves the status. Accessibility checks on every
// page, screenshots of the key ones.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, a11y, shot, htmlLang, openFilters, VIEWPORTS, logIn } from './lib.mjs';

let srv, browser;
before(async () => {
  srv = await startServer();
  browser = await launch();
  srv.user('obstacle-admin@example.org', 'Obstacle Admin', { admin: true, password: 'admin password 1' });
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const login = (page, email, password) => logIn(page, srv.base, email, password);

async function orgFor(email, name, country, municipality) {
  const token = srv.token(email);
  const r = await fetch(srv.base + '/api/v1/organisations', {
    method: 'POST', headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
    body: JSON.stringify({ name, country, kind: 'company', municipality }),
  });
  assert.equal(r.status, 201);
}

for (const vp of Object.keys(VIEWPORTS)) {
  test(`${vp}: report an obstacle, mark it "affects us too", and the obstacle desk moves its status`, async () => {
    const kari = `kari-${vp}@example.no`, sven = `sven-${vp}@example.se`, deskp = `desk-${vp}@example.org`;
    srv.user(kari, 'Kari Nordmann', { password: 'kari password 1' });
    srv.user(sven, 'Sven Svensson', { password: 'sven password 1' });
    srv.user(deskp, `Desk ${vp}`, { password: 'desk password 1' });
    await orgFor(kari, `Kongsvinger Fisk ${vp} AS`, 'NO', '3401');
    await orgFor(sven, `Arvika Odling ${vp} AB`, 'SE', '1784');
    const title = `Fish feed stopped at customs (${vp})`;

    // Kari reports an obstacle, after a mistake the form points out
    let page = await newPage(browser, vp, 'en-GB');
    await login(page, kari, 'kari password 1');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Border obstacles' }).click();
    await page.waitForURL(/\/obstacles$/);
    await page.getByRole('heading', { level: 1, name: 'Border obstacles' }).waitFor();
    await a11y(page, 'obstacle register');
    await shot(page, 'obstacles', vp);
    await page.getByRole('link', { name: 'Report an obstacle' }).click();
    await page.waitForURL(/\/obstacles\/new$/);
    await a11y(page, 'report form');
    await page.getByRole('button', { name: 'Report the obstacle' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(await page.getByLabel('Title (required)').getAttribute('aria-invalid'), 'true');
    await a11y(page, 'report form with errors');
    await page.getByLabel('Title (required)').fill(title);
    await page.getByLabel('Description (required)').fill('Feed for land-based fish farms waits days at the border.');
    await page.getByLabel('Where is it felt?').selectOption('both');
    await page.getByLabel('Blue bioeconomy').check();
    await page.getByLabel('The Swedish rules').fill('Customs clearance of feed needs a Swedish import declaration.');
    await page.getByRole('group', { name: 'Swedish laws and regulations' }).getByLabel('Law or regulation').first().fill('Tullag (2016:253)');
    await page.getByRole('group', { name: 'Norwegian laws and regulations' }).getByLabel('Law or regulation').first().fill('Tolloven');
    await page.getByRole('group', { name: 'Norwegian laws and regulations' }).getByLabel('Web address').first().fill('https://lovdata.no/lov/2007-12-21-119');
    await page.getByLabel('Report it for your organisation').selectOption({ label: `Kongsvinger Fisk ${vp} AS` });
    await shot(page, 'obstacle-form', vp);
    await page.getByRole('button', { name: 'Report the obstacle' }).click();
    await page.waitForURL(/\/obstacles\/\d+$/);
    await page.getByText('Thank you: the obstacle has been reported.').waitFor();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    const url = page.url();
    await a11y(page, 'reported obstacle');
    await page.context().close();

    // Sven, in Swedish, says that it affects his organisation too
    page = await newPage(browser, vp, 'sv-SE');
    await page.goto(srv.base + '/login');
    await page.getByLabel('E-post').fill(sven);
    await page.getByLabel('Lösenord').fill('sven password 1');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.waitForURL(srv.base + '/');
    await page.goto(url);
    assert.equal(await htmlLang(page), 'sv');
    await page.getByRole('button', { name: `Detta berör Arvika Odling ${vp} AB också` }).click();
    await page.getByText('Din organisation står nu också som berörd.').waitFor();
    await page.locator('#affected').getByRole('link', { name: `Arvika Odling ${vp} AB` }).waitFor();
    await a11y(page, 'obstacle affected (sv)');
    await page.context().close();

    // the platform admin puts a colleague on the obstacle desk
    page = await newPage(browser, vp, 'en-GB');
    await login(page, 'obstacle-admin@example.org', 'admin password 1');
    await page.goto(srv.base + '/admin');
    await page.getByLabel('E-mail of the person to add').fill(deskp);
    await page.getByRole('button', { name: 'Add to the obstacle desk' }).click();
    await page.getByText('The obstacle desk has been updated.').waitFor();
    await page.locator('#desk').getByText(`Desk ${vp}`).waitFor();
    await a11y(page, 'admin with the desk');
    await page.context().close();

    // the desk moves the status, with a comment everybody can read
    page = await newPage(browser, vp, 'en-GB');
    await login(page, deskp, 'desk password 1');
    await page.goto(url);
    await page.getByRole('link', { name: 'Change status' }).click();
    await page.waitForURL(/\/status$/);
    await a11y(page, 'status form');
    await page.getByLabel('New status').selectOption('analysis');
    await page.getByLabel('Comment').fill('Comparing Tullag and Tolloven with Tullverket and Tolletaten.');
    await page.getByRole('button', { name: 'Change status' }).click();
    await page.getByText('The status has been changed.').waitFor();
    const history = page.locator('#history');
    await history.getByText('Comparing Tullag and Tolloven with Tullverket and Tolletaten.').waitFor();
    assert.match(await history.textContent(), new RegExp(`from Reported to Under analysis · by Desk ${vp}`));
    assert.equal(await page.locator('header .status').textContent(), 'Under analysis');
    await a11y(page, 'obstacle after the status change');
    await shot(page, 'obstacle', vp);
    await page.context().close();

    // a visitor finds it with the filters
    page = await newPage(browser, vp, 'en-GB');
    await page.goto(srv.base + '/obstacles');
    await openFilters(page);
    await page.getByLabel('Status').selectOption('analysis');
    await page.getByLabel('Search').fill('fish feed');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/status=analysis/);
    await page.locator('#results').getByRole('link', { name: title }).waitFor();
    await a11y(page, 'filtered register');
    await page.context().close();
  });
}
