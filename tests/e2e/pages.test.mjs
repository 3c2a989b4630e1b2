// Pages rendered at build time (issue 13): what a reader without JavaScript, a crawler and a
// shared-link preview receive, honest status codes, and the app taking a built page over
// without a flash, a layout shift, a second fetch of what the page holds, or a warning.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { BASE, launch, openPage, screenshot } from './lib.mjs';
import { buildCatalog, cleanUp, renderPages, review, serve } from './intake.mjs';

const CATALOG = process.env.KAIFANG_CATALOG;
const records = readdirSync(`${CATALOG}/datasets`).filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(`${CATALOG}/datasets/${f}`, 'utf8')));
const index = JSON.parse(readFileSync(`${CATALOG}/catalog.json`, 'utf8'));
const open = records.find((d) => d.id === 'jt-bus-stops');
const conditional = records.find((d) => d.open.kind === 'conditional');
const domain = index.search.facets.theme.find((v) => v.count > 0);
const dept = index.search.facets.department.find((v) => v.count > 0);
const browse = (facet, key) => `/browse/${facet}/${encodeURIComponent(key)}`;

/** One of each page kind a reader can open. */
const PAGE_KINDS = {
  front: '/',
  dataset: `/datasets/${open.id}`,
  conditional: `/datasets/${conditional.id}`,
  domain: browse('theme', domain.key),
  department: browse('dept', dept.key),
  rights: '/rights',
  form: '/file/request',
};

/** Every page kind axe reads: the above, each filing form, the filer's pages, the desk and not-found. */
const AXE_KINDS = {
  ...PAGE_KINDS,
  apply: `/file/apply?dataset=${conditional.id}`,
  object: `/file/object?dataset=${open.id}`,
  report: `/file/report?dataset=${open.id}`,
  my: '/my',
  filings: '/filings',
  // The provider's desk as everyone first sees it: its sign-in (docs/desk.md).
  desk: '/desk',
  missing: '/no-such-page',
};

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); await cleanUp(); });

/** A page as a reader without JavaScript gets it. */
async function withoutJs(path) {
  const { context, page } = await openPage(browser, { javaScriptEnabled: false });
  const res = await page.goto(BASE + path, { builtOnly: true });
  return { context, page, res };
}

const text = (page, sel) => page.locator(sel).first().innerText();

test('every page kind reads without JavaScript: title, heading, description', async () => {
  for (const [kind, path] of Object.entries(PAGE_KINDS)) {
    const { context, page, res } = await withoutJs(path);
    assert.equal(res.status(), 200, `${kind} ${path}`);
    assert.notEqual(await page.title(), '开放数据目录 · Kaifang', `${kind} has its own title`);
    assert.ok((await page.locator('meta[name=description]').getAttribute('content')).length > 10, `${kind} describes itself`);
    assert.ok((await text(page, 'main h1')).trim().length > 0, `${kind} has a heading`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    await screenshot(page, `built-${kind}`);
    await context.close();
  }
});

test('a dataset page without JavaScript: attribution, fields, first rows, download, citation, actions', async () => {
  const { context, page } = await withoutJs(PAGE_KINDS.dataset);
  assert.equal(await text(page, 'main h1'), open.title);
  assert.match(await text(page, '.badges'), /无条件开放/);
  assert.equal(await text(page, '.publisher'), open.publisher.name);
  const attribution = await text(page, '[data-testid=attribution-line]');
  assert.ok(attribution.includes(open.publisher.name) && attribution.includes(open.title), attribution);
  assert.match(attribution, /获取日期：阅读当日/, 'the build does not pretend to know the reader\'s day');
  const fieldNames = await page.locator('section.fields tbody td:first-child').allInnerTexts();
  assert.deepEqual(fieldNames, open.fields.map((f) => f.name));
  const firstRow = await page.locator('.preview-body table.grid tbody tr').first().locator('td').allInnerTexts();
  const csv = readFileSync(`${CATALOG}/${open.distributions[0].path}`, 'utf8').split('\n')[1].split(',');
  assert.deepEqual(firstRow, csv, 'the first preview row is the file\'s first record');
  const href = await page.locator('[data-testid=download-original]').getAttribute('href');
  const file = await fetch(BASE + href);
  assert.equal(file.status, 200, 'the download link serves the file');
  assert.match(await text(page, '[data-testid=cite-gbt7714]'), /\[DB\/OL\]/);
  for (const a of ['action-object', 'action-report']) {
    assert.match(await page.locator(`[data-testid=${a}]`).getAttribute('href'), new RegExp(`dataset=${open.id}`));
  }
  await context.close();

  // A conditional dataset states its conditions and legal basis (B1, B5), with no download.
  const c = await withoutJs(PAGE_KINDS.conditional);
  const terms = await text(c.page, 'section.open-terms');
  assert.ok(conditional.open.conditions.every((x) => terms.includes(x)) && terms.includes(conditional.open.legal_basis), terms);
  assert.equal(await c.page.locator('[data-testid=download-original]').count(), 0);
  await c.context.close();
});

test('browse pages list every dataset without JavaScript, with paging links', async () => {
  const { context, page } = await withoutJs('/');
  const hrefs = await page.locator('nav.browse a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.includes(browse('theme', domain.key)) && hrefs.includes(browse('dept', dept.key)), hrefs.join(' '));
  await context.close();
  const seen = new Set();
  for (const v of index.search.facets.theme.filter((x) => x.count > 0)) {
    let path = browse('theme', v.key);
    while (path) {
      const b = await withoutJs(path);
      assert.equal(b.res.status(), 200, path);
      for (const a of await b.page.locator('#search-results a[href^="/datasets/"]').evaluateAll((as) => as.map((x) => x.getAttribute('href')))) seen.add(a);
      path = await b.page.locator('.pager a.next').count() ? await b.page.locator('.pager a.next').getAttribute('href') : null;
      await b.context.close();
    }
  }
  assert.equal(seen.size, index.dataset_count, 'walking the domains reaches every dataset');
});

test('the search box says plainly that searching as you type needs JavaScript; forms say how to file', async () => {
  const front = await withoutJs('/');
  assert.match(await front.page.locator('.search-form').innerText(), /需要启用 JavaScript/);
  await front.context.close();
  const form = await withoutJs('/file/apply');
  assert.match(await form.page.locator('main').innerText(), /需要启用 JavaScript/);
  await form.context.close();
});

test('honest status codes: 404 for unknown paths and datasets, real robots, sitemap and favicon', async () => {
  for (const path of ['/datasets/does-not-exist', '/no/such/page', '/datasets/..%2f..%2fcatalog.json']) {
    const res = await fetch(BASE + path);
    assert.equal(res.status, 404, path);
    assert.match(await res.text(), /页面不存在/, `${path} gets the 404 page`);
  }
  const robots = await fetch(BASE + '/robots.txt');
  assert.equal(robots.status, 200);
  assert.match(await robots.text(), /^Sitemap: .*\/sitemap\.xml$/m);
  const icon = await fetch(BASE + '/favicon.ico');
  assert.equal(icon.status, 200);
  const bytes = new Uint8Array(await icon.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 4)], [0, 0, 1, 0], 'an ICO file');
  const sitemap = await (await fetch(BASE + '/sitemap.xml')).text();
  const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
  for (const d of records.filter((x) => x.status !== 'withdrawn')) {
    assert.ok(locs.includes(`/datasets/${d.id}`), `sitemap lists ${d.id}`);
  }
  assert.ok(sitemap.includes(`<lastmod>${open.modified}</lastmod>`));
});

test('every dataset page carries schema.org Dataset JSON-LD; no two pages share a title; Open Graph', async () => {
  const titles = new Map();
  const paths = [...records.map((d) => `/datasets/${d.id}`), ...Object.values(PAGE_KINDS), '/my', '/filings', '/file/apply', '/file/object', '/file/report'];
  for (const path of new Set(paths)) {
    const html = await (await fetch(BASE + path)).text();
    const title = /<title>([^<]*)<\/title>/.exec(html)[1];
    assert.ok(!titles.has(title), `${path} shares its title with ${titles.get(title)}`);
    titles.set(title, path);
    if (!path.startsWith('/datasets/')) continue;
    const d = records.find((r) => path === `/datasets/${r.id}`);
    const ld = JSON.parse(/<script type="application\/ld\+json">([^<]*)<\/script>/.exec(html)[1]);
    assert.equal(ld['@type'], 'Dataset');
    assert.equal(ld.name, d.title);
    assert.equal(ld.identifier, d.id);
    assert.ok(ld.url.endsWith(path));
    assert.equal(ld.publisher['@type'], 'GovernmentOrganization');
    assert.equal(ld.dateModified, d.modified);
    assert.equal(ld.isAccessibleForFree, true);
    const downloadable = d.open.kind === 'unconditional' && d.status === 'open' && d.distributions.length > 0;
    assert.equal(Boolean(ld.distribution), downloadable, `${d.id}: files only where they may be downloaded`);
    if (ld.distribution) assert.ok(ld.distribution.every((f) => f.contentUrl && f.encodingFormat));
    if (d.open.kind === 'conditional') assert.ok(ld.conditionsOfAccess.includes(d.open.legal_basis));
    assert.match(html, /<link rel="alternate" type="application\/ld\+json" href="\/catalog\/catalog.jsonld"/);
  }
  // A shared link's preview: the dataset's name and publisher, its address.
  const { context, page } = await withoutJs(PAGE_KINDS.dataset);
  const og = async (p) => page.locator(`meta[property="og:${p}"]`).getAttribute('content');
  assert.ok((await og('title')).includes(open.title) && (await og('title')).includes(open.publisher.name));
  assert.ok((await og('description')).includes(open.publisher.name));
  assert.ok((await og('url')).endsWith(PAGE_KINDS.dataset));
  await context.close();
});

/** The text of the parts a built page and the app's page both show, whitespace folded. */
async function regions(page) {
  return page.evaluate(() => {
    const sel = ['main h1', '.badges', '.publisher', '.description', '[data-testid=attribution-box]', 'section.metadata',
      'section.fields', '.preview-body table.grid tbody tr:first-child', '#search-results', 'nav.browse', 'ul.rights-kinds'];
    const out = {};
    for (const s of sel) {
      const el = document.querySelector(s);
      if (el) out[s] = el.innerText.replace(/\s+/g, ' ').trim();
    }
    return out;
  });
}

test('the app takes each page over with the same content, no layout shift, no warning, no second fetch', async () => {
  const today = new Date();
  const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
  for (const [kind, path] of Object.entries(PAGE_KINDS)) {
    const built = await withoutJs(path);
    const before = await regions(built.page);
    await built.context.close();
    const { context, page, errors } = await openPage(browser);
    const warnings = [];
    // lib.mjs blocks the service worker here; Playwright says so itself, which is not the app's warning.
    page.on('console', (m) => { if ((m.type() === 'warning' || m.type() === 'error') && !m.text().includes('blocked by Playwright')) warnings.push(m.text()); });
    const requests = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await page.addInitScript(() => {
      window.__shift = 0;
      new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__shift += e.value; })
        .observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(BASE + path);
    assert.equal(await page.locator('#app[data-taken-over]').count(), 1, `${kind}: taken over`);
    const afterTakeover = await regions(page);
    for (const [sel, text] of Object.entries(before)) {
      assert.equal(afterTakeover[sel]?.replaceAll(day, '阅读当日'), text, `${kind}: ${sel} differs after takeover`);
    }
    const shift = await page.evaluate(() => window.__shift);
    assert.ok(shift < 0.01, `${kind}: cumulative layout shift ${shift}`);
    assert.deepEqual(warnings, [], `${kind}: console`);
    assert.deepEqual(errors, [], `${kind}: page errors`);
    if (kind === 'dataset') {
      assert.ok(!requests.includes(`/catalog/datasets/${open.id}.json`), 'the record the page carries is not fetched again');
      assert.equal(await page.title(), (await page.locator('title').innerText()));
    }
    await context.close();
  }
});

test('the app keeps the title and description in step as it navigates', async () => {
  const { context, page } = await openPage(browser);
  await page.goto(BASE + '/');
  const front = await page.title();
  const link = page.locator('#search-results a[href^="/datasets/"]').first();
  const href = await link.getAttribute('href');
  const d = records.find((r) => `/datasets/${r.id}` === href);
  await link.click();
  await page.waitForFunction((t) => document.title.startsWith(t), d.title);
  assert.ok((await page.locator('meta[name=description]').getAttribute('content')).includes(d.publisher.name));
  assert.ok((await page.locator('link[rel=canonical]').getAttribute('href')).endsWith(`/datasets/${d.id}`));
  await page.goBack();
  await page.waitForFunction((t) => document.title === t, front);
  await context.close();
});

/** axe-core, WCAG 2.2 AA and best practice: the violations found on the page as it is. */
async function axe(page) {
  await page.evaluate(readFileSync(new URL('./node_modules/axe-core/axe.min.js', import.meta.url), 'utf8'));
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
}

test('axe-core finds no violation on any page kind, built or taken over, in either language', async () => {
  for (const [kind, path] of Object.entries(AXE_KINDS)) {
    // As built: the app's scripts are held back, so the page stays as the build wrote it.
    const built = await openPage(browser);
    await built.page.route(/\.(js|wasm)$/, (r) => r.abort());
    await built.page.goto(BASE + path, { builtOnly: true });
    assert.deepEqual(await axe(built.page), [], `${kind} as built`);
    await built.context.close();
    for (const lang of ['zh-CN', 'en']) {
      const { context, page } = await openPage(browser);
      await page.addInitScript((l) => localStorage.setItem('kaifang.lang', JSON.stringify(l)), lang);
      await page.goto(BASE + path);
      await page.waitForFunction((l) => document.documentElement.lang === l, lang);
      assert.deepEqual(await axe(page), [], `${kind} taken over, ${lang}`);
      await context.close();
    }
  }
});

test('a status the intake changed after the build reaches readers without JavaScript; withdrawn answers 410', async () => {
  const built = await buildCatalog();
  const server = await serve({ ...built, pages: await renderPages(built.catalog) });
  // A rights holder objects (the form needs the app); the department suspends, then withdraws.
  const { context, page } = await openPage(browser);
  await page.goto(server.url + `/file/object?dataset=${open.id}`);
  await page.locator('[data-form=objection]').waitFor();
  await page.fill('#f-requester-name', '某某公交广告有限公司');
  await page.fill('#f-requester-contact-email', 'legal@example.com');
  await page.selectOption('#f-relation', 'rights_holder');
  await page.selectOption('#f-scope-kind', 'rows');
  await page.fill('#f-scope-rows', '3');
  await page.check('#f-grounds-trade_secret');
  await page.fill('#f-statement', '第 3 行为本公司尚未公开的合同信息。');
  await page.selectOption('#f-requested_action', 'withdraw');
  await page.getByRole('button', { name: '提交' }).click();
  await page.getByTestId('receipt').waitFor({ timeout: 15_000 });
  const reference = (await page.getByTestId('reference').innerText()).trim();
  await context.close();
  const department = open.publisher.id;
  await review(['start', reference, '--department', department], server);
  await review(['act', reference, '--department', department, '--json', '{"action":"suspend_dataset","note":"核实异议期间中止开放"}'], server);

  const plain = async () => {
    const { context: c, page: p } = await openPage(browser, { javaScriptEnabled: false });
    const res = await p.goto(server.url + `/datasets/${open.id}`, { builtOnly: true });
    return { c, p, res };
  };
  let s = await plain();
  assert.equal(s.res.status(), 200);
  assert.match(await s.p.locator('.status-banner').innerText(), /核实异议期间中止开放/);
  assert.equal(await s.p.locator('section.preview').count(), 0, 'a suspended dataset shows no rows');
  assert.equal(await s.p.locator('[data-testid=download-original]').count(), 0, 'and offers no download');
  await s.c.close();

  await review(['act', reference, '--department', department, '--json', '{"action":"withdraw_dataset","note":"经核实撤回"}'], server);
  s = await plain();
  assert.equal(s.res.status(), 410, 'withdrawn: Gone');
  assert.equal(await s.p.locator('main h1').innerText(), open.title, 'the record stays readable');
  assert.match(await s.p.locator('.status-banner').innerText(), /经核实撤回/);
  await s.c.close();
});
