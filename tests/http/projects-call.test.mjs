// Projects (issue 16): what the programme's call sets — the flat rates it allows (which
// combinations, each maximum, whether a partner may lower it: data/ref/interreg-call-rules.csv)
// and the reporting period length — against hand-computed budgets, in the API, the checklist,
// the pages, CSV and the workbook read back with openpyxl.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, Client } from './lib.mjs';
import { projectPeople } from './projects-common.mjs';

let srv, api, annaToken, olaToken, annaOrg, olaOrg;

before(async () => {
  srv = await startServer();
  ({ api, annaToken, olaToken, annaOrg, olaOrg } = await projectPeople(srv));
});
after(async () => { await srv.stop(); });

async function create(o = {}) {
  const r = await api(annaToken, 'POST', '/api/v1/projects', {
    acronym: 'CallRules', title: { en: 'Call rules' }, programme: 'interreg-se-no', type: 'main', start: '2026-09', duration_months: 24,
    submission_month: '2026-03', partners: [{ organisation: annaOrg, role: 'lead-se' }, { organisation: olaOrg, role: 'lead-no' }], ...o,
  });
  assert.equal(r.status, 201, r.text);
  const id = r.json().id;
  assert.equal((await api(olaToken, 'POST', `/api/v1/projects/${id}/partners/${olaOrg}/answer`, { accept: true })).status, 200);
  return id;
}

const lines = () => [
  { partner: annaOrg, category: 'staff', period: 1, units: '100', unit_price: '550.00', currency: 'SEK' },
  { partner: annaOrg, category: 'external', period: 2, units: '1', unit_price: '12345.67', currency: 'SEK' },
  { partner: olaOrg, category: 'staff', period: 1, units: '33.5', unit_price: '612.40', currency: 'NOK' },
  { partner: olaOrg, category: 'equipment', period: 3, units: '2', unit_price: '999.99', currency: 'NOK' },
];
const cofinancing = () => [
  { partner: annaOrg, source: 'ERDF', percent: '60' }, { partner: annaOrg, source: 'Own contribution', percent: '40' },
  { partner: olaOrg, source: 'IR', percent: '50' }, { partner: olaOrg, source: 'Innlandet fylkeskommune', percent: '50' },
];
const budget = (flat_rates, l = lines()) => ({ lines: l, flat_rates, cofinancing: cofinancing(), funding: { erdf: '60', ir: '50' } });
const checkItem = async (id, code, lang = 'en') =>
  (await api(null, 'GET', `/api/v1/projects/${id}/checklist`, undefined, { lang })).json().items.find((i) => i.code === code);

// the workbook of a project, every cell as [formula or value, cached value]
async function workbook(id) {
  const res = await fetch(`${srv.base}/projects/${id}/budget.xlsx`, { headers: { cookie: 'lang=en' } });
  assert.equal(res.status, 200);
  const file = join(srv.dir, `call-${id}.xlsx`);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const py = `
import json, sys, openpyxl
f = openpyxl.load_workbook(sys.argv[1])
v = openpyxl.load_workbook(sys.argv[1], data_only=True)
out = {}
for ws in f.worksheets:
    for row in ws.iter_rows():
        for c in row:
            if c.value is not None:
                out[ws.title + "!" + c.coordinate] = [c.value if not isinstance(c.value, float) else round(c.value, 4), v[ws.title][c.coordinate].value]
print(json.dumps(out, default=str))
`;
  const pr = spawnSync(process.env.PYTHON || '/usr/bin/python3', ['-c', py, file], { encoding: 'utf8' });
  assert.equal(pr.status, 0, pr.stderr);
  return JSON.parse(pr.stdout);
}

test('Aurora: method B (15 % + 15 % of staff costs) at exactly the programme rates; a lowered rate, other costs with travel, office on both bases, a rate the call lacks: 422 in the user language, nothing saved', async () => {
  const id = await create({ programme: 'interreg-aurora' });
  // Anna (SEK): staff 55 000.00; office 15 % = 8 250.00; travel 15 % = 8 250.00; external 12 345.67
  //   → 83 845.67 SEK; at 10.6730 = 7 855.87 EUR
  // Ola (NOK): staff 20 515.40; office and travel 15 % = 3 077.31 each; equipment 1 999.98 → 28 670.00 NOK = 2 867.00 EUR
  let r = await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, budget({ office: '15', travel: '15' }));
  assert.equal(r.status, 200, r.text);
  const b = r.json();
  const [se, no] = b.sides;
  assert.equal(se.partners[0].categories.office, '8250.00');
  assert.equal(se.partners[0].categories.travel, '8250.00');
  assert.equal(se.partners[0].total, '83845.67');
  assert.equal(se.partners[0].total_eur, '7855.87');
  assert.equal(no.partners[0].categories.travel, '3077.31');
  assert.equal(no.partners[0].total, '28670.00');
  assert.equal(b.total_eur, '10722.87');
  // the rates applied, with their bases, in the API
  assert.deepEqual(b.flat_rates, [
    { rate: 'office', category: 'office', percent: '15.00', base: 'staff' },
    { rate: 'travel', category: 'travel', percent: '15.00', base: 'staff' },
  ]);
  assert.deepEqual(se.partners[0].flat_rates[1], { rate: 'travel', category: 'travel', percent: '15.00', base: 'staff', base_amount: '55000.00', amount: '8250.00' });
  assert.equal((await checkItem(id, 'flat-rates-allowed')).ok, true);
  const version = (await api(null, 'GET', `/api/v1/projects/${id}`)).json().version;
  const refused = [
    [{ office: '15', travel: '10' }, /15\.00 %/],                 // lowered where the call does not allow it
    [{ other: '40', travel: '15' }, /combines with no other/],     // other costs combine with nothing
    [{ office: '15', office_direct: '7' }, /not both/],            // office on both bases
    [{ staff: '20' }, /does not allow/],                           // a rate Aurora's call does not have
    [{ office: '15.5', travel: '15' }, /at most 15\.00 %/],        // over the maximum
    [{ transport: '5' }, /staff/],                                 // no such flat rate
  ];
  for (const [fr, msg] of refused) {
    r = await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, budget(fr));
    assert.equal(r.status, 422, JSON.stringify(fr) + r.text);
    assert.match(r.headers.get('content-type'), /problem\+json/);
    assert.match(r.json().errors['budget.flat_rates'], msg, JSON.stringify(fr));
  }
  // in Swedish and Norwegian
  for (const lang of ['sv', 'nb']) {
    r = await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, budget({ other: '40', travel: '15' }), { lang });
    assert.equal(r.status, 422);
    assert.doesNotMatch(r.json().errors['budget.flat_rates'], /covers every cost/);
  }
  // other costs cover everything but staff: a line of another category is refused
  r = await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, budget({ other: '40' }));
  assert.equal(r.status, 422);
  assert.match(r.json().errors['budget.lines[1]'], /covered by a flat rate/);
  assert.equal((await api(null, 'GET', `/api/v1/projects/${id}`)).json().version, version);
  assert.equal((await api(null, 'GET', `/api/v1/projects/${id}/budget`)).json().total_eur, '10722.87');
  // method A: 40 % of staff for all other costs. Anna 55 000.00 + 22 000.00 = 77 000.00 SEK = 7 214.47 EUR;
  // Ola 20 515.40 + 8 206.16 = 28 721.56 NOK = 2 872.16 EUR
  r = await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, budget({ other: '40' }, lines().filter((l) => l.category === 'staff')));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().sides[0].partners[0].categories.other, '22000.00');
  assert.equal(r.json().sides[0].partners[0].total, '77000.00');
  assert.equal(r.json().sides[0].partners[0].total_eur, '7214.47');
  assert.equal(r.json().sides[1].partners[0].categories.other, '8206.16');
  assert.equal(r.json().sides[1].partners[0].total, '28721.56');
  // CSV: the other costs' row with its rate and base
  const csv = (await api(null, 'GET', `/projects/${id}/budget.csv`)).text;
  assert.match(csv.split('\r\n')[0], /,flat_rate,flat_rate_base$/);
  assert.match(csv, /se,\d+,"Annas Turism AB",SEK,other,22000\.00,77000\.00,7214\.47,10\.6730,commission,2026-03,40\.00,staff\r\n/);
  assert.match(csv, /se,\d+,"Annas Turism AB",SEK,staff,55000\.00,77000\.00,7214\.47,10\.6730,commission,2026-03,,\r\n/);
  // the workbook: the other costs' row after the six categories, a visible formula on the staff row
  const wb = await workbook(id);
  // (one line in row 6; the categories from row 8: staff … infrastructure, then other costs in row 14)
  assert.deepEqual(wb['1 Annas Turism AB!A14'], ['Other costs (flat rate)', 'Other costs (flat rate)']);
  assert.deepEqual(wb['1 Annas Turism AB!B14'], ['=ROUND(B8*C14/100,2)', 22000]);
  assert.deepEqual(wb['1 Annas Turism AB!C14'], [40, 40]);
  assert.deepEqual(wb['1 Annas Turism AB!B15'], ['=SUM(B8:B14)', 77000]);
  // the summary names the rates applied
  assert.deepEqual(wb['Summary!A8'], ['Flat rates applied:', 'Flat rates applied:']);
  assert.deepEqual(wb['Summary!A9'], ['Other costs, % of staff costs', 'Other costs, % of staff costs']);
  assert.deepEqual(wb['Summary!B9'], [40, 40]);
});

test('Sverige–Norge: staff 20 % of the other direct costs and office 7 % of the direct costs, exact to the cent, in the workbook as formulas', async () => {
  const id = await create();
  // Anna: other direct costs 12 345.67; staff 20 % = 2 469.134 → 2 469.13; direct costs 14 814.80;
  //   office 7 % = 1 037.036 → 1 037.04; total 15 851.84 SEK = 1 485.23 EUR
  // Ola: other direct 1 999.98; staff 399.996 → 400.00; direct 2 399.98; office 167.9986 → 168.00; 2 567.98 NOK
  const l = lines().filter((x) => x.category !== 'staff');
  let r = await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, budget({ staff: '20', office_direct: '7' }, l));
  assert.equal(r.status, 200, r.text);
  const [se, no] = r.json().sides;
  assert.equal(se.partners[0].categories.staff, '2469.13');
  assert.equal(se.partners[0].categories.office, '1037.04');
  assert.equal(se.partners[0].total, '15851.84');
  assert.equal(se.partners[0].total_eur, '1485.23');
  assert.equal(no.partners[0].categories.staff, '400.00');
  assert.equal(no.partners[0].categories.office, '168.00');
  assert.equal(no.partners[0].total, '2567.98');
  assert.deepEqual(se.partners[0].flat_rates.map((f) => [f.rate, f.base, f.base_amount, f.amount]),
    [['staff', 'other-direct-costs', '12345.67', '2469.13'], ['office_direct', 'direct-costs', '14814.80', '1037.04']]);
  // staff lines under a staff flat rate; a travel flat rate beside it
  r = await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, budget({ staff: '20' }));
  assert.equal(r.status, 422);
  assert.match(r.json().errors['budget.lines[0]'], /covered by a flat rate/);
  r = await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, budget({ staff: '20', travel: '15' }, l));
  assert.equal(r.status, 422);
  assert.match(r.json().errors['budget.flat_rates'], /Travel/);
  // the workbook: one line (row 6), the categories from row 8
  const wb = await workbook(id);
  assert.deepEqual(wb['1 Annas Turism AB!B8'], ['=ROUND((B10+B11+B12+B13)*C8/100,2)', 2469.13]);
  assert.deepEqual(wb['1 Annas Turism AB!D8'], ['% of the other direct costs', '% of the other direct costs']);
  assert.deepEqual(wb['1 Annas Turism AB!B9'], ['=ROUND((B8+B10+B11+B12+B13)*C9/100,2)', 1037.04]);
  assert.deepEqual(wb['1 Annas Turism AB!C9'], [7, 7]);
  assert.deepEqual(wb['1 Annas Turism AB!B14'], ['=SUM(B8:B13)', 15851.84]);
  // the project page shows the rates applied
  const page = (await api(null, 'GET', `/projects/${id}`)).text;
  assert.match(page, /<li data-rate="staff">Staff costs, % of the other direct costs: 20\.00 %<\/li>/);
  assert.match(page, /<li data-rate="office_direct">Office and administration, % of direct costs: 7\.00 %<\/li>/);
});

test('a programme changed under a saved budget: kept, and the checklist says what the new call does not allow', async () => {
  const id = await create();
  assert.equal((await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, budget({ office: '15', travel: '10' }))).status, 200);
  assert.equal((await checkItem(id, 'flat-rates-allowed')).ok, true);
  const p = await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { programme: 'interreg-aurora' });
  assert.equal(p.status, 200, p.text);
  const it = await checkItem(id, 'flat-rates-allowed');
  assert.equal(it.ok, false);
  assert.match(it.message, /Travel and accommodation, % of staff costs: the programme's rate is 15\.00 %/);
  assert.doesNotMatch((await checkItem(id, 'flat-rates-allowed', 'nb')).message, /the programme's rate/);
  // the same rates again are no change; a change must be one the call allows
  assert.equal((await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, budget({ office: '15', travel: '10' }))).status, 200);
  assert.equal((await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, budget({ office: '15', travel: '12' }))).status, 422);
  assert.equal((await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, budget({ office: '15', travel: '15' }))).status, 200);
  assert.equal((await checkItem(id, 'flat-rates-allowed')).ok, true);
});

test('reporting periods from the call: ceil(duration / length), dated from the planned start on the work plan, budget and Gantt; lump sums in the preparation and closure', async () => {
  // 10 months of 4: periods 1 (months 1–4), 2 (5–8), 3 (9–10)
  const id = await create({ duration_months: 10, period_months: 4 });
  const d = (await api(null, 'GET', `/api/v1/projects/${id}`)).json();
  assert.equal(d.period_months, 4);
  let r = await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, {
    ...budget({ office: '15' }, lines().map((l) => ({ ...l, period: 3 }))),
    lump_sums: [{ partner: olaOrg, period: 'preparation', description: 'Writing the application', amount: '30000', currency: 'NOK' },
                { partner: olaOrg, period: 'closure', description: 'Final report', amount: '5000.50', currency: 'NOK' }],
  });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json().sides[1].partners[0].periods, { 3: '22515.38', preparation: '30000.00', closure: '5000.50' });
  assert.equal((await checkItem(id, 'periods-within-duration')).ok, true);
  // a line in the closure, a lump sum in an unknown phase: refused
  r = await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, budget({ office: '15' }, [{ ...lines()[0], period: 'closure' }]));
  assert.equal(r.status, 422);
  assert.ok(r.json().errors['budget.lines[0]']);
  r = await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, { ...budget({ office: '15' }), lump_sums: [{ partner: olaOrg, period: 'later', description: 'x', amount: '1', currency: 'NOK' }] });
  assert.equal(r.status, 422);
  assert.match(r.json().errors['budget.lump_sums[0]'], /preparation/);
  // the work plan: an activity in period 3 is within; the Gantt dates each period from 2026-09
  r = await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { work_plan: [{ title: 'Trails', activities: [{ title: 'Map', start: 1, end: 3, partners: [annaOrg] }] }] });
  assert.equal(r.status, 200, r.text);
  assert.equal((await checkItem(id, 'periods-within-duration')).ok, true);
  let page = (await api(null, 'GET', `/projects/${id}`)).text;
  assert.match(page, /3 reporting periods of 4 months/);
  assert.match(page, /<tr><th scope="row">2<\/th><td>5–8<\/td><td>2027-01 – 2027-04<\/td><\/tr>/);
  assert.match(page, /<tr><th scope="row">3<\/th><td>9–10<\/td><td>2027-05 – 2027-06<\/td><\/tr>/);
  assert.match(page, /font-size="9"[^>]*>2027-05<\/text>/);          // the Gantt's third column starts in May 2027
  assert.match(page, /<td>1–3<\/td>/);                                  // the activity's periods in the table
  // the programme's six months instead: two periods, and period 3 is outside
  r = await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { period_months: null });
  assert.equal(r.status, 200, r.text);
  assert.equal((await api(null, 'GET', `/api/v1/projects/${id}`)).json().period_months, null);
  assert.equal((await checkItem(id, 'periods-within-duration')).ok, false);
  page = (await api(null, 'GET', `/projects/${id}`)).text;
  assert.match(page, /2 reporting periods of 6 months/);
  assert.match(page, /<td>7–10<\/td><td>2027-03 – 2027-06<\/td>/);
  // a length outside 1–12, in Swedish
  for (const bad of [0, 13, '6', 2.5]) {
    r = await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { period_months: bad }, { lang: 'sv' });
    assert.equal(r.status, 422, String(bad));
    assert.ok(r.json().errors.period_months);
    assert.doesNotMatch(r.json().errors.period_months, /reporting period/);
  }
  // the budget form: the periods with their dates, the call's rules, a lump sum's period a choice
  const c = new Client(srv.base, { lang: 'en' });
  await c.login('anna@example.se', 'anna password 1');
  const form = (await c.get(`/projects/${id}/budget`)).text;
  assert.match(form, /id="budget-periods"/);
  assert.match(form, /Flat rates applied:<\/p><ul class="flat-rates"><li data-rate="office">Office and administration, % of staff costs: 15\.00 %<\/li><\/ul>/);
  assert.match(form, /<li data-rate="other">Other costs, % of staff costs: at most 40\.00 %<\/li>/);
  assert.match(form, /<option value="preparation" selected>Preparation<\/option>/);
  assert.match(form, /<option value="2">Period 2 \(2027-03 – 2027-06\)<\/option>/);
  assert.match(form, /<option value="closure" selected>Closure<\/option>/);
  assert.match(form, /name="flat_office_direct"/);
  // the Aurora form says its rates are fixed
  const a = await create({ programme: 'interreg-aurora' });
  assert.match((await c.get(`/projects/${a}/budget`)).text, /<li data-rate="travel">Travel and accommodation, % of staff costs: exactly 15\.00 % \(a partner may not lower it\)<\/li>/);
  // the Markdown names the phases
  const md = (await api(null, 'GET', `/projects/${id}/application.md`)).text;
  assert.match(md, /Olas Reiseliv AS, preparation: Writing the application: 30000\.00 NOK/);
  assert.match(md, /Reporting periods: 1 \(2026-09 – 2027-02\), 2 \(2027-03 – 2027-06\)\n/);
});
