// A translator given up on leaves nothing behind (src/translate/translate.c): it runs in a
// process group and a TMPDIR of its own, and at its deadline the group is ended (SIGTERM, then
// SIGKILL) and the directory removed with whatever was in it. Apertium's script removes its
// temporary files in an EXIT trap, which a killed script never runs; before, each timeout left
// one in /tmp, and a pipeline's children ran on. The fixture (littering-translator.sh) makes a
// file and a directory in $TMPDIR, starts a child that ignores SIGTERM, and hangs. Where no
// directory can be made (TMPDIR missing) the text stays untranslated and the save stands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, Client, orgForm, formBody } from './lib.mjs';

// alive: the process runs (a zombie is dead: where pid 1 reaps no orphans, one stays listed)
function alive(pid) {
  let st;
  try { st = readFileSync(`/proc/${pid}/stat`, 'utf8'); } catch { return false; }
  const state = st.slice(st.lastIndexOf(')') + 2, st.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

// noted: what the fixture wrote to its log ({pids, paths})
function noted(file) {
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  return {
    pids: lines.filter((l) => l.startsWith('pid ')).map((l) => Number(l.slice(4))),
    paths: lines.filter((l) => l.startsWith('path ')).map((l) => l.slice(5)),
  };
}

// serve: a server whose translator is the fixture (littering-translator.sh unless another is
// given), with the deadline given and a TMPDIR of the test's own (root/tmp; the fixture's log
// beside it)
async function serve(timeout, translator = 'tests/fixtures/littering-translator.sh') {
  const root = mkdtempSync(join(tmpdir(), 'granslos-translate-cleanup-'));
  const tmp = join(root, 'tmp'), log = join(root, 'fixture.log');
  mkdirSync(tmp);
  const srv = await startServer({
    demo: false,
    env: {
      GRANSLOS_TRANSLATOR: translator, GRANSLOS_TRANSLATE_TIMEOUT_MS: timeout,
      TMPDIR: tmp, FAKE_TRANSLATOR_LOG: log,
    },
  });
  return { root, tmp, log, srv };
}

// cleanUp: what a failing run left running (the fixture's own processes, by their pids) and root
function cleanUp(root, log) {
  for (const pid of noted(log).pids.filter(alive)) try { process.kill(pid, 'SIGKILL'); } catch {}
  rmSync(root, { recursive: true, force: true });
}

// member: a member's signed-in client (Swedish pages)
async function member(srv) {
  srv.user('anna@example.se', 'Anna Andersson', { password: 'anna password 1' });
  const c = new Client(srv.base, { lang: 'sv' });
  await c.login('anna@example.se', 'anna password 1');
  return c;
}

// saveOrg: a member saves an organisation with only a Swedish description (one text to
// translate, so one translator to give up on); the response of the save
async function saveOrg(srv, c, org = { name: 'Klarälvens Kod AB', orgnr: '556016-0680', desc_sv: 'Vi utvecklar mjukvara för skogsindustrin.' }) {
  c ??= await member(srv);
  const r = await c.submit('/organisations/new', '/organisations/new', formBody(orgForm(org)));
  assert.equal(r.status, 303, r.text.slice(0, 500));
  return r;
}

test('a translator killed at its deadline leaves no file in TMPDIR and no process behind', async () => {
  const { root, tmp, log, srv } = await serve('3000');
  let stopped = false;
  try {
    const r = await saveOrg(srv);
    // the save did not wait for the translator: it has not been given up on yet (3 s)
    assert.doesNotMatch(srv.log, /gave up/);
    let end = Date.now() + 15000;
    while (!/translate: .* gave up \(timeout, killed\)/.test(srv.log) && Date.now() < end) await new Promise((res) => setTimeout(res, 100));
    assert.match(srv.log, /translate: .* gave up \(timeout, killed\)/);
    // the fixture ran, in the TMPDIR given (its own directory inside it), with a child of its own
    const { pids, paths } = noted(log);
    assert.equal(pids.length, 2, readFileSync(log, 'utf8'));
    assert.equal(paths.length, 2);
    for (const p of paths) assert.ok(p.startsWith(tmp + '/'), `${p} is not in ${tmp}`);
    // gone: every file and directory in TMPDIR, the script and its child (SIGKILL is delivered
    // at once, a process's end is seen a moment later)
    end = Date.now() + 3000;
    while ((readdirSync(tmp).length || pids.some(alive)) && Date.now() < end) await new Promise((res) => setTimeout(res, 50));
    assert.deepEqual(readdirSync(tmp), [], 'left in TMPDIR');
    for (const p of paths) assert.ok(!existsSync(p), `${p} left`);
    assert.deepEqual(pids.filter(alive), [], 'translator processes still running');
    // the save stands, untranslated
    const page = await new Client(srv.base, { lang: 'nb' }).get(r.location);
    assert.equal(page.status, 200);
    assert.match(page.text, /Klarälvens Kod AB/);
    assert.doesNotMatch(page.text, /Maskinoversatt/);
    await srv.stop();
    stopped = true;
    assert.deepEqual(readdirSync(tmp), [], 'left in TMPDIR after the server stopped');
  } finally {
    if (!stopped) await srv.stop();
    cleanUp(root, log);
  }
});

test('a translator running when the server stops goes with it, and leaves nothing in TMPDIR', async () => {
  const { root, tmp, log, srv } = await serve('60000');
  let stopped = false;
  try {
    await saveOrg(srv);
    // the translator has made its files and hangs
    const end = Date.now() + 15000;
    while (noted(log).paths.length < 2 && Date.now() < end) await new Promise((res) => setTimeout(res, 50));
    const { pids, paths } = noted(log);
    assert.equal(paths.length, 2);
    const t0 = Date.now();
    await srv.stop(); // throws unless the server exits 0
    stopped = true;
    assert.ok(Date.now() - t0 < 5000, `the stop took ${Date.now() - t0} ms`);
    assert.match(srv.log, /translate: .* gave up \(stopping\)/);
    assert.deepEqual(readdirSync(tmp), [], 'left in TMPDIR');
    const gone = Date.now() + 3000;
    while (pids.some(alive) && Date.now() < gone) await new Promise((res) => setTimeout(res, 50));
    assert.deepEqual(pids.filter(alive), [], 'translator processes still running');
  } finally {
    if (!stopped) await srv.stop();
    cleanUp(root, log);
  }
});

// A translator that has answered and closed its output but does not exit had the worker wait
// for it with no deadline: nothing after it was translated, and a stop waited too.
test('a translator that closes its output and stays is given up at its deadline, and the next text is translated', async () => {
  const { root, log, srv } = await serve('3000', 'tests/fixtures/lingering-translator.sh');
  try {
    const c = await member(srv);
    const first = await saveOrg(srv, c, { name: 'Klarälvens Kod AB', orgnr: '556016-0680', desc_sv: 'Vi LINGER utvecklar mjukvara.' });
    const next = await saveOrg(srv, c, { name: 'Strömstads Båtbyggeri AB', orgnr: '556036-0793', desc_sv: 'Vi bygger båtar i Strömstad.' });
    let end = Date.now() + 15000;
    while (!/translate: .* gave up \(timeout, killed\)/.test(srv.log) && Date.now() < end) await new Promise((res) => setTimeout(res, 100));
    assert.match(srv.log, /translate: .* gave up \(timeout, killed\)/);
    // the next organisation's text was translated after it
    const nb = new Client(srv.base, { lang: 'nb' });
    let page;
    end = Date.now() + 15000;
    do {
      page = await nb.get(next.location);
      if (/Maskinoversatt/.test(page.text)) break;
      await new Promise((res) => setTimeout(res, 100));
    } while (Date.now() < end);
    assert.match(page.text, /Maskinoversatt/);
    assert.match(page.text, /\[mt\] Vi bygger båtar i Strömstad\./);
    // the one given up on stays untranslated, its translator gone
    const kept = await nb.get(first.location);
    assert.equal(kept.status, 200);
    assert.match(kept.text, /Klarälvens Kod AB/);
    assert.doesNotMatch(kept.text, /Maskinoversatt/);
    const { pids } = noted(log);
    assert.equal(pids.length, 1);
    end = Date.now() + 3000;
    while (pids.some(alive) && Date.now() < end) await new Promise((res) => setTimeout(res, 50));
    assert.deepEqual(pids.filter(alive), [], 'translator still running');
  } finally {
    await srv.stop();
    cleanUp(root, log);
  }
});

test('a server stopping while a translator stays on after its output stops at once', async () => {
  const { root, log, srv } = await serve('60000', 'tests/fixtures/lingering-translator.sh');
  let stopped = false;
  try {
    await saveOrg(srv, undefined, { name: 'Klarälvens Kod AB', orgnr: '556016-0680', desc_sv: 'Vi LINGER utvecklar mjukvara.' });
    const end = Date.now() + 15000;
    while (noted(log).pids.length < 1 && Date.now() < end) await new Promise((res) => setTimeout(res, 50));
    const { pids } = noted(log);
    assert.equal(pids.length, 1);
    const t0 = Date.now();
    await srv.stop();
    stopped = true;
    assert.ok(Date.now() - t0 < 5000, `the stop took ${Date.now() - t0} ms`);
    assert.match(srv.log, /translate: .* gave up \(stopping\)/);
  } finally {
    if (!stopped) await srv.stop();
    cleanUp(root, log);
  }
});

test('with no temporary directory to be had the translation fails cleanly and the save stands', async () => {
  const root = mkdtempSync(join(tmpdir(), 'granslos-translate-cleanup-'));
  const srv = await startServer({
    demo: false,
    env: { GRANSLOS_TRANSLATOR: 'tests/fixtures/fake-translator.sh', TMPDIR: join(root, 'missing') },
  });
  try {
    const r = await saveOrg(srv);
    const end = Date.now() + 15000;
    while (!/translate: no temporary directory/.test(srv.log) && Date.now() < end) await new Promise((res) => setTimeout(res, 100));
    assert.match(srv.log, /translate: no temporary directory for \S+ swe-nob \(No such file or directory\)/);
    const page = await new Client(srv.base, { lang: 'nb' }).get(r.location);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, /Maskinoversatt|Zorbulatorer/);
  } finally {
    await srv.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
