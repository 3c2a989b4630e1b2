// Charts on a file too big to fetch whole as text (issue 4 follow-up, B7): the 144 MB
// bus-card records are scanned as a stream, only their numeric/temporal columns kept, and a
// line over the whole file is drawn (downsampled by LTTB).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, openPage, screenshot } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Data rows of the served file (records = lines; the generated file has no quoted breaks). */
async function dataRows(url) {
  const buf = Buffer.from(await (await fetch(url)).arrayBuffer());
  let lines = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) lines++;
  if (buf.length && buf[buf.length - 1] !== 10) lines++;
  return lines - 1;
}

test('the 144 MB bus-card records can be charted: every row scanned, the line downsampled', async () => {
  const { context, page, errors } = await openPage(browser);
  await page.goto(`${BASE}/datasets/jt-bus-card-records`);
  await page.getByTestId('chart-draw').waitFor({ timeout: 30_000 });
  await page.getByTestId('chart-draw').click();
  // Ready: the controls appear once the whole file was scanned.
  await page.getByTestId('chart-kind').waitFor({ timeout: 300_000 });
  await page.getByTestId('chart-kind').selectOption('line');
  await page.getByTestId('chart-x').selectOption({ label: '交易时间' });
  await page.getByTestId('chart-y').selectOption({ label: '交易金额(元)' });
  await page.waitForFunction(() => /已绘制/.test(document.querySelector('[data-testid=chart-status]')?.textContent ?? ''));
  const status = await page.getByTestId('chart-status').innerText();
  const m = status.match(/已绘制 (\d+) 个点（共 (\d+) 行可用，跳过 (\d+) 行）/);
  assert.ok(m, status);
  const [drawn, usable, skipped] = m.slice(1).map(Number);
  const url = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).find((n) => n.endsWith('.csv')));
  assert.ok(url, 'the file was requested');
  assert.equal(usable + skipped, await dataRows(url), 'every row of the file was considered');
  assert.ok(usable > 1_000_000, `usable rows ${usable}`);
  assert.ok(drawn > 10 && drawn < 5000, `downsampled to ${drawn} points`);
  await screenshot(page, 'chart-large');
  assert.deepEqual(errors, []);
  await context.close();
});
