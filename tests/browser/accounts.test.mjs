// A forgotten password, as a Norwegian user on a phone and a desktop: the link arrives through a
// real SMTP server (tests/http/smtp.mjs), the new password is chosen on the page it opens, and
// the user logs in with it. Every page passes the accessibility checks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, a11y, shot, htmlLang, VIEWPORTS } from './lib.mjs';
import { smtpServer, linkIn } from '../http/smtp.mjs';

let srv, browser, smtp;
before(async () => {
  smtp = await smtpServer();
  srv = await startServer({ demo: false, args: ['--smtp', smtp.url] });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  await smtp?.close();
});

for (const vp of Object.keys(VIEWPORTS)) {
  test(`${vp}: a forgotten password is reset through the link in the mail (nb)`, async () => {
    const email = `glemsk-${vp}@example.no`;
    srv.user(email, 'Glemsk Person', { password: 'det gamle passordet' });
    const page = await newPage(browser, vp, 'nb-NO');
    await page.goto(srv.base + '/login');
    assert.equal(await htmlLang(page), 'nb');
    await page.getByRole('link', { name: 'Glemt passordet?' }).click();
    await page.waitForURL(/\/password\/forgot$/);
    await a11y(page, 'forgot password (nb)');
    await page.getByLabel('E-post').fill(email);
    await page.getByRole('button', { name: 'Send lenken' }).click();
    await page.getByRole('heading', { name: 'Sjekk e-posten din' }).waitFor();
    const mail = await smtp.waitFor(email);
    assert.match(mail.subject, /Velg et nytt passord/);
    await page.goto(srv.base + linkIn(mail, '/password/reset'));
    await a11y(page, 'choose a new password (nb)');
    await shot(page, 'password-reset', vp);
    await page.getByLabel('Nytt passord').fill('1234567890');
    await page.getByRole('button', { name: 'Endre passord' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(await page.getByLabel('Nytt passord').getAttribute('aria-invalid'), 'true');
    await a11y(page, 'weak new password (nb)');
    await page.getByLabel('Nytt passord').fill('en ny og lang frase');
    await page.getByRole('button', { name: 'Endre passord' }).click();
    await page.waitForURL(/\/login$/);
    await page.getByText('Passordet ditt er endret. Logg inn med det nye.').waitFor();
    await page.getByLabel('E-post').fill(email);
    await page.getByLabel('Passord').fill('en ny og lang frase');
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.getByText('Du er logget inn.').waitFor();
    await page.goto(srv.base + '/account');
    await a11y(page, 'account with tokens and sessions (nb)');
    await shot(page, 'account', vp);
    await page.context().close();
  });
}
