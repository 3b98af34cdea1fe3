// Projects as people use them on a phone: a Swedish organisation starts a project (after a
// mistake the form points out), a Norwegian organisation accepts the invitation on the project
// page, the month of submission is set, and the budget is filled in on the phone. Accessibility
// checks on every page, no sideways scrolling, screenshots of the key ones.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, a11y, shot, logIn } from './lib.mjs';

let srv, browser;
before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const login = (page, email, password) => logIn(page, srv.base, email, password);

async function orgFor(token, name, country, municipality, extra = {}) {
  const r = await fetch(srv.base + '/api/v1/organisations', {
    method: 'POST', headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
    body: JSON.stringify({ name, country, kind: 'company', municipality, ...extra }),
  });
  assert.equal(r.status, 201);
  return (await r.json()).id;
}

async function noSideways(page, label) {
  const w = await page.evaluate(() => [document.scrollingElement.scrollWidth, window.innerWidth]);
  assert.ok(w[0] <= w[1] + 1, `${label}: the page scrolls sideways (${w[0]} > ${w[1]})`);
}

// noBrokenWords: no word in the element is split over two lines ("Confirm|ed" in a squeezed column)
async function noBrokenWords(page, selector, label) {
  const broken = await page.locator(selector).evaluate((el) => {
    const out = [];
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      for (const m of n.data.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(n, m.index);
        range.setEnd(n, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top)));
        if (tops.size > 1) out.push(m[0]);
      }
    }
    return out;
  });
  assert.deepEqual(broken, [], `${label}: words broken over two lines`);
}

test('phone: start a project, a partner accepts, and the budget is filled in', async () => {
  srv.user('stina@example.se', 'Stina Svensson', { password: 'stina password 1' });
  srv.user('nils@example.no', 'Nils Nordmann', { password: 'nils password 1' });
  const stinaToken = srv.token('stina@example.se');
  const seOrg = await orgFor(stinaToken, 'Torsby Turism AB', 'SE', '1737');
  const noOrg = await orgFor(srv.token('nils@example.no'), 'Trysil Reiseliv AS', 'NO', '3421', { offers: ['reiseliv og turisme i Trysil'] });

  const page = await newPage(browser, 'phone', 'en-GB');
  await login(page, 'stina@example.se', 'stina password 1');
  await page.goto(srv.base + '/projects');
  await page.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();
  await a11y(page, 'project list');
  await noSideways(page, 'project list');
  await page.getByRole('link', { name: 'Start a project' }).click();
  await page.waitForURL(/\/projects\/new$/);
  await a11y(page, 'new project form');
  // a mistake: no acronym
  await page.getByLabel('Title in English').fill('Forest Finn trails across the border');
  await page.locator('#f-start').fill('2027-01');
  await page.locator('#f-duration_months').fill('24');
  await page.getByRole('button', { name: 'Start the project' }).click();
  await page.getByRole('alert').waitFor();
  assert.equal(await page.locator('#f-acronym').getAttribute('aria-invalid'), 'true');
  await a11y(page, 'new project form with an error');
  await page.locator('#f-acronym').fill('FinnTrail');
  await page.locator('#f-programme').selectOption('interreg-se-no');
  await page.locator('#f-type').selectOption('main');
  await page.getByRole('button', { name: 'Start the project' }).click();
  await page.waitForURL(/\/projects\/\d+$/);
  const id = /\/projects\/(\d+)$/.exec(page.url())[1];
  await page.getByRole('heading', { level: 1, name: /FinnTrail/ }).waitFor();
  await a11y(page, 'project page');
  await noSideways(page, 'project page');

  // Stina's organisation joins as the Swedish lead (API); a Norwegian partner is sought on the edit form
  const r = await fetch(`${srv.base}/api/v1/projects/${id}`, {
    method: 'PATCH', headers: { authorization: 'Bearer ' + stinaToken, 'content-type': 'application/json' },
    body: JSON.stringify({ partners: [{ organisation: seOrg, role: 'lead-se' }] }),
  });
  assert.equal(r.status, 200, await r.text());
  await page.goto(`${srv.base}/projects/${id}/edit`);
  await page.locator('#f-sought').fill('turisme i Trysil');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(new RegExp(`/projects/${id}$`));
  // the partner search on the project page: invite the one found
  const search = page.locator('#partner-search');
  await search.getByRole('link', { name: 'Trysil Reiseliv AS' }).waitFor();
  await a11y(page, 'project page with the partner search');
  await search.getByRole('button', { name: 'Invite Trysil Reiseliv AS' }).click();
  await page.waitForURL(new RegExp(`/projects/${id}(#partners)?$`));
  await page.locator('#partners').getByText('Invited').waitFor();

  // Nils accepts on the project page, on his phone
  const nils = await newPage(browser, 'phone', 'en-GB');
  await login(nils, 'nils@example.no', 'nils password 1');
  await nils.goto(`${srv.base}/projects/${id}`);
  await a11y(nils, 'project page with an invitation');
  await nils.getByRole('button', { name: 'Accept' }).click();
  await nils.waitForURL(new RegExp(`/projects/${id}$`));
  await nils.locator('#partners').getByText('Confirmed').nth(1).waitFor();
  // the page in Norwegian after the answer
  await nils.goto(srv.base + '/lang/nb');
  await nils.goto(`${srv.base}/projects/${id}`);
  await nils.locator('#partners').getByText('Bekreftet').nth(1).waitFor();
  await a11y(nils, 'project page in Norwegian');

  // Stina sets the month of submission, then fills in the budget
  await page.goto(`${srv.base}/projects/${id}/edit`);
  await a11y(page, 'edit form');
  await page.locator('#f-submission_month').fill('2026-03');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(new RegExp(`/projects/${id}$`));
  await page.getByRole('link', { name: 'Edit the budget' }).click();
  await page.waitForURL(new RegExp(`/projects/${id}/budget$`));
  await a11y(page, 'budget form');
  await noSideways(page, 'budget form');
  await page.locator('#f-flat_office').fill('15');
  await page.locator('#f-funding_erdf').fill('60');
  await page.locator('#f-funding_ir').fill('50');
  // Torsby: 100 hours at 550 SEK; Trysil: 10 hours at 612.40 NOK
  await page.locator('#f-line_partner_0').selectOption(String(seOrg));
  await page.locator('#f-line_category_0').selectOption('staff');
  await page.locator('#f-line_period_0').fill('1');
  await page.locator('#f-line_units_0').fill('100');
  await page.locator('#f-line_price_0').fill('550');
  await page.locator('#f-line_currency_0').selectOption('SEK');
  await page.locator('#f-line_partner_1').selectOption(String(noOrg));
  await page.locator('#f-line_category_1').selectOption('staff');
  await page.locator('#f-line_period_1').fill('1');
  await page.locator('#f-line_units_1').fill('10');
  await page.locator('#f-line_price_1').fill('612,40');          // a comma: the form says why
  await page.locator('#f-line_currency_1').selectOption('NOK');
  await page.locator('#f-cof_partner_0').selectOption(String(seOrg));
  await page.locator('#f-cof_source_0').fill('ERDF');
  await page.locator('#f-cof_percent_0').fill('100');
  await page.locator('#f-cof_partner_1').selectOption(String(noOrg));
  await page.locator('#f-cof_source_1').fill('IR');
  await page.locator('#f-cof_percent_1').fill('100');
  await shot(page, 'project-budget-form', 'phone');
  await page.getByRole('button', { name: 'Save the budget' }).click();
  await page.getByRole('alert').waitFor();
  await a11y(page, 'budget form with an error');
  assert.equal(await page.locator('#f-line_price_1').inputValue(), '612,40');
  await page.locator('#f-line_price_1').fill('612.40');
  await page.getByRole('button', { name: 'Save the budget' }).click();
  await page.waitForURL(new RegExp(`/projects/${id}(#budget)?$`));
  // 100 × 550 + 15 % = 63 250.00 SEK = 5 926.17 EUR; 10 × 612.40 + 15 % = 7 042.60 NOK = 704.26 EUR
  const budget = page.locator('#budget');
  await budget.getByText('63250.00 SEK').waitFor();
  await budget.getByText('7042.60 NOK').first().waitFor();
  await budget.getByText('6630.43 EUR').waitFor();
  await a11y(page, 'project page with the budget');
  await noSideways(page, 'project page with the budget');
  await noBrokenWords(page, '#partners table', 'partner table');
  await shot(page, 'project', 'phone');
  const checklist = page.locator('#checklist');
  assert.equal(await checklist.locator('[data-code="cofinancing-100"]').getAttribute('class'), 'ok');
  assert.equal(await checklist.locator('[data-code="both-countries"]').getAttribute('class'), 'ok');
});

test('phone: partners write the application together — the work plan, a comment, a ready mark, a deadline, and the submitted version', async () => {
  srv.user('sara@example.se', 'Sara Sundberg', { password: 'sara password 1' });
  srv.user('per@example.no', 'Per Pettersen', { password: 'per password 12' });
  const saraToken = srv.token('sara@example.se'), perToken = srv.token('per@example.no');
  const seOrg = await orgFor(saraToken, 'Eda Skogsturism AB', 'SE', '1730');
  const noOrg = await orgFor(perToken, 'Kongsvinger Friluft AS', 'NO', '3401');
  const call = async (token, method, path, json) => {
    const r = await fetch(srv.base + path, { method, headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' }, body: JSON.stringify(json) });
    const text = await r.text();
    assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${text}`);
    return JSON.parse(text);
  };
  const { id } = await call(saraToken, 'POST', '/api/v1/projects', {
    acronym: 'SkogLed', title: { sv: 'Skogsleder över gränsen', nb: 'Skogsleder over grensen' }, programme: 'interreg-se-no', type: 'main',
    start: '2027-01', duration_months: 24, summary: 'Leder genom Finnskogen.', partners: [{ organisation: seOrg, role: 'lead-se' }, { organisation: noOrg, role: 'lead-no' }],
  });
  await call(perToken, 'POST', `/api/v1/projects/${id}/partners/${noOrg}/answer`, { accept: true });

  // Per, in Norwegian on his phone, opens the work plan from the project page's list of sections
  const per = await newPage(browser, 'phone', 'en-GB');
  await login(per, 'per@example.no', 'per password 12');
  await per.goto(srv.base + '/lang/nb');
  await per.goto(`${srv.base}/projects/${id}`);
  await per.locator('#sections').getByRole('link', { name: /Arbeidsplan/ }).click();
  await per.waitForURL(new RegExp(`/projects/${id}/sections/work-plan$`));
  await a11y(per, 'the work-plan section (nb)');
  await noSideways(per, 'the work-plan section');
  await per.locator('#f-wp_0_title').fill('Ledene');
  await per.locator('#f-act_0_0_title').fill('Kartlegge ledene');
  await per.locator('#f-act_0_0_start').fill('1');
  await per.locator('#f-act_0_0_end').fill('2');
  await per.getByRole('group', { name: 'Partnere som deltar' }).first().getByLabel('Kongsvinger Friluft AS').check();
  await per.getByRole('group', { name: 'Partnere som deltar' }).first().getByLabel('Eda Skogsturism AB').check();
  await per.locator('#f-del_0_0_0_title').fill('Ledregister');
  await per.locator('#f-del_0_0_0_period').fill('2');
  await per.locator('#f-ind_0_code').selectOption('RCO87');
  await per.locator('#f-ind_0_target').fill('2');
  await shot(per, 'project-work-plan-form', 'phone');
  await per.getByRole('button', { name: 'Lagre arbeidsplanen' }).click();
  await per.waitForURL(new RegExp(`/projects/${id}/sections/work-plan$`));
  await per.getByText('Endringene dine er lagret.').waitFor().catch(() => {});
  assert.equal(await per.locator('#f-wp_0_title').inputValue(), 'Ledene');
  // a comment, and the section marked ready
  await per.locator('#f-body').fill('Sara: kan dere ta aktivitet 1.2?');
  await per.getByRole('button', { name: 'Legg til kommentaren' }).click();
  await per.locator('#comments').getByText('Sara: kan dere ta aktivitet 1.2?').waitFor();
  await per.getByRole('button', { name: 'Merk delen som klar' }).click();
  await per.locator('#ready').getByText(/Merket klar av Per Pettersen/).waitFor();
  await a11y(per, 'the work-plan section with a comment and the ready mark');

  // Sara sees it on the project page: the Gantt chart, the section ready with one comment
  const sara = await newPage(browser, 'phone', 'en-GB');
  await login(sara, 'sara@example.se', 'sara password 1');
  await sara.goto(`${srv.base}/projects/${id}`);
  await sara.locator('#sections').getByText('Ready · 1 comment').waitFor();
  await sara.locator('#work-plan svg').waitFor();
  await sara.locator('#work-plan table').getByText('Kartlegge ledene').waitFor();
  // she adds the call's deadline, and submits (the identification section: the status)
  await sara.locator('#sections').getByRole('link', { name: 'Deadlines' }).click();
  await sara.locator('#f-dl_0_date').fill('2027-03-31');
  await sara.locator('#f-dl_0_title').fill('Call closes');
  await sara.getByRole('button', { name: 'Save the deadlines' }).click();
  await sara.waitForURL(new RegExp(`/projects/${id}/sections/deadlines$`));
  await sara.goto(`${srv.base}/projects/${id}/sections/identification`);
  await sara.locator('#f-status').selectOption('drafting');
  await sara.getByRole('button', { name: 'Save' }).click();
  await sara.waitForURL(new RegExp(`/projects/${id}/sections/identification$`));
  await sara.locator('#f-submission_month').fill('2026-03');
  await sara.locator('#f-status').selectOption('submitted');
  await sara.getByRole('button', { name: 'Save' }).click();
  await sara.waitForURL(new RegExp(`/projects/${id}/sections/identification$`));
  await sara.goto(`${srv.base}/projects/${id}`);
  await sara.locator('#deadlines').getByText('Call closes').waitFor();
  await sara.getByRole('link', { name: /The version submitted on/ }).click();
  await sara.waitForURL(new RegExp(`/projects/${id}/submitted/\\d+$`));
  await sara.getByRole('note').getByText(/It stays as it was sent/).waitFor();
  await a11y(sara, 'the submitted version');
  await noSideways(sara, 'the submitted version');
  await shot(sara, 'project-submitted', 'phone');
  // later edits make a new version; the submitted one stays as it was
  await call(saraToken, 'PATCH', `/api/v1/projects/${id}`, { summary: 'Ändrad efter inlämningen.' });
  await sara.reload();
  await sara.getByText('Leder genom Finnskogen.').waitFor();
  assert.equal(await sara.getByText('Ändrad efter inlämningen.').count(), 0);
});
