import { chromium } from 'playwright-core';
const B = 'http://127.0.0.1:18123';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const vps = { desktop: { viewport: { width: 1366, height: 900 } }, phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 } };
const pages = [['dir', '/organisations?county=SE-17&county=NO-34&industry=M&industry=C'], ['search0', '/search?q=skogsindstrie'], ['obs', '/obstacles/1'], ['rt', '/roundtables/1']];
for (const [vp, o] of Object.entries(vps))
  for (const locale of ['sv-SE', 'nb-NO', 'en-GB']) {
    const ctx = await browser.newContext({ ...o, locale });
    const page = await ctx.newPage();
    for (const [name, path] of pages) {
      await page.goto(B + path);
      if (name === 'dir' && vp === 'phone') await page.locator('details.facets summary').click();
      const sw = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (sw > 0) console.log('SIDEWAYS', vp, locale, path, sw);
      await page.screenshot({ path: `/tmp/first2-shots/${name}-${locale}-${vp}.png`, fullPage: false });
    }
    await ctx.close();
  }
await browser.close();
