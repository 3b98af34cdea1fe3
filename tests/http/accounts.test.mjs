// Accounts: register (confirmed by e-mail), log in, log out, settings, password, personal data,
// deletion, CSRF, rate limits. The security findings have their own file (accounts-security).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, setCookies } from './lib.mjs';
import { smtpServer, linkIn } from './smtp.mjs';

let srv, smtp;
before(async () => { smtp = await smtpServer(); srv = await startServer({ args: ['--smtp', smtp.url] }); });
after(async () => { await srv.stop(); await smtp.close(); });

test('register, confirm by e-mail, log out, log in again; cookies are HttpOnly and SameSite=Lax', async () => {
  const c = new Client(srv.base, { lang: 'en' });
  const r0 = await c.submit('/register', '/register', { name: 'Astrid Lindqvist', email: 'astrid@example.se', password: 'a long enough password', lang: 'sv' });
  assert.equal(r0.status, 303);
  assert.equal(r0.location, '/register/sent');
  const link = linkIn(await smtp.waitFor('astrid@example.se'), '/register/confirm');
  const csrf = await c.csrf(link);
  const res = await fetch(srv.base + '/register/confirm', {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: c.cookieHeader() },
    body: new URLSearchParams({ csrf, token: new URL(link, srv.base).searchParams.get('token') }),
  });
  assert.equal(res.status, 303);
  const sid = setCookies(res.headers).find((x) => x.startsWith('sid='));
  assert.ok(sid, 'a session cookie is set');
  assert.match(sid, /HttpOnly/);
  assert.match(sid, /SameSite=Lax/);
  assert.doesNotMatch(sid, /Secure/); // plain HTTP on loopback
  c.store(res);
  let r = await c.get('/account');
  assert.equal(r.status, 200);
  assert.match(r.text, /<html lang="sv">/, 'the chosen language is used');
  assert.match(r.text, /Astrid Lindqvist/);
  const logout = await c.submit('/account', '/logout', {});
  assert.equal(logout.status, 303);
  r = await c.get('/account');
  assert.equal(r.status, 303);
  assert.match(r.location, /^\/login\?next=/);
  await c.login('ASTRID@example.se', 'a long enough password');
  r = await c.get('/account');
  assert.equal(r.status, 200);
});

// Secure comes from the operator's setting (serve --secure-cookies, tests/http/transport.test.mjs),
// never from a header the client sends
test('cookies: a client\'s X-Forwarded-Proto does not make the session cookie Secure', async () => {
  srv.user('tls@example.se', 'TLS Person', { password: 'password for tls' });
  const c = new Client(srv.base);
  const csrf = await c.csrf('/login');
  const res = await fetch(srv.base + '/login', {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: c.cookieHeader(), 'x-forwarded-proto': 'https' },
    body: new URLSearchParams({ csrf, email: 'tls@example.se', password: 'password for tls' }),
  });
  assert.equal(res.status, 303);
  assert.doesNotMatch(setCookies(res.headers).find((x) => x.startsWith('sid=')), /Secure/);
});

test('registration errors are shown in the user language, tied to their fields', async () => {
  const c = new Client(srv.base, { lang: 'nb' });
  const r = await c.submit('/register', '/register', { name: '', email: 'not-an-email', password: 'short', lang: 'nb' });
  assert.equal(r.status, 422);
  assert.match(r.text, /<html lang="nb">/);
  assert.match(r.text, /id="f-email"[^>]*aria-describedby="[^"]*e-email"[^>]*aria-invalid="true"/);
  assert.match(r.text, /id="e-password"/);
  // a duplicate address gets the same answer as a new one (its owner is told by e-mail)
  srv.user('dup@example.no', 'Dup');
  const d = await new Client(srv.base, { lang: 'en' }).submit('/register', '/register', { name: 'X', email: 'dup@example.no', password: 'long enough pw', lang: 'en' });
  assert.equal(d.status, 303);
  assert.equal(d.location, '/register/sent');
});

test('a form without the right CSRF token is refused and changes nothing', async () => {
  srv.user('csrf@example.se', 'Csrf Person', { password: 'password for csrf' });
  const c = new Client(srv.base, { lang: 'en' });
  let r = await c.post('/login', { form: { email: 'csrf@example.se', password: 'password for csrf' } });
  assert.equal(r.status, 403);
  assert.match(r.text, /expired or did not come from this site/);
  await c.login('csrf@example.se', 'password for csrf');
  r = await c.post('/account', { form: { csrf: 'forged-token-forged-token-forged-token-abcd', name: 'Hacked', lang: 'en' } });
  assert.equal(r.status, 403);
  r = await c.get('/account');
  assert.match(r.text, /value="Csrf Person"/);
  assert.doesNotMatch(r.text, /Hacked/);
});

test('failed logins are rate limited per account and address', async () => {
  srv.user('victim@example.no', 'Victim', { password: 'the real password' });
  const c = new Client(srv.base, { lang: 'en' });
  for (let i = 0; i < 5; i++) {
    const r = await c.submit('/login', '/login', { email: 'victim@example.no', password: 'wrong ' + i });
    assert.equal(r.status, 401);
  }
  const r = await c.submit('/login', '/login', { email: 'victim@example.no', password: 'the real password' });
  assert.equal(r.status, 429);
  assert.match(r.text, /Too many attempts/);
  assert.ok(Number(r.headers.get('retry-after')) > 0);
});

test('change password ends other sessions; the old password stops working', async () => {
  srv.user('pw@example.se', 'Pw Person', { password: 'old password 123' });
  const a = new Client(srv.base), b = new Client(srv.base);
  await a.login('pw@example.se', 'old password 123');
  await b.login('pw@example.se', 'old password 123');
  let r = await a.submit('/account', '/account/password', { current: 'wrong password', password: 'new password 456' });
  assert.equal(r.status, 422);
  r = await a.submit('/account', '/account/password', { current: 'old password 123', password: 'new password 456' });
  assert.equal(r.status, 303);
  assert.equal((await a.get('/account')).status, 200);
  assert.equal((await b.get('/account')).status, 303);
  const c = new Client(srv.base);
  r = await c.submit('/login', '/login', { email: 'pw@example.se', password: 'old password 123' });
  assert.equal(r.status, 401);
  await c.login('pw@example.se', 'new password 456');
});

test('personal data export, then account deletion keeps the edits attributed to a deleted user', async () => {
  srv.user('leaver@example.no', 'Leif Leaver', { password: 'leaving password' });
  const c = new Client(srv.base, { lang: 'en' });
  await c.login('leaver@example.no', 'leaving password');
  let r = await c.submit('/organisations/new', '/organisations/new', {
    name: 'Leavers Consulting AS', country: 'NO', kind: 'company', municipality: '3401', status: 'active',
  });
  assert.equal(r.status, 303);
  const orgPath = r.location;
  r = await c.get('/account/export');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-disposition'), /attachment/);
  const data = r.json();
  assert.equal(data.user.email, 'leaver@example.no');
  assert.equal(data.user.name, 'Leif Leaver');
  assert.equal(data.memberships.length, 1);
  assert.equal(data.edits.length, 1);
  r = await c.submit('/account', '/account/delete', { confirm_password: 'wrong' });
  assert.equal(r.status, 422);
  r = await c.submit('/account', '/account/delete', { confirm_password: 'leaving password' });
  assert.equal(r.status, 303);
  assert.equal((await c.get('/account')).status, 303);
  // the record stays, its history names a deleted user, and it is now in the admins' queue
  srv.user('root@example.org', 'Root', { admin: true, password: 'root password 1' });
  const admin = new Client(srv.base, { lang: 'en' });
  await admin.login('root@example.org', 'root password 1');
  r = await admin.get(orgPath + '/history');
  assert.equal(r.status, 200);
  assert.match(r.text, /a deleted user/);
  assert.doesNotMatch(r.text, /Leif Leaver/);
  r = await admin.get('/admin');
  assert.match(r.text, /Leavers Consulting AS/);
  // the address can register again
  const again = await new Client(srv.base).submit('/register', '/register', { name: 'Leif', email: 'leaver@example.no', password: 'another password', lang: 'nb' });
  assert.equal(again.status, 303);
});

test('the admin pages are for platform admins only', async () => {
  srv.user('plain@example.se', 'Plain', { password: 'plain password 1' });
  const c = new Client(srv.base, { lang: 'en' });
  assert.equal((await c.get('/admin')).status, 303);
  await c.login('plain@example.se', 'plain password 1');
  assert.equal((await c.get('/admin')).status, 403);
  const r = await c.submit('/account', '/admin/themes', { slug: 'circular', name_sv: 'a', name_nb: 'b', name_en: 'c' });
  assert.equal(r.status, 403);
});

test('a platform admin adds a theme; organisations can use it', async () => {
  srv.user('themes@example.org', 'Theme Admin', { admin: true, password: 'theme admin pw' });
  const c = new Client(srv.base, { lang: 'en' });
  await c.login('themes@example.org', 'theme admin pw');
  let r = await c.submit('/admin', '/admin/themes', { slug: 'Bad Slug!', name_sv: '', name_nb: 'x', name_en: 'y' });
  assert.equal(r.status, 422);
  r = await c.submit('/admin', '/admin/themes', { slug: 'circular-economy', name_sv: 'Cirkulär ekonomi', name_nb: 'Sirkulær økonomi', name_en: 'Circular economy' });
  assert.equal(r.status, 303);
  r = await c.submit('/admin', '/admin/themes', { slug: 'circular-economy', name_sv: 'x', name_nb: 'x', name_en: 'x' });
  assert.equal(r.status, 422);
  r = await c.get('/organisations/new');
  assert.match(r.text, /value="circular-economy"/);
});
