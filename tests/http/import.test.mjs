// Importing Enhetsregisteret: CSV, JSON and gzip, idempotent, bad rows reported, members' words kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, startServer, Client, sql as storeSql } from './lib.mjs';

const CSV = 'tests/fixtures/brreg-enheter.csv';
const JSONF = 'tests/fixtures/brreg-enheter.json';
const tmp = () => mkdtempSync(join(tmpdir(), 'granslos-import-'));
const sql = (db, q) => storeSql(db, q).trim();   // a file or a URL (lib.mjs)

test('CSV: rows in, bad rows reported, a second run changes nothing', () => {
  const d = tmp();
  const db = join(d, 'i.db');
  let r = cli(['import', 'brreg', CSV], { db });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /33 rows: 30 inserted, 0 updated, 0 unchanged, 3 skipped/);
  assert.match(r.err, /row 32 \(832175693\): not a valid Norwegian organisation number/);
  assert.match(r.err, /unknown municipality/);
  assert.match(r.err, /no name/);
  assert.equal(sql(db, "SELECT count(*) FROM organisations WHERE country = 'NO'"), '30');
  assert.equal(sql(db, "SELECT kind FROM organisations WHERE orgnr = '832175692'"), 'company');
  assert.equal(sql(db, "SELECT count(*) FROM organisations WHERE kind = 'municipality-region'"), '7'); // KOMM and FYLK
  r = cli(['import', 'brreg', CSV], { db });
  assert.match(r.out, /0 inserted, 0 updated, 30 unchanged, 3 skipped/);
  assert.equal(sql(db, 'SELECT count(*) FROM org_versions'), '30', 'no new versions');
  rmSync(d, { recursive: true, force: true });
});

test('JSON and gzip as published by data.brreg.no', () => {
  const d = tmp();
  const db = join(d, 'j.db');
  const gz = join(d, 'enheter.json.gz');
  writeFileSync(gz, gzipSync(readFileSync(JSONF)));
  let r = cli(['import', 'brreg', gz], { db });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /20 rows: 20 inserted/);
  r = cli(['import', 'brreg', JSONF], { db });
  assert.match(r.out, /20 unchanged/);
  const gzcsv = join(d, 'enheter.csv.gz');
  writeFileSync(gzcsv, gzipSync(readFileSync(CSV)));
  r = cli(['import', 'brreg', gzcsv], { db });
  assert.match(r.out, /10 inserted, 0 updated, 20 unchanged, 3 skipped/);
  rmSync(d, { recursive: true, force: true });
});

test('truncated and unreadable files: what can be read is imported, the rest is reported', () => {
  const d = tmp();
  const db = join(d, 't.db');
  const text = readFileSync(CSV, 'utf8');
  const cut = join(d, 'cut.csv');
  // end the file in the middle of a quoted field of the 11th row
  const lines = text.split('\n');
  writeFileSync(cut, lines.slice(0, 11).join('\n') + '\n' + lines[11].slice(0, 40));
  let r = cli(['import', 'brreg', cut], { db });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /10 inserted/);
  assert.match(r.err, /the file ends inside this row/);
  const cutjson = join(d, 'cut.json');
  writeFileSync(cutjson, readFileSync(JSONF, 'utf8').slice(0, 3000));
  r = cli(['import', 'brreg', cutjson], { db });
  assert.equal(r.code, 0);
  assert.match(r.err, /ends inside a record/);
  { // the cut record is a row, skipped: the counts add up (found by tests/fuzz/fuzz_brreg.c)
    const m = /(\d+) rows: (\d+) inserted, (\d+) updated, (\d+) unchanged, (\d+) skipped/.exec(r.out).slice(1).map(Number);
    assert.equal(m[1] + m[2] + m[3] + m[4], m[0], r.out);
    assert.ok(m[4] >= 1, r.out);
  }
  writeFileSync(join(d, 'empty.csv'), '');
  assert.equal(cli(['import', 'brreg', join(d, 'empty.csv')], { db }).code, 1);
  assert.equal(cli(['import', 'brreg', join(d, 'missing.csv')], { db }).code, 1);
  assert.equal(cli(['import', 'frobnicate', CSV], { db }).code, 2);
  rmSync(d, { recursive: true, force: true });
});

test('a record in the hands of its members keeps their words; the register refreshes its facts', async () => {
  const srv = await startServer({ demo: false });
  let r = cli(['import', 'brreg', CSV], { db: srv.db });
  assert.equal(r.code, 0);
  srv.user('owner@example.no', 'Owner', { admin: true, password: 'owner password 1' });
  const token = srv.token('owner@example.no');
  const c = new Client(srv.base);
  const id = Number(sql(srv.db, "SELECT id FROM organisations WHERE orgnr = '832175692'"));
  r = await c.req('PATCH', '/api/v1/organisations/' + id, { json: { competences_text: 'Written by us', description: { sv: '', nb: 'Vår egen tekst', en: '' } }, headers: { authorization: 'Bearer ' + token } });
  assert.equal(r.status, 200, r.text);
  await srv.stop({ keep: true });
  const changed = join(srv.dir, 'changed.csv');
  writeFileSync(changed, readFileSync(CSV, 'utf8').replace('"WAYS AS"', '"WAYS NORGE AS"').replace('"Programmering."', '"Annen aktivitet."'));
  r = cli(['import', 'brreg', changed], { db: srv.db });
  assert.match(r.out, /1 updated/);
  assert.equal(sql(srv.db, `SELECT name FROM organisations WHERE id = ${id}`), 'WAYS NORGE AS');
  assert.equal(sql(srv.db, `SELECT competences_text FROM organisations WHERE id = ${id}`), 'Written by us');
  assert.equal(sql(srv.db, `SELECT desc_nb FROM organisations WHERE id = ${id}`), 'Vår egen tekst');
  assert.equal(sql(srv.db, `SELECT note FROM org_versions WHERE org_id = ${id} ORDER BY version DESC LIMIT 1`), 'Enhetsregisteret');
  rmSync(srv.dir, { recursive: true, force: true });
});

test('an import run beside the running server is searchable at once', async () => {
  const srv = await startServer();
  const c = new Client(srv.base, { lang: 'en' });
  let r = await c.get('/api/v1/search?q=' + encodeURIComponent('Nobel Biocare'));
  assert.equal(r.json().total, 0);
  r = cli(['import', 'brreg', CSV], { db: srv.db });
  assert.equal(r.code, 0, r.err);
  r = await c.get('/api/v1/search?q=' + encodeURIComponent('Nobel Biocare'));
  assert.ok(r.json().items.some((it) => it.name === 'NOBEL BIOCARE NORGE AS'), JSON.stringify(r.json().items));
  r = await c.get('/organisations?q=' + encodeURIComponent('nobel biocare'));
  assert.match(r.text, /NOBEL BIOCARE NORGE AS/);
  await srv.stop();
});

const BV = 'tests/fixtures/bolagsverket-bulkfil.txt';

test('Bolagsverket: rows in by postal code, sole traders and bad rows reported, idempotent, deregistration applied', () => {
  const d = tmp();
  const db = join(d, 'bv.db');
  let r = cli(['import', 'bolagsverket', BV], { db });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /11 rows: 4 inserted, 0 updated, 0 unchanged, 7 skipped/);
  assert.match(r.err, /row 5 \(personal identity number\): a sole trader/);
  assert.match(r.err, /row 6 \(5561234567\): deregistered, and not in the directory/);
  assert.match(r.err, /row 9 \(5566778890\): not a valid Swedish organisation number/);
  assert.match(r.err, /row 10 \(5593000010\): no Swedish postal code/);
  assert.match(r.err, /row 11 \(7164321981\): no name/);
  assert.match(r.err, /row 12 \(no number\): 5 fields where 11 were expected/);
  assert.doesNotMatch(r.out + r.err + sql(db, 'SELECT group_concat(orgnr) FROM organisations'), /199001019999/, 'no personal identity number anywhere');
  assert.equal(sql(db, "SELECT name || '|' || municipality || '|' || kind FROM organisations WHERE orgnr = '5566778899'"), 'Gränsbygdens Förpackning AB|1780|company');
  assert.equal(sql(db, "SELECT kind FROM organisations WHERE orgnr = '8020028711'"), 'network');
  assert.equal(sql(db, "SELECT competences_text FROM organisations WHERE orgnr = '5590123450'"), 'Testbädd för digitalisering av skogsbruk; "smarta" maskiner och sensorer.');
  r = cli(['import', 'bolagsverket', BV], { db });
  assert.match(r.out, /0 inserted, 0 updated, 4 unchanged, 7 skipped/);
  // a later file deregisters one of them and renames another; Latin-1 and gzip are read too
  const later = readFileSync(BV, 'utf8')
    .replace('"Fjällbruk Bygg & Design AB$FORETAGSNAMN-ORGNAM$1990-05-05";"AB-ORGFO";"";"";""', '"Fjällbruk Bygg & Design AB$FORETAGSNAMN-ORGNAM$1990-05-05";"AB-ORGFO";"2024-03-01";"LIK-AVORG";""')
    .replace('Gränsbygdens Förpackning AB$', 'Gränsbygdens Emballage AB$');
  const gz = join(d, 'later.txt.gz');
  writeFileSync(gz, gzipSync(Buffer.from(later, 'utf8')));
  r = cli(['import', 'bolagsverket', gz], { db });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /2 updated/);
  assert.equal(sql(db, "SELECT status || '|' || ended_on FROM organisations WHERE orgnr = '5560000019'"), 'dissolved|2024-03-01');
  assert.equal(sql(db, "SELECT name FROM organisations WHERE orgnr = '5566778899'"), 'Gränsbygdens Emballage AB');
  const latin = join(d, 'latin1.txt');
  writeFileSync(latin, Buffer.from(readFileSync(BV, 'utf8'), 'latin1'));
  r = cli(['import', 'bolagsverket', latin], { db: join(d, 'l.db') });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /4 inserted/);
  assert.equal(sql(join(d, 'l.db'), "SELECT name FROM organisations WHERE orgnr = '5566778899'"), 'Gränsbygdens Förpackning AB');
  rmSync(d, { recursive: true, force: true });
});

test('Bolagsverket: a file that is not the bulk file, an empty one and a truncated one', () => {
  const d = tmp();
  const db = join(d, 'x.db');
  assert.equal(cli(['import', 'bolagsverket', CSV], { db }).code, 1, 'the brreg CSV is refused by its header');
  writeFileSync(join(d, 'empty.txt'), '');
  assert.equal(cli(['import', 'bolagsverket', join(d, 'empty.txt')], { db }).code, 1);
  const text = readFileSync(BV, 'utf8').split('\n');
  const cut = join(d, 'cut.txt');
  writeFileSync(cut, text.slice(0, 3).join('\n') + '\n' + text[3].slice(0, 60));
  const r = cli(['import', 'bolagsverket', cut], { db });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /3 rows: 2 inserted/);
  assert.match(r.err, /the file ends inside this row/);
  rmSync(d, { recursive: true, force: true });
});
