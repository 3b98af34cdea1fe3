// Catch-up delay between nodes (issue 15; docs/performance.md): two `granslos serve` processes
// on one store; N times: node B's visitors' page of the newest organisations is in its page cache;
// a new organisation with a word of its own is saved through node A; then (1) B's cached page is
// asked for until it lists it — what the change feed's listener does: on PostgreSQL its NOTIFY
// wakes B, which re-indexes and publishes the new data_version — and (2), in another round, B's
// search API for the word until it finds it (a search catches up itself). Prints p50/p90/p99/max
// of the delay from A's acknowledgement (the 201 reached the client) to B's first answer with it.
//   node bench/catchup.mjs [pg|sqlite] [N]       (make bench-catchup; pg starts a throwaway cluster)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const mode = process.argv[2] || 'pg';
const N = Number(process.argv[3] || 200);
let pgdir = null;
if (mode === 'pg') {
  pgdir = mkdtempSync(join(tmpdir(), 'granslos-bench-pg-'));
  process.env.GRANSLOS_TEST_PG = execFileSync('tests/pg-cluster', ['start', pgdir], { encoding: 'utf8' }).trim();
  process.env.GRANSLOS_TEST_STORE = 'pg';
}
const { startServer, newStore, Client } = await import('../tests/http/lib.mjs');

const dir = mkdtempSync(join(tmpdir(), 'granslos-bench-'));
const store = newStore(dir);
const a = await startServer({ store }), b = await startServer({ store });
a.user('bench@example.org', 'Bench', { password: 'bench password 123' });
const token = a.token('bench@example.org');
const ca = new Client(a.base), cb = new Client(b.base);
const auth = { authorization: 'Bearer ' + token };
// a made-up word per write, findable only once B has indexed that organisation
const word = (i) => 'zq' + [...String(i).padStart(4, '0')].map((d) => 'bcdfghjklm'[d]).join('') + 'vx';
const newest = '/organisations?sort=newest&per_page=5';
async function cached() { // B's page of the newest, from its cache (asked until it is)
  for (let k = 0; k < 100; k++) if ((await cb.get(newest)).headers.get('x-cache') === 'hit') return;
  throw new Error('B does not cache ' + newest);
}
async function round(i, how) {
  const w = word(i);
  if (how === 'page') await cached();
  const r = await ca.post('/api/v1/organisations', { json: { name: `Mätbolaget ${w} AB`, country: 'SE', kind: 'company', municipality: '1780' }, headers: auth });
  if (r.status !== 201) throw new Error('write failed: ' + r.status + r.text);
  const t0 = process.hrtime.bigint();
  const id = r.json().id;
  let polls = 0;
  for (;;) {
    polls++;
    const ok = how === 'page' ? (await cb.get(newest)).text.includes(`/organisations/${id}"`)
      : (await cb.get('/api/v1/organisations?q=' + w)).json().items.some((o) => o.id === id);
    if (ok) break;
    if (Number(process.hrtime.bigint() - t0) > 30e9) throw new Error(`not on B within 30 s (write ${i}, ${how})`);
  }
  return [Number(process.hrtime.bigint() - t0) / 1e6, polls];
}
// on a failure: what the servers said, and nothing left running
process.on('uncaughtException', (e) => {
  console.error(e);
  for (const [n, srv] of [['A', a], ['B', b]]) console.error(`--- node ${n} (exit ${srv.proc.exitCode ?? srv.proc.signalCode ?? 'running'}):\n` + srv.log.slice(-3000));
  a.proc.kill('SIGKILL');
  b.proc.kill('SIGKILL');
  store.drop();
  rmSync(dir, { recursive: true, force: true });
  if (pgdir) execFileSync('tests/pg-cluster', ['stop', pgdir]);
  process.exit(1);
});
for (const how of ['page', 'search']) {
  const delays = [];
  let polls = 0;
  for (let i = 0; i < N; i++) {
    const [d, p] = await round(how === 'page' ? i : N + i, how);
    delays.push(d);
    polls += p;
  }
  delays.sort((x, y) => x - y);
  const q = (p) => delays[Math.min(delays.length - 1, Math.ceil((p / 100) * delays.length) - 1)].toFixed(1);
  console.log(`catch-up A→B on ${mode === 'pg' ? 'PostgreSQL' : 'SQLite'}, ${how === 'page' ? "B's cached page of the newest" : "B's search"} ` +
    `(${N} writes, ${(polls / N).toFixed(1)} requests to B per write): p50 ${q(50)} ms, p90 ${q(90)} ms, p99 ${q(99)} ms, ` +
    `max ${delays[delays.length - 1].toFixed(1)} ms`);
}
await a.stop();
await b.stop();
store.drop();
rmSync(dir, { recursive: true, force: true });
if (pgdir) execFileSync('tests/pg-cluster', ['stop', pgdir]);
