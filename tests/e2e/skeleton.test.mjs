// The walking skeleton (issue 2): the wasm app lists the catalog, opens a dataset page with
// its attribution, switches language and remembers it; the API answers health.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, openPage, screenshot } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('health endpoint answers', async () => {
  const res = await fetch(`${BASE}/api/v1/health`);
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.status, 'ok');
  assert.ok(body.catalog.datasets >= 5, `catalog has ${body.catalog.datasets} datasets`);
});

test('the app lists datasets with Chinese titles that render as glyphs', async () => {
  const { context, page, foreign, errors } = await openPage(browser);
  // The front page is the search page; find the dataset by its name as a user would.
  await page.goto(BASE + '/?q=' + encodeURIComponent('公交车线路站点信息'));
  // The HTML shell holds no dataset titles: this text can only come from the wasm app.
  const card = page.locator('.dataset-card', { hasText: '公交车线路站点信息' });
  await card.waitFor({ timeout: 30_000 });
  // A search result cannot be in the page the build wrote: the app rendered this card.
  const built = await (await fetch(BASE + '/')).text();
  assert.ok(!built.includes('data-id="jt-bus-stops"'), 'the built front page does not list it');
  assert.equal(await page.locator('#app[data-taken-over]').count(), 1, 'the app took the page over');
  await screenshot(page, 'skeleton-home');

  // Tofu check: with a missing font every CJK character draws the same box. Draw two
  // different characters in the page's own font and require different pixels.
  const distinct = await page.evaluate(() => {
    const font = getComputedStyle(document.querySelector('.dataset-card h2')).fontFamily;
    const draw = (ch) => {
      const c = document.createElement('canvas'); c.width = 40; c.height = 40;
      const g = c.getContext('2d'); g.font = `32px ${font}`; g.fillStyle = '#000'; g.fillText(ch, 2, 32);
      return Array.from(g.getImageData(0, 0, 40, 40).data).join(',');
    };
    return { differ: draw('公') !== draw('交'), boxy: draw('公') === draw('\u{E000}') };
  });
  assert.ok(distinct.differ, 'two different Chinese characters render the same: tofu boxes');
  assert.ok(!distinct.boxy, 'a Chinese character renders like a missing-glyph box');

  // Emergency data come first in the unfiltered catalog (B3).
  await page.goto(BASE + '/');
  await page.locator('.dataset-card').first().waitFor();
  assert.equal(await page.locator('.dataset-card').first().locator('.badge.emergency').count(), 1,
    'the first dataset of the catalog is an emergency dataset');
  assert.deepEqual(foreign, [], 'no third-party requests');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a dataset page shows metadata, status, open attribute and the attribution line', async () => {
  const { context, page, foreign } = await openPage(browser);
  await page.goto(BASE + '/?q=' + encodeURIComponent('公交车线路站点信息'));
  await page.getByRole('link', { name: '公交车线路站点信息' }).click();
  await page.waitForURL(/\/datasets\/jt-bus-stops$/);
  await assert.doesNotReject(page.getByRole('heading', { level: 1, name: '公交车线路站点信息' }).waitFor());
  const line = await page.getByTestId('attribution-line').innerText();
  assert.match(line, /示例市交通运输局/);
  assert.match(line, /公交车线路站点信息/);
  assert.match(line, /示例市公共数据开放平台/);
  assert.match(line, /获取日期：\d{4}-\d{2}-\d{2}/);
  assert.ok(await page.locator('.badge.open-unconditional').count() >= 1);
  assert.ok(await page.locator('.fields td', { hasText: '站点名称' }).count() >= 1);
  await screenshot(page, 'skeleton-dataset');
  assert.deepEqual(foreign, []);
  await context.close();
});

test('conditional and closed datasets state their legal basis and serve no files', async () => {
  const { context, page } = await openPage(browser);
  await page.goto(BASE + '/datasets/yb-settlement');
  await page.locator('.open-terms.conditional').waitFor();
  assert.match(await page.locator('.open-terms').innerText(), /第二十二条/);
  assert.equal(await page.locator('.files').count(), 0);
  await page.goto(BASE + '/datasets/ga-household');
  await page.locator('.open-terms.closed').waitFor();
  assert.match(await page.locator('.open-terms').innerText(), /个人信息保护法/);
  assert.equal(await page.locator('.files').count(), 0);
  await context.close();
});

// MISSION X1: zh-CN and English, switchable, remembered.
test('language switches to English and is remembered across reloads', async () => {
  const { context, page } = await openPage(browser);
  await page.goto(BASE + '/datasets/jt-bus-stops');
  await page.getByRole('heading', { level: 1, name: '公交车线路站点信息' }).waitFor();
  await page.getByRole('button', { name: /切换到英文界面|English/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Bus routes and stops' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.getByTestId('attribution-line').innerText(), /^Data source: /);
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Bus routes and stops' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await context.close();
});

test('an unknown dataset gives a clear message, not a crash', async () => {
  const { context, page, errors } = await openPage(browser);
  // The not-found page, with its status, kept by the app (no reload, no dataset page).
  const res = await page.goto(BASE + '/datasets/no-such-dataset');
  assert.equal(res.status(), 404);
  await page.getByRole('heading', { level: 1, name: '页面不存在' }).waitFor();
  await page.waitForTimeout(500);
  assert.equal(page.url(), BASE + '/datasets/no-such-dataset');
  assert.equal(await page.getByRole('heading', { level: 1 }).count(), 1);
  assert.deepEqual(errors, []);
  await context.close();
});
