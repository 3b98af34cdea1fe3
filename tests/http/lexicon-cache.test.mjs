// Apertium's pairs kept between runs (src/search/text.c, "the pairs kept between runs"): the first
// start runs lt-proc and writes the pairs to the cache directory, the next start reads them back
// and reads a need exactly as the first did; a cache file cut short is not used (and is made whole
// again), and GRANSLOS_CACHE_DIR=off keeps none. Without the cache every start of a server spends
// seconds of CPU on lt-proc.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, cli } from './lib.mjs';

const installed = existsSync('/usr/share/apertium/apertium-swe-nor/swe-nob.autobil.bin') &&
  spawnSync('sh', ['-c', 'command -v lt-proc']).status === 0;
const skip = !installed && 'Apertium swe-nor not installed';

// a need whose words reach the bokmål labels through Apertium's pairs; --why prints every word's
// variants (its translations among them) and what each class gets from it
const NEED = 'Vi söker en snickare som kan bygga trappor och fönsterkarmar i trä';
let home;
before(() => { home = mkdtempSync(join(tmpdir(), 'granslos-cache-')); });
after(() => { rmSync(home, { recursive: true, force: true }); });

function map(env, bin) {
  const args = ['bench', 'match', '--map', NEED, '--from', 'SE', '--why'];
  const e = { GRANSLOS_APERTIUM: '', XDG_CACHE_HOME: '', ...env };
  const r = bin ? (({ status, stdout, stderr }) => ({ code: status, out: stdout, err: stderr }))(
    spawnSync(bin, args, { encoding: 'utf8', env: { ...process.env, ...e } })) : cli(args, { env: e });
  assert.equal(r.code, 0, r.err);
  const log = r.err.split('\n').filter((l) => /^\d{4}-\d\d-\d\dT/.test(l)).join('\n');
  const trace = r.err.split('\n').filter((l) => !/^\d{4}-\d\d-\d\dT/.test(l)).join('\n') + r.out;
  return { log, trace };
}
const files = (dir) => existsSync(dir) ? readdirSync(dir).filter((f) => /^apertium-[0-9a-f]{64}\.tsv$/.test(f)) : [];

test('the first run writes the pairs, the next reads them back and maps a need the same way', { skip }, () => {
  const dir = join(home, 'a');
  const cold = map({ GRANSLOS_CACHE_DIR: dir });
  assert.match(cold.log, /pairs from Apertium \([^)]*\)/);
  assert.doesNotMatch(cold.log, /kept from an earlier run/);
  const f = files(dir);
  assert.equal(f.length, 1, `one cache file in ${dir}: ${f}`);
  const text = readFileSync(join(dir, f[0]), 'utf8');
  const m = /\nend (\d+) (\d+)\n$/.exec(text);
  assert.ok(m && Number(m[1]) > 1000 && Number(m[2]) > 1000, 'the file ends with its counts: ' + text.slice(-80));
  const warm = map({ GRANSLOS_CACHE_DIR: dir });
  assert.match(warm.log, /kept from an earlier run/);
  assert.equal(warm.log.match(/(\d+) Swedish-bokmål and (\d+) bokmål-Swedish/)[0], cold.log.match(/(\d+) Swedish-bokmål and (\d+) bokmål-Swedish/)[0]);
  assert.equal(warm.trace, cold.trace);
  // the trace does depend on the pairs: without Apertium the need reads otherwise
  const off = map({ GRANSLOS_CACHE_DIR: dir, GRANSLOS_APERTIUM: 'off' });
  assert.notEqual(off.trace, cold.trace);
});

test('a cache file cut short is not used, and the next run writes it whole', { skip }, () => {
  const dir = join(home, 'b');
  const cold = map({ GRANSLOS_CACHE_DIR: dir });
  const [f] = files(dir);
  const path = join(dir, f);
  const whole = readFileSync(path, 'utf8');
  // the end line gone, and with it half of the pairs: what a reader of a torn write would see
  writeFileSync(path, whole.slice(0, Math.floor(whole.length / 2)));
  const again = map({ GRANSLOS_CACHE_DIR: dir });
  assert.doesNotMatch(again.log, /kept from an earlier run/);
  assert.equal(again.trace, cold.trace);
  assert.equal(readFileSync(path, 'utf8'), whole);
  // a file whose counts do not match its lines is not used either
  writeFileSync(path, whole.replace(/\nend (\d+) /, (s, n) => `\nend ${Number(n) + 1} `));
  assert.doesNotMatch(map({ GRANSLOS_CACHE_DIR: dir }).log, /kept from an earlier run/);
  assert.equal(readFileSync(path, 'utf8'), whole);
});

test('without GRANSLOS_CACHE_DIR the cache is under $HOME/.cache/granslos; "off" keeps none', { skip }, () => {
  const h1 = join(home, 'h1'), h2 = join(home, 'h2');
  mkdirSync(h1);
  mkdirSync(h2);
  map({ GRANSLOS_CACHE_DIR: '', HOME: h1 });
  assert.equal(files(join(h1, '.cache', 'granslos')).length, 1);
  map({ GRANSLOS_CACHE_DIR: 'off', HOME: h2 });
  assert.equal(existsSync(join(h2, '.cache')), false);
});

test('another build keeps its own file, and files nobody wrote for a week are removed', { skip }, () => {
  const dir = join(home, 'c');
  const cold = map({ GRANSLOS_CACHE_DIR: dir });
  const [mine] = files(dir);
  // a copy of the binary is another build to the cache (the code that reads lt-proc's answers
  // may differ): it does not read this build's file but writes its own
  const copy = join(home, 'granslos-copy');
  copyFileSync(BIN, copy);
  utimesSync(copy, new Date(), new Date(Date.now() + 60000));
  const other = map({ GRANSLOS_CACHE_DIR: dir }, copy);
  assert.doesNotMatch(other.log, /kept from an earlier run/);
  assert.equal(other.trace, cold.trace);
  assert.equal(files(dir).length, 2);
  // the copy's file untouched for eight days and a stranger's of yesterday: the next write
  // removes the first only
  const theirs = files(dir).find((f) => f !== mine);
  const week = new Date(Date.now() - 8 * 86400e3), day = new Date(Date.now() - 86400e3);
  utimesSync(join(dir, theirs), week, week);
  const recent = 'apertium-' + 'a'.repeat(64) + '.tsv';
  writeFileSync(join(dir, recent), 'x');
  utimesSync(join(dir, recent), day, day);
  writeFileSync(join(dir, 'notes.tsv'), 'x');
  utimesSync(join(dir, 'notes.tsv'), week, week);
  rmSync(join(dir, mine));
  map({ GRANSLOS_CACHE_DIR: dir });
  assert.deepEqual(readdirSync(dir).sort(), [mine, recent, 'notes.tsv'].sort());
});
