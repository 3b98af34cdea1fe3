// The authorisation matrix (issue 11): every route of the route table (`granslos routes`) is asked by
// five callers — a visitor, a logged-in stranger, a member of the organisation that owns the
// fixtures, that organisation's administrator and a platform administrator — and each answer must be
// the one tests/http/authz-matrix.tsv expects. A route without rows in the matrix, or a row for a
// route that no longer exists, fails the test: add the route's row when you add a route.
//
// Cells: ok (2xx, or a redirect elsewhere than the login page), refused (the caller passed the
// permission check but the empty request was refused: 400, 409, 413, 415, 422, 429), login (401, or a
// redirect to /login), deny (403), 404; alternatives joined by "|". A 5xx is always a failure.
// Requests carry no input beyond the CSRF token (forms) or {} (API), so an allowed write is mostly
// "refused" — unless the row has a sixth column, a body: JSON for API routes, form fields as a query
// string for pages, with {org} {other} {event} {table} {question} {bullet} {action} {obstacle}
// {invitation} replaced by the fixtures' ids. Give a write route a body when its permission check
// needs input to be reached. Reads run first, concurrently; then each write route in turn, one caller after the
// other in the order of the columns (so a later column may find that an earlier one changed it:
// an action item exists, a table is gone); rows that destroy their fixture (DELETE, cancel, logout,
// account deletion) run last.
// AUTHZ_RECORD=1 rewrites the matrix from what the server answers: review every changed cell.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { startServer, Client, cli } from './lib.mjs';

const MATRIX = 'tests/http/authz-matrix.tsv';
const ROLES = ['anon', 'stranger', 'member', 'orgadmin', 'admin'];
let srv;
const who = {};   // role -> { client (cookie session), token }
const fx = {};    // fixture ids

const users = { stranger: 'stranger@example.org', member: 'member@example.se', orgadmin: 'orgadmin@example.se', admin: 'admin@example.org', other: 'other@example.no' };
before(async () => {
  srv = await startServer({ demo: false });
  for (const [role, email] of Object.entries(users)) {
    srv.user(email, role + ' user', { admin: role === 'admin', password: role + ' password 123' });
    who[role] = { token: srv.token(email), client: new Client(srv.base, { lang: 'en' }) };
    await who[role].client.login(email, role + ' password 123');
  }
  who.anon = { client: new Client(srv.base, { lang: 'en' }) };
  const api = async (role, method, path, json) => {
    const r = await new Client(srv.base).req(method, path, { json, headers: { authorization: 'Bearer ' + who[role].token } });
    assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
    return r.json();
  };
  fx.org = (await api('orgadmin', 'POST', '/api/v1/organisations', { name: 'Matrisbolaget AB', country: 'SE', kind: 'company', municipality: '1780', themes: ['manufacturing'] })).id;
  fx.other = (await api('other', 'POST', '/api/v1/organisations', { name: 'Andre Klynge', country: 'NO', kind: 'cluster', municipality: '3401', themes: ['manufacturing'] })).id;
  // the member joins and the administrator approves
  const m = who.member.client, a = who.orgadmin.client;
  let r = await m.submit(`/organisations/${fx.org}`, `/organisations/${fx.org}/join`, {});
  assert.equal(r.status, 303);
  const req = /name="request" value="(\d+)"/.exec((await a.get(`/organisations/${fx.org}/members`)).text)[1];
  r = await a.submit(`/organisations/${fx.org}/members`, `/organisations/${fx.org}/members`, { action: 'approve', request: req });
  assert.equal(r.status, 303);
  fx.event = (await api('orgadmin', 'POST', '/api/v1/events', { title: 'Matrisdagen', start: '2027-09-14T09:00', end: '2027-09-14T16:00', timezone: 'Europe/Stockholm',
    country: 'SE', municipality: '1780', themes: ['manufacturing'], status: 'planned', organisers: [fx.org], series: 'Matrisserien', capacity: 50 })).id;
  fx.series = (await api('orgadmin', 'GET', `/api/v1/events/${fx.event}`)).series.id;
  const t = await api('orgadmin', 'POST', `/api/v1/events/${fx.event}/roundtables`, { hosts: [{ org: fx.org }] });
  fx.table = t.id; fx.question = t.questions[0].id; fx.link = t.token;
  fx.bullet = (await api('orgadmin', 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: fx.question, text: 'Ett godkänt svar.', status: 'approved' })).id;
  fx.bullet2 = (await api('orgadmin', 'POST', `/api/v1/roundtables/${t.id}/bullets`, { question: fx.question, text: 'Ett till.', status: 'approved' })).id;
  fx.action = (await api('orgadmin', 'POST', `/api/v1/bullets/${fx.bullet2}/action`, { owners: [fx.org] })).id;
  fx.obstacle = (await api('orgadmin', 'POST', '/api/v1/obstacles', obstacleDoc())).id;
  fx.invitation = (await api('orgadmin', 'POST', `/api/v1/events/${fx.event}/invitations`, { organisation: fx.other })).id;
  if (!fx.invitation) fx.invitation = (await api('orgadmin', 'GET', `/api/v1/events/${fx.event}/invitations`)).items?.[0]?.id ?? 999999;
  // a 1:1 meeting the member asked the organisation's administrator for
  await api('orgadmin', 'POST', `/api/v1/events/${fx.event}/meetings/setup`, { first_slot: '2027-09-14T10:00', slot_minutes: 20, slots: 3, tables: 2 });
  for (const role of ['member', 'orgadmin']) {
    await api(role, 'POST', `/api/v1/events/${fx.event}/registrations`, {});
    await api(role, 'POST', `/api/v1/events/${fx.event}/meetings/profile`, { offer: 'Matriser', visible: true });
  }
  const profiles = (await api('member', 'GET', `/api/v1/events/${fx.event}/meetings/profiles`)).items;
  fx.meeting = (await api('member', 'POST', `/api/v1/events/${fx.event}/meetings`, { with: profiles.find((p) => p.name === 'orgadmin user').user })).id;
  // a project led by the organisation, with the other organisation invited as the Norwegian lead
  fx.project = (await api('orgadmin', 'POST', '/api/v1/projects', { acronym: 'MATRIS', title: { sv: 'Matrisprojektet' }, programme: 'interreg-se-no',
    type: 'main', start: '2027-09', duration_months: 24, partners: [{ organisation: fx.org, role: 'lead-se' }, { organisation: fx.other, role: 'lead-no' }] })).id;
  // the project's application submitted once: that version stays readable
  await api('orgadmin', 'PATCH', `/api/v1/projects/${fx.project}`, { status: 'drafting' });
  fx.submitted = (await api('orgadmin', 'PATCH', `/api/v1/projects/${fx.project}`, { status: 'submitted' })).version;
  // another person's API token and session: nobody but them may revoke or end these
  const otherToken = srv.token(users.other);
  fx.token = (await new Client(srv.base).req('GET', '/api/v1/account/tokens', { headers: { authorization: 'Bearer ' + otherToken } }).then((x) => x.json())).items[0].id;
  // and their saved search: nobody but them may change or delete it
  fx.search = (await new Client(srv.base).req('POST', '/api/v1/account/searches', { json: { query: 'q=matris' }, headers: { authorization: 'Bearer ' + otherToken } }).then((x) => x.json())).id;
  const o1 = new Client(srv.base, { lang: 'en' }), o2 = new Client(srv.base, { lang: 'en' });
  await o1.login(users.other, 'other password 123');
  await o2.login(users.other, 'other password 123');
  fx.session = Number(/\/account\/sessions\/(\d+)\/end/.exec((await o2.get('/account')).text)[1]);
});
after(async () => { await srv.stop(); });

function obstacleDoc() {
  return { title: 'Matrishindret', description: 'Ett hinder för matrisen.', country: 'both', themes: ['blue-bioeconomy'] };
}

// concrete: the route's pattern with its parameters replaced by the fixtures
function concrete(pattern) {
  const segs = pattern.split('/');
  return segs.map((s, i) => {
    if (s === '{id}') {
      const prev = segs[i - 1];
      const ids = { organisations: fx.org, events: fx.event, roundtables: fx.table, bullets: fx.bullet, actions: fx.action, series: fx.series,
        obstacles: fx.obstacle, questions: fx.question, invitations: fx.invitation, meetings: fx.meeting,
        tokens: fx.token, sessions: fx.session, projects: fx.project, partners: fx.other, submitted: fx.submitted, submissions: fx.submitted,
        searches: fx.search };
      if (!(prev in ids)) throw new Error('no fixture for ' + pattern);
      return String(ids[prev]);
    }
    if (s === '{file}') return 'style.css';
    if (s === '{code}') return 'en';
    if (s === '{x}') return segs[i - 1] === 't' ? fx.link : segs[i - 1] === 'sections' ? 'work-plan' : `${fx.event}.ics`;
    return s;
  }).join('/');
}

function classify(r) {
  if (r.status >= 500) return 'ERROR' + r.status;
  if (r.status === 401 || (r.status >= 300 && r.status < 400 && /^\/login(\?|$)/.test(r.location || ''))) return 'login';
  if (r.status === 403) return 'deny';
  if (r.status === 404) return '404';
  if (r.status < 400) return 'ok';
  if ([400, 409, 413, 415, 422, 429].includes(r.status)) return 'refused';
  return String(r.status);
}

const csrfs = new Map();
async function csrfOf(role) {
  if (!csrfs.has(role)) csrfs.set(role, await who[role].client.csrf(role === 'anon' ? '/login' : '/account'));
  return csrfs.get(role);
}

// fill: a body template with the fixtures' ids
function fill(body) {
  const ids = { org: fx.org, other: fx.other, event: fx.event, table: fx.table, question: fx.question, bullet: fx.bullet, action: fx.action,
    obstacle: fx.obstacle, invitation: fx.invitation };
  return body.replace(/\{(\w+)\}/g, (m, k) => { if (!(k in ids)) throw new Error('no fixture ' + m); return String(ids[k]); });
}

async function ask(role, method, pattern, flags, body) {
  const path = concrete(pattern);
  const c = who[role].client;
  if (flags.includes('api')) {
    const h = role === 'anon' ? {} : { authorization: 'Bearer ' + who[role].token };
    return c.req(method, path, method === 'GET' ? { headers: h } : { headers: h, json: body ? JSON.parse(fill(body)) : {} });
  }
  if (method === 'GET') return c.get(path);
  const form = new URLSearchParams(body ? fill(body) : '');
  form.set('csrf', await csrfOf(role));
  return c.req(method, path, { form });
}

const destructive = (m, p) => m === 'DELETE' || /\/(cancel|logout|delete)$/.test(p);

function readMatrix() {
  const rows = new Map();
  for (const line of readFileSync(MATRIX, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [method, pattern, ...rest] = line.split('\t');
    assert.ok(rest.length === ROLES.length || rest.length === ROLES.length + 1, 'five cells (and a body) in ' + line);
    rows.set(method + ' ' + pattern, { cells: rest.slice(0, ROLES.length), body: rest[ROLES.length] });
  }
  return rows;
}

test('authorisation matrix: every route has its row, and every caller gets the expected answer', async () => {
  const routes = cli(['routes']).out.trim().split('\n').map((l) => { const [method, pattern, flags] = l.split('\t'); return { method, pattern, flags }; });
  assert.ok(routes.length > 100, 'granslos routes lists the route table');
  const record = process.env.AUTHZ_RECORD === '1';
  const matrix = readMatrix();
  const bodyOf = (rt) => matrix.get(rt.method + ' ' + rt.pattern)?.body;
  if (!record) {
    const keys = new Set(routes.map((r) => r.method + ' ' + r.pattern));
    const missing = [...keys].filter((k) => !matrix.has(k));
    const stale = [...matrix.keys()].filter((k) => !keys.has(k));
    assert.deepEqual(missing, [], 'routes without a row in ' + MATRIX + ' (add one per new route)');
    assert.deepEqual(stale, [], 'rows in ' + MATRIX + ' for routes that no longer exist');
  }
  const got = new Map();
  const run = async (rt) => {
    const cells = [];
    if (rt.method !== 'GET') {
      for (const role of ROLES) cells.push(classify(await ask(role, rt.method, rt.pattern, rt.flags, bodyOf(rt))));
    } else {
      cells.push(...(await Promise.all(ROLES.map(async (role) => classify(await ask(role, rt.method, rt.pattern, rt.flags, bodyOf(rt)))))));
    }
    got.set(rt.method + ' ' + rt.pattern, cells);
  };
  const order = [...routes.filter((r) => r.method === 'GET'), ...routes.filter((r) => r.method !== 'GET' && !destructive(r.method, r.pattern)),
    ...routes.filter((r) => destructive(r.method, r.pattern))];
  // reads concurrently (eight routes at a time, their five callers at once); then each write route
  // in turn, its callers one after the other, so what one write changes is the same for every run;
  // the destructive ones last, logout at the very end
  const reads = order.filter((r) => r.method === 'GET');
  for (let i = 0; i < reads.length; i += 8) await Promise.all(reads.slice(i, i + 8).map(run));
  for (const rt of order.filter((r) => r.method !== 'GET' && !destructive(r.method, r.pattern))) await run(rt);
  const last = order.filter((r) => destructive(r.method, r.pattern));
  last.sort((a, b) => (a.pattern === '/logout') - (b.pattern === '/logout'));
  for (const rt of last) await run(rt);
  if (record) {
    const head = '# The authorisation matrix: see tests/http/authz.test.mjs for what the cells mean.\n# METHOD\tPATH\t' + ROLES.join('\t') + '\t[BODY]\n';
    writeFileSync(MATRIX, head + routes.map((r) => [r.method, r.pattern, ...got.get(r.method + ' ' + r.pattern), ...(bodyOf(r) ? [bodyOf(r)] : [])].join('\t')).join('\n') + '\n');
  }
  const wrong = [];
  for (const rt of routes) {
    const k = rt.method + ' ' + rt.pattern, cells = got.get(k);
    cells.forEach((c, i) => {
      if (c.startsWith('ERROR')) wrong.push(`${k} as ${ROLES[i]}: ${c}`);
      else if (!record && !matrix.get(k).cells[i].split('|').includes(c)) wrong.push(`${k} as ${ROLES[i]}: expected ${matrix.get(k).cells[i]}, got ${c}`);
    });
  }
  assert.deepEqual(wrong, []);
  assert.doesNotMatch(srv.log, /db error/);
});
