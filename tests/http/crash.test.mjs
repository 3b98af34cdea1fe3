// kill -9 during parallel writes (issue 11): writers create organisations and events and edit an
// organisation as fast as they can through the API; the server is killed with SIGKILL in the middle;
// restarted on the same file, it must hold every write it acknowledged, and the database must pass
// PRAGMA integrity_check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { startServer, Client, BIN, STORE, sql } from './lib.mjs';

// serve: granslos serve on an existing database file; resolves with {proc, base, log()}
function serve(db) {
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--threads', '4'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('server did not start: ' + log)), 15000);
    proc.stderr.on('data', (d) => {
      log += d;
      const m = /serving http:\/\/127\.0\.0\.1:(\d+)\//.exec(log);
      if (m) { clearTimeout(t); resolve({ proc, base: `http://127.0.0.1:${m[1]}`, log: () => log }); }
    });
    proc.on('exit', (c) => { clearTimeout(t); reject(new Error('server exited ' + c + ': ' + log)); });
  });
}

test('kill -9 during parallel writes: every acknowledged write survives, integrity_check ok', async () => {
  const first = await startServer({ demo: false });
  first.user('writer@example.se', 'Writer', { password: 'writer password 123' });
  const token = first.token('writer@example.se');
  await first.stop({ keep: true });
  const srv = await serve(first.db);
  const api = (method, path, json) => new Client(srv.base).req(method, path, { json, headers: { authorization: 'Bearer ' + token } });
  const org = (await api('POST', '/api/v1/organisations', { name: 'Kraschtålig AB', country: 'SE', kind: 'company', municipality: '1780' })).json().id;
  // each writer edits its own organisation, one edit after the other, so its last acknowledged edit
  // (or a later one that reached the disk unacknowledged) must be what that organisation says
  const mine = [];
  for (let w = 0; w < 8; w++) mine.push((await api('POST', '/api/v1/organisations', { name: `Skrivarens eget ${w} AB`, country: 'SE', kind: 'company', municipality: '1780' })).json().id);
  const acked = { orgs: [], events: [], edits: new Map() };
  let stop = false, n = 0;
  const writer = async (w) => {
    while (!stop) {
      const k = n++;
      try {
        if (k % 3 === 0) {
          const r = await api('POST', '/api/v1/organisations', { name: `Skrivare ${w}-${k} AB`, country: 'SE', kind: 'company', municipality: '1780' });
          if (r.status === 201) acked.orgs.push([r.json().id, `Skrivare ${w}-${k} AB`]);
        } else if (k % 3 === 1) {
          const r = await api('POST', '/api/v1/events', { title: `Krocktest ${w}-${k}`, start: '2027-09-14T09:00', end: '2027-09-14T16:00', timezone: 'Europe/Stockholm',
            country: 'SE', municipality: '1780', themes: ['manufacturing'], status: 'planned', organisers: [org] });
          if (r.status === 201) acked.events.push([r.json().id, `Krocktest ${w}-${k}`]);
        } else {
          const text = `Version ${w}-${k}`;
          const r = await api('PATCH', `/api/v1/organisations/${mine[w]}`, { description: { sv: text } });
          if (r.status === 200) acked.edits.set(w, k);
        }
      } catch { /* the connection died with the server: not acknowledged */ }
    }
  };
  const writers = Array.from({ length: 8 }, (_, w) => writer(w));
  // kill once a good number of writes are in, while they go on
  const t0 = Date.now();
  while (acked.orgs.length + acked.events.length < 60 && Date.now() - t0 < 10000) await new Promise((r) => setTimeout(r, 20));
  const dead = new Promise((res) => srv.proc.on('exit', (code, sig) => res(sig)));
  srv.proc.kill('SIGKILL');
  assert.equal(await dead, 'SIGKILL');
  stop = true;
  await Promise.all(writers);
  assert.ok(acked.orgs.length >= 5 && acked.events.length >= 5 && acked.edits.size >= 5, 'writes of each kind were acknowledged before the kill');
  // the file as it is: integrity first, then the server on it again
  // (PostgreSQL checks its own pages and keys: the store answering is the check there)
  const check = STORE === 'pg' ? { stdout: sql(first.db, "SELECT 'ok'"), stderr: '' } : spawnSync('sqlite3', [first.db, 'PRAGMA integrity_check;'], { encoding: 'utf8' });
  assert.equal(check.stdout.trim(), 'ok', check.stderr);
  const again = await serve(first.db);
  try {
    const get = (p) => new Client(again.base).get(p);
    for (const [id, name] of acked.orgs) {
      const r = await get(`/api/v1/organisations/${id}`);
      assert.equal(r.status, 200, `organisation ${id} acknowledged, then lost`);
      assert.equal(r.json().name, name);
    }
    for (const [id, title] of acked.events) {
      const r = await get(`/api/v1/events/${id}`);
      assert.equal(r.status, 200, `event ${id} acknowledged, then lost`);
      assert.ok(Object.values(r.json().title).includes(title));
    }
    for (const [w, last] of acked.edits) {
      const desc = (await get(`/api/v1/organisations/${mine[w]}`)).json().description?.sv;
      const kept = Number(/^Version \d+-(\d+)$/.exec(desc || '')?.[1] ?? -1);
      assert.ok(kept >= last, `writer ${w}: the last acknowledged edit (${last}) is kept, found ${desc}`);
    }
    const check2 = STORE === 'pg' ? { stdout: sql(first.db, "SELECT 'ok'"), stderr: '' } : spawnSync('sqlite3', [first.db, 'PRAGMA integrity_check; PRAGMA foreign_key_check;'], { encoding: 'utf8' });
    assert.equal(check2.stdout.trim(), 'ok', check2.stderr);
    // and it goes on taking writes
    const r = await new Client(again.base).req('POST', '/api/v1/events', { json: { title: 'Efter kraschen', start: '2027-09-15T09:00', end: '2027-09-15T16:00',
      timezone: 'Europe/Stockholm', country: 'SE', municipality: '1780', themes: ['manufacturing'], status: 'planned', organisers: [org] }, headers: { authorization: 'Bearer ' + token } });
    assert.equal(r.status, 201, r.text);
    assert.doesNotMatch(again.log(), /db error|Sanitizer|runtime error:/);
  } finally {
    const done = new Promise((res) => again.proc.on('exit', res));
    again.proc.kill('SIGTERM');
    await done;
    rmSync(first.dir, { recursive: true, force: true });
  }
});
