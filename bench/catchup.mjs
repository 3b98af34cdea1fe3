// Catch-up delay between nodes (issue 15; docs/performance.md): two `granslos serve` processes
// on one store; N times: save a new organisation with a word of its own through node A, then ask
// node B's search API for that word until it finds it. Prints p50/p90/p99/max of the delay from
// A's acknowledgement (the 201 reached the client) to the first answer of B that finds it.
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
const delays = [];
let polls = 0;
for (let i = 0; i < N; i++) {
  const w = word(i);
  const r = await ca.post('/api/v1/organisations', { json: { name: `Mätbolaget ${w} AB`, country: 'SE', kind: 'company', municipality: '1780' }, headers: auth });
  if (r.status !== 201) throw new Error('write failed: ' + r.status + r.text);
  const t0 = process.hrtime.bigint();
  const id = r.json().id;
  for (;;) {
    polls++;
    const s = await cb.get('/api/v1/organisations?q=' + w);
    if (s.json().items.some((o) => o.id === id)) break;
    if (Number(process.hrtime.bigint() - t0) > 30e9) throw new Error(`not found on B within 30 s (write ${i})`);
  }
  delays.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
delays.sort((x, y) => x - y);
const q = (p) => delays[Math.min(delays.length - 1, Math.ceil((p / 100) * delays.length) - 1)].toFixed(1);
console.log(`catch-up A→B on ${mode === 'pg' ? 'PostgreSQL' : 'SQLite'} (${N} writes, ${(polls / N).toFixed(1)} searches on B per write): ` +
  `p50 ${q(50)} ms, p90 ${q(90)} ms, p99 ${q(99)} ms, max ${delays[delays.length - 1].toFixed(1)} ms`);
await a.stop();
await b.stop();
store.drop();
rmSync(dir, { recursive: true, force: true });
if (pgdir) execFileSync('tests/pg-cluster', ['stop', pgdir]);
