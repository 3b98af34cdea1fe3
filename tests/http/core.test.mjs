// Server basics: health, metrics, headers, errors, languages, static files, shutdown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from './lib.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

test('healthz answers ok', async () => {
  const r = await new Client(srv.base).get('/healthz');
  assert.equal(r.status, 200);
  assert.equal(r.text, 'ok\n');
});

test('every page carries the security headers', async () => {
  const r = await new Client(srv.base).get('/');
  assert.equal(r.status, 200);
  const csp = r.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('referrer-policy'), 'same-origin');
});

test('metrics in Prometheus format count requests by route and status', async () => {
  const c = new Client(srv.base);
  await c.get('/organisations');
  await c.get('/no-such-page');
  const r = await c.get('/metrics');
  assert.equal(r.status, 200);
  assert.match(r.text, /granslos_http_requests_total\{route="\/organisations",status="200"\} \d+/);
  assert.match(r.text, /granslos_http_requests_total\{route="\(none\)",status="404"\} \d+/);
  assert.match(r.text, /granslos_http_request_duration_seconds_bucket\{le="\+Inf"\} \d+/);
  assert.match(r.text, /granslos_db_errors_total \d+/);
});

test('unknown pages are 404 and wrong methods 405, in the user language', async () => {
  const sv = new Client(srv.base, { lang: 'sv' });
  let r = await sv.get('/nowhere');
  assert.equal(r.status, 404);
  assert.match(r.text, /<html lang="sv">/);
  assert.match(r.text, /Sidan finns inte/);
  r = await new Client(srv.base, { lang: 'en' }).req('DELETE', '/organisations');
  assert.equal(r.status, 405);
  assert.match(r.headers.get('allow'), /GET/);
  r = await new Client(srv.base).req('PUT', '/api/v1/organisations');
  assert.equal(r.status, 405);
  assert.equal(r.headers.get('content-type'), 'application/problem+json');
  assert.equal(r.json().code, 'method-not-allowed');
});

test('language: Accept-Language, then the switch, default Swedish', async () => {
  let r = await new Client(srv.base).get('/');
  assert.match(r.text, /<html lang="sv">/);
  r = await new Client(srv.base, { lang: 'nb-NO,nb;q=0.9' }).get('/organisations');
  assert.match(r.text, /<html lang="nb">/);
  assert.match(r.text, /<h1>Organisasjoner<\/h1>/);
  const c = new Client(srv.base, { lang: 'sv' });
  r = await c.get('/lang/en?back=/organisations');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/organisations');
  r = await c.get('/organisations');
  assert.match(r.text, /<html lang="en">/);
  assert.match(r.text, /<h1>Organisations<\/h1>/);
  // the switch never redirects off-site
  r = await c.get('/lang/nb?back=//evil.example/');
  assert.equal(r.location, '/');
  // every page offers the switch to the other two languages (the cookie now says nb)
  r = await c.get('/');
  assert.match(r.text, /<html lang="nb">/);
  assert.match(r.text, /href="\/lang\/sv\?back=%2F"/);
  assert.match(r.text, /href="\/lang\/en\?back=%2F"/);
});

test('static files are served from the binary', async () => {
  const c = new Client(srv.base);
  let r = await c.get('/static/style.css');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/css/);
  r = await c.get('/static/app.js');
  assert.equal(r.status, 200);
  r = await c.get('/static/..%2Fsrc%2Fmain.c');
  assert.equal(r.status, 404);
});

test('bad encodings and oversized bodies get 4xx, never a crash', async () => {
  const c = new Client(srv.base, { lang: 'en' });
  let r = await c.get('/organisations?q=%FF%FE');
  assert.equal(r.status, 400);
  assert.match(r.text, /not valid UTF-8/);
  r = await c.get('/organisations?page=abc');
  assert.equal(r.status, 400);
  r = await c.post('/api/v1/organisations', { json: 'x'.repeat(2 * 1024 * 1024) });
  assert.equal(r.status, 413);
  assert.equal(r.json().code, 'too-large');
  r = await c.get('/healthz');
  assert.equal(r.status, 200);
});
