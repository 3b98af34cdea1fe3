// Coordination while choosing the date and events in time (issue 12), on a desktop and a phone, in
// Swedish, Norwegian and English: an organiser fills in the event form and sees the clash BEFORE
// publishing (the live check of web/app.js), saves it as an idea; the board's week rows keep both
// countries in the same row (side by side on a desktop, stacked inside the row on a phone); the
// held 2022 conference shows its report, not a registration form. axe on every page, screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, a11y, shot, htmlLang, VIEWPORTS } from './lib.mjs';

let srv, browser;
const LANGS = {
  sv: { locale: 'sv-SE', login: ['E-post', 'Lösenord', 'Logga in'], clash: 'Möjlig krock:', idea: 'Spara som idé', title: 'title_sv', week: 'Vecka', sweden: 'Sverige', norway: 'Norge' },
  nb: { locale: 'nb-NO', login: ['E-post', 'Passord', 'Logg inn'], clash: 'Mulig kollisjon:', idea: 'Lagre som idé', title: 'title_nb', week: 'Uke', sweden: 'Sverige', norway: 'Norge' },
  en: { locale: 'en-GB', login: ['E-mail', 'Password', 'Log in'], clash: 'Possible clash:', idea: 'Save as an idea', title: 'title_en', week: 'Week', sweden: 'Sweden', norway: 'Norway' },
};
before(async () => {
  srv = await startServer();
  browser = await launch();
  srv.user('plan@example.se', 'Petra Planner', { password: 'planner password 1' });
  const token = srv.token('plan@example.se');
  await fetch(srv.base + '/api/v1/organisations', {
    method: 'POST', headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Planeringsverkstaden AB', country: 'SE', kind: 'company', municipality: '1780', themes: ['manufacturing'] }),
  });
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function login(page, l) {
  await page.goto(srv.base + '/login');
  await page.getByLabel(l.login[0]).fill('plan@example.se');
  await page.getByLabel(l.login[1]).fill('planner password 1');
  await page.getByRole('button', { name: l.login[2] }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

const fifStart = async () => {
  const all = await (await fetch(srv.base + '/api/v1/events?theme=manufacturing&country=SE')).json();
  return all.items.find((e) => e.title.sv === 'Future Industry Forum');
};

for (const vp of Object.keys(VIEWPORTS)) {
  for (const [lang, l] of Object.entries(LANGS)) {
    test(`${vp}, ${lang}: the clash shows while the date is chosen, before publishing; "save as an idea"`, async () => {
      const page = await newPage(browser, vp, l.locale);
      await login(page, l);
      await page.goto(srv.base + '/events/new');
      assert.equal(await htmlLang(page), lang);
      // the user's language first
      const first = await page.locator('input[name^="title_"]').first().getAttribute('name');
      assert.equal(first, l.title);
      await page.locator(`input[name="${l.title}"]`).fill(`Krockprov ${vp} ${lang}`);
      const f = await fifStart();
      await page.locator('input[name="start"]').fill(f.start.slice(0, 11) + '13:00');
      await page.locator('input[name="end"]').fill(f.start.slice(0, 11) + '16:00');
      await page.locator('select[name="country"]').selectOption('SE');
      await page.locator('select[name="municipality"]').selectOption({ value: '1780' });
      await page.locator('input[name="themes"][value="manufacturing"]').check();
      await page.locator('input[name="organisers"]').first().check();
      // the live check: nothing has been submitted yet
      const box = page.locator('#date-check-result');
      await box.getByText(l.clash).first().waitFor();
      await box.getByRole('link', { name: 'Future Industry Forum', exact: true }).waitFor();
      assert.match(page.url(), /\/events\/new$/);
      await page.locator('#date-check').scrollIntoViewIfNeeded();
      await a11y(page, `event form with the live date check (${lang})`);
      await shot(page, `event-form-date-check-${lang}`, vp);
      await box.getByRole('button', { name: l.idea }).click();
      await page.waitForURL(/\/events\/\d+\?done=created$/);
      await page.locator('.status-idea').first().waitFor();
      await a11y(page, `the idea's page (${lang})`);
      await page.context().close();
    });
  }

  test(`${vp}: the board's week rows keep Sweden and Norway in the same row, in sv, nb and en`, async () => {
    for (const [lang, l] of Object.entries(LANGS)) {
      const page = await newPage(browser, vp, l.locale);
      await page.goto(srv.base + '/events/board');
      await page.getByRole('heading', { level: 2, name: new RegExp('^' + l.week + ' \\d+') }).first().waitFor();
      const rows = await page.locator('section.board-week').evaluateAll((ws) => ws.map((w) => {
        const box = (e) => e.getBoundingClientRect();
        const se = w.querySelector('.board-cell.country-SE'), no = w.querySelector('.board-cell.country-NO'), s = box(w);
        return { se: box(se), no: box(no), top: s.top, bottom: s.bottom };
      }));
      assert.ok(rows.length >= 4, 'weeks with events');
      for (const r of rows) {
        // both cells lie inside their week's row
        for (const c of [r.se, r.no]) assert.ok(c.top >= r.top - 1 && c.bottom <= r.bottom + 1, 'a cell inside its week');
        if (vp === 'desktop') assert.ok(Math.abs(r.se.top - r.no.top) < 2 && r.no.left > r.se.right, 'side by side, aligned in time');
        else assert.ok(r.no.top >= r.se.bottom - 1, 'stacked inside the week on a phone');
      }
      // nothing scrolls sideways
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth));
      if (vp === 'phone') await page.getByRole('heading', { level: 3, name: l.norway }).first().waitFor();
      await page.locator('.clash-badge').first().waitFor();
      await page.locator('.shared-theme').first().waitFor();
      await a11y(page, `board (${lang})`);
      await shot(page, `board-weeks-${lang}`, vp);
      await page.context().close();
    }
  });

  test(`${vp}: the held 2022 conference shows its report and no registration; the past view lists it`, async () => {
    const page = await newPage(browser, vp, 'en-GB');
    await page.goto(srv.base + '/events?view=past');
    await page.getByRole('link', { name: /Mötesplats Vision 2022/ }).first().click();
    await page.waitForURL(/\/events\/\d+$/);
    await page.getByRole('heading', { level: 2, name: /Report/ }).waitFor();
    await page.getByRole('heading', { name: 'Strategiskt samarbete' }).waitFor();
    assert.equal(await page.getByRole('button', { name: /Register|Cancel the event/ }).count(), 0);
    assert.equal(await page.getByText('Demo event: an example').count(), 0);
    assert.equal(await page.locator('section.held-report [lang="sv"]').count(), 1);
    await a11y(page, 'held event (en)');
    await shot(page, 'event-held', vp);
    await page.context().close();
  });
}
