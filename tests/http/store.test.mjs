// Whole stores: `granslos backup` and a restore into a new store, compared with `granslos
// checksum`; `granslos migrate-store` from SQLite to PostgreSQL on the demo data, compared by the
// command itself, by `checksum` on both and by the pages both stores serve (the PostgreSQL part
// runs in `tests/run http-pg`, which gives GRANSLOS_TEST_PG). docs/operations.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, startServer, Client, STORE, newStore, sql, psql, orgForm } from './lib.mjs';

const tmp = () => mkdtempSync(join(tmpdir(), 'granslos-store-'));
const PG = process.env.GRANSLOS_TEST_PG;

// checksum: `granslos checksum` of a store, as lines
function checksum(db) {
  const r = cli(['checksum'], { db });
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\n');
  assert.ok(lines.length > 50, 'every table is listed');
  return lines;
}

// some writes beyond the demo data: a user with a token and a session, a new organisation, an edit
async function write(base, db) {
  const r = cli(['user', 'add', 'store@example.se', '--name', 'Store Person'], { db, input: 'store password 1\n' });
  assert.equal(r.code, 0, r.err);
  assert.equal(cli(['token', 'add', 'store@example.se'], { db }).code, 0);
  const c = new Client(base, { lang: 'en' });
  await c.login('store@example.se', 'store password 1');
  const csrf = await c.csrf('/organisations/new');
  const made = await c.post('/organisations/new', { form: new URLSearchParams({ ...orgForm({ name: 'Flyttbar AB', desc_en: 'Moved with its store' }), csrf }) });
  assert.equal(made.status, 303, made.text.slice(0, 300));
  const id = Number(/\/organisations\/(\d+)/.exec(made.location)[1]);
  const e = await c.post(`/organisations/${id}/edit`, { form: new URLSearchParams({ ...orgForm({ name: 'Flyttbar AB', desc_en: 'Moved with its store, edited' }), csrf: await c.csrf(`/organisations/${id}/edit`) }) });
  assert.equal(e.status, 303, e.text.slice(0, 300));
  return id;
}

test('backup, restore into a new store, compare: the same rows', async () => {
  const srv = await startServer();
  const d = tmp();
  try {
    const id = await write(srv.base, srv.db);
    const dest = join(d, STORE === 'pg' ? 'backup.pgdump' : 'backup.db');
    const r = cli(['backup', dest], { db: srv.db });
    assert.equal(r.code, 0, r.err);
    // restore: SQLite's backup is a store; a pg_dump archive goes into an empty database
    let restored;
    if (STORE === 'pg') {
      restored = newStore(d, { empty: true });
      const rr = spawnSync('pg_restore', ['--no-owner', '--exit-on-error', '--dbname', restored.db, dest], { encoding: 'utf8' });
      assert.equal(rr.status, 0, rr.stderr);
    } else {
      restored = { db: join(d, 'restored.db'), drop() {} };
      copyFileSync(dest, restored.db);
    }
    const before = checksum(srv.db);
    assert.deepEqual(checksum(restored.db), before);
    assert.ok(before.some((l) => /^organisations\s+77\s/.test(l)), before.join('\n'));
    // the restored store serves the organisation written before the backup
    const s2 = await startServer({ store: restored });   // lib.mjs: a node on an existing store
    try {
      const page = await new Client(s2.base).get(`/organisations/${id}`);
      assert.equal(page.status, 200);
      assert.match(page.text, /Flyttbar AB/);
    } finally { await s2.stop(); }
    // the comparison sees one changed value (and the data-version counter and change feed its triggers move)
    sql(restored.db, `UPDATE organisations SET name = 'Flyttbar AB (changed)' WHERE id = ${id}`);
    const after = checksum(restored.db);
    const diff = after.filter((l, i) => l !== before[i] && !/^(data_version|changes)\s/.test(l));
    assert.equal(diff.length, 1, diff.join('\n'));
    assert.match(diff[0], /^organisations\s+77\s/);
    restored.drop();
  } finally { await srv.stop(); rmSync(d, { recursive: true, force: true }); }
});

// Instants: UTC text in SQLite, timestamptz on PostgreSQL (migrations/pg/084_timestamptz.sql);
// either way the code writes and reads "YYYY-MM-DDTHH:MM:SSZ", the API gives it, and the store's
// own strftime of the column gives the same text.
test('instants: text in SQLite, timestamptz on PostgreSQL, read back as the same UTC text', async () => {
  const srv = await startServer();
  try {
    await write(srv.base, srv.db);
    const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
    const type = (table, column) => sql(srv.db, STORE === 'pg'
      ? `SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '${table}' AND column_name = '${column}'`
      : `SELECT type FROM pragma_table_info('${table}') WHERE name = '${column}'`).trim();
    for (const [t, c] of [['users', 'created_at'], ['api_tokens', 'created_at'], ['sessions', 'created_at'], ['projects', 'updated_at'], ['doc_versions', 'at'], ['events', 'start_utc']])
      assert.equal(type(t, c), STORE === 'pg' ? 'timestamp with time zone' : 'TEXT', `${t}.${c}`);
    assert.equal(type('api_tokens', 'expires_at'), STORE === 'pg' ? 'bigint' : 'INTEGER');   // unix seconds stay integers
    // written now through the API (a token), read back through it
    const tokens = (await new Client(srv.base).req('GET', '/api/v1/account/tokens', { headers: { authorization: 'Bearer ' + srv.token('store@example.se') } })).json().items;
    assert.ok(tokens.length >= 2);
    for (const t of tokens) assert.match(t.created_at, iso);
    const made = sql(srv.db, "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', created_at) FROM api_tokens ORDER BY created_at LIMIT 1").trim();
    assert.equal(tokens.map((t) => t.created_at).sort()[0], made);
    // a demo project's times, as the store holds them
    const id = (await new Client(srv.base).get('/api/v1/projects')).json().items[0].id;
    const p = (await new Client(srv.base).get(`/api/v1/projects/${id}`)).json();
    assert.match(p.created_at, iso);
    assert.match(p.updated_at, iso);
    assert.equal(p.updated_at, sql(srv.db, `SELECT strftime('%Y-%m-%dT%H:%M:%SZ', updated_at) FROM projects WHERE id = ${id}`).trim());
  } finally { await srv.stop(); }
});

// An existing PostgreSQL store of the version before 084 (its instants text, as SQLite's): the
// demo store put back into that state, then migrated by this binary
test('migration 084 on an existing PostgreSQL store: instants become timestamptz, the data stays the same', { skip: !PG && 'needs GRANSLOS_TEST_PG (tests/run http-pg)' }, () => {
  const name = `old_${process.pid}`;
  psql(`${PG}/postgres`, `CREATE DATABASE ${name}`);
  const db = `${PG}/${name}`;
  try {
    assert.equal(cli(['demo'], { db }).code, 0);
    const before = checksum(db);   // (checksum, as every command, migrates first: taken here)
    const cols = sql(db, "SELECT c.table_name, c.column_name FROM information_schema.columns c JOIN information_schema.tables t "
      + "ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE' "
      + "WHERE c.table_schema = current_schema() AND c.data_type = 'timestamp with time zone' ORDER BY 1, 2").trim().split('\n').map((l) => l.split('|'));
    assert.ok(cols.length >= 66, String(cols.length));
    const views = sql(db, "SELECT string_agg(format('CREATE VIEW %I AS %s', viewname, definition), ' ') FROM pg_views WHERE schemaname = current_schema()").trim();
    sql(db, "DROP VIEW org_versions, event_versions, obstacle_versions; "
      + cols.map(([t, c]) => `ALTER TABLE ${t} ALTER COLUMN ${c} TYPE text USING to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');`).join(' ')
      + ` ${views} DELETE FROM schema_migrations WHERE version = 84;`);
    assert.equal(sql(db, "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND data_type = 'timestamp with time zone'").trim(), '0');
    const r = cli(['migrate'], { db });
    assert.equal(r.code, 0, r.err);
    assert.match(r.err + r.out, /084_timestamptz\.sql applied/);
    assert.deepEqual(checksum(db), before);
    assert.equal(sql(db, "SELECT count(*) FROM information_schema.columns c JOIN information_schema.tables t "
      + "ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE' "
      + "WHERE c.table_schema = current_schema() AND c.data_type = 'timestamp with time zone'").trim(), String(cols.length));
    assert.equal(sql(db, 'SELECT count(*) FROM org_versions').trim(), sql(db, "SELECT count(*) FROM doc_versions WHERE kind = 'organisation'").trim());
  } finally { psql(`${PG}/postgres`, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); }
});

test('migrate-store: SQLite demo data into PostgreSQL, compared; a non-empty target is refused', { skip: !PG && 'needs GRANSLOS_TEST_PG (tests/run http-pg)' }, async () => {
  const d = tmp();
  const src = join(d, 'source.db');
  assert.equal(cli(['demo'], { db: src }).code, 0);
  let s1 = await startServer({ store: { db: src } });
  let id;
  try { id = await write(s1.base, src); } finally { await s1.stop(); }
  // an empty database on the cluster, whichever store the rest of the suite runs on
  const name = `mig_${process.pid}`;
  psql(`${PG}/postgres`, `CREATE DATABASE ${name}`);
  const target = { db: `${PG}/${name}`, drop() { psql(`${PG}/postgres`, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } };
  try {
    let r = cli(['migrate-store', src, target.db]);
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(r.out, /counts and checksums match/);
    const rows = r.out.trim().split('\n').slice(1, -1);
    assert.ok(rows.length > 50);
    for (const l of rows) assert.match(l, / ok$/, l);
    assert.match(r.out, /^organisations\s+77\s+77\s/m);
    assert.match(r.out, /^api_tokens\s+1\s+1\s/m);
    // computed independently on each store afterwards, the same
    assert.deepEqual(checksum(target.db), checksum(src));
    // ids, versions and the sequences: a new organisation on PostgreSQL takes the next id
    const maxId = Number(sql(src, 'SELECT max(id) FROM organisations').trim());
    assert.equal(maxId, id);
    assert.equal(sql(target.db, 'SELECT max(id) FROM organisations').trim(), String(maxId));
    assert.equal(sql(target.db, `SELECT version FROM organisations WHERE id = ${id}`).trim(), sql(src, `SELECT version FROM organisations WHERE id = ${id}`).trim());
    assert.equal(sql(target.db, 'SELECT rowid FROM api_tokens').trim(), sql(src, 'SELECT rowid FROM api_tokens').trim());
    // refused the second time: the target is not empty, and nothing changed
    const sums = checksum(target.db);
    r = cli(['migrate-store', src, target.db]);
    assert.equal(r.code, 3, r.err);
    assert.match(r.err, /the target is not empty: \w+ has \d+ rows/);
    assert.deepEqual(checksum(target.db), sums);
    // wrong arguments
    assert.equal(cli(['migrate-store', join(d, 'missing.db'), target.db]).code, 2);
    assert.equal(cli(['migrate-store', src, join(d, 'other.db')]).code, 2);
    assert.equal(cli(['migrate-store', src]).code, 2);
    // both stores serve the same directory; the user logs in on PostgreSQL and saves
    s1 = await startServer({ store: { db: src } });
    const s2 = await startServer({ store: target });
    try {
      for (const path of ['/organisations.csv', `/organisations/${id}`, '/api/v1/organisations?per_page=100', '/api/v1/projects']) {
        const [a, b] = [await new Client(s1.base).get(path), await new Client(s2.base).get(path)];
        assert.equal(b.status, 200, path);
        assert.equal(b.text.replaceAll(s2.base, ''), a.text.replaceAll(s1.base, ''), path);   // links name the server
      }
      const c = new Client(s2.base, { lang: 'en' });
      await c.login('store@example.se', 'store password 1');
      const made = await c.post('/organisations/new', { form: new URLSearchParams({ ...orgForm({ name: 'Efter flytten AB' }), csrf: await c.csrf('/organisations/new') }) });
      assert.equal(made.status, 303, made.text.slice(0, 300));
      assert.equal(made.location, `/organisations/${maxId + 1}`);
    } finally { await s1.stop(); await s2.stop(); }
  } finally { target.drop(); rmSync(d, { recursive: true, force: true }); }
});

test('migrate-store: a row PostgreSQL refuses fails the whole move, and nothing stays', { skip: !PG && 'needs GRANSLOS_TEST_PG (tests/run http-pg)' }, () => {
  const d = tmp();
  const src = join(d, 'bad.db');
  assert.equal(cli(['demo'], { db: src }).code, 0);
  // a name that is not UTF-8 (SQLite keeps it; PostgreSQL refuses it)
  sql(src, "UPDATE organisations SET name = CAST(X'4B61726C7374FF64' AS TEXT) WHERE id = (SELECT max(id) FROM organisations)");
  const name = `migbad_${process.pid}`;
  psql(`${PG}/postgres`, `CREATE DATABASE ${name}`);
  try {
    const r = cli(['migrate-store', src, `${PG}/${name}`]);
    assert.equal(r.code, 1, r.out);
    assert.match(r.err, /copying organisations: .*UTF8[\s\S]*nothing was copied/);
    // migrated, and empty: the move can be made again once the row is fixed
    assert.equal(psql(`${PG}/${name}`, 'SELECT count(*) FROM organisations').trim(), '0');
    assert.equal(psql(`${PG}/${name}`, 'SELECT count(*) FROM themes').trim(), '7');
    sql(src, "UPDATE organisations SET name = 'Karlstad' WHERE id = (SELECT max(id) FROM organisations)");
    assert.equal(cli(['migrate-store', src, `${PG}/${name}`]).code, 0);
  } finally {
    psql(`${PG}/postgres`, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    rmSync(d, { recursive: true, force: true });
  }
});
