// A forgotten password, in Swedish, Norwegian and English on a phone and a desktop: the link arrives through a
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

// what the user reads, per language
const L = {
  sv: { locale: 'sv-SE', forgot: 'Glömt lösenordet?', email: 'E-post', send: 'Skicka länken', check: 'Titta i din e-post', subject: /Välj ett nytt lösenord/,
        newpw: 'Nytt lösenord', change: 'Byt lösenord', changed: 'Ditt lösenord har ändrats. Logga in med det nya.', pw: 'Lösenord', login: 'Logga in', in: 'Du är inloggad.' },
  nb: { locale: 'nb-NO', forgot: 'Glemt passordet?', email: 'E-post', send: 'Send lenken', check: 'Sjekk e-posten din', subject: /Velg et nytt passord/,
        newpw: 'Nytt passord', change: 'Endre passord', changed: 'Passordet ditt er endret. Logg inn med det nye.', pw: 'Passord', login: 'Logg inn', in: 'Du er logget inn.' },
  en: { locale: 'en-GB', forgot: 'Forgot your password?', email: 'E-mail', send: 'Send the link', check: 'Check your e-mail', subject: /Choose a new password/,
        newpw: 'New password', change: 'Change password', changed: 'Your password has been changed. Log in with the new one.', pw: 'Password', login: 'Log in', in: 'You are logged in.' },
};

for (const vp of Object.keys(VIEWPORTS))
  for (const [lang, t] of Object.entries(L))
    test(`${vp}: a forgotten password is reset through the link in the mail (${lang})`, async () => {
      const email = `glemsk-${vp}-${lang}@example.no`;
      srv.user(email, 'Glemsk Person', { password: 'det gamle passordet' });
      const page = await newPage(browser, vp, t.locale);
      await page.goto(srv.base + '/login');
      assert.equal(await htmlLang(page), lang);
      await page.getByRole('link', { name: t.forgot }).click();
      await page.waitForURL(/\/password\/forgot$/);
      await a11y(page, `forgot password (${lang})`);
      await page.getByLabel(t.email).fill(email);
      await page.getByRole('button', { name: t.send }).click();
      await page.getByRole('heading', { name: t.check }).waitFor();
      const mail = await smtp.waitFor(email);
      assert.match(mail.subject, t.subject);
      await page.goto(srv.base + linkIn(mail, '/password/reset'));
      await a11y(page, `choose a new password (${lang})`);
      await shot(page, `password-reset-${lang}`, vp);
      await page.getByLabel(t.newpw).fill('1234567890');
      await page.getByRole('button', { name: t.change }).click();
      await page.getByRole('alert').waitFor();
      assert.equal(await page.getByLabel(t.newpw).getAttribute('aria-invalid'), 'true');
      await a11y(page, `weak new password (${lang})`);
      await page.getByLabel(t.newpw).fill('en ny og lang frase');
      await page.getByRole('button', { name: t.change }).click();
      await page.waitForURL(/\/login$/);
      await page.getByText(t.changed).waitFor();
      // the link is used up
      const again = await page.request.get(srv.base + linkIn(mail, '/password/reset'));
      assert.ok(again.status() >= 400 || !(await again.text()).includes('name="password"'), 'single use');
      await page.getByLabel(t.email).fill(email);
      await page.getByLabel(t.pw).fill('en ny og lang frase');
      await page.getByRole('button', { name: t.login }).click();
      await page.getByText(t.in).waitFor();
      await page.goto(srv.base + '/account');
      await a11y(page, `account with tokens and sessions (${lang})`);
      await shot(page, `account-${lang}`, vp);
      await page.context().close();
    });
