// Search (issue 3, B4): type a Chinese query, narrow by two facets, open a result, go back,
// and the URL restores the same view — results and facet state. Also: the query is found
// inside a longer title (公交线路 in 公交车线路站点信息), and a shared link opens the same view.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, openPage, screenshot, settled, tickFirstOfEach } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** What the view shows: the URL, the query box, checked facet values and result ids. */
async function view(page) {
  return page.evaluate(() => ({
    url: location.pathname + location.search,
    q: document.getElementById('search-q').value,
    checked: [...document.querySelectorAll('.facet input:checked')].map((i) => `${i.closest('.facet').dataset.facet}=${i.dataset.key}`),
    ids: [...document.querySelectorAll('#search-results .dataset-card')].map((li) => li.dataset.id),
    count: document.querySelector('.results-bar .count').textContent,
  }));
}

test('type a Chinese query, narrow by two facets, open a result, go back: the view is restored', async () => {
  const { context, page, foreign, errors } = await openPage(browser);
  await page.goto(BASE + '/');
  await settled(page);
  const all = (await view(page)).ids.length;
  assert.ok(all > 0, 'the front page lists datasets');

  // Type as a person does, one character at a time (as-you-type + debounce).
  await page.locator('#search-q').pressSequentially('公交线路', { delay: 40 });
  await page.waitForURL(/q=%E5%85%AC%E4%BA%A4%E7%BA%BF%E8%B7%AF/);
  await settled(page);
  let v = await view(page);
  assert.ok(v.ids.includes('jt-bus-stops'), `公交线路 finds 公交车线路站点信息: ${JSON.stringify(v)}`);
  assert.equal(v.ids[0], 'jt-bus-stops', 'the bus dataset ranks first');

  // Narrow by two facets: the first domain value and the first open-attribute value shown.
  await tickFirstOfEach(page, ['theme', 'open']);
  const narrowed = await view(page);
  assert.equal(narrowed.checked.length, 2, `two facet values are selected: ${JSON.stringify(narrowed)}`);
  assert.ok(narrowed.ids.length > 0 && narrowed.ids.length <= v.ids.length, 'facets narrow the results');
  assert.equal(narrowed.q, '公交线路');
  // The facet counts follow the query: the selected domain's count equals the results.
  const domainCount = await page.locator('.facet[data-facet="theme"] input:checked + label .facet-count').innerText();
  assert.ok(Number(domainCount) >= narrowed.ids.length, `domain count ${domainCount} covers the results`);
  await screenshot(page, 'search-narrowed');

  // Open a result, then go back.
  await page.locator('#search-results .dataset-card a').first().click();
  await page.waitForURL(/\/datasets\//);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.goBack();
  await settled(page);
  const restored = await view(page);
  assert.deepEqual(restored, narrowed, 'back restores the same URL, query, facets and results');

  // The URL alone carries the view: open it in a fresh context (a shared link).
  const shared = await openPage(browser);
  await shared.page.goto(BASE + narrowed.url);
  await settled(shared.page);
  assert.deepEqual(await view(shared.page), narrowed, 'a shared link shows the same view');
  await shared.context.close();

  assert.deepEqual(foreign, [], 'no third-party requests');
  assert.deepEqual(errors, []);
  await context.close();
});

test('an abbreviation finds the full name, and emergency data are marked', async () => {
  const { context, page } = await openPage(browser);
  await page.goto(BASE + '/?q=' + encodeURIComponent('医保'));
  await settled(page);
  const titles = await page.locator('#search-results .dataset-card h2').allInnerTexts();
  assert.ok(titles.some((t) => t.includes('医疗保障')), `医保 finds 医疗保障: ${titles}`);

  await page.goto(BASE + '/?q=' + encodeURIComponent('避难场所'));
  await settled(page);
  const card = page.locator('#search-results .dataset-card').first();
  assert.equal(await card.locator('.badge.emergency').count(), 1, 'the emergency dataset carries its flag');
  assert.ok((await card.locator('[class*="badge status-"]').count()) === 1, 'status shows on the result');
  await context.close();
});

test('sort and paging are part of the URL, and a query with no match says so', async () => {
  const { context, page } = await openPage(browser);
  await page.goto(BASE + '/');
  await settled(page);
  const defaultIds = (await view(page)).ids;
  await page.selectOption('#search-sort', 'title');
  await page.waitForURL(/sort=title/);
  await settled(page);
  const titles = await page.locator('#search-results .dataset-card h2').allInnerTexts();
  assert.deepEqual(titles, [...titles].sort(), `sorted by title: ${titles}`);
  await page.goBack();
  await settled(page);
  assert.equal(new URL(page.url()).search, '');
  assert.deepEqual((await view(page)).ids, defaultIds, 'back returns to the default order');
  assert.equal(await page.locator('#search-sort').inputValue(), 'relevance');

  await page.goto(BASE + '/?q=' + encodeURIComponent('量子引力波'));
  await settled(page);
  assert.equal((await view(page)).ids.length, 0);
  assert.match(await page.locator('.results-bar .count').innerText(), /量子引力波/);
  await context.close();
});
