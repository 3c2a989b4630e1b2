// The preview and the charts load on first use (issue 13, src/lazy.rs): a built dataset page is
// the app's without their code; the reader's first reach for them fetches it, once, and what
// they did first — a click, a filter typed — takes effect in the live part.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, openPage } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// The split part's wasm (its loader, a 2 KB script, comes with the module).
const SPLIT = /\/snippets\/split-[0-9a-f]{16}\/.*\.wasm$/;

/** A built dataset page, taken over, with its parts still as built. */
async function openKept(id) {
  const opened = await openPage(browser);
  const split = [];
  opened.page.on('request', (r) => { if (SPLIT.test(r.url())) split.push(r.url()); });
  await opened.page.goto(`${BASE}/datasets/${id}`, { lazyParts: 'keep' });
  return { ...opened, split };
}

async function rows(page) {
  return page.$$eval('.grid tbody tr:not(.loading)', (trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent)));
}

test('a built dataset page is the app\'s before the preview\'s code arrives, and is fetched on first use only', async () => {
  const { context, page, split, errors } = await openKept('hb-air-quality');
  // The page is the app's: the language switch, favourites and filing links work now.
  assert.ok(await page.locator('#app[data-taken-over]').count());
  // The built preview and chart panel are kept, in the app's slots, with their rows.
  assert.equal(await page.locator('[data-lazy-slot=preview] > [data-lazy=preview][data-adopted]').count(), 1);
  assert.equal(await page.locator('[data-lazy-slot=charts] > [data-lazy=charts][data-adopted]').count(), 1);
  assert.ok((await rows(page)).length >= 3);
  await page.waitForTimeout(1500);
  assert.deepEqual(split, [], 'nothing of the split part is fetched before it is used');
  // The app's own parts of the page work meanwhile: the language switch re-renders the header.
  await page.locator('.lang-switch').click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.deepEqual(split, [], 'the language switch does not need the part');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a click on a sort button before the code has arrived is made again on the live table', async () => {
  const { context, page, split, errors } = await openKept('hb-air-quality');
  const before = (await rows(page)).map((row) => Number(row[2]));
  await page.locator('.grid thead th button.sort', { hasText: 'AQI' }).click();
  await page.waitForFunction(() => document.querySelector('.grid thead th[aria-sort=ascending]'), null, { timeout: 30_000 });
  assert.equal(await page.locator('[data-lazy-slot=preview] > [data-adopted]').count(), 0, 'the built preview is gone');
  assert.equal(await page.locator('[data-lazy-slot=preview] > [data-lazy]').count(), 1, 'one preview, the live one');
  assert.equal(await page.locator('[data-lazy][aria-hidden]').count(), 0, 'the live part is shown');
  // The chart panel, not used yet, is still the built one (its own first use fetches nothing new).
  assert.equal(await page.locator('[data-lazy-slot=charts] > [data-adopted]').count(), 1);
  const aqi = (await rows(page)).map((row) => Number(row[2]));
  assert.deepEqual(aqi, [...aqi].sort((a, b) => a - b));
  assert.notDeepEqual(aqi, before, 'the order changed');
  assert.equal(split.length, 1, `the split part, once: ${split}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a filter typed into the built controls is kept when the live preview takes their place', async () => {
  const { context, page, errors } = await openKept('hb-air-quality');
  await page.locator('[data-testid=filter-value]').fill('东城');
  await page.waitForFunction(() => !document.querySelector('[data-lazy-slot=preview] > [data-adopted]'), null, { timeout: 30_000 });
  assert.equal(await page.locator('[data-testid=filter-value]').inputValue(), '东城');
  await page.selectOption('[data-testid=filter-column]', '0');
  await page.click('[data-testid=filter-apply]');
  await page.waitForFunction(() => [...document.querySelectorAll('.grid tbody tr td:first-child')].every((td) => td.textContent.includes('东城')));
  assert.deepEqual(errors, []);
  await context.close();
});

test('drawing a chart from the built panel fetches the charts\' code and draws', async () => {
  const { context, page, errors } = await openKept('jt-bus-stops');
  await page.getByTestId('chart-draw').click();
  await page.waitForFunction(() => /类别/.test(document.querySelector('[data-testid=chart-status]')?.textContent), null, { timeout: 30_000 });
  assert.equal(await page.locator('[data-lazy-slot=charts] > [data-adopted]').count(), 0, 'the built panel is gone');
  assert.deepEqual(errors, []);
  await context.close();
});
