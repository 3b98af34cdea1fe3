// Projects and Interreg applications (issue 16): the document on the pipeline, partners and
// invitations, the budget in three currencies against hand-computed figures, the checklist,
// exports, pages, permissions and the bad input of the issue.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, Client, cli, sql as storeSql } from './lib.mjs';
import { projectPeople } from './projects-common.mjs';

let srv, api, annaToken, olaToken, eveToken, rootToken, annaOrg, annaOrg2, olaOrg, eveOrg, ola;
const X = '<script>alert(1)</script>';

before(async () => {
  srv = await startServer();
  ({ api, annaToken, olaToken, rootToken, annaOrg, olaOrg, ola } = await projectPeople(srv));
  srv.user('eve@example.org', 'Eve Outsider', { password: 'eve password 12' });
  eveToken = srv.token('eve@example.org');
  annaOrg2 = (await api(annaToken, 'POST', '/api/v1/organisations', { name: 'Annas Andra AB', country: 'SE', kind: 'company', municipality: '1780' })).json().id;
  eveOrg = (await api(eveToken, 'POST', '/api/v1/organisations', { name: 'Eves Firma AB', country: 'SE', kind: 'company', municipality: '0180' })).json().id;
});
after(async () => { await srv.stop(); });

const base = () => ({
  acronym: 'FinnTour', title: { sv: 'Finnskogen turism', nb: 'Finnskogen turisme', en: 'Finnskogen tourism' },
  programme: 'interreg-se-no', type: 'main', start: '2026-09', duration_months: 24,
  partners: [{ organisation: annaOrg, role: 'lead-se' }, { organisation: olaOrg, role: 'lead-no' }],
});

async function create(o = {}) {
  const r = await api(annaToken, 'POST', '/api/v1/projects', { ...base(), ...o });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(Object.keys(r.json()), ['id']);
  return r.json().id;
}

// the hand-computed budget (see the rounding steps, src/projects/projects.h):
// Anna (SEK): staff 100 × 550.00 = 55 000.00; external 1 × 12 345.67; office 15 % of staff = 8 250.00
//   → 75 595.67 SEK; at 10.6730 SEK/EUR (Commission rate of 2026-03) = 7 082.89 EUR
// Ola (NOK): staff 33.5 × 612.40 = 20 515.40; office 15 % = 3 077.31; equipment 2 × 999.99 = 1 999.98
//   → 25 592.69 NOK; at the fixed 10 NOK/EUR = 2 559.27 EUR
// ERDF 60 % of 7 082.89 = 4 249.73 EUR; IR 50 % of 25 592.69 = 12 796.35 NOK; project 9 642.16 EUR
const budget = () => ({
  lines: [
    { partner: annaOrg, category: 'staff', period: 1, units: '100', unit_price: '550.00', currency: 'SEK', description: 'Project manager' },
    { partner: annaOrg, category: 'external', period: 2, units: '1', unit_price: '12345.67', currency: 'SEK' },
    { partner: olaOrg, category: 'staff', period: 1, units: '33.5', unit_price: '612.40', currency: 'NOK' },
    { partner: olaOrg, category: 'equipment', period: 3, units: '2', unit_price: '999.99', currency: 'NOK' },
  ],
  flat_rates: { office: '15' },
  cofinancing: [
    { partner: annaOrg, source: 'ERDF', percent: '60' }, { partner: annaOrg, source: 'Own contribution', percent: '40' },
    { partner: olaOrg, source: 'IR', percent: '50' }, { partner: olaOrg, source: 'Innlandet fylkeskommune', percent: '50' },
  ],
  funding: { erdf: '60', ir: '50' },
});

async function accepted(id) {
  const r = await api(olaToken, 'POST', `/api/v1/projects/${id}/partners/${olaOrg}/answer`, { accept: true });
  assert.equal(r.status, 200, r.text);
}

test('create and read a project; invalid input answered in the user language', async () => {
  const id = await create();
  const g = await api(null, 'GET', `/api/v1/projects/${id}`);
  assert.equal(g.status, 200);
  const p = g.json();
  assert.equal(p.acronym, 'FinnTour');
  assert.equal(p.status, 'idea');
  assert.equal(p.version, 1);
  assert.equal(g.headers.get('etag'), '"1"');
  assert.deepEqual(p.partners.map((x) => [x.organisation, x.role, x.state]), [[annaOrg, 'lead-se', 'confirmed'], [olaOrg, 'lead-no', 'invited']]);
  assert.equal(p.partners[1].name, 'Olas Reiseliv AS');
  // not logged in
  assert.equal((await api(null, 'POST', '/api/v1/projects', base())).status, 401);
  // acronym over 25, unknown type and month, in Norwegian
  const bad = await api(annaToken, 'POST', '/api/v1/projects', { ...base(), acronym: 'A'.repeat(26), type: 'huge', start: '2026-13' }, { lang: 'nb' });
  assert.equal(bad.status, 422);
  assert.match(bad.headers.get('content-type'), /problem\+json/);
  const e = bad.json().errors;
  assert.ok(e.acronym && e.type && e.start, bad.text);
  assert.notEqual(e.acronym, 'This text is too long.');
  // the lead of the Swedish side is Swedish
  const lead = await api(annaToken, 'POST', '/api/v1/projects', { ...base(), partners: [{ organisation: olaOrg, role: 'lead-se' }] });
  assert.equal(lead.status, 422);
  assert.ok(lead.json().errors['partners[0]']);
});

test('invitations: only the invited organisation admins answer, once; an organisation cannot invite itself', async () => {
  const id = await create();
  let r = await api(annaToken, 'POST', `/api/v1/projects/${id}/partners/${olaOrg}/answer`, { accept: true });
  assert.equal(r.status, 403);
  r = await api(olaToken, 'POST', `/api/v1/projects/${id}/partners/${olaOrg}/answer`, { accept: 'yes' });
  assert.equal(r.status, 422);
  await accepted(id);
  r = await api(olaToken, 'POST', `/api/v1/projects/${id}/partners/${olaOrg}/answer`, { accept: false });
  assert.equal(r.status, 409);
  const p = (await api(null, 'GET', `/api/v1/projects/${id}`)).json();
  assert.equal(p.partners[1].state, 'confirmed');
  // inviting itself
  r = await api(annaToken, 'POST', `/api/v1/projects/${id}/partners`, { organisation: annaOrg2, role: 'partner', invited_by: annaOrg2 });
  assert.equal(r.status, 422, r.text);
  assert.match(JSON.stringify(r.json().errors), /cannot invite itself/);
  // inviting on behalf of an organisation one is not a member of
  r = await api(annaToken, 'POST', `/api/v1/projects/${id}/partners`, { organisation: eveOrg, role: 'partner', invited_by: olaOrg });
  assert.equal(r.status, 422);
  // a proper invitation, declined: declined partners stay listed, without budget
  r = await api(annaToken, 'POST', `/api/v1/projects/${id}/partners`, { organisation: eveOrg, role: 'partner', invited_by: annaOrg });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json().partners[2].state, 'invited');
  r = await api(eveToken, 'POST', `/api/v1/projects/${id}/partners/${eveOrg}/answer`, { accept: false });
  assert.equal(r.status, 200);
  assert.equal(r.json().partners[2].state, 'declined');
  // the history names the answers
  const h = await api(annaToken, 'GET', `/api/v1/projects/${id}/history`);
  assert.equal(h.status, 200);
  assert.ok(h.json().items.some((v) => v.note === 'invitation accepted'));
  assert.ok(h.json().items.some((v) => v.note === 'invitation declined'));
});

test('at most 50 partners', async () => {
  const id = await create();
  const many = [];
  for (let i = 0; i < 51; i++) many.push({ organisation: i % 2 ? annaOrg : olaOrg, role: 'partner' });
  const r = await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { partners: many });
  assert.equal(r.status, 422);
  assert.match(r.json().errors.partners, /50/);
  assert.equal((await api(null, 'GET', `/api/v1/projects/${id}`)).json().version, 1);
});

test('budget: hand-computed totals in SEK, NOK and EUR with the rate, its source and month', async () => {
  const id = await create({ submission_month: '2026-03' });
  await accepted(id);
  const put = await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, budget());
  assert.equal(put.status, 200, put.text);
  const g = await api(null, 'GET', `/api/v1/projects/${id}/budget`);
  assert.equal(g.status, 200);
  const b = g.json();
  const [se, no] = b.sides;
  assert.equal(se.side, 'se');
  assert.equal(se.partners[0].currency, 'SEK');
  assert.equal(se.partners[0].categories.staff, '55000.00');
  assert.equal(se.partners[0].categories.office, '8250.00');
  assert.equal(se.partners[0].total, '75595.67');
  assert.equal(se.partners[0].total_eur, '7082.89');
  assert.equal(se.partners[0].rate, '10.6730');
  assert.equal(se.partners[0].rate_source, 'commission');
  assert.equal(se.partners[0].rate_month, '2026-03');
  assert.equal(se.funding, '4249.73');
  assert.equal(no.currency, 'NOK');
  assert.equal(no.partners[0].total, '25592.69');
  assert.equal(no.partners[0].categories.office, '3077.31');
  assert.equal(no.partners[0].total_eur, '2559.27');
  assert.equal(no.partners[0].rate, '10.0000');
  assert.equal(no.partners[0].rate_source, 'programme-fixed');
  assert.equal(no.total, '25592.69');
  assert.equal(no.funding, '12796.35');
  assert.equal(b.total_eur, '9642.16');
  assert.equal(b.budget.lines[2].units, '33.50');
  // CSV export: the same figures
  const csv = await api(null, 'GET', `/projects/${id}/budget.csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  assert.match(csv.text, /se,\d+,"Annas Turism AB",SEK,staff,55000\.00,75595\.67,7082\.89,10\.6730,commission,2026-03/);
  assert.match(csv.text, /no,\d+,"Olas Reiseliv AS",NOK,office,3077\.31,25592\.69,2559\.27,10\.0000,programme-fixed,/);
  // the workbook: read back with openpyxl, formulas visible, totals the API's
  const res = await fetch(`${srv.base}/projects/${id}/budget.xlsx`, { headers: { cookie: "lang=en" } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /spreadsheetml/);
  const file = join(srv.dir, `budget-${id}.xlsx`);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const py = `
import json, sys, openpyxl
f = openpyxl.load_workbook(sys.argv[1])
v = openpyxl.load_workbook(sys.argv[1], data_only=True)
out = {"sheets": f.sheetnames, "cells": {}}
for ws in f.worksheets:
    for row in ws.iter_rows():
        for c in row:
            if c.value is not None:
                out["cells"][ws.title + "!" + c.coordinate] = [c.value if not isinstance(c.value, float) else round(c.value, 4), v[ws.title][c.coordinate].value]
print(json.dumps(out, default=str))
`;
  // Debian's python3-openpyxl (scripts/install-deps test) belongs to the system's python3
  const pr = spawnSync(process.env.PYTHON || '/usr/bin/python3', ['-c', py, file], { encoding: 'utf8' });
  assert.equal(pr.status, 0, pr.stderr);
  const wb = JSON.parse(pr.stdout);
  assert.deepEqual(wb.sheets, ['Summary', 'Swedish side', 'Norwegian side', '1 Annas Turism AB', '2 Olas Reiseliv AS']);
  const cell = (k) => wb.cells[k];
  // a line: units × price as a formula
  assert.deepEqual(cell('1 Annas Turism AB!F6'), ['=ROUND(D6*E6,2)', 55000]);
  // the categories: SUMIF over the lines, the flat rate on the staff costs, the total, EUR
  assert.deepEqual(cell('1 Annas Turism AB!B9'), ['=SUMIF($A$6:$A$7,"staff",$F$6:$F$7)', 55000]);
  assert.deepEqual(cell('1 Annas Turism AB!B10'), ['=ROUND(B9*C10/100,2)', 8250]);
  assert.deepEqual(cell('1 Annas Turism AB!B15'), ['=SUM(B9:B14)', 75595.67]);
  assert.deepEqual(cell('1 Annas Turism AB!B16'), ['=ROUND(B15/B3,2)', 7082.89]);
  assert.equal(cell('1 Annas Turism AB!B3')[1], 10.673);
  assert.deepEqual(cell('2 Olas Reiseliv AS!B15'), ['=SUM(B9:B14)', 25592.69]);
  // the sides and the summary refer to the partner sheets
  assert.deepEqual(cell('Swedish side!E2'), ["='1 Annas Turism AB'!B16", 7082.89]);
  assert.deepEqual(cell('Norwegian side!C4'), ['=SUM(C2:C2)', 25592.69]);
  assert.deepEqual(cell('Norwegian side!C5'), ['=ROUND(C4*B5/100,2)', 12796.35]);
  assert.deepEqual(cell('Summary!C6'), ['=SUM(C4:C5)', 9642.16]);
  // Markdown in the order of the form
  const md = await api(null, 'GET', `/projects/${id}/application.md`);
  assert.equal(md.status, 200);
  const at = ['## A ', '## B ', '## C ', '## D ', '## E '].map((h) => md.text.indexOf(h));
  assert.ok(at.every((x, i) => x > 0 && (i === 0 || x > at[i - 1])), md.text);
  assert.match(md.text, /9642\.16 EUR/);
});

test('budget bad input: 99.99 % co-financing, negative, absurd, foreign currency, flat-rate lines: 422 and nothing saved', async () => {
  const id = await create({ submission_month: '2026-03' });
  await accepted(id);
  assert.equal((await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, budget())).status, 200);
  const v = (await api(null, 'GET', `/api/v1/projects/${id}`)).json().version;
  const cases = [
    (b) => { b.cofinancing[1].percent = '39.99'; },
    (b) => { b.lines[0].units = '-1'; },
    (b) => { b.lines[0].unit_price = '99999999999'; },
    (b) => { b.lines[0].units = '1000000'; b.lines[0].unit_price = '99999999'; },
    (b) => { b.lines[0].unit_price = '1.234'; },
    (b) => { b.lines[0].currency = 'NOK'; },
    (b) => { b.lines.push({ partner: annaOrg, category: 'office', period: 1, units: '1', unit_price: '1', currency: 'SEK' }); },
    (b) => { b.funding.ir = '50.01'; },
    (b) => { b.flat_rates.office = '16'; },
    (b) => { b.lines[0].partner = eveOrg; },
  ];
  for (const f of cases) {
    const b = budget();
    f(b);
    const r = await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, b, { lang: 'sv' });
    assert.equal(r.status, 422, JSON.stringify(b) + r.text);
    assert.match(r.headers.get('content-type'), /problem\+json/);
  }
  const b = budget();
  b.cofinancing[1].percent = '39.99';
  const r = await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, b);
  assert.match(r.json().errors['budget.cofinancing'], /99\.99 %/);
  assert.equal((await api(null, 'GET', `/api/v1/projects/${id}`)).json().version, v);
  assert.equal((await api(null, 'GET', `/api/v1/projects/${id}/budget`)).json().total_eur, '9642.16');
  // a stranger may not write the budget
  assert.equal((await api(eveToken, 'PUT', `/api/v1/projects/${id}/budget`, budget())).status, 403);
});

test('a missing rate month is said, never guessed; an admin enters it', async () => {
  const id = await create({ submission_month: '2031-05' });
  await accepted(id);
  assert.equal((await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, budget())).status, 200);
  const g = await api(null, 'GET', `/api/v1/projects/${id}/budget`, undefined, { lang: 'sv' });
  assert.equal(g.status, 409);
  assert.equal(g.json().code, 'rate-missing');
  assert.match(g.json().detail, /2031-05/);
  assert.equal((await api(null, 'GET', `/projects/${id}/budget.xlsx`)).status, 409);
  assert.equal((await api(null, 'GET', `/projects/${id}/budget.csv`)).status, 409);
  const c = (await api(null, 'GET', `/api/v1/projects/${id}/checklist`)).json();
  assert.equal(c.items.find((i) => i.code === 'rate-available').ok, false);
  assert.equal(c.eligible, false);
  // only platform admins enter rates
  assert.equal((await api(annaToken, 'POST', '/api/v1/rates', { month: '2031-05', currency: 'SEK', rate: '11.0000' })).status, 403);
  assert.equal((await api(rootToken, 'POST', '/api/v1/rates', { month: '2031-5', currency: 'SEK', rate: '-1' })).status, 422);
  const r = await api(rootToken, 'POST', '/api/v1/rates', { month: '2031-05', currency: 'SEK', rate: '11.0000' });
  assert.equal(r.status, 200, r.text);
  const g2 = (await api(null, 'GET', `/api/v1/projects/${id}/budget`)).json();
  assert.equal(g2.sides[0].partners[0].total_eur, '6872.33'); // 75 595.67 / 11 = 6 872.333…
  assert.equal(g2.sides[0].partners[0].rate, '11.0000');
});

test('checklist: eligible when every rule is met, with codes and messages in the user language', async () => {
  const id = await create({ submission_month: '2026-03', summary: 'Tourism across the Finnskog.' });
  let c = (await api(null, 'GET', `/api/v1/projects/${id}/checklist`)).json();
  const codes = c.items.map((i) => i.code);
  for (const k of ['both-countries', 'programme-area', 'cross-border-criterion', 'cofinancing-100', 'text-limits', 'periods-within-duration'])
    assert.ok(codes.includes(k), k);
  assert.equal(c.eligible, false);
  assert.equal(c.items.find((i) => i.code === 'partners-confirmed').ok, false);
  assert.equal(c.items.find((i) => i.code === 'cross-border-criterion').ok, false);
  await accepted(id);
  await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, budget());
  const p = await api(olaToken, 'PATCH', `/api/v1/projects/${id}`, { cross_border: ['border-as-resource'], cross_border_justification: 'One forest, two countries.' });
  assert.equal(p.status, 200, p.text);
  c = (await api(null, 'GET', `/api/v1/projects/${id}/checklist`)).json();
  // a main project names an output (RCO) and a result (RCR) indicator with its target
  assert.deepEqual(c.items.filter((i) => !i.ok).map((i) => i.code), ['indicators']);
  let q = await api(olaToken, 'PATCH', `/api/v1/projects/${id}`, { indicators: [{ code: 'RCO87', target: '2' }] });
  assert.equal(q.status, 200, q.text);
  assert.equal((await api(null, 'GET', `/api/v1/projects/${id}/checklist`)).json().items.find((i) => i.code === 'indicators').ok, false);
  q = await api(olaToken, 'PATCH', `/api/v1/projects/${id}`, { indicators: [{ code: 'RCO87', target: '2' }, { code: 'RCR84', target: '2' }] });
  assert.equal(q.status, 200, q.text);
  c = (await api(null, 'GET', `/api/v1/projects/${id}/checklist`)).json();
  assert.deepEqual(c.items.filter((i) => !i.ok).map((i) => i.code), []);
  assert.equal(c.eligible, true);
  // a period beyond the duration (24 months = 4 periods)
  await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { duration_months: 12 });
  c = (await api(null, 'GET', `/api/v1/projects/${id}/checklist`, undefined, { lang: 'sv' })).json();
  const per = c.items.find((i) => i.code === 'periods-within-duration');
  assert.equal(per.ok, false);
  assert.doesNotMatch(per.message, /Every budget line/); // Swedish
  // a Norwegian partner outside the area with most of the budget
  const far = (await api(olaToken, 'POST', '/api/v1/organisations', { name: 'Olas Bergen AS', country: 'NO', kind: 'company', municipality: '4601' })).json().id;
  const id2 = await create({ partners: [{ organisation: annaOrg, role: 'lead-se' }, { organisation: far, role: 'lead-no' }] });
  c = (await api(null, 'GET', `/api/v1/projects/${id2}/checklist`)).json();
  assert.equal(c.items.find((i) => i.code === 'programme-area').ok, false);
});

test('a partner with budget rows cannot be removed; concurrent budget saves: the second is told (409)', async () => {
  const id = await create({ submission_month: '2026-03' });
  await accepted(id);
  const put = await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, budget());
  const etag = put.headers.get('etag');
  let r = await api(annaToken, 'DELETE', `/api/v1/projects/${id}/partners/${olaOrg}`);
  assert.equal(r.status, 422, r.text);
  assert.match(r.json().errors.partners, /budget lines/);
  assert.equal((await api(null, 'GET', `/api/v1/projects/${id}`)).json().partners.length, 2);
  // two editors from the same version
  const b1 = budget(); b1.lines[0].units = '101';
  const b2 = budget(); b2.lines[0].units = '102';
  const r1 = await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, b1, { headers: { 'if-match': etag } });
  const r2 = await api(olaToken, 'PUT', `/api/v1/projects/${id}/budget`, b2, { headers: { 'if-match': etag } });
  assert.equal(r1.status, 200, r1.text);
  assert.equal(r2.status, 409, r2.text);
  assert.equal(r2.json().code, 'conflict');
  assert.equal((await api(null, 'GET', `/api/v1/projects/${id}/budget`)).json().budget.lines[0].units, '101.00');
  // without budget lines the partner can go
  const b = budget();
  b.lines = b.lines.filter((l) => l.partner !== olaOrg);
  b.cofinancing = b.cofinancing.filter((l) => l.partner !== olaOrg);
  assert.equal((await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, b)).status, 200);
  r = await api(annaToken, 'DELETE', `/api/v1/projects/${id}/partners/${olaOrg}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().partners.length, 1);
  assert.equal((await api(annaToken, 'DELETE', `/api/v1/projects/${id}/partners/${olaOrg}`)).status, 404);
});

test('workflow, permissions, history and revert', async () => {
  const id = await create({ submission_month: '2031-06' });
  // a stranger and the invited (not yet confirmed) partner may not edit
  assert.equal((await api(eveToken, 'PATCH', `/api/v1/projects/${id}`, { summary: 'x' })).status, 403);
  assert.equal((await api(olaToken, 'PATCH', `/api/v1/projects/${id}`, { summary: 'x' })).status, 403);
  await accepted(id);
  // no jumping from idea to submitted
  let r = await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { status: 'submitted' });
  assert.equal(r.status, 422);
  assert.ok(r.json().errors.status);
  assert.equal((await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { status: 'drafting' })).status, 200);
  await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, budget());
  // submitting with Swedish amounts and no rate for the month: refused, nothing saved
  const before = (await api(null, 'GET', `/api/v1/projects/${id}`)).json().version;
  r = await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { status: 'submitted' }, { lang: 'sv' });
  assert.equal(r.status, 422);
  assert.match(r.json().errors.status, /2031-06/);
  assert.equal((await api(null, 'GET', `/api/v1/projects/${id}`)).json().version, before);
  assert.equal((await api(rootToken, 'POST', '/api/v1/rates', { month: '2031-06', currency: 'SEK', rate: '10.5000' })).status, 200);
  r = await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { status: 'submitted' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().status, 'submitted');
  // history and revert through the pipeline
  const h = (await api(annaToken, 'GET', `/api/v1/projects/${id}/history`)).json().items;
  assert.ok(h.length >= 4);
  assert.ok(h[0].changes.status);
  assert.equal((await api(eveToken, 'GET', `/api/v1/projects/${id}/history`)).status, 403);
  r = await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { acronym: 'Renamed' });
  assert.equal(r.status, 200);
  const v = r.json().version;
  r = await api(annaToken, 'POST', `/api/v1/projects/${id}/revert`, { version: v - 1 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().acronym, 'FinnTour');
});

test('pages: the list with filters, the project page with its checklist in Swedish, escaping, the forms', async () => {
  const id = await create({ acronym: 'Esc<b>', summary: X });
  const sv = new Client(srv.base, { lang: 'sv' });
  sv.cookies.set('lang', 'sv');
  let r = await sv.get('/projects?programme=interreg-se-no');
  assert.equal(r.status, 200);
  assert.match(r.text, new RegExp(`/projects/${id}"`));
  assert.ok(!r.text.includes(X));
  assert.ok(r.text.includes('&lt;script&gt;'));
  r = await sv.get('/projects?programme=npa');
  assert.doesNotMatch(r.text, new RegExp(`/projects/${id}"`));
  r = await sv.get('/projects?country=NO&seeking=1');
  assert.match(r.text, new RegExp(`/projects/${id}"`));
  assert.equal((await sv.get('/projects?status=bogus')).status, 400);
  r = await sv.get(`/projects/${id}`);
  assert.equal(r.status, 200);
  assert.ok(!r.text.includes('Esc<b>'));
  assert.match(r.text, /data-code="both-countries"/);
  assert.doesNotMatch(r.text, /Eligibility checklist/);
  // the invited organisation's admin answers on the page
  r = await ola.get(`/projects/${id}`);
  assert.match(r.text, new RegExp(`/projects/${id}/partners/${olaOrg}/answer`));
  r = await ola.submit(`/projects/${id}`, `/projects/${id}/partners/${olaOrg}/answer`, { accept: '1' });
  assert.equal(r.status, 303, r.text.slice(0, 500));
  // new and edit forms
  r = await ola.submit('/projects/new', '/projects/new', { acronym: '', title_en: 'Nothing', type: 'small', start: '2027-01', duration_months: '12', programme: '' });
  assert.equal(r.status, 422);
  r = await ola.submit('/projects/new', '/projects/new', { acronym: 'OlaNew', title_nb: 'Nytt prosjekt', type: 'small', start: '2027-01', duration_months: '12', programme: '' });
  assert.equal(r.status, 303, r.text.slice(0, 800));
  const nid = /\/projects\/(\d+)$/.exec(r.location)[1];
  r = await ola.submit(`/projects/${nid}/edit`, `/projects/${nid}/edit`, { acronym: 'OlaNew2', title_nb: 'Nytt prosjekt', type: 'small', start: '2027-01', duration_months: '12', programme: 'interreg-se-no', status: 'seeking-partners', cross_border: 'border-as-resource', cross_border_justification: 'Grensen' });
  assert.equal(r.status, 303, r.text.slice(0, 800));
  const p = (await api(null, 'GET', `/api/v1/projects/${nid}`)).json();
  assert.equal(p.acronym, 'OlaNew2');
  assert.equal(p.status, 'seeking-partners');
  assert.deepEqual(p.cross_border, ['border-as-resource']);
  // Eve may not open the edit page
  const eve = new Client(srv.base);
  await eve.login('eve@example.org', 'eve password 12');
  assert.equal((await eve.get(`/projects/${nid}/edit`)).status, 403);
  // the list API
  const l = (await api(null, 'GET', '/api/v1/projects?status=seeking-partners')).json();
  assert.ok(l.items.some((x) => x.id === Number(nid)));
  assert.ok(l.items.every((x) => x.status === 'seeking-partners'));
});

test('demo data: projects in several states, the Finnskogen one with a complete budget', async () => {
  const l = (await api(null, 'GET', '/api/v1/projects?programme=interreg-se-no&status=drafting')).json();
  const fin = l.items.find((x) => x.acronym === 'FinnSkog');
  assert.ok(fin);
  const b = (await api(null, 'GET', `/api/v1/projects/${fin.id}/budget`)).json();
  assert.equal(b.sides[0].partners.length, 2);
  assert.equal(b.sides[1].partners.length, 1);
  assert.ok(Number(b.total_eur) > 0);
  const c = (await api(null, 'GET', `/api/v1/projects/${fin.id}/checklist`)).json();
  assert.equal(c.items.find((i) => i.code === 'cofinancing-100').ok, true);
  assert.equal(c.items.find((i) => i.code === 'both-countries').ok, true);
});

test('granslos import rates: the ECB monthly CSV and the InforEuro JSON, all or nothing', async () => {
  const dir = srv.dir;
  const csv = join(dir, 'rates.csv');
  writeFileSync(csv, 'month,eur_sek_avg,eur_nok_avg,eur_sek_penultimate_prev_month,eur_nok_penultimate_prev_month,penultimate_date\n2032-01,11.1,11.2,11.0512,11.3,2031-12-30\n');
  let r = cli(['import', 'rates', csv], { db: srv.db });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /2 rates imported/);
  const json = join(dir, 'inforeuro.json');
  writeFileSync(json, JSON.stringify([{ country: 'Sweden', currency: 'Swedish krona', isoA3Code: 'SEK', isoA2Code: 'SE', value: 11.2345, comment: null },
    { country: 'Denmark', currency: 'Danish krone', isoA3Code: 'DKK', isoA2Code: 'DK', value: 7.46, comment: null }]));
  r = cli(['import', 'rates', json], { db: srv.db });
  assert.notEqual(r.code, 0);
  assert.match(r.err, /month/);
  r = cli(['import', 'rates', json, '2032-02'], { db: srv.db });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /1 rates imported/);
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'month,eur_sek_avg,eur_nok_avg,eur_sek_penultimate_prev_month,eur_nok_penultimate_prev_month,penultimate_date\n2032-03,1,1,11.1,11.2,x\n2032-04,1,1,abc,1,x\n');
  r = cli(['import', 'rates', bad], { db: srv.db });
  assert.notEqual(r.code, 0);
  assert.match(r.err, /line 3/);
  // the project of 2032-02 converts at the imported rate; 2032-03 was not saved (all or nothing)
  const id = await create({ submission_month: '2032-02' });
  await accepted(id);
  await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, budget());
  assert.equal((await api(null, 'GET', `/api/v1/projects/${id}/budget`)).json().sides[0].partners[0].rate, '11.2345');
  await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { submission_month: '2032-03' });
  assert.equal((await api(null, 'GET', `/api/v1/projects/${id}/budget`)).status, 409);
});

test('the budget form: filled on the page, errors shown with the input kept, the same totals as the API', async () => {
  const id = await create({ submission_month: '2026-03' });
  await accepted(id);
  const c = new Client(srv.base, { lang: 'en' });
  await c.login('anna@example.se', 'anna password 1');
  let r = await c.get(`/projects/${id}/budget`);
  assert.equal(r.status, 200);
  assert.match(r.text, /name="line_units_0"/);
  const fields = {
    flat_office: '15', funding_erdf: '60', funding_ir: '50',
    line_partner_0: String(annaOrg), line_category_0: 'staff', line_period_0: '1', line_units_0: '100', line_price_0: '550.00', line_currency_0: 'SEK',
    line_partner_1: String(annaOrg), line_category_1: 'external', line_period_1: '2', line_units_1: '1', line_price_1: '12345.67', line_currency_1: 'SEK',
    line_partner_2: String(olaOrg), line_category_2: 'staff', line_period_2: '1', line_units_2: '33.5', line_price_2: '612.40', line_currency_2: 'NOK',
    line_partner_3: String(olaOrg), line_category_3: 'equipment', line_period_3: '3', line_units_3: '2', line_price_3: '999.99', line_currency_3: 'NOK',
    line_currency_4: 'SEK',
    cof_partner_0: String(annaOrg), cof_source_0: 'ERDF', cof_percent_0: '60', cof_partner_1: String(annaOrg), cof_source_1: 'Own', cof_percent_1: '39.99',
    cof_partner_2: String(olaOrg), cof_source_2: 'IR', cof_percent_2: '100',
  };
  // 99.99 %: refused, the form shown again with what was typed, nothing saved
  r = await c.submit(`/projects/${id}/budget`, `/projects/${id}/budget`, fields);
  assert.equal(r.status, 422);
  assert.match(r.text, /99\.99 %/);
  assert.match(r.text, /value="12345\.67"/);
  assert.equal((await api(null, 'GET', `/api/v1/projects/${id}`)).json().version, 2);
  r = await c.submit(`/projects/${id}/budget`, `/projects/${id}/budget`, { ...fields, cof_percent_1: '40' });
  assert.equal(r.status, 303, r.text.slice(0, 1000));
  const b = (await api(null, 'GET', `/api/v1/projects/${id}/budget`)).json();
  assert.equal(b.total_eur, '9642.16');
  assert.equal(b.budget.lines.length, 4);
  r = await c.get(`/projects/${id}`);
  assert.match(r.text, /9642\.16 EUR/);
  // a stale form (another save in between, on the budget too) is told, not overwritten
  const stale = await c.get(`/projects/${id}/budget`);
  const version = /name="version" value="(\d+)"/.exec(stale.text)[1];
  const b2 = budget(); b2.lines[0].units = '120';
  assert.equal((await api(olaToken, 'PUT', `/api/v1/projects/${id}/budget`, b2)).status, 200);
  const csrf = /name="csrf" value="([^"]+)"/.exec(stale.text)[1];
  r = await c.post(`/projects/${id}/budget`, { form: new URLSearchParams({ ...fields, cof_percent_1: '40', line_units_0: '130', version, csrf }) });
  assert.equal(r.status, 409);
  assert.equal((await api(null, 'GET', `/api/v1/projects/${id}/budget`)).json().budget.lines[0].units, '120.00');
  // Eve is no partner: no budget form
  const eve = new Client(srv.base);
  await eve.login('eve@example.org', 'eve password 12');
  assert.equal((await eve.get(`/projects/${id}/budget`)).status, 403);
});

test('work plan: work packages, activities and deliverables; at most 20 packages; the Gantt chart and its table', async () => {
  const id = await create({ duration_months: 12 });
  await accepted(id);
  const wp = (n, o = {}) => ({ title: `WP ${n}`, activities: [{ title: `Trail mapping ${n}`, start: 1, end: 2, partners: [annaOrg, olaOrg], deliverables: [{ title: 'Map', period: 2 }], ...o }] });
  let r = await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { work_plan: [wp(1), wp(2, { partners: [] })] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().work_plan[0].activities[0].deliverables[0].title, 'Map');
  let c = (await api(null, 'GET', `/api/v1/projects/${id}/checklist`)).json();
  assert.equal(c.items.find((i) => i.code === 'activities-partner').ok, false);
  assert.equal(c.items.find((i) => i.code === 'periods-within-duration').ok, true);
  // 12 months = 2 periods: an activity to period 3 is outside
  await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { work_plan: [wp(1, { end: 3 })] });
  c = (await api(null, 'GET', `/api/v1/projects/${id}/checklist`)).json();
  assert.equal(c.items.find((i) => i.code === 'periods-within-duration').ok, false);
  assert.equal(c.items.find((i) => i.code === 'activities-partner').ok, true);
  // bad input: 21 packages, an end before the start, a partner from outside, a deliverable after its activity
  const v = (await api(null, 'GET', `/api/v1/projects/${id}`)).json().version;
  for (const bad of [Array.from({ length: 21 }, (_, i) => wp(i)), [wp(1, { start: 2, end: 1 })], [wp(1, { partners: [eveOrg] })],
    [wp(1, { deliverables: [{ title: 'Late', period: 5 }] })], [{ title: '', activities: [] }]]) {
    r = await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { work_plan: bad }, { lang: 'nb' });
    assert.equal(r.status, 422, JSON.stringify(bad).slice(0, 200) + r.text);
  }
  assert.equal((await api(null, 'GET', `/api/v1/projects/${id}`)).json().version, v);
  // removing a partner still in an activity is refused too
  r = await api(annaToken, 'DELETE', `/api/v1/projects/${id}/partners/${olaOrg}`);
  assert.equal(r.status, 422);
  // the page: an SVG chart with a title, and the same as a table
  const page = await new Client(srv.base, { lang: 'en' }).get(`/projects/${id}`);
  assert.match(page.text, /<svg[^>]*role="img"[^>]*aria-labelledby="gantt-title"/);
  assert.match(page.text, /<table class="work-plan">/);
  assert.match(page.text, /Trail mapping 1<\/th><td>1–3<\/td><td>Annas Turism AB, Olas Reiseliv AS<\/td><td>Map \(2\)/);
});

test('granslos import keep: the track record on an organisation\'s projects page and in the API', async () => {
  const dir = srv.dir;
  const projects = join(dir, 'keep-projects.csv');
  writeFileSync(projects, 'Programme,Acronym,Project Name,Project Name language 2,Project Name language 3,Lead Partner,Period,Street\n' +
    '2014 - 2020 INTERREG V-A Sweden - Norway,TRÄBRO,,"Trä, broar och ""gränser""\növer gränsen",,Annas Turism AB,2014-2020,x\n' +
    '2014 - 2020 INTERREG V-A Sweden - Norway,OTHER,Other project,,,Someone,2014-2020,x\n');
  const partners = join(dir, 'keep-partners.csv');
  writeFileSync(partners, 'Programme,Acronym,Project Partner,Lead Partner,Street,Postal code,Town,Country,Website\n' +
    '2014 - 2020 INTERREG V-A Sweden - Norway,TRÄBRO,ANNAS TURISM AB,Yes,,,,Sweden,\n' +
    '2014 - 2020 INTERREG V-A Sweden - Norway,OTHER,Someone Else,Yes,,,,Norway,\n' +
    `2014 - 2020 INTERREG VB Northern Periphery and Arctic,NPA1,Annas Turism AB,No,,,,Sweden,\n`);
  let r = cli(['import', 'keep', projects], { db: srv.db });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /2 keep\.eu projects imported/);
  r = cli(['import', 'keep', partners], { db: srv.db });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /3 keep\.eu partner rows imported/);
  // a broken file: an unclosed quote; another file kind: refused, nothing changed
  const bad = join(dir, 'keep-bad.csv');
  writeFileSync(bad, 'Programme,Acronym,Project Partner,Lead Partner,Street,Postal code,Town,Country\nP,A,"open,Yes,,,,Sweden\n');
  r = cli(['import', 'keep', bad], { db: srv.db });
  assert.notEqual(r.code, 0);
  assert.match(r.err, /quote/);
  writeFileSync(bad, 'a,b,c\n1,2,3\n');
  assert.notEqual(cli(['import', 'keep', bad], { db: srv.db }).code, 0);
  const j = (await api(null, 'GET', `/api/v1/organisations/${annaOrg}/projects`)).json();
  assert.deepEqual(j.track_record.map((x) => [x.acronym, x.lead]), [['TRÄBRO', true], ['NPA1', false]]);
  assert.equal(j.track_record[0].name, 'Trä, broar och "gränser"\növer gränsen');
  assert.ok(j.projects.length >= 1);
  assert.equal((await api(null, 'GET', '/api/v1/organisations/999999/projects')).status, 404);
  const page = await new Client(srv.base, { lang: 'en' }).get(`/organisations/${annaOrg}/projects`);
  assert.equal(page.status, 200);
  assert.match(page.text, /1 project in 2014 - 2020 INTERREG V-A Sweden - Norway/);
  assert.match(page.text, /TRÄBRO<\/strong> Trä, broar och &quot;gränser&quot;/);
  const sv = await new Client(srv.base, { lang: 'sv' }).get(`/organisations/${annaOrg}/projects`);
  assert.match(sv.text, /Erfarenhet/);
});

test('born from a roundtable bullet: "make this a project" prefills the form, the link is kept and read back', async () => {
  // the Finnskogen bullet of the demo Mötesplats Vision 2022 report
  const bullet = Number(storeSql(srv.db, "SELECT id FROM rt_bullets WHERE text LIKE '%Finnskog%' ORDER BY id LIMIT 1").trim());
  assert.ok(bullet > 0);
  const c = new Client(srv.base, { lang: 'en' });
  await c.login('anna@example.se', 'anna password 1');
  let r = await c.get(`/projects/new?bullet=${bullet}`);
  assert.equal(r.status, 200);
  assert.match(r.text, /Born from the roundtable:/);
  assert.match(r.text, /name="origin_type" value="bullet"/);
  assert.match(r.text, /Finnskog/);
  const csrf = /name="csrf" value="([^"]+)"/.exec(r.text)[1];
  const summary = /<textarea id="f-summary"[^>]*>([^<]*)</.exec(r.text)[1];
  r = await c.post('/projects/new', { form: new URLSearchParams({ csrf, acronym: 'FinnSkog2', title_en: 'Finnskogen', summary, type: 'pre-project',
    start: '2027-03', duration_months: '12', programme: 'interreg-se-no', origin_type: 'bullet', origin_id: String(bullet) }) });
  assert.equal(r.status, 303, r.text.slice(0, 800));
  const id = /\/projects\/(\d+)$/.exec(r.location)[1];
  const p = (await api(null, 'GET', `/api/v1/projects/${id}`)).json();
  assert.deepEqual(p.origin, { type: 'bullet', id: bullet });
  r = await c.get(`/projects/${id}`);
  assert.match(r.text, /class="origin"/);
  // the link back, for the roundtable side
  const back = (await api(null, 'GET', `/api/v1/projects?bullet=${bullet}`)).json();
  assert.deepEqual(back.items.map((x) => x.id), [Number(id)]);
  assert.equal((await api(null, 'GET', `/api/v1/projects?bullet=${bullet + 100000}`)).json().total, 0);
  // and on the roundtable's page: the bullet names its project, and offers "make this a project"
  const table = Number(storeSql(srv.db, `SELECT table_id FROM rt_bullets WHERE id = ${bullet}`).trim());
  r = await c.get(`/roundtables/${table}`);
  const li = r.text.split(`id="b${bullet}"`)[1].split('</li>')[0];
  assert.match(li, new RegExp(`<a href="/projects/${id}">FinnSkog2</a>`));
  assert.match(li, new RegExp(`href="/projects/new\\?bullet=${bullet}"`));
  assert.doesNotMatch((await new Client(srv.base).get(`/roundtables/${table}`)).text, /projects\/new\?bullet/, 'visitors are not offered to start one');
  // an origin that does not exist is refused
  r = await api(annaToken, 'POST', '/api/v1/projects', { ...base(), origin: { type: 'bullet', id: 999999 } });
  assert.equal(r.status, 422);
  assert.ok(r.json().errors.origin);
  r = await api(annaToken, 'POST', '/api/v1/projects', { ...base(), origin: { type: 'event', id: bullet } });
  assert.equal(r.status, 422);
});

test('partner search: sought partners through matchmaking, a track record ranks first, invited from the page', async () => {
  const id = await create({ partners: [{ organisation: annaOrg, role: 'lead-se' }] });
  let r = await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { sought: [{ text: 'energy solar', country: null }, { text: 'packaging wood', country: 'NO' }] });
  assert.equal(r.status, 200, r.text);
  assert.equal((await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { sought: [{ text: 'x', country: 'DK' }] })).status, 422);
  let s = (await api(null, 'GET', `/api/v1/projects/${id}/partner-search`)).json();
  assert.equal(s.profiles.length, 2);
  const first = s.profiles[0].matches;
  assert.ok(first.length >= 2, JSON.stringify(s).slice(0, 500));
  assert.ok(first.every((m) => m.id !== annaOrg && m.name && Array.isArray(m.reasons)));
  assert.ok(s.profiles[1].matches.every((m) => m.country === 'NO'));
  // the last of the matches has done an Interreg project: it comes first, with the reason
  const last = first[first.length - 1];
  const partners = join(srv.dir, 'keep-track.csv');
  writeFileSync(partners, 'Programme,Acronym,Project Partner,Lead Partner,Street,Postal code,Town,Country\n' +
    `2014 - 2020 INTERREG V-A Sweden - Norway,SUN,${JSON.stringify(last.name)},Yes,,,,x\n`);
  assert.equal(cli(['import', 'keep', partners], { db: srv.db }).code, 0);
  s = (await api(null, 'GET', `/api/v1/projects/${id}/partner-search`)).json();
  const top = s.profiles[0].matches[0];
  assert.equal(top.id, last.id);
  assert.ok(top.reasons.some((x) => x.type === 'track-record' && /1 Interreg project/.test(x.text)), JSON.stringify(top.reasons));
  // the page shows them; an editor invites one with a click
  const c = new Client(srv.base, { lang: 'en' });
  await c.login('anna@example.se', 'anna password 1');
  const page = await c.get(`/projects/${id}`);
  assert.match(page.text, /id="partner-search"/);
  assert.match(page.text, new RegExp(`name="organisation" value="${last.id}"`));
  r = await c.submit(`/projects/${id}`, `/projects/${id}/invite`, { organisation: String(last.id) });
  assert.equal(r.status, 303, r.text.slice(0, 500));
  const p = (await api(null, 'GET', `/api/v1/projects/${id}`)).json();
  assert.deepEqual(p.partners.map((x) => [x.organisation, x.state]), [[annaOrg, 'confirmed'], [last.id, 'invited']]);
  // no longer suggested; inviting again is refused
  s = (await api(null, 'GET', `/api/v1/projects/${id}/partner-search`)).json();
  assert.ok(s.profiles[0].matches.every((m) => m.id !== last.id));
  r = await c.submit(`/projects/${id}`, `/projects/${id}/invite`, { organisation: String(last.id) });
  assert.equal(r.status, 422);
  // the edit form keeps the sought partners, one per line
  const edit = await c.get(`/projects/${id}/edit`);
  assert.match(edit.text, /energy solar\npackaging wood/);
});
