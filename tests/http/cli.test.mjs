// The command line: help, option errors, --db anywhere, GRANSLOS_DB, demo, users, tokens, backup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, cli, startServer, Client, STORE, newStore, sql } from './lib.mjs';

const tmp = () => mkdtempSync(join(tmpdir(), 'granslos-cli-'));

test('--help describes every command; unknown options and commands exit 2', () => {
  let r = cli(['--help']);
  assert.equal(r.code, 0);
  for (const c of ['serve', 'demo', 'user add', 'token add', 'backup', '--db']) assert.match(r.out, new RegExp(c));
  for (const c of ['serve', 'demo', 'migrate', 'user', 'token', 'backup']) {
    r = cli([c, '--help']);
    assert.equal(r.code, 0, c);
    assert.match(r.out, new RegExp('Usage: granslos ' + c));
  }
  assert.match(cli(['serve', '--help']).out, /--listen/);
  r = cli(['serve', '--bogus']);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown option --bogus/);
  r = cli(['frobnicate']);
  assert.equal(r.code, 2);
  r = cli(['serve', '--threads', 'many']);
  assert.equal(r.code, 2);
  r = cli([]);
  assert.equal(r.code, 2);
});

test('demo is idempotent; --db works in any position and GRANSLOS_DB is honoured', () => {
  const d = tmp();
  const db = join(d, 'sub', 'x.db');
  let r = spawnSync(BIN, ['--db', db, 'demo'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /76 organisations added/);
  r = spawnSync(BIN, ['demo', `--db=${db}`], { encoding: 'utf8' });
  assert.match(r.stdout, /0 organisations added/);
  r = spawnSync(BIN, ['user', '--db', db, 'add', 'env@example.se', '--name', 'Env'], { encoding: 'utf8', input: 'env password 123\n' });
  assert.equal(r.status, 0, r.stderr);
  r = spawnSync(BIN, ['token', 'add', 'env@example.se'], { encoding: 'utf8', env: { ...process.env, GRANSLOS_DB: db } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout.trim(), /^[A-Za-z0-9_-]{43}$/);
  rmSync(d, { recursive: true, force: true });
});

test('user add: generated password, duplicates and bad addresses refused', () => {
  const d = tmp();
  const db = join(d, 'u.db');
  let r = cli(['user', 'add', 'gen@example.no', '--name', 'Gen', '--admin'], { db });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /password: \S{20,}/);
  r = cli(['user', 'add', 'gen@example.no', '--name', 'Gen'], { db });
  assert.equal(r.code, 1);
  r = cli(['user', 'add', 'not-an-address', '--name', 'X'], { db });
  assert.equal(r.code, 1);
  r = cli(['user', 'add', 'short@example.no', '--name', 'X'], { db, input: 'short\n' });
  assert.equal(r.code, 1);
  r = cli(['user', 'add', 'noname@example.no'], { db });
  assert.equal(r.code, 2);
  r = cli(['token', 'add', 'nobody@example.no'], { db });
  assert.equal(r.code, 1);
  rmSync(d, { recursive: true, force: true });
});

test('backup copies the live database while the server writes', async () => {
  const srv = await startServer();
  srv.user('b@example.se', 'Backup Person', { password: 'backup password' });
  const token = srv.token('b@example.se');
  const c = new Client(srv.base);
  const writes = [];
  for (let i = 0; i < 20; i++)
    writes.push(c.post('/api/v1/organisations', { json: { name: 'Backup test ' + i, country: 'SE', kind: 'company', municipality: '1780' }, headers: { authorization: 'Bearer ' + token } }));
  const d = tmp();
  const dest = join(d, 'copy.db');
  const r = cli(['backup', dest], { db: srv.db });
  assert.equal(r.code, 0, r.err);
  await Promise.all(writes);
  assert.ok(existsSync(dest));
  if (STORE === 'pg') {   // a pg_dump archive: restored into a new database, it holds the data
    const restored = newStore(d, { demo: false, empty: true });
    const rr = spawnSync('pg_restore', ['--no-owner', '--dbname', restored.db, dest], { encoding: 'utf8' });
    assert.equal(rr.status, 0, rr.stderr);
    assert.equal(sql(restored.db, 'SELECT count(*) >= 76 FROM organisations').trim(), 't');
    restored.drop();
  } else {
    const check = spawnSync('sqlite3', [dest, 'PRAGMA integrity_check; SELECT count(*) >= 76 FROM organisations;'], { encoding: 'utf8' });
    assert.equal(check.stdout.trim(), 'ok\n1');
  }
  await srv.stop();
  rmSync(d, { recursive: true, force: true });
});

test('SIGTERM stops the server cleanly and leaves a consistent database', async () => {
  const srv = await startServer({ demo: false });
  const c = new Client(srv.base);
  await c.get('/');
  const db = srv.db;
  const dir = srv.dir;
  // stop() asserts exit code 0 and no sanitizer report
  await srv.stop({ keep: true });
  if (STORE === 'pg') assert.match(sql(db, 'SELECT count(*) FROM schema_migrations'), /^\d+/);
  else {
    const check = spawnSync('sqlite3', [db, 'PRAGMA integrity_check; SELECT count(*) FROM schema_migrations;'], { encoding: 'utf8' });
    assert.match(check.stdout, /^ok\n\d+/);
  }
  assert.match(srv.log, /stopped/);
  rmSync(dir, { recursive: true, force: true });
});
