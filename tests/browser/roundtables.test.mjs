// Roundtables as people use them, on a desktop and a phone: a participant at the table sends a
// point through the short link (after a mistake), the host reviews and approves it on the table
// page, and anyone reads the report; the demo conference's report and the follow-up page.
// Accessibility checks on every page, screenshots of the key ones.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, a11y, shot, VIEWPORTS, logIn } from './lib.mjs';

let srv, browser;
before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function api(token, method, path, body) {
  const r = await fetch(srv.base + path, {
    method, headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${text}`);
  return JSON.parse(text);
}

const login = (page, email, password) => logIn(page, srv.base, email, password);

for (const vp of Object.keys(VIEWPORTS)) {
  test(`${vp}: a participant sends a point by the table's link, the host approves it, the report shows it`, async () => {
    const anna = `anna-rt-${vp}@example.se`, ola = `ola-rt-${vp}@example.no`;
    srv.user(anna, 'Anna Arrangör', { password: 'anna password 1' });
    srv.user(ola, 'Ola Vert', { password: 'ola password 12' });
    const ta = srv.token(anna), to = srv.token(ola);
    const orgA = (await api(ta, 'POST', '/api/v1/organisations', { name: `Region Test ${vp}`, country: 'SE', kind: 'cluster', municipality: '1780' })).id;
    const orgO = (await api(to, 'POST', '/api/v1/organisations', { name: `Vertskap ${vp} AS`, country: 'NO', kind: 'company', municipality: '3403' })).id;
    const ev = (await api(ta, 'POST', '/api/v1/events', { title: `Gränsforum ${vp}`, start: '2027-10-05T09:00', end: '2027-10-05T16:00',
      timezone: 'Europe/Stockholm', country: 'SE', municipality: '1780', status: 'confirmed', organisers: [orgA] })).id;
    const t = await api(ta, 'POST', `/api/v1/events/${ev}/roundtables`, { hosts: [{ org: orgO }, 'Visit Värmland'], theme: 'tourism', moderator: 'Kari' });

    // a participant at the table, on the link, in English
    let page = await newPage(browser, vp, 'en-GB');
    await page.goto(`${srv.base}/t/${t.token}`);
    // the page says the names in its own language ("and"); the report below as it is written ("och")
    await page.getByRole('heading', { level: 1, name: `Host: Vertskap ${vp} AS and Visit Värmland` }).waitFor();
    await a11y(page, 'short-link form');
    await page.getByRole('button', { name: 'Send to the hosts' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(await page.getByLabel('Your point').getAttribute('aria-invalid'), 'true');
    await a11y(page, 'short-link form with an error');
    await page.getByLabel('What challenges does the cooperation face today?').check();
    await page.getByLabel('Your point').fill('Different rules for public procurement on each side.');
    await page.getByLabel('Type').selectOption('challenge');
    await shot(page, 'roundtable-link', vp);
    await page.getByRole('button', { name: 'Send to the hosts' }).click();
    await page.getByText("Thank you: your bullet has been sent to the table's hosts.").waitFor();
    await page.context().close();

    // the host reviews and approves on the table page
    page = await newPage(browser, vp, 'en-GB');
    await login(page, ola, 'ola password 12');
    await page.goto(`${srv.base}/roundtables/${t.id}`);
    await page.locator('li.bullet > p', { hasText: 'Different rules for public procurement on each side.' }).waitFor();
    await page.getByText('Waiting for review', { exact: true }).waitFor();
    assert.equal(await page.getByRole('img', { name: /QR code for/ }).count(), 1);
    await a11y(page, 'table page for the host');
    await shot(page, 'roundtable-host', vp);
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.waitForURL(/\/roundtables\/\d+/);
    await page.getByText('Approved', { exact: true }).waitFor();
    // the host adds a bullet of their own
    await page.getByLabel('What concrete activities do you see as next steps?').check();
    await page.getByLabel('Your point').fill('A shared Interreg application.');
    await page.getByRole('button', { name: 'Add the bullet' }).click();
    await page.getByText('The bullet has been saved.').waitFor();
    await page.context().close();

    // anyone reads the report
    page = await newPage(browser, vp, 'en-GB');
    await page.goto(`${srv.base}/events/${ev}/report`);
    await page.getByRole('heading', { level: 2, name: `Host: Vertskap ${vp} AS och Visit Värmland` }).waitFor();
    await page.getByRole('listitem').filter({ hasText: 'Different rules for public procurement on each side.' }).waitFor();
    assert.equal(await page.getByText('A shared Interreg application.').count(), 0, 'not approved yet');
    await a11y(page, 'report');
    await page.context().close();
  });
}

test('the demo conference report, printable, and the follow-up of the series', async () => {
  for (const vp of Object.keys(VIEWPORTS)) {
    const page = await newPage(browser, vp, 'sv-SE');
    await page.goto(srv.base + '/events?from=2022-03-01&to=2022-03-31');
    const r = await fetch(srv.base + '/api/v1/events?from=2022-03-01&to=2022-04-01&status=all');
    const mv = (await r.json()).items.find((e) => e.series && e.series.name === 'Mötesplats Vision');
    await page.goto(`${srv.base}/events/${mv.id}/roundtables`);
    await page.getByRole('heading', { level: 1, name: 'Rundabordssamtal' }).waitFor();
    await a11y(page, 'roundtables of the demo event');
    await page.getByRole('link', { name: 'Läs rapporten' }).click();
    await page.getByRole('heading', { level: 2, name: 'Värd: Region Värmland' }).waitFor();
    await a11y(page, 'demo report');
    await shot(page, 'report', vp);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('nav.main').isVisible(), false, 'no menus on paper');
    await shot(page, 'report-print', vp);
    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${srv.base}/series/${mv.series.id}/followup`);
    await page.getByRole('heading', { level: 1, name: 'Uppföljning av handlingsplanen' }).waitFor();
    await a11y(page, 'follow-up');
    await page.context().close();
  }
});
