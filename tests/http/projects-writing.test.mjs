// Writing an Interreg application together (issue 16): sections with their own edit pages,
// history, comments and ready marks; sections only the lead partners edit; the submitted
// version frozen and readable; deadlines in the project's iCalendar feed and the shared
// calendar; EU output and result indicators; lump sums; the work-plan form; stale forms told.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, Client } from './lib.mjs';
import { projectPeople } from './projects-common.mjs';

let srv, api, annaToken, olaToken, eveToken, rootToken, annaOrg, olaOrg, eveOrg, ola, eve;

before(async () => {
  srv = await startServer();
  ({ api, annaToken, olaToken, rootToken, annaOrg, olaOrg, ola } = await projectPeople(srv));
  srv.user('eve@example.org', 'Eve Partner', { password: 'eve password 12' });
  eveToken = srv.token('eve@example.org');
  eveOrg = (await api(eveToken, 'POST', '/api/v1/organisations', { name: 'Eves Skog AB', country: 'SE', kind: 'company', municipality: '1737' })).json().id;
  assert.equal((await api(rootToken, 'POST', '/api/v1/rates', { month: '2026-03', currency: 'SEK', rate: '10.6730' })).status, 200);
  eve = new Client(srv.base, { lang: 'sv' });
  eve.cookies.set('lang', 'sv');
  await eve.login('eve@example.org', 'eve password 12');
});
after(async () => { await srv.stop(); });

// a project with both lead partners confirmed and Eve's organisation as a confirmed plain partner
async function project(o = {}) {
  const r = await api(annaToken, 'POST', '/api/v1/projects', {
    acronym: 'SkogTur', title: { sv: 'Skogsturism', nb: 'Skogsturisme', en: 'Forest tourism' }, programme: 'interreg-se-no', type: 'main',
    start: '2026-09', duration_months: 24, submission_month: '2026-03', summary: 'Tourism in the border forest.',
    partners: [{ organisation: annaOrg, role: 'lead-se' }, { organisation: olaOrg, role: 'lead-no' }, { organisation: eveOrg, role: 'partner', invited_by: annaOrg }],
    ...o,
  });
  assert.equal(r.status, 201, r.text);
  const id = r.json().id;
  assert.equal((await api(olaToken, 'POST', `/api/v1/projects/${id}/partners/${olaOrg}/answer`, { accept: true })).status, 200);
  assert.equal((await api(eveToken, 'POST', `/api/v1/projects/${id}/partners/${eveOrg}/answer`, { accept: true })).status, 200);
  return id;
}

test('sections: listed in the order of the form; comments by partners only; ready marks that notice a later change', async () => {
  const id = await project();
  let r = await api(null, 'GET', `/api/v1/projects/${id}/sections`, undefined, { lang: 'sv' });
  assert.equal(r.status, 200);
  const s = r.json().sections;
  assert.deepEqual(s.map((x) => x.section), ['identification', 'partners', 'description', 'work-plan', 'budget', 'deadlines']);
  assert.deepEqual(s.map((x) => x.letter), ['A', 'B', 'C', 'C', 'D–E', '']);
  assert.equal(s[0].label, 'Projektidentifiering');
  assert.ok(s.every((x) => x.ready === false && x.comments === 0));
  // comments: a partner's member comments, an outsider may not, a visitor must log in
  r = await api(eveToken, 'POST', `/api/v1/projects/${id}/sections/work-plan/comments`, { body: 'WP2 needs a Norwegian partner.' });
  assert.equal(r.status, 201, r.text);
  srv.user('mallory@example.org', 'Mallory Outsider', { password: 'mallory pass 12' });
  assert.equal((await api(srv.token('mallory@example.org'), 'POST', `/api/v1/projects/${id}/sections/work-plan/comments`, { body: 'x' })).status, 403);
  assert.equal((await api(null, 'POST', `/api/v1/projects/${id}/sections/work-plan/comments`, { body: 'x' })).status, 401);
  r = await api(olaToken, 'POST', `/api/v1/projects/${id}/sections/work-plan/comments`, { body: '   ' }, { lang: 'nb' });
  assert.equal(r.status, 422);
  assert.equal(r.json().errors.body, 'Skriv kommentaren først.');
  assert.equal((await api(olaToken, 'POST', `/api/v1/projects/${id}/sections/nonsense/comments`, { body: 'x' })).status, 404);
  r = await api(olaToken, 'GET', `/api/v1/projects/${id}/sections/work-plan/comments`);
  assert.deepEqual(r.json().comments.map((c) => [c.body, c.user.name]), [['WP2 needs a Norwegian partner.', 'Eve Partner']]);
  // ready: marked at the current version; a change of the section afterwards shows; other sections stay ready
  r = await api(olaToken, 'PUT', `/api/v1/projects/${id}/sections/work-plan/ready`, { ready: true });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().ready, true);
  assert.equal(r.json().changed_since_ready, false);
  assert.equal(r.json().ready_mark.user.name, 'Ola Nordmann');
  assert.equal((await api(olaToken, 'PUT', `/api/v1/projects/${id}/sections/description/ready`, { ready: true })).status, 200);
  assert.equal((await api(olaToken, 'PUT', `/api/v1/projects/${id}/sections/description/ready`, { ready: 'yes' })).status, 422);
  r = await api(eveToken, 'PATCH', `/api/v1/projects/${id}`, { work_plan: [{ title: 'Trails', activities: [{ title: 'Map the trails', start: 1, end: 2, partners: [eveOrg] }] }] });
  assert.equal(r.status, 200, r.text);
  const st = (await api(null, 'GET', `/api/v1/projects/${id}/sections`)).json().sections;
  const by = (k) => st.find((x) => x.section === k);
  assert.equal(by('work-plan').changed_since_ready, true);
  assert.equal(by('work-plan').comments, 1);
  assert.equal(by('description').changed_since_ready, false);
  assert.equal(by('description').ready, true);
  // taking the mark back
  r = await api(olaToken, 'PUT', `/api/v1/projects/${id}/sections/description/ready`, { ready: false });
  assert.equal(r.json().ready, false);
});

test('sections their role allows: a plain partner writes the work plan but not the identification or the partner list', async () => {
  const id = await project();
  let r = await api(eveToken, 'PATCH', `/api/v1/projects/${id}`, { acronym: 'EveTour' }, { lang: 'sv' });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json().errors.acronym, 'Bara de ledande partnerna redigerar det här avsnittet av ansökan.');
  r = await api(eveToken, 'PATCH', `/api/v1/projects/${id}`, { cross_border: ['border-as-resource'], cross_border_justification: 'One forest.' });
  assert.equal(r.status, 200, r.text);
  r = await api(olaToken, 'PATCH', `/api/v1/projects/${id}`, { acronym: 'OlaTour' });
  assert.equal(r.status, 200, r.text);
  // the section page says so, without the form
  r = await eve.get(`/projects/${id}/sections/identification`);
  assert.equal(r.status, 200);
  assert.match(r.text, /Bara de ledande partnerna/);
  assert.doesNotMatch(r.text, /name="acronym"/);
  r = await eve.get(`/projects/${id}/sections/description`);
  assert.match(r.text, /name="cross_border_justification"/);
  // the history of one section names only the versions that changed it, with who
  r = await ola.get(`/projects/${id}/sections/description`);
  assert.match(r.text, /Eve Partner/);
  r = await ola.get(`/projects/${id}/sections/identification`);
  assert.match(r.text, /Ola Nordmann/);
  assert.doesNotMatch(r.text.split('id="history"')[1], /Eve Partner/);
  // outsiders: no section page
  const mal = new Client(srv.base);
  srv.user('trudy@example.org', 'Trudy Outsider', { password: 'trudy pass 123' });
  await mal.login('trudy@example.org', 'trudy pass 123');
  assert.equal((await mal.get(`/projects/${id}/sections/work-plan`)).status, 403);
  assert.equal((await ola.get(`/projects/${id}/sections/nonsense`)).status, 404);
});

test('submitting freezes a version: later edits make new ones, the submitted one stays readable as it was sent', async () => {
  const id = await project({ cross_border: ['border-as-resource'], cross_border_justification: 'One forest.' });
  assert.equal((await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { status: 'drafting' })).status, 200);
  let r = await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { status: 'submitted' });
  assert.equal(r.status, 200, r.text);
  const sent = r.json().version;
  r = await api(null, 'GET', `/api/v1/projects/${id}/submissions`);
  assert.deepEqual(r.json().submissions.map((x) => [x.version, x.user.name]), [[sent, 'Anna Andersson']]);
  // an edit after submission: a new version; the submitted one unchanged
  r = await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { summary: 'Changed after sending.' });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json().version > sent);
  r = await api(null, 'GET', `/api/v1/projects/${id}/submissions/${sent}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().application.summary, 'Tourism in the border forest.');
  assert.equal(r.json().application.status, 'submitted');
  assert.equal(r.json().submitted_at.length, 20);
  assert.equal((await api(null, 'GET', `/api/v1/projects/${id}/submissions/${sent + 1}`)).status, 404);
  // the page and the Markdown of the version that was sent
  r = await ola.get(`/projects/${id}/submitted/${sent}`);
  assert.equal(r.status, 200);
  assert.match(r.text, /Tourism in the border forest\./);
  assert.doesNotMatch(r.text, /Changed after sending/);
  assert.doesNotMatch(r.text, /name="version"/, 'read-only');
  assert.equal((await ola.get(`/projects/${id}/submitted/${sent + 1}`)).status, 404);
  r = await ola.get(`/projects/${id}/application.md?version=${sent}`);
  assert.equal(r.status, 200);
  assert.match(r.text, /Tourism in the border forest\./);
  assert.equal((await ola.get(`/projects/${id}/application.md?version=abc`)).status, 404);
  r = await ola.get(`/projects/${id}`);
  assert.match(r.text, new RegExp(`/projects/${id}/submitted/${sent}`));
  // submitting again later (after a return to drafting) makes a second frozen version
  assert.equal((await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { status: 'drafting' })).status, 200);
  assert.equal((await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { status: 'submitted' })).status, 200);
  assert.equal((await api(null, 'GET', `/api/v1/projects/${id}/submissions`)).json().submissions.length, 2);
});

test('deadlines: typed in, checked, in the project iCalendar feed and in the shared calendar', async () => {
  const id = await project();
  const soon = new Date(Date.now() + 20 * 86400e3).toISOString().slice(0, 10);
  const far = new Date(Date.now() + (3 * 366 + 40) * 86400e3).toISOString().slice(0, 10);   // beyond the shared feed's three years
  let r = await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { deadlines: [{ date: '2027-02-30', title: 'Impossible' }] }, { lang: 'sv' });
  assert.equal(r.status, 422);
  assert.match(r.json().errors['deadlines[0]'], /ÅÅÅÅ-MM-DD/);
  r = await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { deadlines: Array.from({ length: 21 }, () => ({ date: soon, title: 'x' })) });
  assert.equal(r.status, 422);
  r = await api(eveToken, 'PATCH', `/api/v1/projects/${id}`, { deadlines: [{ date: soon, title: 'Call closes <b>' }, { date: far, title: 'Final report' }] });
  assert.equal(r.status, 200, r.text);
  r = await api(null, 'GET', `/projects/${id}/deadlines.ics`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/calendar/);
  assert.match(r.text, new RegExp(`DTSTART;VALUE=DATE:${soon.replaceAll('-', '')}`));
  assert.match(r.text, /SUMMARY:SkogTur: Call closes <b>/);
  assert.equal((r.text.match(/BEGIN:VEVENT/g) || []).length, 2);
  r = await api(null, 'GET', '/events', undefined, { lang: 'en' });
  assert.match(r.text, /Application deadlines of projects/);
  assert.match(r.text, /Call closes &lt;b&gt;/);
  assert.doesNotMatch(r.text, /Final report/, 'more than a year ahead');
  assert.equal((await api(null, 'GET', '/projects/999999/deadlines.ics')).status, 404);
  // the shared calendar's feed: a public item for everyone, and in each partner organisation's feed
  const uid = new RegExp(`UID:project-${id}-deadline-${soon}-0@granslos`);
  const day = new RegExp(`DTSTART;VALUE=DATE:${soon.replaceAll('-', '')}`);
  r = await api(null, 'GET', '/calendar.ics');
  assert.equal(r.status, 200);
  assert.match(r.text, uid);
  assert.match(r.text, day);
  assert.match(r.text, /SUMMARY:SkogTur: Call closes <b>/);
  assert.match(r.text, new RegExp(`URL:http://[^\\r\\n]+/projects/${id}`));
  assert.doesNotMatch(r.text, /Final report/, 'beyond the feed\'s three years');
  assert.match((await api(null, 'GET', `/calendar.ics?org=${eveOrg}`)).text, uid);
  const stranger = (await api(eveToken, 'POST', '/api/v1/organisations', { name: 'Ingen Partner AB', country: 'SE', kind: 'company', municipality: '1737' })).json().id;
  assert.doesNotMatch((await api(null, 'GET', `/calendar.ics?org=${stranger}`)).text, uid, 'not a partner of the project');
  assert.doesNotMatch((await api(null, 'GET', '/calendar.ics?country=NO')).text, uid, 'a filter of events by place');
  // a withdrawn project's deadlines leave the shared feed (its own feed keeps them)
  assert.equal((await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { status: 'withdrawn' })).status, 200);
  assert.doesNotMatch((await api(null, 'GET', '/calendar.ics')).text, uid);
  assert.match((await api(null, 'GET', `/projects/${id}/deadlines.ics`)).text, /Call closes/);
});

test('indicators: the EU list, codes and targets checked', async () => {
  const id = await project();
  let r = await api(null, 'GET', '/api/v1/indicators');
  assert.equal(r.json().items.length, 161);
  assert.deepEqual(r.json().items.find((x) => x.code === 'RCO87'), { code: 'RCO87', kind: 'output', name: 'Organisations cooperating across borders', unit: 'organisations' });
  r = await api(eveToken, 'PATCH', `/api/v1/projects/${id}`, { indicators: [{ code: 'RCO999', target: '1' }, { code: 'RCR84', target: '-2' }] });
  assert.equal(r.status, 422);
  assert.ok(r.json().errors['indicators[0]'] && r.json().errors['indicators[1]'], r.text);
  r = await api(eveToken, 'PATCH', `/api/v1/projects/${id}`, { indicators: [{ code: 'RCO87', target: '3' }, { code: 'RCO87', target: '4' }] });
  assert.equal(r.status, 422);
  r = await api(eveToken, 'PATCH', `/api/v1/projects/${id}`, { indicators: [{ code: 'RCO87', target: '3' }, { code: 'RCR84', target: '2.5' }] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json().indicators, [{ code: 'RCO87', target: '3.00' }, { code: 'RCR84', target: '2.50' }]);
  r = await api(null, 'GET', `/projects/${id}`, undefined, { lang: 'sv' });
  assert.match(r.text, /RCO87 <span lang="en">Organisations cooperating across borders<\/span>/);
  r = await api(null, 'GET', `/projects/${id}/application.md`);
  assert.match(r.text, /- RCR84 Organisations cooperating across borders after project completion: 2\.50 organisations/);
});

test('lump sums: in the partner currency, in the totals, the checklist, the workbook and section E; bad ones refused', async () => {
  const id = await project();
  const lines = [
    { partner: annaOrg, category: 'staff', period: 1, units: '100', unit_price: '550.00', currency: 'SEK' },
    { partner: olaOrg, category: 'staff', period: 1, units: '10', unit_price: '600', currency: 'NOK' },
  ];
  const cof = [{ partner: annaOrg, source: 'ERDF', percent: '100' }, { partner: olaOrg, source: 'IR', percent: '100' }];
  let r = await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, { lines, cofinancing: cof, lump_sums: [{ partner: olaOrg, period: 1, description: 'Preparation', amount: '30000', currency: 'SEK' }] });
  assert.equal(r.status, 422, 'a Norwegian partner budgets in NOK');
  r = await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, { lines, cofinancing: cof, lump_sums: [{ partner: olaOrg, period: 1, description: 'Preparation', amount: '-5', currency: 'NOK' }] });
  assert.equal(r.status, 422);
  assert.ok(r.json().errors['budget.lump_sums[0]']);
  r = await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, { lines, cofinancing: cof, lump_sums: [{ partner: olaOrg, period: 1, description: 'Preparation', amount: '30000', currency: 'NOK' }] });
  assert.equal(r.status, 200, r.text);
  // Ola: 10 × 600 = 6 000 + 30 000 lump sum = 36 000 NOK = 3 600.00 EUR at 10 NOK/EUR
  const no = r.json().sides.find((s) => s.side === 'no').partners[0];
  assert.equal(no.categories.lump_sum, '30000.00');
  assert.equal(no.total, '36000.00');
  assert.equal(no.total_eur, '3600.00');
  // a lump sum beyond the duration (24 months: 4 periods)
  r = await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, { lines, cofinancing: cof, lump_sums: [{ partner: olaOrg, period: 5, description: 'Late', amount: '1', currency: 'NOK' }] });
  assert.equal(r.status, 200);
  const c = (await api(null, 'GET', `/api/v1/projects/${id}/checklist`)).json();
  assert.equal(c.items.find((i) => i.code === 'periods-within-duration').ok, false);
  r = await api(null, 'GET', `/projects/${id}/application.md`);
  assert.match(r.text, /## E Lump sums\n\n- Olas Reiseliv AS, period 5: Late: 1\.00 NOK/);
  r = await api(null, 'GET', `/projects/${id}/budget.csv`);
  assert.match(r.text, /"Olas Reiseliv AS",NOK,lump_sum,1\.00,/);
  // the partner with a lump sum cannot be removed
  r = await api(annaToken, 'DELETE', `/api/v1/projects/${id}/partners/${olaOrg}`);
  assert.equal(r.status, 422);
});

test('the work-plan form: work packages, activities with partners, deliverables and indicators; a stale form is told', async () => {
  const id = await project();
  let r = await eve.get(`/projects/${id}/sections/work-plan`);
  assert.equal(r.status, 200);
  assert.match(r.text, /name="wp_0_title"/);
  assert.match(r.text, new RegExp(`name="act_0_0_partners" value="${eveOrg}"`));
  const version = /name="version" value="(\d+)"/.exec(r.text)[1];
  const form = {
    version, wp_0_title: 'Trails', act_0_0_title: 'Map the trails', act_0_0_start: '1', act_0_0_end: '2',
    del_0_0_0_title: 'Trail register', del_0_0_0_period: '2', act_0_1_title: '', act_0_1_start: '', act_0_1_end: '',
    wp_1_title: '', ind_0_code: 'RCO87', ind_0_target: '3', ind_1_code: '', ind_1_target: '',
  };
  const p = new URLSearchParams(form);
  p.append('act_0_0_partners', String(eveOrg));
  p.append('act_0_0_partners', String(olaOrg));
  p.set('csrf', await eve.csrf(`/projects/${id}/sections/work-plan`));
  r = await eve.post(`/projects/${id}/sections/work-plan`, { form: p });
  assert.equal(r.status, 303, (/<div class="errors"[\s\S]*?<\/ul>/.exec(r.text) || [r.text.slice(0, 300)])[0]);
  let d = (await api(null, 'GET', `/api/v1/projects/${id}`)).json();
  assert.deepEqual(d.work_plan, [{ title: 'Trails', activities: [{ title: 'Map the trails', start: 1, end: 2, partners: [eveOrg, olaOrg], deliverables: [{ title: 'Trail register', period: 2 }] }] }]);
  assert.deepEqual(d.indicators, [{ code: 'RCO87', target: '3.00' }]);
  // an end before its start: shown again with the input kept, in Swedish, nothing saved
  const bad = new URLSearchParams({ ...form, version: String(d.version), act_0_0_start: '3', act_0_0_end: '2', wp_0_title: 'Trails again' });
  bad.set('csrf', await eve.csrf(`/projects/${id}/sections/work-plan`));
  r = await eve.post(`/projects/${id}/sections/work-plan`, { form: bad });
  assert.equal(r.status, 422);
  assert.match(r.text, /value="Trails again"/);
  assert.match(r.text, /class="error"/);
  assert.equal((await api(null, 'GET', `/api/v1/projects/${id}`)).json().version, d.version);
  // someone else changes the work plan meanwhile: the stale form is told (409), not saved over
  assert.equal((await api(olaToken, 'PATCH', `/api/v1/projects/${id}`, { work_plan: [{ title: 'Ola\'s plan', activities: [] }] })).status, 200);
  const stale = new URLSearchParams({ ...form, version: String(d.version), wp_0_title: 'Eve\'s plan' });
  stale.set('csrf', await eve.csrf(`/projects/${id}/sections/work-plan`));
  r = await eve.post(`/projects/${id}/sections/work-plan`, { form: stale });
  assert.equal(r.status, 409, r.text.slice(0, 500));
  assert.match(r.text, /value="Eve&#39;s plan"|value="Eve's plan"/);
  d = (await api(null, 'GET', `/api/v1/projects/${id}`)).json();
  assert.equal(d.work_plan[0].title, 'Ola\'s plan');
});

test('section pages: the deadlines form, comments and the ready mark on the page; the organisation profile links to its projects', async () => {
  const id = await project();
  let r = await ola.get(`/projects/${id}/sections/deadlines`);
  const version = /name="version" value="(\d+)"/.exec(r.text)[1];
  r = await ola.submit(`/projects/${id}/sections/deadlines`, `/projects/${id}/sections/deadlines`, { version, dl_0_date: '2027-03-31', dl_0_title: 'Call closes', dl_1_date: '', dl_1_title: '' });
  assert.equal(r.status, 303, r.text.slice(0, 800));
  assert.deepEqual((await api(null, 'GET', `/api/v1/projects/${id}`)).json().deadlines, [{ date: '2027-03-31', title: 'Call closes' }]);
  // the identification section's form keeps the other sections as they are
  r = await ola.get(`/projects/${id}/sections/identification`);
  const v2 = /name="version" value="(\d+)"/.exec(r.text)[1];
  r = await ola.submit(`/projects/${id}/sections/identification`, `/projects/${id}/sections/identification`, {
    version: v2, section: 'identification', acronym: 'SkogTur2', title_sv: 'Skogsturism', title_nb: 'Skogsturisme', title_en: 'Forest tourism',
    summary: 'Tourism in the border forest.', programme: 'interreg-se-no', type: 'main', start: '2026-09', duration_months: '24', status: 'idea', submission_month: '2026-03',
  });
  assert.equal(r.status, 303, r.text.slice(0, 800));
  const d = (await api(null, 'GET', `/api/v1/projects/${id}`)).json();
  assert.equal(d.acronym, 'SkogTur2');
  assert.deepEqual(d.deadlines, [{ date: '2027-03-31', title: 'Call closes' }]);
  // a comment on the page; an empty one is told inline
  r = await ola.submit(`/projects/${id}/sections/budget`, `/projects/${id}/sections/budget/comments`, { body: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /Write the comment first\./);
  r = await ola.submit(`/projects/${id}/sections/budget`, `/projects/${id}/sections/budget/comments`, { body: 'Check the <travel> costs' });
  assert.equal(r.status, 303);
  r = await ola.get(`/projects/${id}/sections/budget`);
  assert.match(r.text, /Check the &lt;travel&gt; costs/);
  r = await ola.submit(`/projects/${id}/sections/budget`, `/projects/${id}/sections/budget/ready`, { ready: '1' });
  assert.equal(r.status, 303);
  r = await ola.get(`/projects/${id}`);
  assert.match(r.text, new RegExp(`/projects/${id}/sections/budget">D–E Budget and lump sums</a> · Ready · 1 comment`));
  // the partners with their type and size
  assert.match(r.text.split('id="partners"')[1], /Olas Reiseliv AS<\/a><br><span class="small">Company<\/span>/);
  // the organisation's profile links to its projects and track record
  r = await ola.get(`/organisations/${olaOrg}`);
  assert.match(r.text, new RegExp(`href="/organisations/${olaOrg}/projects"`));
  r = await ola.get(`/organisations/${olaOrg}/projects`);
  assert.match(r.text, /SkogTur/);
});

test('visitors see a new project at once: the cached list and the partners profiles are rendered again', async () => {
  const anon = new Client(srv.base, { lang: 'en' });
  assert.doesNotMatch((await anon.get('/projects')).text, /CacheTur/);
  assert.doesNotMatch((await anon.get(`/organisations/${eveOrg}`)).text, /CacheTur/);
  const r = await api(eveToken, 'POST', '/api/v1/projects', { acronym: 'CacheTur', title: { en: 'Cache tour' }, type: 'small', start: '2027-01', duration_months: 12,
    partners: [{ organisation: eveOrg, role: 'partner' }] });
  assert.equal(r.status, 201, r.text);
  assert.match((await anon.get('/projects')).text, /CacheTur/);
  const profile = (await anon.get(`/organisations/${eveOrg}`)).text;
  assert.match(profile.split('id="projects"')[1], new RegExp(`href="/projects/${r.json().id}">CacheTur</a>`));
});

test('a project started from an organisation page has that organisation as its first partner', async () => {
  let r = await ola.get(`/organisations/${olaOrg}`);
  assert.match(r.text, new RegExp(`href="/projects/new\\?organisation=${olaOrg}"`));
  r = await ola.get(`/projects/new?organisation=${olaOrg}`);
  assert.match(r.text, new RegExp(`name="partner_org" value="${olaOrg}"`));
  r = await ola.submit(`/projects/new?organisation=${olaOrg}`, '/projects/new', { partner_org: String(olaOrg), acronym: 'FraOla', title_nb: 'Fra Ola', type: 'small', start: '2027-01', duration_months: '12', programme: '' });
  assert.equal(r.status, 303, r.text.slice(0, 500));
  const id = /\/projects\/(\d+)$/.exec(r.location)[1];
  const p = (await api(null, 'GET', `/api/v1/projects/${id}`)).json();
  assert.deepEqual(p.partners.map((x) => [x.organisation, x.role, x.state]), [[olaOrg, 'lead-no', 'confirmed']]);
});

test('personal data: a member exports their comments and ready marks; after deleting the account they stay, by a former member', async () => {
  const id = await project();
  srv.user('kari@example.no', 'Kari Kommentar', { password: 'kari password 1' });
  const kari = new Client(srv.base, { lang: 'en' });
  await kari.login('kari@example.no', 'kari password 1');
  // Kari joins Ola's organisation, so she may write in the project
  let r = await kari.submit(`/organisations/${olaOrg}`, `/organisations/${olaOrg}/join`, {});
  assert.equal(r.status, 303);
  const req = /name="request" value="(\d+)"/.exec((await ola.get(`/organisations/${olaOrg}/members`)).text)[1];
  assert.equal((await ola.submit(`/organisations/${olaOrg}/members`, `/organisations/${olaOrg}/members`, { action: 'approve', request: req })).status, 303);
  r = await kari.submit(`/projects/${id}/sections/budget`, `/projects/${id}/sections/budget/comments`, { body: 'Karis kommentar om reisene' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal((await kari.submit(`/projects/${id}/sections/budget`, `/projects/${id}/sections/budget/ready`, { ready: '1' })).status, 303);
  const ex = JSON.parse((await kari.get('/account/export')).text);
  assert.deepEqual(ex.project_comments.map((c) => [c.project, c.section, c.body]), [[id, 'budget', 'Karis kommentar om reisene']]);
  assert.deepEqual(ex.project_sections_marked_ready.map((c) => [c.project, c.section]), [[id, 'budget']]);
  r = await kari.submit('/account', '/account/delete', { confirm_password: 'kari password 1' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  r = await ola.get(`/projects/${id}/sections/budget`);
  assert.match(r.text, /a former member/);
  assert.doesNotMatch(r.text, /Kari Kommentar/);
});

test('history lists: dates in the reader\'s language and Stockholm time, fields by their labels, never raw', async () => {
  const id = await project();
  assert.equal((await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { duration_months: 30, submission_month: '2026-04' })).status, 200);
  const items = (await api(annaToken, 'GET', `/api/v1/projects/${id}/history`)).json().items;
  const at = new Date(items[0].at);
  const months = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];
  const part = (o) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', ...o }).format(at);
  const expected = `${Number(part({ day: 'numeric' }))} ${months[Number(part({ month: 'numeric' })) - 1]} ${part({ year: 'numeric' })} ${part({ hour: '2-digit', hour12: false }).padStart(2, '0')}:${part({ minute: '2-digit' }).padStart(2, '0')}`;
  const text = (html) => html.split('<ol class="history">')[1].split('</ol>')[0].replace(/<[^>]*>/g, '');
  for (const path of [`/projects/${id}`, `/projects/${id}/sections/identification`]) {
    const r = await eve.get(path);
    assert.equal(r.status, 200);
    const h = text(r.text);
    assert.doesNotMatch(h, /\d{4}-\d\d-\d\dT\d\d:\d\d/, path);
    assert.doesNotMatch(h, /submission_month|duration_months|[a-z]_[a-z]/, path);
    assert.match(h, /Inlämningsmånad/, path);
    assert.match(h, /Projekttid i månader/, path);
    assert.ok(h.includes(expected), `${path}: ${expected} in ${h}`);
  }
});

test('the exports of a submitted version come from its frozen snapshot: a later budget change leaves them as sent', async () => {
  const id = await project();
  const budget = (price) => ({
    lines: [{ partner: annaOrg, category: 'staff', period: 1, units: '100', unit_price: price, currency: 'SEK' },
            { partner: olaOrg, category: 'staff', period: 1, units: '10', unit_price: '600', currency: 'NOK' }],
    cofinancing: [{ partner: annaOrg, source: 'ERDF', percent: '100' }, { partner: olaOrg, source: 'IR', percent: '100' }],
  });
  assert.equal((await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, budget('500'))).status, 200);
  assert.equal((await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { status: 'drafting' })).status, 200);
  const r = await api(annaToken, 'PATCH', `/api/v1/projects/${id}`, { status: 'submitted' });
  assert.equal(r.status, 200, r.text);
  const sent = r.json().version;
  // after submission the staff line costs 700 SEK an hour instead of 500
  assert.equal((await api(annaToken, 'PUT', `/api/v1/projects/${id}/budget`, budget('700'))).status, 200);
  const now = await api(null, 'GET', `/projects/${id}/budget.csv`);
  assert.match(now.text, /se,\d+,"Annas Turism AB",SEK,staff,70000\.00,/);
  const then = await api(null, 'GET', `/projects/${id}/budget.csv?version=${sent}`);
  assert.equal(then.status, 200);
  assert.match(then.text, /se,\d+,"Annas Turism AB",SEK,staff,50000\.00,/);
  assert.doesNotMatch(then.text, /70000\.00/);
  assert.equal((await api(null, 'GET', `/projects/${id}/budget.csv?version=${sent + 1}`)).status, 404);
  assert.equal((await api(null, 'GET', `/projects/${id}/budget.xlsx?version=abc`)).status, 404);
  // the submitted page links its own exports
  const page = await ola.get(`/projects/${id}/submitted/${sent}`);
  assert.match(page.text, new RegExp(`/projects/${id}/budget\\.xlsx\\?version=${sent}`));
  assert.match(page.text, new RegExp(`/projects/${id}/budget\\.csv\\?version=${sent}`));
  // the workbooks, read back: the staff line's amount as sent and as it is now
  const staff = async (query, name) => {
    const res = await fetch(`${srv.base}/projects/${id}/budget.xlsx${query}`, { headers: { cookie: 'lang=en' } });
    assert.equal(res.status, 200);
    const file = join(srv.dir, name);
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const py = 'import sys, openpyxl\nv = openpyxl.load_workbook(sys.argv[1], data_only=True)\nprint(v["1 Annas Turism AB"]["F6"].value)';
    const pr = spawnSync(process.env.PYTHON || '/usr/bin/python3', ['-c', py, file], { encoding: 'utf8' });
    assert.equal(pr.status, 0, pr.stderr);
    return Number(pr.stdout.trim());
  };
  assert.equal(await staff(`?version=${sent}`, `sent-${id}.xlsx`), 50000);
  assert.equal(await staff('', `now-${id}.xlsx`), 70000);
});
