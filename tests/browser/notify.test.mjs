// The bell and the inbox (issue 14), on a desktop and a phone: following an organisation from its
// profile, the bell's count rising without a reload when something happens (app.js polls a small
// JSON endpoint), the inbox grouped by day with links to the subject, and marking it read.
// Every page passes the accessibility checks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, a11y, shot, VIEWPORTS } from './lib.mjs';
import { Client } from '../http/lib.mjs';

let srv, browser, anna;
before(async () => {
  srv = await startServer({ demo: false });
  srv.user('anna@example.se', 'Anna', { password: 'anna password 123' });
  anna = srv.token('anna@example.se');
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

// logInSv: log in through the Swedish login form (the pages of these tests are Swedish)
async function logInSv(page, email, password) {
  await page.goto(srv.base + '/login');
  await page.getByLabel('E-post').fill(email);
  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.getByText('Du är inloggad.').waitFor();
}

const api = (m, p, json) => new Client(srv.base).req(m, p, { json, headers: { authorization: 'Bearer ' + anna } });

for (const vp of Object.keys(VIEWPORTS)) {
  test(`${vp}: follow an organisation, the bell counts without a reload, the inbox is read`, async () => {
    const email = `foljare-${vp}@example.se`;
    srv.user(email, 'Följare', { password: 'foljare password 123' });
    const org = (await api('POST', '/api/v1/organisations', { name: `Klockan ${vp} AB`, country: 'SE', kind: 'company', municipality: '1780' })).json().id;
    const page = await newPage(browser, vp, 'sv-SE');
    await logInSv(page, email, 'foljare password 123');
    await page.goto(srv.base + `/organisations/${org}`);
    await page.getByRole('button', { name: 'Följ' }).click();
    await page.waitForURL(new RegExp(`/organisations/${org}$`));
    assert.equal(await page.getByRole('button', { name: 'Du följer – sluta följa' }).getAttribute('aria-pressed'), 'true');
    await a11y(page, 'profile, following');
    const bell = page.locator('a.bell');
    assert.equal(await bell.getAttribute('data-unread'), '0');
    // something happens: the bell shows it without a reload when the page polls
    assert.equal((await api('PATCH', `/api/v1/organisations/${org}`, { website: 'https://klockan.example' })).status, 200);
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await page.waitForFunction(() => document.querySelector('a.bell').getAttribute('data-unread') === '1');
    assert.equal(await bell.locator('.count').textContent(), '1');
    await shot(page, 'bell', vp);
    await bell.click();
    await page.waitForURL(/\/inbox$/);
    await page.getByRole('heading', { level: 1, name: 'Inkorg' }).waitFor();
    assert.equal(await page.locator('section.inbox-day h2').count(), 1);
    await a11y(page, 'inbox');
    await shot(page, 'inbox', vp);
    await page.getByRole('button', { name: 'Markera alla som lästa' }).click();
    await page.waitForURL(/\/inbox$/);
    assert.equal(await page.locator('a.bell').getAttribute('data-unread'), '0');
    await a11y(page, 'inbox, read');
    await page.getByRole('link', { name: `Klockan ${vp} AB, som du följer, har uppdaterats.` }).click();
    await page.waitForURL(new RegExp(`/organisations/${org}$`));
    await page.context().close();
  });
}

for (const vp of Object.keys(VIEWPORTS)) {
  test(`${vp}: save a search, a new organisation that matches it reaches the bell and the inbox, the list on the account`, async () => {
    const email = `sokare-${vp}@example.no`;
    srv.user(email, 'Sökare', { password: 'sokare password 123' });
    const page = await newPage(browser, vp, 'sv-SE');
    await logInSv(page, email, 'sokare password 123');
    const word = vp === 'phone' ? 'tångodling' : 'algodling';
    await page.goto(srv.base + `/search?q=${word}&country=NO`);
    await page.getByLabel('Sökningens namn').fill(`Alger i Norge (${vp})`);
    await a11y(page, 'search with the save form');
    await shot(page, 'save-search', vp);
    await page.getByRole('button', { name: 'Spara sökningen och följ den' }).click();
    await page.getByText('Sökningen är sparad: nya träffar kommer till din inkorg.').waitFor();
    // a new organisation across the border with the word
    const org = (await api('POST', '/api/v1/organisations', { name: `Algefarmen ${vp} AS`, country: 'NO', kind: 'company', municipality: '3401', offers: [word] })).json().id;
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await page.waitForFunction(() => document.querySelector('a.bell').getAttribute('data-unread') === '1');
    await page.locator('a.bell').click();
    await page.waitForURL(/\/inbox$/);
    const item = page.getByRole('link', { name: `Ny och matchar en sökning du har sparat: Algefarmen ${vp} AS.` });
    await item.waitFor();
    assert.match(await page.locator('li.unread').first().textContent(), new RegExp(`Alger i Norge \\(${vp}\\)`));
    await page.getByRole('link', { name: 'Dina sparade sökningar' }).click();
    await page.waitForURL(/\/account\/searches$/);
    await page.getByRole('heading', { level: 2, name: `Alger i Norge (${vp})` }).waitFor();
    await a11y(page, 'saved searches');
    await shot(page, 'saved-searches', vp);
    await page.getByRole('button', { name: 'Sluta följa' }).click();
    await page.getByText('Följs inte').waitFor();
    await page.getByRole('button', { name: `Ta bort ”Alger i Norge (${vp})”` }).click();
    await page.getByText('Du har inga sparade sökningar.').waitFor();
    await page.goto(srv.base + `/organisations/${org}`);
    await page.context().close();
  });
}


for (const vp of Object.keys(VIEWPORTS)) {
  test(`${vp}: follow a project from its page, its new status reaches the bell and the inbox links to it`, async () => {
    const email = `projektfoljare-${vp}@example.no`;
    srv.user(email, 'Projektföljare', { password: 'projekt password 123' });
    const org = (await api('POST', '/api/v1/organisations', { name: `Projektägare ${vp} AB`, country: 'SE', kind: 'company', municipality: '1780' })).json().id;
    const r = await api('POST', '/api/v1/projects', { acronym: `Följ${vp}`, title: { sv: `Följbart projekt ${vp}`, nb: '', en: '' }, programme: 'interreg-se-no',
      type: 'main', start: '2027-09', duration_months: 12, partners: [{ organisation: org, role: 'lead-se' }] });
    assert.equal(r.status, 201, r.text);
    const id = r.json().id;
    const page = await newPage(browser, vp, 'sv-SE');
    await logInSv(page, email, 'projekt password 123');
    await page.goto(srv.base + `/projects/${id}`);
    await page.getByRole('button', { name: 'Följ' }).click();
    await page.waitForURL(new RegExp(`/projects/${id}$`));
    assert.equal(await page.getByRole('button', { name: 'Du följer – sluta följa' }).getAttribute('aria-pressed'), 'true');
    await a11y(page, 'project, following');
    await shot(page, 'project-follow', vp);
    assert.equal((await api('PATCH', `/api/v1/projects/${id}`, { status: 'drafting' })).status, 200);
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await page.waitForFunction(() => document.querySelector('a.bell').getAttribute('data-unread') === '1');
    await page.locator('a.bell').click();
    await page.waitForURL(/\/inbox$/);
    const item = page.getByRole('link', { name: `Följ${vp} – Följbart projekt ${vp} har fått en ny status.` });
    assert.match(await page.locator('li.unread').first().textContent(), /Ansökan skrivs/);
    await a11y(page, 'inbox with a project item');
    await item.click();
    await page.waitForURL(new RegExp(`/projects/${id}$`));
    await page.context().close();
  });
}
