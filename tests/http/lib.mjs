// Test harness: starts the real `granslos serve` on a free port with a temporary database,
// and a small HTTP client with a cookie jar and CSRF handling.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIN = process.env.GRANSLOS_BIN || './granslos';

export function cli(args, { db, input, env } = {}) {
  const r = spawnSync(BIN, db ? [...args, '--db', db] : args, { input: input ?? '', encoding: 'utf8', env: env ? { ...process.env, ...env } : process.env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// The store: SQLite (a file in a temporary folder) unless GRANSLOS_TEST_STORE=pg, then a fresh
// database on the PostgreSQL cluster at GRANSLOS_TEST_PG (a base URL, postgresql://user@host:port,
// as tests/pg-cluster prints). tests/run makes the template databases granslos_demo (demo data)
// and granslos_empty (migrated) there, so a server's database is a quick copy; without them
// (GRANSLOS_TEST_PG_TEMPLATES unset) each database is migrated and filled here.
export const STORE = process.env.GRANSLOS_TEST_STORE === 'pg' ? 'pg' : 'sqlite';
const PG = process.env.GRANSLOS_TEST_PG;
let pgCount = 0;

export function psql(url, q) {
  const r = spawnSync('psql', ['-X', '-q', '-A', '-t', '-F', '|', '-v', 'ON_ERROR_STOP=1', url, '-c', q], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('psql: ' + r.stderr);
  return r.stdout;
}

// newStore: a new store with the demo data (demo), migrated (demo: false) or, on PostgreSQL,
// with nothing at all (empty: a database to restore into); returns the --db value and how to
// remove it
export function newStore(dir, { demo = true, empty = false } = {}) {
  if (STORE !== 'pg') {
    const db = join(dir, 'test.db');
    if (demo) {
      const r = cli(['demo'], { db });
      if (r.code !== 0) throw new Error('demo failed: ' + r.err);
    }
    return { db, drop() {} };
  }
  if (!PG) throw new Error('GRANSLOS_TEST_STORE=pg needs GRANSLOS_TEST_PG (see tests/pg-cluster)');
  const name = `t_${process.pid}_${++pgCount}`;
  const tmpl = process.env.GRANSLOS_TEST_PG_TEMPLATES && !empty ? (demo ? 'granslos_demo' : 'granslos_empty') : null;
  psql(`${PG}/postgres`, `CREATE DATABASE ${name}` + (tmpl ? ` TEMPLATE ${tmpl}` : ''));
  const db = `${PG}/${name}`;
  if (demo && !tmpl && !empty) {
    const r = cli(['demo'], { db });
    if (r.code !== 0) throw new Error('demo failed: ' + r.err);
  }
  return { db, drop() { try { psql(`${PG}/postgres`, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } catch { /* the cluster goes at the end anyway */ } } };
}

// sql: run one query on a store (a file or a URL) and give its rows as sqlite3's CLI prints them
// (columns separated by |, one row a line)
export function sql(db, q) {
  if (/^postgres(ql)?:\/\//.test(db)) return psql(db, q);
  const r = spawnSync('sqlite3', [db, q], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('sqlite3: ' + r.stderr);
  return r.stdout;
}

// startServer: a server on a new store, or with `store` (newStore's result) on that one: another
// node on the same database (tests/http/nodes.test.mjs); the store is then the caller's to drop
export async function startServer({ demo = true, args = [], env, store: shared } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'granslos-test-'));
  const store = shared ? { db: shared.db, drop() {} } : newStore(dir, { demo });
  const db = store.db;
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--threads', '2', ...args],
    { stdio: ['ignore', 'ignore', 'pipe'], env: env ? { ...process.env, ...env } : process.env });
  let stderr = '';
  const port = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('server did not start: ' + stderr)), 15000);
    proc.stderr.on('data', (d) => {
      stderr += d;
      const m = /serving http:\/\/127\.0\.0\.1:(\d+)\//.exec(stderr);
      if (m) { clearTimeout(t); resolve(Number(m[1])); }
    });
    proc.on('exit', (c) => { clearTimeout(t); reject(new Error('server exited ' + c + ': ' + stderr)); });
  });
  const server = {
    port, db, dir, proc,
    base: `http://127.0.0.1:${port}`,
    get log() { return stderr; },
    async stop({ keep = false } = {}) {
      const done = new Promise((res) => proc.on('exit', (code, sig) => res({ code, sig })));
      proc.kill('SIGTERM');
      const r = await done;
      // GRANSLOS_TEST_LOG: every server's log appended to that file (to read the store's errors)
      if (process.env.GRANSLOS_TEST_LOG) appendFileSync(process.env.GRANSLOS_TEST_LOG, stderr);
      if (!keep) { rmSync(dir, { recursive: true, force: true }); store.drop(); }
      if (r.code !== 0) throw new Error(`server exited with ${r.code ?? r.sig}: ${stderr.slice(-3000)}`);
      if (/Sanitizer|runtime error:/.test(stderr)) throw new Error('sanitizer report:\n' + stderr.slice(-5000));
      return r;
    },
    user(email, name, { admin = false, password = 'correct horse battery' } = {}) {
      const r = cli(['user', 'add', email, '--name', name, ...(admin ? ['--admin'] : [])], { db, input: password + '\n' });
      if (r.code !== 0) throw new Error('user add failed: ' + r.err);
      return { email, password };
    },
    token(email) {
      const r = cli(['token', 'add', email], { db });
      if (r.code !== 0) throw new Error('token add failed: ' + r.err);
      return r.out.trim();
    },
  };
  return server;
}

// setCookies: every Set-Cookie header (Node 18's fetch may lack getSetCookie; ours never put
// commas inside a cookie, so the joined header splits safely)
export function setCookies(headers) {
  if (typeof headers.getSetCookie === 'function') return headers.getSetCookie();
  const joined = headers.get('set-cookie');
  return joined ? joined.split(/,(?=\s*[A-Za-z0-9_-]+=)/).map((x) => x.trim()) : [];
}

// A browser-like client: keeps cookies, finds CSRF tokens in forms.
export class Client {
  constructor(base, { lang } = {}) { this.base = base; this.cookies = new Map(); this.lang = lang; }
  cookieHeader() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
  store(res) {
    for (const c of setCookies(res.headers)) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const k = pair.slice(0, i).trim(), v = pair.slice(i + 1).trim();
      if (attrs.some((a) => /max-age=0$/i.test(a.trim())) || v === '') this.cookies.delete(k); else this.cookies.set(k, v);
    }
  }
  async req(method, path, { body, headers = {}, form, json } = {}) {
    const h = { ...headers };
    if (this.cookies.size) h.cookie = this.cookieHeader();
    if (this.lang) h['accept-language'] = this.lang;
    if (form) { h['content-type'] = 'application/x-www-form-urlencoded'; body = new URLSearchParams(form).toString(); }
    if (json !== undefined) { h['content-type'] = 'application/json'; body = typeof json === 'string' ? json : JSON.stringify(json); }
    const go = () => fetch(this.base + path, { method, headers: h, body, redirect: 'manual' });
    let res;
    try { res = await go(); } catch (e) {
      // a kept-alive connection the server closed while this process was blocked (cli() is
      // spawnSync: undici's idle timer cannot fire then): a GET or HEAD is sent again on a new
      // one, as browsers do (RFC 9112, 9.3.1); anything else fails
      if (!['GET', 'HEAD'].includes(method) || e.cause?.code !== 'UND_ERR_SOCKET') throw e;
      res = await go();
    }
    this.store(res);
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text), location: res.headers.get('location') };
  }
  get(path, o) { return this.req('GET', path, o); }
  post(path, o) { return this.req('POST', path, o); }
  // csrf: load a page and take the token from its first form
  async csrf(path = '/login') {
    const r = await this.get(path);
    const m = /name="csrf" value="([^"]+)"/.exec(r.text);
    if (!m) throw new Error('no csrf token on ' + path);
    return m[1];
  }
  async submit(pagePath, action, fields) {
    const csrf = await this.csrf(pagePath);
    const p = new URLSearchParams(fields);
    p.set('csrf', csrf);
    return this.post(action, { form: p });
  }
  async login(email, password) {
    const r = await this.submit('/login', '/login', { email, password });
    if (r.status !== 303) throw new Error('login failed: ' + r.status + r.text.slice(0, 500));
    return r;
  }
}

export function orgForm(o) {
  // the organisation form's fields, for POST /organisations/new or /edit
  return {
    name: o.name ?? '', country: o.country ?? 'SE', orgnr: o.orgnr ?? '', kind: o.kind ?? 'company',
    municipality: o.municipality ?? '1780', website: o.website ?? '', employees: o.employees ?? '',
    desc_sv: o.desc_sv ?? '', desc_nb: o.desc_nb ?? '', desc_en: o.desc_en ?? '',
    competences: o.competences ?? '', competences_text: o.competences_text ?? '',
    offers: o.offers ?? '', offers_text: o.offers_text ?? '', needs: o.needs ?? '', needs_text: o.needs_text ?? '',
    nace: o.nace ?? '', status: o.status ?? 'active', ended_on: o.ended_on ?? '', successors: o.successors ?? '',
    contact_name_0: o.contact_name ?? '', contact_role_0: o.contact_role ?? '', contact_email_0: o.contact_email ?? '',
    contact_phone_0: o.contact_phone ?? '', ...(o.contact_consent ? { contact_consent_0: '1' } : {}),
  };
}

export function formBody(fields, themes = []) {
  const p = new URLSearchParams(fields);
  for (const t of themes) p.append('themes', t);
  return p;
}
