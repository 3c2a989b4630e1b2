// Catalog text full of markup is inert on every page kind (MISSION X4, issue 14): a portal's
// own catalog, an imported one or a compromised source folder must not put script into
// readers' browsers. The catalog is built here from a hostile source folder; every page is
// read as `kaifang render` wrote it (no JavaScript) and after the app has taken it over —
// with the Content-Security-Policy bypassed, so that it is the rendering that keeps the
// payloads inert, not only the policy. A payload that ran would set `window.__pwned`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openPage, screenshot } from './lib.mjs';
import { buildFromSource, cleanUp, renderPages, serve } from './intake.mjs';

/** Markup that would run if any of it became markup: each vector sets `__pwned` to `tag`. */
const payload = (tag) =>
  `<script>window.__pwned='${tag}'</script><img src=x onerror="window.__pwned='${tag}'">` +
  `<a href="javascript:window.__pwned='${tag}'">${tag}</a><svg onload="window.__pwned='${tag}'"></svg>` +
  `"'><iframe src="javascript:parent.__pwned='${tag}'"></iframe></textarea></title><!--`;
const MARK = "<script>window.__pwned='";
// A 100 KB title: the payload, then 33,000 three-byte characters.
const LONG_TITLE = `${payload('title')}超长标题${'长'.repeat(33_000)}`;
// TOML basic strings: escape what TOML escapes; the payloads hold no newline.
const str = (s) => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

const CSV = [
  `"${payload('note').replaceAll('"', '""')}"`,
  `"${payload('header').replaceAll('"', '""')}",数值`,
  `"${payload('cell').replaceAll('"', '""')}",1`,
  '普通,2',
].join('\n') + '\n';

function dataset({ id, title, open, file }) {
  return [
    `id = "${id}"`,
    `title = ${str(title)}`,
    `title_en = ${str(payload('title_en'))}`,
    `description = ${str(`描述${payload('description')}`)}`,
    `keywords = [${str(payload('keyword'))}, "普通"]`,
    'theme = "交通出行"',
    `license = ${str(payload('license'))}`,
    'security_level = 1',
    'accrual_periodicity = "monthly"',
    'issued = "2023-03-15"',
    'modified = "2026-10-28"',
    `spatial = ${str(payload('spatial'))}`,
    `usage_requirements = ${str(payload('usage'))}`,
    'version = "1.0"',
    file ? 'access = [{ kind = "download" }]' : 'access = [{ kind = "sandbox" }]',
    `publisher = { id = "evil", name = ${str(`部门${payload('publisher')}`)}, name_en = ${str(payload('publisher_en'))} }`,
    'region = { name = "示例市", level = "city" }',
    `contact_point = { name = ${str(payload('contact'))}, email = "a@example.gov.cn" }`,
    open,
    `fields = [{ name = ${str(payload('field'))}, label = ${str(payload('label'))}, type = "string", description = ${str(payload('field_desc'))} }, { name = "数值", label = "数值", type = "integer" }]`,
    `history = [{ version = "1.0", date = "2026-10-28", note = ${str(payload('history'))} }]`,
    '',
    // Conditional data is not published as files (the checker refuses them).
  ].concat(!file ? [] : [
    '[[files]]',
    `title = ${str(payload('file_title'))}`,
    `file = "files/${file}"`,
    'encoding = "utf-8"',
    `byte_size = ${Buffer.byteLength(CSV)}`,
    `sha256 = "${createHash('sha256').update(CSV).digest('hex')}"`,
    '',
  ]).join('\n');
}

/** The hostile source folder, built and rendered: { catalog, data, pages }. */
async function hostileSite() {
  const built = await buildFromSource({
    'portal.toml': [
      `name = ${str(`示例市平台${payload('portal')}`)}`,
      `name_en = ${str(payload('portal_en'))}`,
      'publisher = "示例市政务服务和数据管理局"',
      'url = "https://data.example.gov.cn"',
      'jurisdiction = "yunnan"',
      'intake = "/api/v1"',
      'default_license = "示例市公共数据开放许可协议 1.0"',
      '',
    ].join('\n'),
    'files/evil.csv': CSV,
    'datasets/x-open.toml': dataset({ id: 'x-open', title: LONG_TITLE, file: 'evil.csv', open: 'open = { kind = "unconditional" }' }),
    'datasets/x-cond.toml': dataset({
      id: 'x-cond', title: `条件${payload('cond_title')}`, file: null,
      open: `open = { kind = "conditional", conditions = [${str(payload('condition'))}], legal_basis = ${str(payload('basis'))} }`,
    }),
  }, 'kaifang-hostile-');
  return { ...built, pages: await renderPages(built.catalog) };
}

const PAGES = {
  front: '/',
  browse_theme: `/browse/theme/${encodeURIComponent('交通出行')}`,
  browse_dept: null, // the department's key, read from the built catalog below
  dataset: '/datasets/x-open',
  conditional: '/datasets/x-cond',
  object_form: '/file/object?dataset=x-open',
  report_form: '/file/report?dataset=x-open',
  apply_form: '/file/apply?dataset=x-cond',
  rights: '/rights',
};

let browser;
let site;
/** The same catalog without pages built: the app renders every page on its own. */
let bare;
before(async () => {
  browser = await launch();
  const built = await hostileSite();
  const index = JSON.parse(readFileSync(join(built.catalog, 'catalog.json'), 'utf8'));
  PAGES.browse_dept = `/browse/dept/${encodeURIComponent(index.search.facets.department[0].key)}`;
  site = await serve(built);
  bare = await serve({ catalog: built.catalog, data: built.data });
});
after(async () => { await browser?.close(); await cleanUp(); });

/** Everything in the document that markup from catalog text could have become. */
function injected(page) {
  return page.evaluate((mark) => {
    const found = [];
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.attributes) {
        if (a.name.startsWith('on')) found.push(`${el.tagName} ${a.name}`);
        if (/^\s*javascript:/i.test(a.value)) found.push(`${el.tagName} ${a.name}=${a.value.slice(0, 40)}`);
      }
      if (['IFRAME', 'OBJECT', 'EMBED'].includes(el.tagName)) found.push(el.tagName);
      if (el.tagName === 'IMG' && el.getAttribute('src') === 'x') found.push('IMG src=x');
    }
    for (const s of document.querySelectorAll('script')) {
      const data = ['application/json', 'application/ld+json'].includes(s.type);
      if (!data && s.textContent.includes('__pwned')) found.push('a script with the payload');
      // A data block holds the payload escaped (`<\/script>`), never its closing tag as is.
      if (data && s.textContent.includes('</script')) found.push('a data block ended by the payload');
    }
    const text = document.body.innerText;
    return { found, shown: text.includes(mark), pwned: window.__pwned ?? null };
  }, MARK);
}

test('every page as built: catalog markup is text, nothing of it became an element or an attribute (X4)', async () => {
  for (const [kind, path] of Object.entries(PAGES)) {
    const { context, page } = await openPage(browser, { javaScriptEnabled: false });
    const res = await page.goto(site.url + path, { builtOnly: true });
    assert.equal(res.status(), 200, `${kind} ${path}`);
    const r = await injected(page);
    assert.deepEqual(r.found, [], `${kind}: ${r.found.join(', ')}`);
    // Forms are built without a dataset (the address's query picks it in the browser).
    if (!kind.endsWith('_form') && kind !== 'rights') assert.ok(r.shown, `${kind} shows the markup as text`);
    await context.close();
  }
});

test('every page taken over by the app, CSP bypassed: no payload ran, none became markup (X4)', async () => {
  for (const [kind, path] of Object.entries(PAGES)) {
    const { context, page, errors } = await openPage(browser, { bypassCSP: true });
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    await page.goto(site.url + path);
    // The app fetched the record and rendered it itself on dataset and form pages.
    if (kind === 'dataset') await page.locator('main h1').filter({ hasText: '超长标题' }).waitFor();
    if (kind.endsWith('_form')) await page.getByText(MARK.slice(0, 20)).first().waitFor();
    await page.waitForTimeout(300);
    const r = await injected(page);
    assert.equal(r.pwned, null, `${kind}: a payload ran (${r.pwned})`);
    assert.deepEqual(dialogs, [], kind);
    assert.deepEqual(r.found, [], `${kind}: ${r.found.join(', ')}`);
    if (kind !== 'rights') assert.ok(r.shown, `${kind} shows the markup as text`);
    assert.deepEqual(errors, [], kind);
    if (kind === 'dataset') await screenshot(page, 'hostile-dataset');
    await context.close();
  }
});

test('the app rendering hostile records on its own (no built page): still inert (X4)', async () => {
  const { context, page } = await openPage(browser, { bypassCSP: true });
  await page.goto(bare.url + '/datasets/x-open');
  await page.locator('main h1').filter({ hasText: '超长标题' }).waitFor();
  await page.locator('[data-testid=preview] table').first().waitFor();
  let r = await injected(page);
  assert.equal(r.pwned, null);
  assert.deepEqual(r.found, []);
  const title = await page.locator('main h1').innerText();
  assert.ok(title.startsWith(MARK) && title.length > 33_000, 'the 100 KB title is shown whole, as text');
  // The file's header and cells are catalog text too.
  const grid = await page.locator('[data-testid=preview]').innerText();
  assert.ok(grid.includes("window.__pwned='header'") && grid.includes("window.__pwned='cell'"), 'the file\'s markup is text');
  await page.goto(bare.url + '/file/object?dataset=x-open');
  await page.getByText(MARK.slice(0, 20)).first().waitFor();
  r = await injected(page);
  assert.equal(r.pwned, null);
  assert.deepEqual(r.found, []);
  await context.close();
});

test('a record far larger than a record can be is refused with a clear message, not held (issue 14)', async () => {
  const { context, page, errors } = await openPage(browser);
  // 9 MB of JSON, past the 8 MB a record may take (kaifang_core::catalog::MAX_RECORD_BYTES).
  const huge = JSON.stringify({ id: 'x-cond', padding: 'x'.repeat(9 << 20) });
  let served = 0;
  await page.route('**/catalog/datasets/x-cond.json', (route) => { served += 1; return route.fulfill({ body: huge, contentType: 'application/json' }); });
  await page.goto(bare.url + '/datasets/x-cond');
  const box = page.locator('main').getByText('目录文件大小异常');
  await box.waitFor({ timeout: 15_000 });
  assert.ok(served >= 1, 'the app asked for the record and met the oversized answer');
  assert.match(await page.locator('main').innerText(), /> 8 MB/, 'the limit is named');
  assert.deepEqual(errors, [], 'refused, not crashed');
  await context.close();
});
