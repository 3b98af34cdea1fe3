// Layout on phones: a crawl of every kind of page (one address per shape: /events/12 and
// /events/7 are the same page) as a visitor and as a logged-in organiser, in Swedish, Norwegian
// and English, at 320 and 390 px. No page may scroll sideways, and every control that is not a
// link inside running text must be a tap target of at least 24 × 24 px (WCAG 2.2 2.5.8).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, a11y, shot } from './lib.mjs';

let srv, browser, token, projectId, submitted;
before(async () => {
  srv = await startServer();
  browser = await launch();
  srv.user('layout@example.se', 'Lena Layout', { password: 'layout password 1' });
  token = srv.token('layout@example.se');
  const r = await fetch(srv.base + '/api/v1/organisations', {
    method: 'POST', headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Smalskärmen AB', country: 'SE', kind: 'company', municipality: '1780', themes: ['tech'] }),
  });
  assert.equal(r.status, 201);
  // a project of the organisation, with a work plan, deadlines and indicators, submitted once
  const org = (await r.json()).id;
  const call = (method, path, json) => fetch(srv.base + path, { method, headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' }, body: JSON.stringify(json) });
  const p = await call('POST', '/api/v1/projects', {
    acronym: 'SmalProj', title: { sv: 'Ett projekt med ett långt namn som ska brytas på en smal skärm' }, programme: 'interreg-se-no', type: 'main',
    start: '2027-01', duration_months: 24, summary: 'Ett projekt för smala skärmar.', partners: [{ organisation: org, role: 'lead-se' }],
    work_plan: [{ title: 'Arbetspaket med en lång titel', activities: [{ title: 'Kartlägga lederna på båda sidor om gränsen', start: 1, end: 3, partners: [org], deliverables: [{ title: 'Ledregister', period: 3 }] }] }],
    indicators: [{ code: 'RCO87', target: '3' }, { code: 'RCR84', target: '2' }], deadlines: [{ date: '2027-03-31', title: 'Utlysningen stänger' }],
  });
  assert.equal(p.status, 201);
  projectId = (await p.json()).id;
  assert.equal((await call('PATCH', `/api/v1/projects/${projectId}`, { status: 'drafting' })).status, 200);
  const sub = await call('PATCH', `/api/v1/projects/${projectId}`, { status: 'submitted' });
  assert.equal(sub.status, 200);
  submitted = (await sub.json()).version;
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const LOCALES = { sv: 'sv-SE', nb: 'nb-NO', en: 'en-GB' };
const SKIP = /^\/(lang|logout|static|api|metrics|healthz)\b|\/export$|\.(ics|atom|csv|md|json|png|svg|xml|xlsx)$/;

// shape: the address with every number replaced, so that one page of each kind is visited
const shape = (u) => u.pathname.replace(/\d+/g, 'N') + (u.searchParams.has('view') ? '?view=' + u.searchParams.get('view') : '');

async function crawl(page, starts, limit) {
  // two addresses of each shape: the first found is often a thin record
  const seen = new Map(), done = new Set(), queue = [...starts], pages = [];
  const full = (u) => (seen.get(shape(u)) || 0) >= 2 || done.has(u.pathname + u.search);
  while (queue.length && pages.length < limit) {
    const url = new URL(queue.shift(), srv.base);
    if (full(url) || SKIP.test(url.pathname)) continue;
    seen.set(shape(url), (seen.get(shape(url)) || 0) + 1);
    done.add(url.pathname + url.search);
    const resp = await page.goto(url.href);
    if (!resp || !(resp.headers()['content-type'] || '').startsWith('text/html')) continue;
    pages.push(url.pathname + url.search);
    const links = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
    for (const l of links) {
      const u = new URL(l);
      if (u.origin === srv.base && !full(u)) queue.push(u.pathname + u.search);
    }
  }
  return pages;
}

// what a page shows wrong at this width: sideways scroll, and controls too small to tap
async function problems(page) {
  return page.evaluate(() => {
    const out = [];
    const de = document.documentElement;
    if (de.scrollWidth > de.clientWidth + 1) {
      // name the widest offenders, so the report says where to look
      const wide = [...document.body.querySelectorAll('*')]
        .filter((e) => e.getBoundingClientRect().right > de.clientWidth + 1 && !e.closest('.table-wrap, pre'))
        .slice(0, 3).map((e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : '') + ' ' + Math.round(e.getBoundingClientRect().right) + 'px');
      out.push(`scrolls sideways: ${de.scrollWidth} > ${de.clientWidth} (${wide.join(', ')})`);
    }
    const controls = document.querySelectorAll('button, input:not([type=hidden]), select, textarea, summary, nav a, a.button');
    for (const c of controls) {
      const cs = getComputedStyle(c);
      if (cs.display === 'none' || cs.visibility === 'hidden' || c.closest('[hidden], .visually-hidden, .sr-only')) continue;
      // a checkbox or radio is tapped through its label too
      const t = (c.type === 'checkbox' || c.type === 'radio') && c.closest('label') ? c.closest('label') : c;
      const b = t.getBoundingClientRect();
      if (b.width === 0 && b.height === 0) continue;
      if (b.width < 23.5 || b.height < 23.5) out.push(`small target: ${t.tagName.toLowerCase()} "${(t.textContent || t.name || '').trim().slice(0, 30)}" ${Math.round(b.width)}×${Math.round(b.height)}`);
    }
    return out;
  });
}

for (const who of ['visitor', 'organiser']) {
  test(`phone layout: no page scrolls sideways and every control can be tapped (${who}, sv/nb/en, 320 and 390 px)`, async () => {
    const found = [];
    for (const [lang, locale] of Object.entries(LOCALES)) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale });
      const page = await context.newPage();
      if (who === 'organiser') {
        await page.goto(srv.base + '/login');
        await page.locator('input[type=email]').fill('layout@example.se');
        await page.locator('input[type=password]').first().fill('layout password 1');
        await page.locator('form button[type=submit], form input[type=submit]').last().click();
        await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      }
      const starts = who === 'visitor'
        ? ['/', '/organisations', '/search?q=tr%C3%A4', '/partners', '/events', '/events?view=month', '/events?view=week', '/obstacles', '/login', '/register',
          '/organisations?county=SE-17&county=NO-34&industry=M&industry=C', '/search?q=skogsindstrie', '/organisations?q=turizmm',
          '/projects', `/projects/${projectId}`, `/projects/${projectId}/submitted/${submitted}`]
        : ['/account', '/events/new', '/obstacles/new', '/organisations/new', '/', '/projects/new', `/projects/${projectId}/sections/work-plan`,
          `/projects/${projectId}/sections/deadlines`, `/projects/${projectId}/sections/identification`, `/projects/${projectId}/budget`,
          '/inbox', '/account/searches', '/search?q=tr%C3%A4&country=NO', '/organisations?theme=blue-bioeconomy'];
      const pages = await crawl(page, starts, who === 'visitor' ? 50 : 45);
      assert.ok(pages.length >= (who === 'visitor' ? 15 : 5), `crawl reached ${pages.length} pages: ${pages.join(' ')}`);
      if (process.env.LAYOUT_VERBOSE) console.log(who, lang, pages.join(' '));
      for (const width of [320, 390]) {
        await page.setViewportSize({ width, height: 800 });
        for (const p of pages) {
          await page.goto(srv.base + p);
          for (const x of await problems(page)) found.push(`${lang} ${width}px ${p}: ${x}`);
        }
      }
      await context.close();
    }
    assert.deepEqual(found, []);
  });
}

test('the service pages and the 404 page pass the accessibility checks in three languages, on a phone and a desktop', async () => {
  for (const vp of ['phone', 'desktop']) {
    for (const locale of Object.values(LOCALES)) {
      const page = await newPage(browser, vp, locale);
      for (const p of ['/about', '/privacy', '/cookies', '/accessibility', '/no-such-page']) {
        await page.goto(srv.base + p);
        await a11y(page, `${p} (${locale}, ${vp})`);
        if (locale === 'sv-SE' && (p === '/accessibility' || p === '/no-such-page')) await shot(page, p === '/accessibility' ? 'accessibility' : 'not-found', vp);
      }
      await page.context().close();
    }
  }
});
