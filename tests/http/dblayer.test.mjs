// The database layer is loud: a statement that fails answers 500 with an error page that says
// so (never a page that reads as "no row"), logged with the statement. The failures are real:
// a table dropped under the running server with the sqlite3 CLI, and a write lock held by
// another process past the busy timeout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { startServer, Client, STORE, sql as storeSql } from './lib.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

function sql(db, text) {
  if (STORE === 'pg') return storeSql(db, text);
  const r = spawnSync('sqlite3', [db], { input: text, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('a failing query answers 500 and the page says so, for pages and the API', async () => {
  const c = new Client(srv.base, { lang: 'en' });
  const id = (await c.get('/api/v1/obstacles?per_page=1')).json().items[0].id;
  let r = await c.get(`/api/v1/obstacles/${id}`);
  assert.equal(r.status, 200);
  const title = r.json().title;
  assert.ok(title);
  // the obstacle's links live in their own table: without it, loading an obstacle must fail
  sql(srv.db, STORE === 'pg' ? 'DROP TABLE obstacle_links' : 'DROP TRIGGER obstacle_links_ins; DROP TRIGGER obstacle_links_del; DROP TABLE obstacle_links;');
  r = await c.get(`/api/v1/obstacles/${id}`);
  assert.equal(r.status, 500);
  assert.equal(r.headers.get('content-type'), 'application/problem+json');
  assert.equal(r.json().code, 'internal-error');
  assert.match(r.json().detail, /A database operation failed/);
  r = await c.get(`/obstacles/${id}`);
  assert.equal(r.status, 500);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.match(r.text, /A database operation failed on our side/);
  assert.ok(!r.text.includes(title), 'the half-loaded obstacle is not shown');
  // Swedish too
  r = await new Client(srv.base, { lang: 'sv' }).get(`/obstacles/${id}`);
  assert.equal(r.status, 500);
  assert.match(r.text, /Ett databasfel uppstod hos oss/);
  assert.match(srv.log, /db error: .*(no such table: (main\.)?obstacle_links|relation "obstacle_links" does not exist)[^]*\[SELECT target_type, target_id FROM obstacle_links/);
  assert.match(srv.log, /500 GET \/obstacles\/\d+: a database statement failed/);
  // the error page is not kept by the visitors' page cache
  sql(srv.db, 'CREATE TABLE obstacle_links (obstacle_id INTEGER NOT NULL, target_type TEXT NOT NULL, target_id INTEGER NOT NULL, user_id INTEGER, at TEXT NOT NULL);');
  r = await c.get(`/obstacles/${id}`);
  assert.equal(r.status, 200);
});

test('a write that cannot get the database lock answers 500, and nothing is saved', async () => {
  srv.user('locked@example.se', 'Locked Out', { password: 'locked password 1' });
  const token = srv.token('locked@example.se');
  // another process holds the write lock longer than the server's busy timeout (5 s)
  // (PostgreSQL: psql holds the store-wide write lock every write transaction takes, src/db/db.h)
  const holder = STORE === 'pg' ? spawn('psql', ['-X', '-A', '-t', srv.db], { stdio: ['pipe', 'pipe', 'pipe'] }) : spawn('sqlite3', [srv.db], { stdio: ['pipe', 'pipe', 'pipe'] });
  const locked = new Promise((res) => holder.stdout.on('data', (d) => { if (/locked/.test(d)) res(); }));
  holder.stdin.write(STORE === 'pg' ? "BEGIN; SELECT pg_advisory_xact_lock(7245515); SELECT 'locked';\n" : "BEGIN IMMEDIATE; SELECT 'locked';\n");
  await locked;
  let r;
  try {
    r = await fetch(srv.base + '/api/v1/organisations', {
      method: 'POST',
      headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Never Saved AB', country: 'SE', kind: 'company', municipality: '1780' }),
    });
  } finally {
    holder.stdin.end(STORE === 'pg' ? 'ROLLBACK;\n\\q\n' : 'ROLLBACK;\n.quit\n');
  }
  assert.equal(r.status, 500);
  const body = await r.json();
  assert.equal(body.status, 500);
  assert.equal(r.headers.get('location'), null);
  assert.match(srv.log, /db error: .*(database is locked|canceling statement due to lock timeout)/);
  const list = await (await fetch(srv.base + '/api/v1/organisations?q=' + encodeURIComponent('Never Saved'))).json();
  assert.equal(list.items.filter((o) => o.name === 'Never Saved AB').length, 0);
});
