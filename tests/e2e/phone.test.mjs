// Phone first (issue 18): Chromium emulating a 360 × 740 phone (touch, DPR 2) measures where
// things are, as the issue did, and asserts the targets — the first result within the first
// screen on `/` and after a query, the header on one line, the filter drawer, the search box
// reachable while scrolling, more results as the list ends, the dataset page's download in
// the first screen (with the attribution as before), the preview's row card, folded panels;
// offline, a favourite dataset and "my filings" from the cache and a filing made offline sent
// when the network returns; Chromium's installability check. Screenshots of each phone page
// in both languages go to artifacts/ (phone-*.png), the positions to artifacts/phone-positions.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { ARTIFACTS, BASE, PHONE, launch, openPage, openPersistent, screenshot, settled, tickFirstOfEach, takenOver } from './lib.mjs';
import { buildCatalog, cleanUp, fillErrorReport, renderPages, serve, stop, tempDir } from './intake.mjs';

let browser;
const positions = {};
before(async () => { browser = await launch(); });
after(async () => {
  writeFileSync(`${ARTIFACTS}phone-positions.json`, JSON.stringify(positions, null, 2));
  console.log('phone positions (px from the top of a 360 × 740 page):', JSON.stringify(positions, null, 2));
  await browser?.close();
  await cleanUp();
});

const SCREEN = 740;

/** Top of the first element matching `sel`, in px from the top of the page. */
const top = (page, sel) => page.evaluate((s) => {
  const el = document.querySelector(s);
  return el ? Math.round(el.getBoundingClientRect().top + window.scrollY) : null;
}, sel);

async function noSidewaysScroll(page, what) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= 360, `${what}: the page is ${w} px wide, wider than the phone`);
}

async function axe(page) {
  await page.evaluate(readFileSync(new URL('./node_modules/axe-core/axe.min.js', import.meta.url), 'utf8'));
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** The first screen only, as a phone shows it. */
const firstScreen = (page, name) => page.screenshot({ path: `${ARTIFACTS}${name}-first-screen.png` });

async function phone(lang = 'zh-CN', extra = {}) {
  const p = await openPage(browser, { ...PHONE, ...extra });
  if (lang !== 'zh-CN') await p.page.addInitScript((l) => localStorage.setItem('kaifang.lang', JSON.stringify(l)), lang);
  return p;
}

test('search on a phone: the first result within the first screen on / and after a query, on a one-line header', async () => {
  // As built (no wasm yet): the phone layout comes from the HTML the build wrote.
  const built = await phone();
  await built.page.route(/\.(js|wasm)$/, (r) => r.abort());
  await built.page.goto(BASE + '/', { builtOnly: true });
  positions.front_built = { header_height: await built.page.evaluate(() => Math.round(document.querySelector('.site-header').getBoundingClientRect().height)), first_card: await top(built.page, '#search-results .dataset-card') };
  assert.ok(positions.front_built.first_card < SCREEN, `built front page: first card at ${positions.front_built.first_card} px`);
  // The menu opens without any script (<details>) and holds every link and the language.
  await built.page.locator('.nav-menu > summary').click();
  for (const name of ['数据目录', '我的数据', '我的申请', '我的权利']) {
    await built.page.locator('.nav-menu nav').getByRole('link', { name }).waitFor();
  }
  await built.context.close();

  for (const lang of ['zh-CN', 'en']) {
    const { context, page, errors, foreign } = await phone(lang);
    await page.goto(BASE + '/');
    await settled(page);
    const header = await page.evaluate(() => {
      const h = document.querySelector('.site-header').getBoundingClientRect();
      const b = document.querySelector('.site-header .brand').getBoundingClientRect();
      const m = document.querySelector('.nav-menu > summary').getBoundingClientRect();
      return { height: Math.round(h.height), brandTop: Math.round(b.top), menuTop: Math.round(m.top), menuBottom: Math.round(m.bottom) };
    });
    const front = await top(page, '#search-results .dataset-card');
    positions[`front_${lang}`] = { header_height: header.height, first_card: front };
    assert.ok(header.height <= 80, `${lang}: the header is ${header.height} px tall`);
    assert.ok(header.brandTop < header.menuBottom, `${lang}: site name and menu share one line`);
    assert.ok(front < SCREEN, `${lang}: first result card at ${front} px`);
    await noSidewaysScroll(page, `front page ${lang}`);
    assert.deepEqual(await axe(page), [], `front page ${lang}`);
    await screenshot(page, `phone-front-${lang}`);
    await firstScreen(page, `phone-front-${lang}`);

    // The menu: a real disclosure, by keyboard.
    await page.locator('.nav-menu > summary').focus();
    await page.keyboard.press('Enter');
    await page.locator('.nav-menu[open] nav a').first().waitFor();
    assert.deepEqual(await axe(page), [], `menu open ${lang}`);
    await firstScreen(page, `phone-menu-${lang}`);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.closest('.nav-menu') !== null), true, 'Tab goes into the menu');
    await page.locator('.nav-menu > summary').click();

    if (lang === 'zh-CN') {
      for (const q of ['公交', '医保']) {
        await page.locator('#search-q').fill('');
        await page.locator('#search-q').pressSequentially(q, { delay: 40 });
        await page.waitForURL((u) => new URL(u).searchParams.get('q') === q);
        await settled(page);
        const first = await top(page, '#search-results .dataset-card');
        positions[`query_${q}`] = { first_card: first };
        assert.ok(first < SCREEN, `after ${q}: first result card at ${first} px`);
      }
      await screenshot(page, 'phone-query-zh-CN');
    }
    assert.deepEqual(errors, []);
    assert.deepEqual(foreign, [], 'no third-party requests');
    await context.close();
  }
});

test('the filter drawer opens, applies two facets at once and closes; counts, URL, clear', async () => {
  const { context, page, errors } = await phone();
  await page.goto(BASE + '/');
  await settled(page);
  const toggle = page.locator('#filters-toggle');
  // Beside the count and the sort, in the first screen; the facets are not on the page yet.
  const bar = await page.evaluate(() => ['.results-bar .count', '#filters-toggle', '#search-sort'].map((s) => Math.round(document.querySelector(s).getBoundingClientRect().top)));
  assert.ok(Math.max(...bar) - Math.min(...bar) < 30, `count, filters and sort on one line: ${bar}`);
  assert.equal(await page.locator('#search-filters').isVisible(), false);

  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  await page.locator('#search-filters').waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'search-filters-title', null, { timeout: 5_000 }); // focus moves into the drawer
  assert.deepEqual(await axe(page), [], 'drawer open');
  await firstScreen(page, 'phone-filters-zh-CN');
  await tickFirstOfEach(page, ['theme', 'open']);
  // Applied at once: the drawer stays open, its button says how many results there are.
  const n = await page.locator('#search-results .dataset-card').count();
  const total = Number((await page.locator('.results-bar .count').innerText()).match(/\d+/)[0]);
  assert.ok(n > 0 && n <= total);
  assert.match(await page.locator('.filters-done').innerText(), new RegExp(`查看 ${total} 个结果`));
  const domainCount = Number(await page.locator('.facet[data-facet="theme"] input:checked + label .facet-count').innerText());
  const openCount = Number(await page.locator('.facet[data-facet="open"] input:checked + label .facet-count').innerText());
  assert.equal(Math.min(domainCount, openCount) >= total, true, `counts ${domainCount}/${openCount} cover the ${total} results`);
  await page.locator('.filters-done').click();
  await page.locator('#search-filters').waitFor({ state: 'hidden' });
  await page.waitForFunction(() => document.activeElement?.id === 'filters-toggle', null, { timeout: 5_000 }); // focus returns to the control
  assert.equal((await toggle.innerText()).trim(), '筛选（2）');
  const url = new URL(page.url());
  assert.equal(url.searchParams.getAll('theme').length + url.searchParams.getAll('open').length, 2);
  const first = await top(page, '#search-results .dataset-card');
  assert.ok(first < SCREEN, `filtered: first result at ${first} px`);

  // Clear: one tap in the drawer.
  await toggle.click();
  await page.locator('.filters-clear').click();
  await page.waitForURL((u) => !new URL(u).searchParams.has('theme') && !new URL(u).searchParams.has('open'));
  await settled(page);
  await page.keyboard.press('Escape');
  await page.locator('#search-filters').waitFor({ state: 'hidden' });
  assert.equal((await toggle.innerText()).trim(), '筛选');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the search box stays reachable while scrolling, and more results load as the list ends, kept on Back', async () => {
  const { context, page, errors } = await phone();
  await page.goto(BASE + '/');
  await settled(page);
  const firstPage = await page.locator('#search-results .dataset-card').count();
  await page.mouse.wheel(0, 1500);
  await page.waitForTimeout(300);
  const box = await page.evaluate(() => Math.round(document.getElementById('search-q').getBoundingClientRect().top));
  assert.ok(box >= 0 && box < 100, `the search box is at ${box} px of the screen after scrolling`);
  // To the end of the list: the next page loads under it, the URL says how far.
  for (let i = 0; i < 20 && (await page.locator('#search-results .dataset-card').count()) <= firstPage; i++) {
    await page.evaluate(() => window.scrollBy(0, document.getElementById('search-results').getBoundingClientRect().bottom - 200));
    await page.waitForTimeout(300);
  }
  await page.waitForURL((u) => new URL(u).searchParams.get('page') === '2');
  await settled(page);
  const loaded = await page.locator('#search-results .dataset-card').count();
  assert.ok(loaded > firstPage, `${loaded} cards after loading more (${firstPage} before)`);
  const ids = await page.locator('#search-results .dataset-card').evaluateAll((els) => els.map((e) => e.dataset.id));
  assert.equal(new Set(ids).size, ids.length, 'no card twice');
  await page.locator('#search-results .dataset-card a').last().click();
  await page.waitForURL(/\/datasets\//);
  // The dataset page is another module: Back loads the list's page again, in full.
  await page.goBack();
  await takenOver(page);
  await settled(page);
  // Back shows the same list (and, back near its end, may load the next page under it).
  const back = await page.locator('#search-results .dataset-card').evaluateAll((els) => els.map((e) => e.dataset.id));
  assert.deepEqual(back.slice(0, ids.length), ids, 'Back shows the same list');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the dataset page on a phone: download within the first screen, with the attribution; row card; folded panels', async () => {
  // As built, before any wasm: the same first screen.
  const built = await phone();
  await built.page.route(/\.(js|wasm)$/, (r) => r.abort());
  await built.page.goto(BASE + '/datasets/jt-bus-stops', { builtOnly: true });
  positions.dataset_built = { download_bottom: await built.page.evaluate(() => Math.round(document.querySelector('[data-testid=quick-download]').getBoundingClientRect().bottom)) };
  assert.ok(positions.dataset_built.download_bottom <= SCREEN, `built dataset page: download ends at ${positions.dataset_built.download_bottom} px`);
  await built.context.close();
  for (const lang of ['zh-CN', 'en']) {
    const { context, page, errors } = await phone(lang);
    await page.goto(BASE + '/datasets/jt-bus-stops');
    await page.locator('.preview-body table tbody tr td').first().waitFor();
    const at = await page.evaluate(() => {
      const r = (s) => { const el = document.querySelector(s); return el ? Math.round(el.getBoundingClientRect().bottom + window.scrollY) : null; };
      const t = (s) => { const el = document.querySelector(s); return el ? Math.round(el.getBoundingClientRect().top + window.scrollY) : null; };
      return { download_bottom: r('[data-testid=quick-download]'), preview_link: t('[data-testid=quick-preview]'), object: t('[data-testid=quick-object]'), preview_table: t('.grid-scroller'), page_height: document.documentElement.scrollHeight };
    });
    positions[`dataset_${lang}`] = at;
    assert.ok(at.download_bottom <= SCREEN, `${lang}: the download action ends at ${at.download_bottom} px`);
    assert.ok(at.object < SCREEN, `${lang}: the objection action at ${at.object} px`);
    await noSidewaysScroll(page, `dataset page ${lang}`);
    // The table scrolls sideways inside its own box.
    const scroller = await page.evaluate(() => { const s = document.querySelector('.grid-scroller'); return { sw: s.scrollWidth, cw: s.clientWidth }; });
    assert.ok(scroller.sw > scroller.cw, `the table is wider than its box and scrolls in it: ${JSON.stringify(scroller)}`);
    // Long panels are folded.
    for (const sel of ['section.metadata', 'section.fields', 'section.citations', 'section.usage']) {
      await page.locator(`${sel} details.fold`).waitFor({ state: 'attached' });
      assert.equal(await page.locator(`${sel} details.fold`).getAttribute('open'), null, `${sel} is folded`);
    }
    assert.deepEqual(await axe(page), [], `dataset page ${lang}`);
    await screenshot(page, `phone-dataset-${lang}`);
    await firstScreen(page, `phone-dataset-${lang}`);
    await page.locator('section.metadata summary').click();
    assert.equal(await page.locator('section.metadata dl').isVisible(), true, 'metadata opens on demand');

    if (lang === 'zh-CN') {
      // A tap on a row: the row as a card with every field.
      const columns = await page.locator('.grid thead th:not(.rownum)').count();
      await page.locator('.grid tbody tr:not(.loading) td').nth(1).tap();
      const card = page.getByTestId('row-card');
      await card.waitFor();
      assert.equal(await card.locator('dt').count(), columns, 'every field on the card');
      const cells = await page.locator(`.grid tbody tr[data-row="${await card.getAttribute('data-row')}"] td`).allInnerTexts();
      assert.deepEqual(await card.locator('dd').allInnerTexts(), cells, 'the card shows the row\'s values');
      assert.deepEqual(await axe(page), [], 'row card');
      await screenshot(page, 'phone-row-card-zh-CN');
      // By keyboard: the row's number is a button; Enter on it opens that row's card.
      await page.getByTestId('row-card-close').click();
      const third = page.locator('.grid tbody tr:not(.loading)').nth(2);
      await third.getByTestId('row-open').focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction((row) => document.querySelector('[data-testid=row-card]')?.dataset.row === row
        && document.activeElement?.id === 'row-card-title', await third.getAttribute('data-row'));
      // The download in the first screen: the bundle with the attribution, as the panel's.
      await page.evaluate(() => window.scrollTo(0, 0));
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('quick-download').tap()]);
      assert.match(download.suggestedFilename(), /^jt-bus-stops_bus-stops_\d{4}-\d{2}-\d{2}\.zip$/);
      const zip = readFileSync(await download.path());
      assert.ok(zip.includes(Buffer.from('ATTRIBUTION.txt')), 'the bundle carries ATTRIBUTION.txt');
      await page.getByTestId('quick-download-status').filter({ hasText: /\d{4}-\d{2}-\d{2}/ }).waitFor();
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('phone pages in both languages: no sideways scroll, no axe violation, a screenshot each', async () => {
  for (const lang of ['zh-CN', 'en']) {
    for (const [name, path] of Object.entries({ my: '/my', filings: '/filings', rights: '/rights', apply: '/file/apply?dataset=yb-settlement', conditional: '/datasets/yb-settlement' })) {
      const { context, page, errors } = await phone(lang);
      await page.goto(BASE + path);
      await page.locator('main h1').waitFor();
      await noSidewaysScroll(page, `${name} ${lang}`);
      assert.deepEqual(await axe(page), [], `${name} ${lang}`);
      await screenshot(page, `phone-${name}-${lang}`);
      if (name === 'conditional') {
        const apply = await page.evaluate(() => Math.round(document.querySelector('[data-testid=quick-apply]').getBoundingClientRect().bottom));
        positions[`conditional_apply_${lang}`] = apply;
        assert.ok(apply <= SCREEN, `the apply action ends at ${apply} px`);
      }
      assert.deepEqual(errors, []);
      await context.close();
    }
  }
});

test('installable, and offline: a favourite dataset and my filings open from the cache; a filing made offline is sent when the network returns', async () => {
  const built = await buildCatalog();
  const pages = await renderPages(built.catalog);
  let server = await serve({ ...built, pages });
  const { context, page, errors } = await openPersistent(tempDir('kaifang-phone-profile-'), { ...PHONE, serviceWorkers: 'allow' });
  const cdp = await context.newCDPSession(page);
  await page.goto(server.url + '/');
  await page.evaluate(() => navigator.serviceWorker.ready);
  // Chromium's own installability check (the one Lighthouse's "installable" audit ran).
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, [], 'Chromium finds the site installable');
  const manifest = await cdp.send('Page.getAppManifest');
  assert.deepEqual(manifest.errors, []);
  const m = JSON.parse(manifest.data);
  assert.equal(m.display, 'standalone');
  assert.ok(m.icons.some((i) => i.sizes === '512x512'));

  // A person visits a dataset and keeps it as a favourite; files an error report; opens "my filings".
  await page.goto(server.url + '/datasets/hb-air-quality');
  await page.getByTestId('favourite').click();
  await fillErrorReport(page, server.url);
  await page.getByRole('button', { name: '提交' }).click();
  const reference = (await page.getByTestId('reference').innerText({ timeout: 15_000 })).trim();
  await page.goto(server.url + '/filings');
  await page.locator(`[data-testid=filed-item][data-reference="${reference}"] [data-state]`).waitFor({ timeout: 15_000 });
  await page.goto(server.url + '/my');
  await page.locator('main h1').waitFor();
  // Nothing of the file is kept until the person agrees to a size; then it is.
  const summary = page.getByTestId('offline-summary');
  assert.equal((await summary.innerText()).trim(), '本设备没有保存数据文件。');
  await page.getByTestId('offline-limit').selectOption('10');
  const kept = page.locator('[data-testid=offline-list] li[data-dataset=hb-air-quality][data-state=kept]');
  await kept.waitFor({ timeout: 15_000 });
  assert.match(await summary.innerText(), /本设备保存了 1 个文件，共 290 B，上限 10\.0 MB。/);
  const keys = async () => page.evaluate(async () => (await (await caches.open('kaifang-files-1')).keys()).map((r) => r.url));
  const copies = await keys();
  assert.equal(copies.length, 1);
  assert.match(copies[0], /\/catalog\/files\/hb-air-quality\/air-quality-gbk\.csv\?sha256=[0-9a-f]{64}$/);

  // The network is cut: the server is gone and the browser is offline.
  await stop(server);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await page.goto(server.url + '/datasets/hb-air-quality');
  await page.locator('main h1').waitFor();
  assert.match(await page.locator('main h1').innerText(), /空气/);
  await page.getByTestId('offline-note').waitFor();
  await page.locator('section.metadata').waitFor();
  // The kept copy of its file is previewed: the first row, decoded from GBK.
  const firstCell = page.locator('.grid tbody tr:not(.loading) td').first();
  await firstCell.waitFor({ timeout: 30_000 });
  assert.equal((await page.locator('.grid tbody tr:not(.loading)').first().innerText()).includes('东城区监测站'), true);
  await screenshot(page, 'phone-offline-dataset-zh-CN');
  // Offline, "my data" still lists the copy (the record comes from the saved pages) and
  // throws nothing away.
  await page.goto(server.url + '/my');
  await kept.waitFor({ timeout: 15_000 });
  assert.deepEqual(await keys(), copies);
  await page.goto(server.url + '/filings');
  const item = page.locator(`[data-testid=filed-item][data-reference="${reference}"]`);
  await item.getByTestId('filing-saved-at').waitFor({ timeout: 15_000 });
  await item.locator('[data-state]').waitFor();
  await screenshot(page, 'phone-offline-filings-zh-CN');

  // A filing made offline waits in the outbox and is sent when the network returns.
  await fillErrorReport(page, server.url, { name: '赵六', phone: '010-87654321', row: '9', explanation: '第 9 行 PM10 数值缺失。' });
  await page.getByRole('button', { name: '提交' }).click();
  await page.getByTestId('queued-notice').waitFor({ timeout: 15_000 });
  server = await serve({ ...built, pages }, server.port);
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await page.getByTestId('receipt').waitFor({ timeout: 120_000 });
  const sent = (await page.getByTestId('reference').innerText()).trim();
  assert.notEqual(sent, reference);
  await page.getByTestId('offline-note').waitFor({ state: 'detached' });
  // "Keep none" deletes the copies.
  await page.goto(server.url + '/my');
  await page.getByTestId('offline-limit').selectOption('0');
  await summary.filter({ hasText: '本设备没有保存数据文件。' }).waitFor();
  await page.waitForFunction(async () => !(await caches.has('kaifang-files-1')), null, { timeout: 15_000 });
  assert.deepEqual(errors, []);
  await context.close();
  await stop(server);
});
