// Events as people use them, on a desktop and a phone: the calendar (list, month, week), the
// coordination board, creating an event (a mistake first), seeing its warnings, registering and
// the notifications; axe checks on every page and screenshots of the key ones.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, a11y, shot, htmlLang, VIEWPORTS } from './lib.mjs';

let srv, browser, orgId;
before(async () => {
  srv = await startServer();
  browser = await launch();
  srv.user('org@example.se', 'Olga Organiser', { password: 'organiser password' });
  srv.user('guest@example.no', 'Gunnar Guest', { password: 'guest password 1' });
  const token = srv.token('org@example.se');
  const r = await fetch(srv.base + '/api/v1/organisations', {
    method: 'POST', headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Gränsverkstaden AB', country: 'SE', kind: 'company', municipality: '1780', themes: ['manufacturing'] }),
  });
  orgId = (await r.json()).id;
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function login(page, email, password, lang) {
  await page.goto(srv.base + '/login');
  const labels = lang === 'sv' ? ['E-post', 'Lösenord', 'Logga in'] : lang === 'nb' ? ['E-post', 'Passord', 'Logg inn'] : ['E-mail', 'Password', 'Log in'];
  await page.getByLabel(labels[0]).fill(email);
  await page.getByLabel(labels[1]).fill(password);
  await page.getByRole('button', { name: labels[2] }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

for (const vp of Object.keys(VIEWPORTS)) {
  test(`${vp}: a visitor finds the calendar, the month and week views and the coordination board`, async () => {
    const page = await newPage(browser, vp, 'sv-SE');
    await page.goto(srv.base + '/');
    await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Kalender' }).click();
    await page.waitForURL(/\/events$/);
    assert.equal(await htmlLang(page), 'sv');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Kalender');
    await page.getByRole('link', { name: 'Future Industry Forum' }).waitFor();
    await a11y(page, 'calendar list (sv)');
    await shot(page, 'calendar', vp);
    // filter: only Norway
    if (!(await page.locator('details.facets').evaluate((e) => e.open))) await page.locator('details.facets summary').click();
    await page.getByLabel('Land').selectOption('NO');
    await page.getByRole('button', { name: 'Visa' }).click();
    await page.waitForURL(/country=NO/);
    assert.equal(await page.getByRole('link', { name: 'Future Industry Forum' }).count(), 0);
    await page.getByRole('link', { name: 'Leverandørdag: industri over grensen' }).waitFor();
    // the month of the Sälen–Trysil meeting on Ascension Day
    await page.goto(srv.base + '/events?view=month&month=2027-05');
    await page.getByRole('table', { name: 'Maj 2027' }).waitFor();
    await page.getByText('Kristi himmelsfärdsdag').first().waitFor();
    await page.getByRole('link', { name: 'Besöksnäringsträff Sälen–Trysil' }).waitFor();
    await a11y(page, 'calendar month (sv)');
    await shot(page, 'calendar-month', vp);
    await page.getByRole('link', { name: 'Vecka' }).click();
    await page.waitForURL(/view=week/);
    await a11y(page, 'calendar week (sv)');
    await page.goto(srv.base + '/events/board');
    await page.getByRole('heading', { level: 3, name: 'Sverige' }).first().waitFor();
    await page.getByRole('heading', { level: 3, name: 'Norge' }).first().waitFor();
    await a11y(page, 'board (sv)');
    await shot(page, 'board', vp);
    // Norwegian: an event page of the series
    await page.getByRole('link', { name: 'Norsk' }).click();
    await page.getByRole('link', { name: /Møteplass Vision – neste utgave på Hamar/ }).first().click();
    await page.waitForURL(/\/events\/\d+$/);
    assert.equal(await htmlLang(page), 'nb');
    await page.getByText('Demoarrangement: et eksempel, ikke en virkelig plan').waitFor();
    await a11y(page, 'event page (nb)');
    await shot(page, 'event', vp);
    await page.context().close();
  });

  test(`${vp}: an organiser adds an event (a mistake first) and sees the clash; a guest registers`, async () => {
    const page = await newPage(browser, vp, 'en-GB');
    await login(page, 'org@example.se', 'organiser password', 'en');
    await page.goto(srv.base + '/events');
    await page.getByRole('link', { name: 'Add event' }).first().click();
    await page.waitForURL(/\/events\/new$/);
    await a11y(page, 'new event form');
    await page.getByLabel('Title in Swedish').fill(`Verkstadsdag ${vp}`);
    // 02:30 on the last Sunday in March does not exist
    await page.getByLabel(/^Starts/).fill('2027-03-28T02:30');
    await page.getByLabel(/^Ends/).fill('2027-03-28T10:00');
    await page.getByLabel('Municipality').selectOption({ label: 'Karlstad' });
    await page.getByRole('group', { name: 'Key areas' }).getByLabel('Manufacturing').check();
    await page.getByLabel('Gränsverkstaden AB').check();
    await page.getByRole('button', { name: 'Add event' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(await page.getByLabel(/^Starts/).getAttribute('aria-invalid'), 'true');
    await page.getByText(/the clocks go forward an hour that night/).first().waitFor();
    await a11y(page, 'new event form with errors');
    await shot(page, 'event-form-errors', vp);
    // the day of Future Industry Forum: a clash to coordinate
    const fif = await (await fetch(srv.base + '/api/v1/events?theme=manufacturing&country=SE')).json();
    const f = fif.items.find((e) => e.title.sv === 'Future Industry Forum');
    await page.getByLabel(/^Starts/).fill(f.start.slice(0, 11) + '13:00');
    await page.getByLabel(/^Ends/).fill(f.start.slice(0, 11) + '16:00');
    await page.getByLabel('Places').fill('1');
    await page.getByRole('button', { name: 'Add event' }).click();
    await page.waitForURL(/\/events\/\d+\?done=created$/);
    await page.getByText('The event has been added to the calendar.').waitFor();
    await page.getByRole('heading', { level: 1, name: `Verkstadsdag ${vp}` }).waitFor();
    await page.getByRole('heading', { name: 'Coordination' }).waitFor();
    await page.getByText('Possible clash:').first().waitFor();
    await page.getByRole('link', { name: 'Future Industry Forum' }).first().waitFor();
    await a11y(page, 'event page for organisers');
    await shot(page, 'event-organiser', vp);
    const url = page.url().replace(/\?.*/, '');
    await page.context().close();
    // a guest registers for the one place
    const guest = await newPage(browser, vp, 'nb-NO');
    await login(guest, 'guest@example.no', 'guest password 1', 'nb');
    await guest.goto(url);
    await guest.getByLabel('Organisasjonen din (valgfritt)').fill('Grensegjestene AS');
    await guest.getByLabel('Arrangørene kan se navnet mitt, e-posten min og organisasjonen min').check();
    await guest.getByRole('button', { name: 'Meld meg på' }).click();
    await guest.getByText('Du er påmeldt.').first().waitFor();
    await a11y(guest, 'event page registered (nb)');
    await shot(guest, 'event-registered', vp);
    await guest.getByRole('navigation', { name: 'Hovedmeny' }).locator('a.bell').click();   /* the one inbox (issue 14) */
    await guest.getByText(`Du er påmeldt til Verkstadsdag ${vp}.`).waitFor();
    await a11y(guest, 'notifications (nb)');
    await guest.getByRole('button', { name: 'Meld meg av' }).count();
    await guest.goto(url);
    await guest.getByRole('button', { name: 'Meld meg av' }).click();
    await guest.getByText('Påmeldingen din er slettet.').waitFor();
    await guest.context().close();
  });
}

test('desktop and phone: 1:1 meetings: the organiser sets slots, two participants meet, the agenda is printable', async () => {
  // an event with slots, two registered participants with profiles (through the API: the pages are the subject here)
  srv.user('m1@example.se', 'Maja Möte', { password: 'maja password 1' });
  srv.user('m2@example.no', 'Magnus Møte', { password: 'magnus password 1' });
  const call = async (email, method, path, body) => {
    const t = srv.token(email);
    const r = await fetch(srv.base + path, { method, headers: { authorization: 'Bearer ' + t, 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
    return r.json();
  };
  const ev = (await call('org@example.se', 'POST', '/api/v1/events', { title: 'Mötesdagen', start: '2027-10-05T09:00', end: '2027-10-05T15:00', country: 'SE', municipality: '1780', organisers: [orgId] })).id;
  await call('org@example.se', 'POST', `/api/v1/events/${ev}/meetings/setup`, { first_slot: '2027-10-05T10:00', slot_minutes: 20, slots: 4, tables: 5 });
  for (const e of ['m1@example.se', 'm2@example.no']) await call(e, 'POST', `/api/v1/events/${ev}/registrations`, { share: true });
  await call('m2@example.no', 'POST', `/api/v1/events/${ev}/meetings/profile`, { offer: 'Sensorer for sagbruk', seek: 'Svenske kunder', visible: true });
  for (const vp of Object.keys(VIEWPORTS)) {
    const page = await newPage(browser, vp, 'sv-SE');
    await login(page, 'm1@example.se', 'maja password 1', 'sv');
    await page.goto(srv.base + `/events/${ev}`);
    await page.getByRole('link', { name: '1:1-möten' }).click();
    await page.waitForURL(/\/meetings$/);
    await a11y(page, 'meetings (sv)');
    if (vp === 'desktop') {
      await page.getByLabel('Jag erbjuder', { exact: true }).fill('Testbädd för trä');
      await page.getByRole('group', { name: 'Jag kan inte träffas under de här tiderna' }).getByRole('checkbox').first().check();
      await page.getByRole('button', { name: 'Publicera min mötesprofil' }).click();
      await page.getByText('Din mötesprofil har sparats.').waitFor();
      await page.getByRole('button', { name: 'Be om ett möte med Magnus Møte' }).click();
      await page.getByText('Din förfrågan har skickats.').waitFor();
    }
    await page.getByText('Du frågade Magnus Møte').waitFor();
    await a11y(page, 'meetings with a request (sv)');
    await shot(page, 'meetings', vp);
    await page.context().close();
    // Magnus accepts (in Norwegian) and reads his agenda
    const other = await newPage(browser, vp, 'nb-NO');
    await login(other, 'm2@example.no', 'magnus password 1', 'nb');
    await other.goto(srv.base + `/events/${ev}/meetings`);
    if (vp === 'desktop') {
      await other.getByRole('button', { name: 'Takk ja til møtet med Maja Möte' }).click();
      await other.getByText('Svaret ditt er sendt.').waitFor();
    }
    await other.getByRole('link', { name: 'Min timeplan' }).click();
    await other.getByRole('table', { name: 'Mine møter' }).waitFor();
    await other.getByRole('cell', { name: 'Maja Möte' }).waitFor();
    await a11y(other, 'agenda (nb)');
    await shot(other, 'agenda', vp);
    await other.context().close();
  }
  // the organiser's view of the meetings
  const org = await newPage(browser, 'desktop', 'en-GB');
  await login(org, 'org@example.se', 'organiser password', 'en');
  await org.goto(srv.base + `/events/${ev}/meetings`);
  await org.getByRole('button', { name: 'Schedule all accepted meetings' }).click();
  await org.getByText('The meetings have been scheduled.').waitFor();
  await org.getByText('1 accepted meetings, 1 of them in the schedule.').waitFor();
  await a11y(org, 'meetings for organisers');
  await org.context().close();
});
